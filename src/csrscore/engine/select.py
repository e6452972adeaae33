"""A subset of a `Scores`'s rows, scored as they were: `Scores.take` and `Scores.of_year`.

Selecting after scoring, not before, keeps every row's score exactly what the whole run
gave it, whatever a score may read from other rows of the run (a previous year's report,
say). Each field of `Scores` is either per company (indexed) or shared by every company
(kept); `tests/engine/test_select.py` fails when a field is added to neither list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from csrscore.engine.columns import FloatArray, IntArray
from csrscore.engine.points import Points
from csrscore.errors import UsageError

if TYPE_CHECKING:
    from csrscore.engine.scores import Scores

# Fields with one entry per company, in row order.
ROW_FIELDS = frozenset(
    {
        "reports",
        "company_ids",
        "names",
        "sectors",
        "countries",
        "years",
        "levels",
        "group_scores",
        "group_applicable",
        "base",
        "adjustments",
        "violation_counts",
        "clamp",
        "totals",
        "grades",
        "positions",
        "point_table",
        "condition_results",
        "varying_group_weights",
    }
)
# Fields that describe the run, the same for every company. Rejected records and catalog
# warnings belong to the input, so a selection keeps them all.
SHARED_FIELDS = frozenset(
    {
        "rubric",
        "plan",
        "criterion_ids",
        "group_ids",
        "adjustment_ids",
        "rejected",
        "warnings",
        "violation_table",
    }
)


@dataclass(frozen=True, eq=False)
class _TakenPoints:
    """A computed criterion's points, computed for the whole run and then selected."""

    values: FloatArray

    def into(self, rows: slice, out: FloatArray) -> FloatArray:
        out[:] = self.values[rows]
        return out


def _take_points(points: Points, rows: IntArray) -> Points:
    n = points.shape[0]
    continuous = {}
    for c, computed in points.continuous.items():
        values: FloatArray = np.empty(n)
        computed.into(slice(0, n), values)
        continuous[c] = _TakenPoints(values[rows])
    return Points(points.table, np.ascontiguousarray(points.levels[:, rows]), continuous)


def take(scores: Scores, rows: IntArray) -> Scores:
    """The companies at `rows` (in that order), with their scores as computed."""
    rows = np.asarray(rows, dtype=np.int64)
    changes: dict[str, Any] = {}
    for name in ROW_FIELDS:
        value = getattr(scores, name)
        if value is None:
            continue
        if name == "point_table":
            changes[name] = _take_points(value, rows)
        elif name == "condition_results":
            changes[name] = {condition: value[condition][rows] for condition in value}
        elif isinstance(value, np.ndarray):
            changes[name] = np.array(value[rows])
        elif value:  # a tuple per company; `positions` may be empty
            changes[name] = tuple(value[i] for i in rows.tolist())
    # The flat list of violations counts for the whole run; every count taken from it is
    # already in `violation_counts`.
    changes["violation_table"] = None
    return replace(scores, **changes)


def of_year(scores: Scores, year: int) -> Scores:
    """The companies' reports of one year (one edition of the index)."""
    present = sorted({int(y) for y in scores.years.tolist()})
    if year not in present:
        listed = ", ".join(map(str, present)) or "none"
        raise UsageError(f"no report scored in {year}; years scored: {listed}")
    return take(scores, np.flatnonzero(scores.years == year))
