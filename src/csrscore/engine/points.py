"""Criterion points, derived from the level matrix instead of stored beside it.

A ladder or band criterion's points are its row of the plan's level table, looked up by
level; a value-scored criterion's are computed from its field's numbers when read. At a
million companies and 250 criteria a stored float64 points matrix is 2 GB, and writing it
(mostly the first-touch page faults) cost more than evaluating every condition; stored
rows for the value criteria alone were another 8 MB each.

`aggregate` reads points a block of rows at a time while they are in cache; `matrix()`
builds the whole companies x criteria matrix, the same way, for readers that want it
(`Scores.points`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from csrscore.engine.columns import FloatArray, LevelArray
from csrscore.engine.grid import snap_into
from csrscore.rubric.model import ValueScoring


def level_table(level_points: FloatArray) -> FloatArray:
    """The plan's level table with one more column of zeros, which level -1 (N/A) reads."""
    table = np.zeros((level_points.shape[0], level_points.shape[1] + 1))
    table[:, :-1] = level_points
    table.setflags(write=False)
    return table


class ComputedPoints(Protocol):
    """A criterion whose points are computed rather than looked up by level."""

    def into(self, rows: slice, out: FloatArray) -> FloatArray: ...


@dataclass(frozen=True, eq=False)
class ValuePoints:
    """A value-scored criterion's points: `points x clip(position, 0, 1)`, 0 if missing."""

    spec: ValueScoring
    numbers: FloatArray  # the field's values for N companies, NaN where missing

    def into(self, rows: slice, out: FloatArray) -> FloatArray:
        spec = self.spec
        values = self.numbers[rows]
        if spec.input_grid is not None:
            values = snap_into(values, spec.input_grid, out)
        # The operations of (values - low) / span, clipped, times points, in that order,
        # so the points are bit for bit those of the plain formula. fmax and fmin return
        # the number where the other operand is NaN, which turns missing values into 0.
        if spec.direction == "higher":
            np.subtract(values, spec.low, out=out)
        else:
            np.subtract(spec.high, values, out=out)
        np.divide(out, spec.high - spec.low, out=out)
        np.fmax(out, 0.0, out=out)
        np.fmin(out, 1.0, out=out)
        np.multiply(out, spec.points, out=out)
        if spec.points_grid is not None:
            snap_into(out, spec.points_grid, out)
        return out


@dataclass(frozen=True, eq=False)
class Points:
    """Every criterion's points for N companies, looked up on demand."""

    table: FloatArray  # C x (L+2), from `level_table`
    levels: LevelArray  # C x N, criterion-major; -1 where N/A
    continuous: Mapping[int, ComputedPoints]  # value/checklist criterion index -> how

    def __post_init__(self) -> None:
        for array in (self.table, self.levels):
            array.setflags(write=False)

    @property
    def shape(self) -> tuple[int, int]:
        """(companies, criteria), like the matrix."""
        return self.levels.shape[1], self.levels.shape[0]

    def row(
        self, c: int, rows: slice, out: FloatArray, table: FloatArray | None = None
    ) -> FloatArray:
        """Criterion `c`'s points for a block of rows, written into `out`.

        A ladder criterion may be looked up in another `table` row, such as its own row
        scaled by a weight.
        """
        value = self.continuous.get(c)
        if value is not None:
            value.into(rows, out)
            # N/A (level -1) earns nothing; every computed value is finite, so x False is 0.
            np.multiply(out, np.greater_equal(self.levels[c, rows], 0), out=out)
        else:
            self.lookup(c, rows, self.table[c] if table is None else table, out)
        return out

    def lookup(self, c: int, rows: slice, table: NDArray[Any], out: NDArray[Any]) -> None:
        """`table[level]` for a ladder criterion's block of rows into `out`, where `table`
        has one entry per level and one more, for N/A (level -1), at the end."""
        # Level -1 read as unsigned is the largest index, which "clip" turns into the last
        # entry. Measured 2x faster than fancy indexing.
        levels = self.levels[c, rows]
        unsigned = levels.view(np.dtype(levels.dtype.str.replace("i", "u")))
        np.take(table, unsigned, out=out, mode="clip")

    def matrix(self) -> FloatArray:
        """The companies x criteria points matrix (a view of a criterion-major array)."""
        criteria, n = self.levels.shape
        whole: FloatArray = np.empty((criteria, n))
        for c in range(criteria):
            self.row(c, slice(0, n), whole[c])
        transposed: FloatArray = whole.T
        return transposed
