"""Condition traces for one company, read from the engine's own condition results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from csrscore.engine.scores import Scores
from csrscore.records.model import Report
from csrscore.rubric.conditions import (
    AllOf,
    AnyOf,
    Condition,
    FieldTest,
    Not,
    PublishedWithin,
    ViolationCount,
    ViolationFilter,
)


def display_value(report: Report, name: str) -> tuple[bool, Any]:
    """(present, value as written) of a field, for people and JSON."""
    disclosure = report.disclosures.get(name)
    if disclosure is not None:
        disclosed = disclosure.value
        return True, list(disclosed) if isinstance(disclosed, tuple) else disclosed
    if name == "year":
        return True, report.year
    head, _, rest = name.partition(".")
    value: Any = None
    if head == "company":
        value = getattr(report.company, rest, None)
    elif head == "report" and report.report is not None:
        if rest.startswith("assurance."):
            assurance = report.report.assurance
            value = None if assurance is None else getattr(assurance, rest.split(".", 1)[1])
        else:
            value = getattr(report.report, rest, None)
            if isinstance(value, list):
                value = value or None
    elif head == "stats":
        return True, None  # derived; the engine holds the number
    if isinstance(value, dt.date):
        value = value.isoformat()
    return value is not None, value


def violation_filter_dict(where: ViolationFilter) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if where.statuses is not None:
        out["status"] = list(where.statuses)
    if where.categories is not None:
        out["category"] = list(where.categories)
    if where.public_response is not None:
        out["public_response"] = where.public_response
    if where.date_from is not None:
        out["from"] = where.date_from.isoformat()
    if where.date_to is not None:
        out["to"] = where.date_to.isoformat()
    if where.within_years is not None:
        out["within_years"] = where.within_years
    return out


def matching_violations(report: Report, where: ViolationFilter) -> list[str]:
    return [
        v.id
        for v in report.violations
        if where.matches(v.status, v.category, v.public_response, v.date, report.year)
    ]


def trace(condition: Condition, scores: Scores, row: int, report: Report) -> dict[str, Any]:
    """The condition as a tree, each node with the engine's pass/fail for this company."""
    passed = bool(scores.condition_results[condition][row])
    if isinstance(condition, FieldTest):
        present, actual = display_value(report, condition.field)
        entry: dict[str, Any] = {
            "kind": "test",
            "test": condition.op,
            "field": condition.field,
            "expected": condition.source_operand,
            "actual": actual,
            "present": present,
            "passed": passed,
        }
        disclosure = report.disclosures.get(condition.field)
        if disclosure is not None and condition.op in ("assured", "has_evidence"):
            entry["actual"] = {"assured": disclosure.assured, "evidence": disclosure.evidence}
        return entry
    if isinstance(condition, (AllOf, AnyOf)):
        return {
            "kind": "all" if isinstance(condition, AllOf) else "any",
            "passed": passed,
            "items": [trace(item, scores, row, report) for item in condition.items],
        }
    if isinstance(condition, Not):
        return {"kind": "not", "passed": passed, "item": trace(condition.item, scores, row, report)}
    if isinstance(condition, PublishedWithin):
        meta = report.report
        delay = None
        if meta is not None and meta.published is not None and meta.period_end is not None:
            delay = (meta.published - meta.period_end).days
        return {
            "kind": "published_within_days",
            "expected": condition.days,
            "actual": delay,
            "present": delay is not None,
            "passed": passed,
        }
    assert isinstance(condition, ViolationCount)
    matched = matching_violations(report, condition.filter)
    return {
        "kind": "violations",
        "filter": violation_filter_dict(condition.filter),
        "expected": {condition.compare: condition.threshold},
        "actual": len(matched),
        "records": matched,
        "passed": passed,
    }


def failing_tests(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The leaf tests that keep a traced condition from holding."""
    if node["passed"]:
        return []
    if node["kind"] == "all":
        return [leaf for item in node["items"] for leaf in failing_tests(item)]
    if node["kind"] == "any":
        return [leaf for item in node["items"] for leaf in failing_tests(item)]
    if node["kind"] == "not":
        return [{**node["item"], "negated": True}]
    return [node]
