"""Points -> group scores -> base total. Pure arithmetic; no condition is evaluated here.

Sensitivity analysis calls `aggregate` many times with other weights, aggregations or N/A
policies over the same points and applicability arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from csrscore.compile.plan import GroupPlan, Plan
from csrscore.engine.columns import BoolArray, FloatArray
from csrscore.engine.points import Points
from csrscore.rubric.model import Aggregation, NaPolicy

# Rows per block: one group's running sums and a child's row stay in a 1 MiB L2 cache.
BLOCK_ROWS = 16_384


@dataclass(frozen=True)
class Aggregated:
    group_scores: FloatArray  # N x G fractions in [0, 1]; NaN where the group is N/A
    base: FloatArray  # N; root fraction x scale, before adjustments


def aggregate(
    plan: Plan,
    points: Points | FloatArray,
    applicable: BoolArray,
    group_applicable: BoolArray,
    *,
    na_policy: NaPolicy | None = None,
    criterion_weights: FloatArray | None = None,
    group_weights: FloatArray | None = None,
    aggregations: Sequence[Aggregation] | None = None,
) -> Aggregated:
    """Group scores and base totals from (companies x criteria) points and applicability.

    `points` is the engine's `Points` (looked up from the levels a block at a time) or a
    companies x criteria matrix. The work runs criterion-major: each child of a group is
    one row of values, added into running sums, so no (companies x children) block is ever
    gathered. The inputs from `evaluate_levels` are transposed views of criterion-major
    arrays, so `.T` is free. Rows are taken in blocks, so the running sums stay in cache
    while the children stream past them.
    """
    policy = na_policy or plan.rubric.na_policy
    c_weights = plan.criterion_weights if criterion_weights is None else criterion_weights
    g_weights = plan.group_weights if group_weights is None else group_weights
    kinds = [
        group_plan.aggregation if aggregations is None else aggregations[g]
        for g, group_plan in enumerate(plan.groups)
    ]
    n = points.shape[0]
    # Every cell of both is written below, block by block, before anything reads it.
    scores = np.empty((len(plan.groups), n))
    counted = np.empty((len(plan.groups), n), dtype=bool)
    sums = _Sums(min(n, BLOCK_ROWS))
    for start in range(0, n, BLOCK_ROWS):
        rows = slice(start, min(n, start + BLOCK_ROWS))
        block = sums.cut(rows.stop - rows.start)
        criterion_points = _point_rows(points, rows, block.looked_up)
        for g, group_plan in enumerate(plan.groups):
            _group(
                plan,
                group_plan,
                kinds[g] == "geometric",
                policy,
                c_weights,
                g_weights,
                criterion_points,
                applicable.T[:, rows],
                scores[:, rows],
                counted[:, rows],
                block,
            )
            if policy == "zero":
                counted[g, rows] = True
                scores[g, rows] = np.where(
                    group_applicable[rows, g] & block.has_weight, block.value, 0.0
                )
            else:
                np.logical_and(group_applicable[rows, g], block.has_weight, out=counted[g, rows])
                scores[g, rows] = np.where(counted[g, rows], block.value, np.nan)
    root = np.nan_to_num(scores[plan.root_index], nan=0.0)
    return Aggregated(scores.T, root * plan.rubric.scale)


def _point_rows(
    points: Points | FloatArray, rows: slice, buffer: FloatArray
) -> Callable[[int], FloatArray]:
    """Criterion index -> its points for a block of rows (looked up into `buffer`)."""
    if isinstance(points, Points):
        source = points
        return lambda c: source.row(c, rows, buffer)
    matrix = points.T[:, rows]
    return lambda c: matrix[c]


class _Sums:
    """One group's running sums over a block of rows, reused by every group and block."""

    def __init__(self, rows: int) -> None:
        self.numerator = np.empty(rows)
        self.denominator = np.empty(rows)
        self.product = np.empty(rows)
        self.child = np.empty(rows)
        self.looked_up = np.empty(rows)
        self.value = np.empty(rows)
        self.any_zero = np.empty(rows, dtype=bool)
        self.positive = np.empty(rows, dtype=bool)
        self.has_weight = np.empty(rows, dtype=bool)

    def cut(self, rows: int) -> _Sums:
        view = _Sums.__new__(_Sums)
        for name, array in vars(self).items():
            setattr(view, name, array[:rows])
        return view


def _group(
    plan: Plan,
    group_plan: GroupPlan,
    geometric: bool,
    policy: NaPolicy,
    c_weights: FloatArray,
    g_weights: FloatArray,
    criterion_points: Callable[[int], FloatArray],
    criterion_counts: BoolArray,
    scores: FloatArray,
    counted: BoolArray,
    sums: _Sums,
) -> None:
    """One group's score for a block of rows into `sums.value` and `sums.has_weight`.

    The arithmetic is the former whole-array formula's, operation for operation, so the
    scores are bit for bit the same; only the temporaries are reused.
    """
    numerator, denominator, product = sums.numerator, sums.denominator, sums.product
    numerator.fill(0.0)
    denominator.fill(0.0)
    sums.any_zero.fill(False)

    def children() -> Iterator[tuple[FloatArray, float, BoolArray, float]]:
        """Each child: (points, the points that make a full score, counted mask, weight).

        Criterion points are 0 where N/A; a sub-group's score is NaN there, and is zeroed
        so that it cannot reach the sums. A criterion's points may sit in a buffer that the
        next criterion reuses, so each child is used up before the next is made.
        """
        for c in group_plan.criterion_children.tolist():
            yield criterion_points(c), plan.max_points[c], criterion_counts[c], c_weights[c]
        for s in group_plan.group_children.tolist():
            yield np.where(counted[s], scores[s], 0.0), 1.0, counted[s], g_weights[s]

    for child_points, full, counts, weight in children():
        # Under the zero policy N/A children stay in the denominator with a score of 0.
        if policy == "zero":
            np.add(denominator, weight, out=denominator)
        else:
            np.add(denominator, np.multiply(counts, weight, out=product), out=denominator)
        if geometric:
            fraction = np.divide(child_points, full, out=sums.child)
            positive = np.greater(fraction, 0, out=sums.positive)
            child_weight = weight if policy == "zero" else counts * weight
            sums.any_zero |= (child_weight > 0) & ~positive
            np.copyto(fraction, 1.0, where=~positive)
            np.log(fraction, out=fraction)
            np.add(numerator, np.multiply(child_weight, fraction, out=product), out=numerator)
        else:
            # Points are 0 wherever the child is not counted, so no mask is needed.
            np.add(numerator, np.multiply(child_points, weight / full, out=product), out=numerator)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(numerator, denominator, out=sums.value)
        if geometric:
            np.exp(sums.value, out=sums.value)
            np.copyto(sums.value, 0.0, where=sums.any_zero)
    np.greater(denominator, 0, out=sums.has_weight)
