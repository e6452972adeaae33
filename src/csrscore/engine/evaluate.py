"""Conditions -> boolean results over all reports, each distinct condition computed once.

Conditions are evaluated a block of rows at a time (`rows`), so that the level stage can
use each result while it is still in cache. A result is kept only packed, eight rows to a
byte: a condition read again (a shared part, or a level's `when` met by another
criterion) is unpacked from those bits, which costs less than holding its block. At a
million reports and 1,800 distinct conditions, unpacked results were 1.8 GB of fresh
memory, and even one held block per condition was 120-240 MB; on this project's machines
first touching fresh memory costs more than the evaluation itself. Rows are filled from
the first onwards; a result is published in `results` once its last row is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

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
    ViolationCount,
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


class ConditionResults(Mapping[Condition, BoolArray]):
    """Condition -> its result for every report, unpacked on each lookup (read-only)."""

    def __init__(self, packed: Mapping[Condition, NDArray[np.uint8]], n_reports: int) -> None:
        self._packed = packed
        self._n = n_reports

    def __getitem__(self, condition: Condition) -> BoolArray:
        result = unpack(self._packed[condition], self._n)
        result.setflags(write=False)
        return result

    def __contains__(self, condition: object) -> bool:
        return condition in self._packed  # without unpacking, as Mapping's default would

    def __iter__(self) -> Iterator[Condition]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


def unpack(packed: NDArray[np.uint8], n: int) -> BoolArray:
    unpacked: BoolArray = np.unpackbits(packed, count=n).view(np.bool_)
    return unpacked


def pack_into(packed: NDArray[np.uint8], start: int, rows: BoolArray) -> None:
    """Rows [start, start + len(rows)) of a packed result. Blocks need not start on a byte
    boundary; the bits already written to a shared first byte are kept."""
    first, lead = divmod(start, 8)
    if lead:
        head = np.unpackbits(packed[first : first + 1], count=lead)
        bits = np.packbits(np.concatenate([head, rows.view(np.uint8)]))
    else:
        bits = np.packbits(rows)
    packed[first : first + len(bits)] = bits


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
        self._complete: dict[Condition, NDArray[np.uint8]] = {}  # every row written
        self._slot: dict[Condition, int] = {}
        self._packed: list[NDArray[np.uint8]] = []
        self._filled: list[int] = []  # rows [0, filled) of each slot are packed
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
        return ConditionResults(MappingProxyType(self._complete), self.n_reports)

    def __call__(self, condition: Condition) -> BoolArray:
        """The condition's result for every report (a new array)."""
        slot = self._slot_of(condition)
        self._rows(slot, condition, self.n_reports, self.n_reports)
        return unpack(self._packed[slot], self.n_reports)

    def rows(self, start: int, stop: int) -> RowsEvaluate:
        """Evaluation of rows [start, stop), valid until the next block is asked for.

        Blocks must be asked for in row order, as every row before `start` is filled first.
        """

        def evaluate(condition: Condition) -> BoolArray:
            return self._rows(self._slot_of(condition), condition, start, stop)

        return evaluate

    def _slot_of(self, condition: Condition) -> int:
        known = self._by_id.get(id(condition))
        if known is not None:
            return known[1]
        slot = self._slot.get(condition)
        if slot is None:
            slot = self._slot[condition] = len(self._packed)
            self._packed.append(np.zeros((self.n_reports + 7) // 8, dtype=np.uint8))
            self._filled.append(0)
        self._by_id[id(condition)] = (condition, slot)
        return slot

    def _rows(self, slot: int, condition: Condition, start: int, stop: int) -> BoolArray:
        """Rows [start, stop) of a condition, computing the rows not yet filled."""
        filled = self._filled[slot]
        if filled < stop or (stop == 0 and condition not in self._complete):
            computed = self._fill(slot, condition, filled, stop)
            if filled <= start:
                return computed[start - filled :]
        # Rows computed before: a part shared with an earlier condition of this block, or
        # the rows of earlier blocks of a condition first met late (an adjustment's).
        offset = start % 8
        span = self._packed[slot][start // 8 : (stop + 7) // 8]
        return unpack(span, offset + stop - start)[offset:]

    def _fill(self, slot: int, condition: Condition, start: int, stop: int) -> BoolArray:
        """Computes and packs rows [start, stop), and returns them. Callers only read
        the result, which for a field test may be a view of its column."""
        if isinstance(condition, FieldTest):
            column = self._column(condition.field, start, stop)
            out = np.asarray(OPERATORS[condition.op].vector(column, condition.operand), dtype=bool)
        else:
            out = np.empty(stop - start, dtype=bool)
            self._combine(condition, start, stop, out)
        pack_into(self._packed[slot], start, out)
        self._filled[slot] = stop
        if stop == self.n_reports:
            self._packed[slot].setflags(write=False)
            self._complete[condition] = self._packed[slot]
        return out

    def _combine(self, condition: Condition, start: int, stop: int, out: BoolArray) -> None:
        """A condition that is not a field test, into `out`."""
        if isinstance(condition, (AllOf, AnyOf)):
            combine = np.logical_and if isinstance(condition, AllOf) else np.logical_or
            parts = [self._part(item, start, stop) for item in condition.items]
            if not parts:
                out.fill(isinstance(condition, AllOf))
            elif len(parts) == 1:
                np.logical_or(parts[0], parts[0], out=out)  # a copy, at a logical op's speed
            else:
                combine(parts[0], parts[1], out=out)
            for part in parts[2:]:
                combine(out, part, out=out)
        elif isinstance(condition, Not):
            np.logical_not(self._part(condition.item, start, stop), out=out)
        elif isinstance(condition, PublishedWithin):
            np.less_equal(self.publication_delay[start:stop], condition.days, out=out)
        else:
            assert isinstance(condition, ViolationCount)
            counts = self._violation_counts(condition.filter)[start:stop]
            _COMPARE[condition.compare](counts, condition.threshold, out=out)

    def _part(self, condition: Condition, start: int, stop: int) -> BoolArray:
        return self._rows(self._slot_of(condition), condition, start, stop)

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
