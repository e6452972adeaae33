"""Conditions and condition traces in words, for the scorecards and the methodology page.

The output is plain text lines with a depth; the templates escape and indent them.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any

from csrscore.explain.trace import violation_filter_dict
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
# json.dumps with keywords builds an encoder per call, which costs ten times the encoding
# of a short value; one encoder, and strings straight through its C escaping, say the same.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def value_text(value: Any) -> str:
    """A disclosed or expected value as JSON text (strings quoted, lists bracketed)."""
    if value is None or type(value) is bool:
        return _SCALAR_TEXT[value]
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return repr(value)
    if type(value) is str:
        return encode_basestring(value)
    return _ENCODER.encode(value)


def _test_text(op: str, field: str, expected: Any) -> str:
    words = TEST_WORDS.get(op, op)
    return f"{field} {words}" + ("" if expected is None else f" {value_text(expected)}")


COMBINED_HEADS = {
    "all": "all of these hold:",
    "any": "at least one of these holds:",
    "not": "this does not hold:",
}


def _node_words(node: dict[str, Any]) -> tuple[str, str]:
    """A traced node's line as (head, tail): the head is the rubric's and the same for
    every company (`condition_heads` builds it from the rubric alone); the tail is what
    this company disclosed."""
    kind = node["kind"]
    if kind in COMBINED_HEADS:
        head = COMBINED_HEADS[kind]
    elif kind == "violations":
        head = _violations_head(node["filter"])
    elif kind == "published_within_days":
        head = _published_head(node["expected"])
    else:
        head = _test_head(node["test"], node["field"], node["expected"])
    return head, trace_tail(node)


def trace_tail(node: dict[str, Any]) -> str:
    """What a traced node's line says of the company (empty for all, any and not)."""
    kind = node["kind"]
    if kind in COMBINED_HEADS:
        return ""
    if kind == "violations":
        found = len(node["records"]) if node["records"] else node["actual"]
        return f"{found} (rule {value_text(node['expected'])})"
    if not node["present"]:
        return "not disclosed"
    if kind == "published_within_days":
        return f"{node['actual']} days"
    if node["test"] in PROVENANCE_TESTS:
        return _provenance_words(node["actual"])
    return value_text(node["actual"])


# Tests of how a value is backed; the trace gives them the assurance flag and the evidence,
# which the scorecard shows in full in the criterion's table of disclosures.
PROVENANCE_TESTS = ("assured", "has_evidence")


def _provenance_words(actual: dict[str, Any]) -> str:
    evidence = actual.get("evidence") or {}
    found = [
        name
        for name, key in (("page", "page"), ("quote", "quote"), ("URL", "url"))
        if evidence.get(key) not in (None, "")
    ]
    assured = "externally assured" if actual.get("assured") else "not assured"
    return f"{assured}; evidence: {', '.join(found) or 'none'}"


def _violations_head(where: Any) -> str:
    return f"violation records matching {value_text(where)}: "


def _published_head(days: Any) -> str:
    return f"published within {days} days of period end: "


def _test_head(op: str, field: str, expected: Any) -> str:
    return f"{_test_text(op, field, expected)}; disclosed: "


def trace_lines(node: dict[str, Any], depth: int = 0) -> list[Line]:
    """An explanation's condition trace (as in `explain --format json`) in words."""
    head, tail = _node_words(node)
    passed = bool(node["passed"])
    text = head + tail
    if node["kind"] == "test" and node.get("negated"):
        text = f"not: {text}"
    lines: list[Line] = [(depth, text, passed)]
    if node["kind"] in ("all", "any"):
        for item in node["items"]:
            lines += trace_lines(item, depth + 1)
    elif node["kind"] == "not":
        lines += trace_lines(node["item"], depth + 1)
    return lines


def trace_nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    """A traced condition's nodes in the order of its lines (parents first)."""
    nodes = [node]
    if node["kind"] in ("all", "any"):
        for item in node["items"]:
            nodes += trace_nodes(item)
    elif node["kind"] == "not":
        nodes += trace_nodes(node["item"])
    return nodes


Head = tuple[int, str, bool]  # depth, the line's head, whether the node is a field test


def condition_heads(condition: Condition, depth: int = 0) -> list[Head]:
    """The heads of the lines `trace_lines` gives for any company's trace of `condition`,
    one per node in the same order, from the rubric alone."""
    if isinstance(condition, (AllOf, AnyOf)):
        head = COMBINED_HEADS["all" if isinstance(condition, AllOf) else "any"]
        heads: list[Head] = [(depth, head, False)]
        for item in condition.items:
            heads += condition_heads(item, depth + 1)
        return heads
    if isinstance(condition, Not):
        return [(depth, COMBINED_HEADS["not"], False), *condition_heads(condition.item, depth + 1)]
    if isinstance(condition, ViolationCount):
        return [(depth, _violations_head(violation_filter_dict(condition.filter)), False)]
    if isinstance(condition, PublishedWithin):
        return [(depth, _published_head(condition.days), False)]
    assert isinstance(condition, FieldTest)
    return [(depth, _test_head(condition.op, condition.field, condition.source_operand), True)]


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
