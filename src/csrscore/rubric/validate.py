"""Schema validation of rubric data, with one located, readable message per problem."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.exceptions import best_match

from csrscore.rubric.bounds import MIN_WEIGHT, shown
from csrscore.rubric.findings import Findings, NodePath
from csrscore.rubric.parse import suggest
from csrscore.rubric.schema import rubric_schema

_JSON_TYPES = {
    dict: "an object",
    list: "a list",
    str: "text",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}

_ONE_OF = {
    "criterion": "a criterion is scored by exactly one of 'levels', 'value', 'score', "
    "'bands' or 'checklist'",
    "adjustment": "an adjustment needs one of: 'points_each' with 'count', "
    "'points' with 'when', or 'cap' with 'when'",
    "group": "a group needs 'groups' or 'criteria' (or both)",
    "csrscore rubric": "a rubric needs 'groups' (or 'extends')",
    "derived field": "a derived field has exactly one of 'ratio', 'share', 'difference', "
    "'sum' or 'change'",
}


# What YAML 1.1 (PyYAML) reads as text but a person means as a number: an exponent with no
# sign, or a mantissa with no dot (`1e308`, `1.0e308`, `2E6`).
_YAML11_EXPONENT = re.compile(r"([-+]?)([0-9]+)(?:\.([0-9]*))?[eE]([-+]?)([0-9]+)")

_BOUND_WORDS = {
    "maximum": "at most",
    "minimum": "at least",
    "exclusiveMaximum": "below",
    "exclusiveMinimum": "above",
}


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(rubric_schema(), format_checker=FormatChecker())


def _describe(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _message(error: ValidationError) -> tuple[str, NodePath]:
    """A short message and the path it belongs to (which may point at a key)."""
    path: NodePath = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    title = schema.get("title", "")
    instance: Any = error.instance
    kind = error.validator
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = list(schema.get("properties", {}))
        extra = next(key for key in instance if key not in allowed)
        what = "operator" if title == "condition" else "key"
        where = f" in {title}" if title and title != "condition" else ""
        return f"unknown {what} {extra!r}{where}{suggest(extra, allowed)}", (*path, extra)
    if kind in ("minProperties", "maxProperties") and title == "condition":
        names = ", ".join(map(repr, instance)) or "none"
        return f"a condition has exactly one operator, got {len(instance)}: {names}", path
    if kind in ("minProperties", "maxProperties"):
        return "expected exactly one 'field: value' pair", path
    if kind in ("oneOf", "anyOf") and title in _ONE_OF:
        return _ONE_OF[title], path
    if kind == "required":
        missing = next(key for key in schema.get("required", []) if key not in instance)
        return f"missing required key {missing!r}", path
    if kind == "type":
        expected = schema["type"]
        expected = expected if isinstance(expected, str) else " or ".join(expected)
        return f"expected {expected}, got {_describe(instance)}{_yaml11_hint(instance)}", path
    if kind in _BOUND_WORDS:
        return _out_of_bounds(kind, instance, error.validator_value, path), path
    if kind == "not" and path and path[-1] == "weight":  # between 0 and MIN_WEIGHT
        return _out_of_bounds("minimum", instance, MIN_WEIGHT, path), path
    if kind == "pattern":
        return f"{instance!r} does not match the required pattern {schema['pattern']!r}", path
    if kind == "propertyNames":
        return f"{instance!r} has an invalid key; keys must be lower-case dotted names", path
    if kind == "enum":
        options = ", ".join(map(str, schema["enum"]))
        return f"{instance!r} is not one of: {options}", path
    return error.message[:200], path


def _out_of_bounds(kind: str, number: Any, bound: Any, path: NodePath) -> str:
    if path and path[-1] == "weight" and kind == "minimum":
        if number < 0:
            return (
                f"weight must be 0 or more, got {shown(number)}; to drop a node use 'drop' "
                "or applies_when"
            )
        return (
            f"weight {shown(number)} is too small: a weight is 0 (shown, counts nothing) or "
            f"at least {MIN_WEIGHT:g} (give the other weights larger numbers instead)"
        )
    return f"{shown(number)} is out of bounds: must be {_BOUND_WORDS[kind]} {shown(bound)}"


def _yaml11_hint(instance: Any) -> str:
    if not isinstance(instance, str):
        return ""
    match = _YAML11_EXPONENT.fullmatch(instance.strip())
    if match is None:
        return ""
    sign, whole, fraction, exponent_sign, exponent = match.groups()
    number = f"{sign}{whole}.{fraction or 0}e{exponent_sign or '+'}{exponent}"
    return (
        f" {instance!r}: YAML reads a number with an exponent as text unless it has a dot "
        f"and a signed exponent; write {number}"
    )


def check_schema(data: Any, findings: Findings) -> None:
    """Add one finding per schema violation, ordered as they appear in the file."""
    for error in _validator().iter_errors(data):
        chosen = error
        if error.context and error.validator in ("anyOf", "oneOf"):
            title = error.schema.get("title", "") if isinstance(error.schema, dict) else ""
            if title not in _ONE_OF:
                # The branch of the instance's own type says what is wrong inside it.
                typed = [e for e in error.context if e.validator != "type"] or error.context
                chosen = best_match(typed) or error
        message, path = _message(chosen)
        code = "schema"
        if chosen.validator in (*_BOUND_WORDS, "not") and path and path[-1] == "weight":
            code = "weight"
        elif chosen.validator in _BOUND_WORDS:
            code = "bounds"
        findings.error(code, message, path)
