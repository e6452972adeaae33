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
    policy = na_policy or plan.rubric.na_policy
    c_weights = plan.criterion_weights if criterion_weights is None else criterion_weights
    g_weights = plan.group_weights if group_weights is None else group_weights
    n = points.shape[0]
    fractions = points / plan.max_points[None, :]
    scores = np.full((n, len(plan.groups)), np.nan)
    counted = np.zeros((n, len(plan.groups)), dtype=bool)
    for g, group_plan in enumerate(plan.groups):
        crit, sub = group_plan.criterion_children, group_plan.group_children
        child_fraction = np.concatenate([fractions[:, crit], scores[:, sub]], axis=1)
        child_counts = np.concatenate([applicable[:, crit], counted[:, sub]], axis=1)
        weights = np.concatenate([c_weights[crit], g_weights[sub]])
        child_fraction = np.where(child_counts, child_fraction, 0.0)
        if policy == "zero":
            # N/A children stay in the denominator with a score of 0.
            child_weights = np.broadcast_to(weights, child_fraction.shape)
        else:
            child_weights = np.where(child_counts, weights[None, :], 0.0)
        denominator = child_weights.sum(axis=1)
        aggregation = group_plan.aggregation if aggregations is None else aggregations[g]
        with np.errstate(divide="ignore", invalid="ignore"):
            if aggregation == "geometric":
                logs = np.where(
                    child_weights > 0,
                    child_weights * np.log(np.where(child_fraction > 0, child_fraction, 1.0)),
                    0.0,
                )
                any_zero = ((child_fraction <= 0) & (child_weights > 0)).any(axis=1)
                value = np.where(any_zero, 0.0, np.exp(logs.sum(axis=1) / denominator))
            else:
                value = (child_weights * child_fraction).sum(axis=1) / denominator
        has_weight = denominator > 0
        if policy == "zero":
            counted[:, g] = True
            scores[:, g] = np.where(group_applicable[:, g] & has_weight, value, 0.0)
        else:
            counted[:, g] = group_applicable[:, g] & has_weight
            scores[:, g] = np.where(counted[:, g], value, np.nan)
    root = np.nan_to_num(scores[:, plan.root_index], nan=0.0)
    return Aggregated(scores, root * plan.rubric.scale)
