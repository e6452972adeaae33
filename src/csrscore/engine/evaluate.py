"""Conditions -> boolean arrays over all reports, each distinct condition computed once."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from csrscore.engine.columns import BoolArray, Column, FloatArray
from csrscore.engine.ingest import ViolationTable
from csrscore.operators import OPERATORS
from csrscore.rubric.conditions import (
    AllOf,
    AnyOf,
    Condition,
    FieldTest,
    Not,
    PublishedWithin,
    ViolationCount,
)


class ConditionEvaluator:
    """Evaluates conditions over whole columns; identical sub-conditions share one result."""

    def __init__(
        self,
        columns: Mapping[str, Column],
        violations: ViolationTable,
        publication_delay: FloatArray,
        n_reports: int,
    ) -> None:
        self.columns = columns
        self.violations = violations
        self.publication_delay = publication_delay
        self.n_reports = n_reports
        self._cache: dict[Condition, BoolArray] = {}

    @property
    def results(self) -> Mapping[Condition, BoolArray]:
        """Every condition evaluated so far (sub-conditions included), read-only arrays."""
        return MappingProxyType(self._cache)

    def __call__(self, condition: Condition) -> BoolArray:
        found = self._cache.get(condition)
        if found is None:
            found = self._evaluate(condition)
            found.setflags(write=False)
            self._cache[condition] = found
        return found

    def _evaluate(self, condition: Condition) -> BoolArray:
        if isinstance(condition, FieldTest):
            column = self.columns[condition.field]
            return np.asarray(OPERATORS[condition.op].vector(column, condition.operand), dtype=bool)
        if isinstance(condition, AllOf):
            result = np.ones(self.n_reports, dtype=bool)
            for item in condition.items:
                result &= self(item)
            return result
        if isinstance(condition, AnyOf):
            result = np.zeros(self.n_reports, dtype=bool)
            for item in condition.items:
                result |= self(item)
            return result
        if isinstance(condition, Not):
            return ~self(condition.item)
        if isinstance(condition, PublishedWithin):
            return np.asarray(self.publication_delay <= condition.days)
        return self.violation_test(condition)

    def violation_test(self, condition: ViolationCount) -> BoolArray:
        counts = self.violations.count(condition.filter)
        compare = {
            "gte": np.greater_equal,
            "gt": np.greater,
            "lte": np.less_equal,
            "lt": np.less,
            "eq": np.equal,
        }[condition.compare]
        return np.asarray(compare(counts, condition.threshold), dtype=bool)
