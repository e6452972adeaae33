"""Points -> group scores -> base total. Pure arithmetic; no condition is evaluated here.

Sensitivity analysis calls `aggregate` many times with other weights, aggregations or N/A
policies over the same points and applicability arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from csrscore.compile.plan import Plan
from csrscore.engine.columns import BoolArray, FloatArray
from csrscore.rubric.model import Aggregation, NaPolicy


@dataclass(frozen=True)
class Aggregated:
    group_scores: FloatArray  # N x G fractions in [0, 1]; NaN where the group is N/A
    base: FloatArray  # N; root fraction x scale, before adjustments


def aggregate(
    plan: Plan,
    points: FloatArray,
    applicable: BoolArray,
    group_applicable: BoolArray,
    *,
    na_policy: NaPolicy | None = None,
    criterion_weights: FloatArray | None = None,
    group_weights: FloatArray | None = None,
    aggregations: Sequence[Aggregation] | None = None,
) -> Aggregated:
    """Group scores and base totals from (companies x criteria) points and applicability.

    The work runs criterion-major: each child of a group is one row of N values, added
    into running sums, so no (companies x children) block is ever gathered. The inputs
    from `evaluate_levels` are transposed views of criterion-major arrays, so `.T` is free.
    """
    policy = na_policy or plan.rubric.na_policy
    c_weights = plan.criterion_weights if criterion_weights is None else criterion_weights
    g_weights = plan.group_weights if group_weights is None else group_weights
    n = points.shape[0]
    criterion_points, criterion_counts = points.T, applicable.T
    scores = np.full((len(plan.groups), n), np.nan)
    counted = np.zeros((len(plan.groups), n), dtype=bool)
    for g, group_plan in enumerate(plan.groups):
        aggregation = group_plan.aggregation if aggregations is None else aggregations[g]
        geometric = aggregation == "geometric"
        numerator = np.zeros(n)
        denominator = np.zeros(n)
        any_zero = np.zeros(n, dtype=bool)
        # Each child: (points, the points that make a full score, counted mask, weight).
        # Criterion points are 0 where N/A; a sub-group's score is NaN there, and is zeroed
        # so that it cannot reach the sums.
        children = [
            (criterion_points[c], plan.max_points[c], criterion_counts[c], c_weights[c])
            for c in group_plan.criterion_children.tolist()
        ] + [
            (np.where(counted[s], scores[s], 0.0), 1.0, counted[s], g_weights[s])
            for s in group_plan.group_children.tolist()
        ]
        for child_points, full, counts, weight in children:
            # Under the zero policy N/A children stay in the denominator with a score of 0.
            child_weight = weight if policy == "zero" else counts * weight
            denominator += child_weight
            if geometric:
                fraction = child_points / full
                positive = fraction > 0
                any_zero |= (child_weight > 0) & ~positive
                numerator += child_weight * np.log(np.where(positive, fraction, 1.0))
            else:
                # Points are 0 wherever the child is not counted, so no mask is needed.
                numerator += child_points * (weight / full)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = numerator / denominator
            if geometric:
                value = np.where(any_zero, 0.0, np.exp(value))
        has_weight = denominator > 0
        if policy == "zero":
            counted[g] = True
            scores[g] = np.where(group_applicable[:, g] & has_weight, value, 0.0)
        else:
            counted[g] = group_applicable[:, g] & has_weight
            scores[g] = np.where(counted[g], value, np.nan)
    root = np.nan_to_num(scores[plan.root_index], nan=0.0)
    return Aggregated(scores.T, root * plan.rubric.scale)
