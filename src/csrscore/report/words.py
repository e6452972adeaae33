"""Conditions and condition traces in words, for the scorecards and the methodology page.

The output is plain text lines with a depth; the templates escape and indent them.
"""

from __future__ import annotations

import json
import math
from typing import Any

from csrscore.rubric.conditions import (
    AllOf,
    AnyOf,
    Condition,
    FieldTest,
    Not,
    PublishedWithin,
    ViolationCount,
)

Line = tuple[int, str, bool | None]  # depth, text, passed (None in a rubric, with no data)

TEST_WORDS = {
    "exists": "is disclosed",
    "missing": "is not disclosed",
    "true": "is true",
    "number": "is a number",
    "assured": "is externally assured",
    "has_evidence": "has evidence (page, quote or URL)",
    "eq": "equals",
    "ne": "is not",
    "gt": "is more than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
    "between": "is between",
    "in": "is one of",
    "not_in": "is none of",
    "contains": "contains",
    "matches": "matches the pattern",
}

COUNT_WORDS = {"gte": "at least", "gt": "more than", "lte": "at most", "lt": "fewer than"}


_SCALAR_TEXT: dict[Any, str] = {True: "true", False: "false", None: "null"}


def value_text(value: Any) -> str:
    """A disclosed or expected value as JSON text (strings quoted, lists bracketed)."""
    # The common scalars without json.dumps's setup, which cost more than the encoding.
    if value is None or type(value) is bool:
        return _SCALAR_TEXT[value]
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _test_text(op: str, field: str, expected: Any) -> str:
    words = TEST_WORDS.get(op, op)
    return f"{field} {words}" + ("" if expected is None else f" {value_text(expected)}")


def trace_lines(node: dict[str, Any], depth: int = 0) -> list[Line]:
    """An explanation's condition trace (as in `explain --format json`) in words."""
    kind = node["kind"]
    passed = bool(node["passed"])
    if kind in ("all", "any"):
        head = "all of these hold:" if kind == "all" else "at least one of these holds:"
        lines: list[Line] = [(depth, head, passed)]
        for item in node["items"]:
            lines += trace_lines(item, depth + 1)
        return lines
    if kind == "not":
        return [(depth, "this does not hold:", passed), *trace_lines(node["item"], depth + 1)]
    if kind == "violations":
        found = len(node["records"]) if node["records"] else node["actual"]
        return [
            (
                depth,
                f"violation records matching {value_text(node['filter'])}: {found} "
                f"(rule {value_text(node['expected'])})",
                passed,
            )
        ]
    if kind == "published_within_days":
        actual = f"{node['actual']} days" if node["present"] else "not disclosed"
        return [
            (depth, f"published within {node['expected']} days of period end: {actual}", passed)
        ]
    actual = value_text(node["actual"]) if node["present"] else "not disclosed"
    text = _test_text(node["test"], node["field"], node["expected"])
    if node.get("negated"):
        text = f"not: {text}"
    return [(depth, f"{text}; disclosed: {actual}", passed)]


def condition_lines(condition: Condition, depth: int = 0) -> list[Line]:
    """A rubric condition in words, before any data is seen."""
    if isinstance(condition, (AllOf, AnyOf)):
        head = "all of:" if isinstance(condition, AllOf) else "any of:"
        lines: list[Line] = [(depth, head, None)]
        for item in condition.items:
            lines += condition_lines(item, depth + 1)
        return lines
    if isinstance(condition, Not):
        return [(depth, "not:", None), *condition_lines(condition.item, depth + 1)]
    if isinstance(condition, ViolationCount):
        rule = COUNT_WORDS.get(condition.compare, "exactly")
        return [(depth, f"{rule} {condition.threshold} violation records", None)]
    if isinstance(condition, PublishedWithin):
        return [(depth, f"published within {condition.days} days of period end", None)]
    assert isinstance(condition, FieldTest)
    operand = condition.operand if condition.source_operand is None else condition.source_operand
    return [(depth, _test_text(condition.op, condition.field, operand), None)]
