"""Conditions -> the level matrix, the points matrix and the applicability mask.

This is the only stage that evaluates conditions. Everything after it (group scores,
totals, re-weighting) is arithmetic on the arrays returned here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from csrscore.compile.plan import Plan
from csrscore.engine.columns import BoolArray, Column, FloatArray, LevelArray
from csrscore.rubric.conditions import Condition
from csrscore.rubric.model import Criterion, Group

Evaluate = Callable[[Condition], BoolArray]


@dataclass(frozen=True)
class Evaluation:
    """Views with companies on the first axis. The arrays behind them are criterion-major
    (one contiguous row per criterion), which is how they are computed and aggregated."""

    levels: LevelArray  # N x C; -1 where N/A, 0 where no level reached, k for level k
    points: FloatArray  # N x C; 0 where N/A
    applicable: BoolArray  # N x C
    group_applicable: BoolArray  # N x G; the group's own applies_when and its ancestors'


def level_dtype(plan: Plan) -> type[np.signedinteger[Any]]:
    """The narrowest integer type that holds every level number of the plan."""
    return np.int8 if plan.level_points.shape[1] <= 127 else np.int16


def _winner(reached: list[BoolArray], points: list[float], n: int, dtype: Any) -> LevelArray:
    """1-based index of the reached option with most points; later wins ties; 0 if none.

    Options are ranked by (points, position); the best reached rank is a running maximum,
    which touches each mask once instead of scattering through it.
    """
    order = sorted(range(len(points)), key=lambda k: (points[k], k))
    best = np.zeros(n, dtype=dtype)
    for rank, k in enumerate(order, start=1):
        np.maximum(best, reached[k].view(np.int8) * dtype(rank), out=best)
    level_of_rank = np.array([0, *(k + 1 for k in order)], dtype=dtype)
    return level_of_rank[best]  # fancy indexing by int8 is several times faster than take


def criterion_levels(
    criterion: Criterion, evaluate: Evaluate, columns: dict[str, Column], n: int, dtype: Any
) -> tuple[LevelArray, FloatArray | None]:
    """Levels for one criterion; value criteria also return their continuous points."""
    if criterion.value is not None:
        spec = criterion.value
        values = columns[spec.field].numbers
        span = spec.high - spec.low
        position = (
            (values - spec.low) / span
            if spec.direction == "higher"
            else (spec.high - values) / span
        )
        fraction = np.nan_to_num(np.clip(position, 0.0, 1.0), nan=0.0)
        return (~np.isnan(values)).astype(dtype), fraction * spec.points
    if criterion.bands is not None:
        bands = criterion.bands
        values = columns[bands.field].numbers
        reached = [
            values >= step.at if bands.direction == "higher" else values <= step.at
            for step in bands.steps
        ]
        return _winner(reached, [s.points for s in bands.steps], n, dtype), None
    satisfied = [evaluate(level.when) for level in criterion.levels]
    if criterion.cumulative:
        # The level is the length of the unbroken run of holding levels from the first.
        level = np.zeros(n, dtype=dtype)
        run = np.ones(n, dtype=bool)
        for holds in satisfied:
            run &= holds
            level += run.view(np.int8)
        return level, None
    return _winner(satisfied, [level.points for level in criterion.levels], n, dtype), None


def evaluate_levels(
    plan: Plan, evaluate: Evaluate, columns: dict[str, Column], n: int
) -> Evaluation:
    criteria_count = len(plan.criteria)
    dtype = level_dtype(plan)
    levels = np.empty((criteria_count, n), dtype=dtype)
    points = np.empty((criteria_count, n), dtype=np.float64)
    applicable = np.empty((criteria_count, n), dtype=bool)
    group_applicable = np.empty((len(plan.groups), n), dtype=bool)
    group_position = {gp.group.id: i for i, gp in enumerate(plan.groups)}
    criterion_position = {c.id: i for i, c in enumerate(plan.criteria)}
    everyone = np.ones(n, dtype=bool)

    def own(node: Group | Criterion) -> BoolArray:
        return everyone if node.applies_when is None else evaluate(node.applies_when)

    def descend(group: Group, inherited: BoolArray) -> None:
        mask = inherited & own(group)
        group_applicable[group_position[group.id]] = mask
        for child in group.children:
            if isinstance(child, Group):
                descend(child, mask)
            else:
                np.logical_and(mask, own(child), out=applicable[criterion_position[child.id]])

    descend(plan.rubric.root, everyone)
    for i, criterion in enumerate(plan.criteria):
        level, continuous = criterion_levels(criterion, evaluate, columns, n, dtype)
        # The level table's row for this criterion turns levels into points in one gather.
        earned = plan.level_points[i][level] if continuous is None else continuous
        excluded = ~applicable[i]
        levels[i] = level
        points[i] = earned
        levels[i][excluded] = -1
        points[i][excluded] = 0.0
    return Evaluation(levels.T, points.T, applicable.T, group_applicable.T)
