"""How much each criterion and group contributes to each company's total, from the engine's
arrays, for every company at once.

A group's contribution (in total points) is split among its counted children in proportion
to weight × fraction. For arithmetic groups this is exactly each child's weighted term; for
geometric groups, which do not decompose additively, it is the same proportional split of
the group's actual contribution. Either way the criterion contributions of a company add up
to its base total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csrscore.engine.columns import FloatArray, IntArray
from csrscore.engine.scores import Scores
from csrscore.rubric.model import Group


@dataclass(frozen=True)
class Shares:
    criterion_share: FloatArray  # N x C: fraction of the total's weight (0 where not counted)
    criterion_contribution: FloatArray  # N x C: total points this criterion brings
    group_share: FloatArray  # N x G
    group_contribution: FloatArray  # N x G
    arithmetic_path: np.ndarray  # C: True when every group above the criterion is arithmetic


def compute_shares(scores: Scores) -> Shares:
    plan = scores.plan
    n = len(scores)
    fractions = scores.points / plan.max_points[None, :]
    policy = plan.rubric.na_policy
    group_counted = (
        np.ones_like(scores.group_applicable)
        if policy == "zero"
        else ~np.isnan(scores.group_scores)
    )
    group_fraction = np.nan_to_num(scores.group_scores, nan=0.0)
    criterion_counted = np.ones_like(scores.applicable) if policy == "zero" else scores.applicable
    c_share = np.zeros_like(fractions)
    c_value = np.zeros_like(fractions)
    g_share = np.zeros((n, len(plan.groups)))
    g_value = np.zeros((n, len(plan.groups)))
    arithmetic = np.ones(len(plan.criteria), dtype=bool)
    root = plan.root_index
    group_weights = scores.group_weights
    g_share[:, root] = 1.0
    g_value[:, root] = scores.base
    for g in range(len(plan.groups) - 1, -1, -1):  # parents before children
        group = plan.groups[g]
        crit, sub = group.criterion_children, group.group_children
        # Group weights can differ by company (`weights: applicable-points`).
        weights = np.concatenate(
            [np.broadcast_to(plan.criterion_weights[crit], (n, len(crit))), group_weights[:, sub]],
            axis=1,
        )
        counted = np.concatenate([criterion_counted[:, crit], group_counted[:, sub]], axis=1)
        child_fraction = np.concatenate([fractions[:, crit], group_fraction[:, sub]], axis=1)
        weighted = np.where(counted, weights, 0.0)
        denominator = weighted.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(denominator > 0, weighted / denominator, 0.0) * g_share[:, [g]]
            terms = weighted * child_fraction
            total_terms = terms.sum(axis=1, keepdims=True)
            value = np.where(total_terms > 0, terms / total_terms, 0.0) * g_value[:, [g]]
        k = len(crit)
        c_share[:, crit], g_share[:, sub] = share[:, :k], share[:, k:]
        c_value[:, crit], g_value[:, sub] = value[:, :k], value[:, k:]
        if group.aggregation == "geometric":
            below = [node.id for node in group.group.walk()]
            for i, criterion in enumerate(plan.criteria):
                if criterion.id in below:
                    arithmetic[i] = False
    return Shares(c_share, c_value, g_share, g_value, arithmetic)


@dataclass(frozen=True)
class Targets:
    next_points: FloatArray  # N x C: points at the next better level (current when none)
    top_points: FloatArray  # N x C: points at the top (current when N/A)
    next_level: IntArray  # N x C: the ladder level that earns next_points; 0 when none


def improvement_targets(scores: Scores) -> Targets:
    """Per (company, criterion): the next better level and its points, and the top points.

    The next level is the nearest one earning more points: on a ladder, the first level
    (in order) with the least points above the current; on a cumulative ladder, the first
    level past the current one that earns more. Bands and value scoring have points but no
    level to name.
    """
    plan = scores.plan
    current = scores.points
    next_points = current.copy()
    next_level = np.zeros(current.shape, dtype=np.int64)
    top = np.where(scores.applicable, plan.max_points[None, :], current)
    for c, criterion in enumerate(plan.criteria):
        if criterion.continuous:
            next_points[:, c] = top[:, c]
            continue
        if criterion.kind == "levels" and criterion.cumulative:
            options = plan.level_points[c, 1 : len(criterion.levels) + 1]
            level = np.maximum(scores.levels[:, c], 0)
            best = np.full(len(scores), np.inf)
            found = np.zeros(len(scores), dtype=np.int64)
            for k in range(len(options) - 1, -1, -1):
                beyond = (k + 1 > level) & (options[k] > current[:, c])
                best = np.where(beyond, options[k], best)
                found = np.where(beyond, k + 1, found)
            next_points[:, c] = np.where(np.isinf(best), current[:, c], best)
            next_level[:, c] = found
            continue
        options = np.unique(plan.level_points[c])
        position = np.searchsorted(options, current[:, c], side="right")
        higher = position < len(options)
        next_points[:, c] = np.where(
            higher, options[np.minimum(position, len(options) - 1)], current[:, c]
        )
        if criterion.kind == "levels":
            for k in range(len(criterion.levels), 0, -1):  # the first level wins
                earns = higher & (plan.level_points[c, k] == next_points[:, c])
                next_level[:, c] = np.where(earns, k, next_level[:, c])
    next_points = np.where(scores.applicable, next_points, current)
    next_level = np.where(scores.applicable, next_level, 0)
    return Targets(next_points, top, next_level)


@dataclass(frozen=True)
class GroupPoints:
    earned: FloatArray  # N x G: the group's score x `possible` (see `group_points`)
    possible: FloatArray  # N x G: maximum points of the criteria the score counts
    not_applicable: IntArray  # N x G: criteria below the group that are N/A


def _plain(group: Group, subgroups_weigh_counted: bool) -> bool:
    """Whether a group's score is its criteria's points over their maxima: every node below
    it weighs its maximum points, every mean is arithmetic, and a sub-group weighs the
    maxima its score counts (not so under the default weights, where a sub-group with an
    N/A criterion still weighs that criterion's maximum)."""
    below = list(group.walk())[1:]
    return (
        group.aggregation == "arithmetic"
        and all(node.weight is None for node in below)
        and all(node.aggregation == "arithmetic" for node in below if isinstance(node, Group))
        and (subgroups_weigh_counted or not any(isinstance(node, Group) for node in below))
    )


def group_points(scores: Scores) -> GroupPoints:
    """Points earned and possible under every group, consistent with its score.

    `possible` sums the maximum points of the criteria below the group that its score
    counts (the applicable ones; all of them under `na_policy: zero`). `earned` is the
    group's score times `possible`, so that earned / possible is the percentage shown
    beside them. Where every weight below is the default and every mean arithmetic, that
    is exactly the sum of the criteria's points, which is then added up child by child
    (no rounding noise); under explicit weights or a geometric mean the plain sum would
    disagree with the score (175/200 beside 83.3%), so the score decides.
    """
    plan = scores.plan
    n = len(scores)
    earned = np.zeros((n, len(plan.groups)))
    possible = np.zeros((n, len(plan.groups)))
    missing = np.zeros((n, len(plan.groups)), dtype=np.int64)
    counted = (
        np.ones_like(scores.applicable) if plan.rubric.na_policy == "zero" else scores.applicable
    )
    counted_points = np.where(scores.applicable, scores.points, 0.0)
    counted_max = np.where(counted, plan.max_points[None, :], 0.0)
    criterion_index = {c.id: i for i, c in enumerate(plan.criteria)}
    group_index = {gp.group.id: g for g, gp in enumerate(plan.groups)}
    rubric = plan.rubric
    weigh_counted = rubric.na_policy == "zero" or rubric.weights == "applicable-points"
    for g, group_plan in enumerate(plan.groups):  # post-order: children are ready
        for child in group_plan.group.children:
            if isinstance(child, Group):
                k = group_index[child.id]
                earned[:, g] += earned[:, k]
                possible[:, g] += possible[:, k]
                missing[:, g] += missing[:, k]
            else:
                c = criterion_index[child.id]
                earned[:, g] += counted_points[:, c]
                possible[:, g] += counted_max[:, c]
                missing[:, g] += ~scores.applicable[:, c]
        if not _plain(group_plan.group, weigh_counted):
            score = np.nan_to_num(scores.group_scores[:, g], nan=0.0)
            earned[:, g] = score * possible[:, g]
    return GroupPoints(earned, possible, missing)
