"""A checklist criterion's points: its counted items' points, summed per company, capped.

Each distinct item text is tested once (through the column's vocabulary), and an item
listed twice by one company counts once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csrscore.engine.columns import Column, FloatArray
from csrscore.rubric.checklist import Checklist


def checklist_points(checklist: Checklist, column: Column) -> FloatArray:
    """Points of every company (0 where the list is not disclosed)."""
    n = len(column)
    item_points = np.array(
        [checklist.item_points(item) for item in column.vocabulary], dtype=np.float64
    )
    width = max(len(column.vocabulary), 1)
    distinct = np.unique(column.list_rows * width + column.list_codes)
    rows, codes = np.divmod(distinct, width)
    earned = np.bincount(rows, weights=item_points[codes], minlength=n).astype(np.float64)
    if checklist.cap is not None:
        np.fmin(earned, checklist.cap, out=earned)
    earned.setflags(write=False)
    return earned


@dataclass(frozen=True, eq=False)
class ChecklistPoints:
    """Computed once for every company; read a block of rows at a time."""

    earned: FloatArray

    def into(self, rows: slice, out: FloatArray) -> FloatArray:
        out[...] = self.earned[rows]
        return out
