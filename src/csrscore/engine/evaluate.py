"""Conditions -> boolean arrays over all reports, each distinct condition computed once.

Every distinct condition owns one whole-length result array, but it may be filled a block
of rows at a time (`rows`), so that the level stage can use each result while it is still
in cache. Rows are filled from the first onwards; a result is published in `results`
(read-only) once its last row is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np

from csrscore.engine.columns import BoolArray, Column, FloatArray, IntArray
from csrscore.engine.ingest import ViolationTable
from csrscore.operators import OPERATORS
from csrscore.rubric.conditions import (
    AllOf,
    AnyOf,
    Condition,
    FieldTest,
    Not,
    PublishedWithin,
    ViolationFilter,
)

RowsEvaluate = Callable[[Condition], BoolArray]

_COMPARE = {
    "gte": np.greater_equal,
    "gt": np.greater,
    "lte": np.less_equal,
    "lt": np.less,
    "eq": np.equal,
}


class ConditionEvaluator:
    """Evaluates conditions over columns; identical sub-conditions share one result."""

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
        self._cache: dict[Condition, BoolArray] = {}  # complete results only
        self._slot: dict[Condition, int] = {}
        self._arrays: list[BoolArray] = []
        self._filled: list[int] = []  # rows [0, filled) of each slot are written
        self._done: list[bool] = []  # every row written, published in `results`
        # Condition objects are hashed structurally, which walks the whole tree; lookups
        # by identity are memoized (the objects are kept alive so their ids stay theirs).
        self._by_id: dict[int, tuple[Condition, int]] = {}
        self._counts: dict[ViolationFilter, IntArray] = {}
        self._sliced: dict[str, Column] = {}
        self._sliced_rows = (0, n_reports)
        self._in_row_order: dict[str, bool] = {}

    @property
    def results(self) -> Mapping[Condition, BoolArray]:
        """Every condition evaluated so far (sub-conditions included), read-only arrays."""
        return MappingProxyType(self._cache)

    def __call__(self, condition: Condition) -> BoolArray:
        slot = self._slot_of(condition)
        self._fill(slot, condition, self.n_reports)
        return self._arrays[slot]

    def rows(self, start: int, stop: int) -> RowsEvaluate:
        """Evaluation of rows [start, stop): a view of each whole-length result.

        Blocks must be asked for in row order, as every row before `start` is filled first.
        """

        def evaluate(condition: Condition) -> BoolArray:
            slot = self._slot_of(condition)
            self._fill(slot, condition, stop)
            return self._arrays[slot][start:stop]

        return evaluate

    def _add(self, condition: Condition, array: BoolArray) -> int:
        self._slot[condition] = len(self._arrays)
        self._arrays.append(array)
        self._filled.append(0)
        self._done.append(False)
        return len(self._arrays) - 1

    def _slot_of(self, condition: Condition) -> int:
        known = self._by_id.get(id(condition))
        if known is not None:
            return known[1]
        slot = self._slot.get(condition)
        if slot is None:
            slot = self._add(condition, np.empty(self.n_reports, dtype=bool))
        self._by_id[id(condition)] = (condition, slot)
        return slot

    def _fill(self, slot: int, condition: Condition, stop: int) -> None:
        start = self._filled[slot]
        if start >= stop and (stop < self.n_reports or self._done[slot]):
            return
        out = self._arrays[slot][start:stop]
        if isinstance(condition, FieldTest):
            column = self._column(condition.field, start, stop)
            np.copyto(out, OPERATORS[condition.op].vector(column, condition.operand))
        elif isinstance(condition, (AllOf, AnyOf)):
            combine = np.logical_and if isinstance(condition, AllOf) else np.logical_or
            out.fill(isinstance(condition, AllOf))
            for item in condition.items:
                combine(out, self._part(item, start, stop), out=out)
        elif isinstance(condition, Not):
            np.logical_not(self._part(condition.item, start, stop), out=out)
        elif isinstance(condition, PublishedWithin):
            np.less_equal(self.publication_delay[start:stop], condition.days, out=out)
        else:
            counts = self._violation_counts(condition.filter)[start:stop]
            _COMPARE[condition.compare](counts, condition.threshold, out=out)
        self._filled[slot] = stop
        if stop == self.n_reports:
            whole = self._arrays[slot]
            whole.setflags(write=False)
            self._cache[condition] = whole
            self._done[slot] = True

    def _part(self, condition: Condition, start: int, stop: int) -> BoolArray:
        slot = self._slot_of(condition)
        self._fill(slot, condition, stop)
        return self._arrays[slot][start:stop]

    def _column(self, field: str, start: int, stop: int) -> Column:
        if (start, stop) == (0, self.n_reports):
            return self.columns[field]
        if self._sliced_rows != (start, stop):
            self._sliced, self._sliced_rows = {}, (start, stop)
        column = self._sliced.get(field)
        if column is None:
            whole = self.columns[field]
            in_order = self._in_row_order.get(field)
            if in_order is None:
                in_order = self._in_row_order[field] = whole.items_in_row_order()
            column = self._sliced[field] = whole.rows(start, stop, in_order)
        return column

    def _violation_counts(self, where: ViolationFilter) -> IntArray:
        counts = self._counts.get(where)
        if counts is None:
            counts = self._counts[where] = self.violations.count(where)
        return counts
