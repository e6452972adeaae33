"""Condition traces for one company, read from the engine's own condition results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from csrscore.engine.scores import Scores
from csrscore.records.model import Disclosure, Report
from csrscore.rubric.catalog import RESERVED_PREFIXES
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
                value = list(value) or None  # a copy: explanations must not share the report's
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


TraceBuilder = Callable[[], dict[str, Any]]


def _sub_conditions(condition: Condition) -> list[Condition]:
    if isinstance(condition, (AllOf, AnyOf)):
        return [condition, *(c for item in condition.items for c in _sub_conditions(item))]
    if isinstance(condition, Not):
        return [condition, *_sub_conditions(condition.item)]
    return [condition]


class Tracer:
    """Condition traces for one company at a time, from the engine's condition results.

    The results are gathered once into a (companies x conditions) matrix and every condition
    object of the rubric is indexed by identity, so a trace costs list lookups rather than
    hashing condition trees.
    """

    def __init__(self, scores: Scores, roots: list[Condition]) -> None:
        results = scores.condition_results
        keys = list(results)
        position = {condition: k for k, condition in enumerate(keys)}
        self.column: dict[int, int] = {}
        for root in roots:
            for condition in _sub_conditions(root):
                self.column[id(condition)] = position[condition]
        n = len(scores)
        self.matrix = (
            np.column_stack([results[c] for c in keys]) if keys else np.zeros((n, 0), dtype=bool)
        )
        self.holds: list[bool] = []
        self.derived = scores.derived
        self.row = 0
        self.report: Report | None = None
        self.disclosures: Mapping[str, Disclosure] = {}
        self._builders: dict[int, TraceBuilder] = {}

    def start(self, row: int, report: Report) -> None:
        """Switch to one company."""
        self.holds = self.matrix[row].tolist()
        self.row = row
        self.report = report
        self.disclosures = report.disclosures

    def passed(self, condition: Condition) -> bool:
        return self.holds[self.column[id(condition)]]

    def trace(self, condition: Condition) -> dict[str, Any]:
        """The condition as a tree, each node with the engine's pass/fail for this company."""
        return self.compiled(condition)[1]()

    def compiled(self, condition: Condition) -> tuple[int, TraceBuilder]:
        """The condition's column in the results and its trace builder, made once."""
        builder = self._builders.get(id(condition))
        if builder is None:
            builder = self._builders[id(condition)] = self._compile(condition)
        return self.column[id(condition)], builder

    def _compile(self, condition: Condition) -> TraceBuilder:
        """A builder for this condition's trace; static parts are prepared once."""
        column = self.column[id(condition)]
        if isinstance(condition, FieldTest):
            op, field, expected = condition.op, condition.field, condition.source_operand
            # A list operand is the rubric's own; each trace gets a copy to edit freely.
            listed = isinstance(expected, list)
            provenance = op in ("assured", "has_evidence")
            disclosed_key = field != "year" and not field.startswith(RESERVED_PREFIXES)
            derived = self.derived.get(field)
            if derived is not None:
                values = derived.values

                def computed() -> dict[str, Any]:
                    number = float(values[self.row])
                    present = number == number  # NaN where the value is missing
                    return {
                        "kind": "test",
                        "test": op,
                        "field": field,
                        "expected": list(expected) if listed else expected,
                        "actual": number if present else None,
                        "present": present,
                        "passed": self.holds[column],
                    }

                return computed

            if disclosed_key:
                # The common case. Copying a prepared dict is about twice as fast as
                # building one, and an undisclosed field's whole entry is known up front.
                undisclosed = {
                    "kind": "test",
                    "test": op,
                    "field": field,
                    "expected": expected,
                    "actual": None,
                    "present": False,
                    "passed": False,
                }
                undisclosed_passing = {**undisclosed, "passed": True}

                def test() -> dict[str, Any]:
                    disclosure = self.disclosures.get(field)
                    passed = self.holds[column]
                    if disclosure is None:
                        entry = (undisclosed_passing if passed else undisclosed).copy()
                    else:
                        entry = undisclosed.copy()
                        if provenance:
                            evidence = disclosure.evidence
                            entry["actual"] = {
                                "assured": disclosure.assured,
                                "evidence": None if evidence is None else dict(evidence),
                            }
                        else:
                            actual = disclosure.value
                            entry["actual"] = list(actual) if type(actual) is tuple else actual
                        entry["present"] = True
                        entry["passed"] = passed
                    if listed:
                        entry["expected"] = list(expected)
                    return entry

                return test

            # Built-in fields: the rubric parser allows no provenance test on them.
            def test() -> dict[str, Any]:
                assert self.report is not None
                present, actual = display_value(self.report, field)
                return {
                    "kind": "test",
                    "test": op,
                    "field": field,
                    "expected": list(expected) if listed else expected,
                    "actual": actual,
                    "present": present,
                    "passed": self.holds[column],
                }

            return test
        if isinstance(condition, (AllOf, AnyOf)):
            node: dict[str, Any] = {
                "kind": "all" if isinstance(condition, AllOf) else "any",
                "passed": False,
            }
            items = [self._compile(item) for item in condition.items]

            def combined() -> dict[str, Any]:
                entry = node.copy()
                entry["passed"] = self.holds[column]
                # A plain loop: a comprehension costs one more frame per node on 3.11.
                traced = []
                for item in items:
                    traced.append(item())
                entry["items"] = traced
                return entry

            return combined
        if isinstance(condition, Not):
            inner = self._compile(condition.item)
            return lambda: {"kind": "not", "passed": self.holds[column], "item": inner()}
        if isinstance(condition, PublishedWithin):
            days = condition.days

            def timeliness() -> dict[str, Any]:
                assert self.report is not None
                meta = self.report.report
                delay = None
                if meta is not None and meta.published is not None and meta.period_end is not None:
                    delay = (meta.published - meta.period_end).days
                return {
                    "kind": "published_within_days",
                    "expected": days,
                    "actual": delay,
                    "present": delay is not None,
                    "passed": self.holds[column],
                }

            return timeliness
        assert isinstance(condition, ViolationCount)
        where, expected = condition.filter, {condition.compare: condition.threshold}

        def violations() -> dict[str, Any]:
            assert self.report is not None
            matched = matching_violations(self.report, where)
            return {
                "kind": "violations",
                "filter": violation_filter_dict(where),
                "expected": dict(expected),
                "actual": len(matched),
                "records": matched,
                "passed": self.holds[column],
            }

        return violations


def failing_tests(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The leaf tests that keep a traced condition from holding."""
    if node["passed"]:
        return []
    if node["kind"] in ("all", "any"):
        return [leaf for item in node["items"] for leaf in failing_tests(item)]
    if node["kind"] == "not":
        return [{**node["item"], "negated": True}]
    return [node]
