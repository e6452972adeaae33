"""Turning pydantic validation errors into one located line per problem."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from csrscore.records.disclosure import TEXT_MAX
from csrscore.records.model import (
    DISCLOSURE_KEY_PATTERN,
    IDENTIFIER_PATTERN,
    LANGUAGE_PATTERN,
    SLUG_PATTERN,
)

_SHORT_FORMS = "a bool, a finite number, a string, a list of strings, or an object with 'value'"

# pydantic error type -> what the field must be, for "must be X, got Y" messages.
_EXPECTED_TYPE = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "string_type": "a string",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "an array",
}

# Model pattern -> the rule in words; a regular expression is a poor error message.
_PATTERN_RULE = {
    IDENTIFIER_PATTERN: (
        "must start with an ASCII letter or digit and hold only letters, digits, '.', '_', ':'"
        " and '-'"
    ),
    SLUG_PATTERN: "must be a lower-case slug of letters, digits, '_' and '-', such as 'energy'",
    LANGUAGE_PATTERN: "must be a language tag such as 'en' or 'zh-Hans'",
    DISCLOSURE_KEY_PATTERN: "must be a lower-case dotted identifier such as 'env.ghg.scope1'",
    r"\S": "must not be blank",
}


def format_path(loc: Sequence[int | str]) -> str:
    """Render a pydantic location as `disclosures["env.ghg.scope1"].evidence.page`."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i > 0 and loc[i - 1] in ("disclosures", "extensions"):
            out += f'["{part}"]'
        else:
            out += f".{part}" if out else part
    return out


def _disclosure_message(raw: Any) -> str:
    if isinstance(raw, float) and not math.isfinite(raw):
        return "must be a finite number"
    if isinstance(raw, int) and not isinstance(raw, bool):
        # Only an integer beyond the float range fails every branch of the union.
        return "must be a finite number; this one is too large"
    if isinstance(raw, str) and len(raw) > TEXT_MAX:
        return f"a text value has at most {TEXT_MAX} characters, got {len(raw)}"
    if isinstance(raw, list):
        for i, item in enumerate(raw):
            if isinstance(item, str) and len(item) > TEXT_MAX:
                return f"item {i} has {len(item)} characters; list items have at most {TEXT_MAX}"
        return "a list value may hold only strings"
    return f"must be {_SHORT_FORMS}, got {type(raw).__name__ if raw is not None else 'null'}"


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    given = error.get("input")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind in _EXPECTED_TYPE:
        return f"must be {_EXPECTED_TYPE[kind]}, got {_describe(given)}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}, got {_describe(given)}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}, got {_describe(given)}"
    if kind == "string_too_short":
        if ctx["min_length"] == 1:
            return "must not be empty"
        return f"must have at least {ctx['min_length']} characters"
    if kind == "string_too_long":
        return f"must have at most {ctx['max_length']} characters, got {len(given)}"
    if kind == "string_pattern_mismatch":
        rule = _PATTERN_RULE.get(ctx["pattern"], f"must match the pattern {ctx['pattern']!r}")
        return f"{rule}, got {_describe(given)}"
    if kind == "string_unicode":
        return "must be valid Unicode text (it holds a lone surrogate escape such as \\ud800)"
    if kind == "literal_error":
        return f"must be {ctx['expected']}, got {_describe(given)}"
    if kind == "value_error":
        reason = str(ctx["error"])
        return f"{reason}, got {_describe(given)}" if reason.startswith("must ") else reason
    if kind.startswith("date"):
        reason = f" ({ctx['error']})" if "error" in ctx else ""
        return f"must be a calendar date as YYYY-MM-DD, got {_describe(given)}{reason}"
    return str(error["msg"])


def _describe(value: Any) -> str:
    """A short JSON-flavoured description of an input value, for "got ..." messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "an out-of-range number"
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if len(text) <= 24 else f"a {len(text)}-digit number"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "an array"
    return type(value).__name__


def record_problems(exc: ValidationError, raw: Any) -> list[tuple[str, str]]:
    """Return (field path, message) pairs, collapsing the disclosure-union noise.

    A bad disclosure value fails every branch of the short/long union, so pydantic reports
    five errors for one mistake. We keep one: the long-form errors when the input was an
    object, a single plain message otherwise.
    """
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    disclosures = raw.get("disclosures") if isinstance(raw, Mapping) else None
    for error in exc.errors():
        loc = list(error["loc"])
        if len(loc) >= 3 and loc[0] == "disclosures" and loc[2] != "[key]":
            key = loc[1]
            value = disclosures.get(key) if isinstance(disclosures, Mapping) else None
            if isinstance(value, Mapping):
                if loc[2] != "LongDisclosure" or len(loc) == 3:
                    continue
                path = format_path([*loc[:2], *loc[3:]])
                message = _message(error)
                if loc[3] == "value" and len(loc) > 4:
                    message = _disclosure_message(value.get("value"))
                    path = format_path(loc[:2]) + ".value"
                elif loc[3] == "value" and error["type"] != "missing":
                    message = _disclosure_message(value.get("value"))
            else:
                path, message = format_path(loc[:2]), _disclosure_message(value)
        elif len(loc) >= 3 and loc[0] == "disclosures":
            path, message = (
                format_path(loc[:2]),
                "disclosure keys are lower-case dotted identifiers such as 'env.ghg.scope1'",
            )
        else:
            path, message = format_path([p for p in loc if not _is_union_tag(p)]), _message(error)
        if path not in seen:
            seen.add(path)
            problems.append((path, message))
    return problems


def _is_union_tag(part: int | str) -> bool:
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool"})
