"""Conditions -> the level matrix, the points matrix and the applicability mask.

This is the only stage that evaluates conditions. Everything after it (group scores,
totals, re-weighting) is arithmetic on the arrays returned here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from csrscore.compile.plan import Plan
from csrscore.engine.columns import BoolArray, Column, FloatArray, IntArray
from csrscore.rubric.conditions import Condition
from csrscore.rubric.model import Criterion, Group

Evaluate = Callable[[Condition], BoolArray]


@dataclass(frozen=True)
class Evaluation:
    levels: IntArray  # N x C; -1 where N/A, 0 where no level reached, k for level k
    points: FloatArray  # N x C; 0 where N/A
    applicable: BoolArray  # N x C
    group_applicable: BoolArray  # N x G; the group's own applies_when and its ancestors'


def _winner(reached: list[BoolArray], points: list[float], n: int) -> IntArray:
    """1-based index of the reached option with most points; later wins ties; 0 if none."""
    level = np.zeros(n, dtype=np.int64)
    for k in sorted(range(len(points)), key=lambda k: (points[k], k)):
        level[reached[k]] = k + 1
    return level


def criterion_levels(
    criterion: Criterion, evaluate: Evaluate, columns: dict[str, Column], n: int
) -> tuple[IntArray, FloatArray | None]:
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
        return (~np.isnan(values)).astype(np.int64), fraction * spec.points
    if criterion.bands is not None:
        bands = criterion.bands
        values = columns[bands.field].numbers
        reached = [
            values >= step.at if bands.direction == "higher" else values <= step.at
            for step in bands.steps
        ]
        return _winner(reached, [s.points for s in bands.steps], n), None
    satisfied = [evaluate(level.when) for level in criterion.levels]
    if criterion.cumulative:
        level = np.zeros(n, dtype=np.int64)
        run = np.ones(n, dtype=bool)
        for k, holds in enumerate(satisfied):
            run &= holds
            level[run] = k + 1
        return level, None
    return _winner(satisfied, [level.points for level in criterion.levels], n), None


def evaluate_levels(
    plan: Plan, evaluate: Evaluate, columns: dict[str, Column], n: int
) -> Evaluation:
    criteria_count = len(plan.criteria)
    levels = np.zeros((n, criteria_count), dtype=np.int64)
    points = np.zeros((n, criteria_count), dtype=np.float64)
    applicable = np.ones((n, criteria_count), dtype=bool)
    group_applicable = np.ones((n, len(plan.groups)), dtype=bool)
    group_position = {gp.group.id: i for i, gp in enumerate(plan.groups)}
    criterion_position = {c.id: i for i, c in enumerate(plan.criteria)}
    everyone = np.ones(n, dtype=bool)

    def own(node: Group | Criterion) -> BoolArray:
        return everyone if node.applies_when is None else evaluate(node.applies_when)

    def descend(group: Group, inherited: BoolArray) -> None:
        mask = inherited & own(group)
        group_applicable[:, group_position[group.id]] = mask
        for child in group.children:
            if isinstance(child, Group):
                descend(child, mask)
            else:
                applicable[:, criterion_position[child.id]] = mask & own(child)

    descend(plan.rubric.root, everyone)
    for i, criterion in enumerate(plan.criteria):
        level, continuous = criterion_levels(criterion, evaluate, columns, n)
        levels[:, i] = level
        if continuous is not None:
            points[:, i] = continuous
    # One gather turns every (company, criterion) level into its points.
    gathered = plan.level_points[np.arange(criteria_count)[None, :], levels]
    is_value = np.array([c.value is not None for c in plan.criteria], dtype=bool)
    points = np.where(is_value[None, :], points, gathered)
    points[~applicable] = 0.0
    levels[~applicable] = -1
    return Evaluation(levels, points, applicable, group_applicable)
