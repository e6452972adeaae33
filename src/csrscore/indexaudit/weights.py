"""Effective weights: how much each part really drives the total, and weights that would
make that match what was intended.

Importance is the first-order sensitivity index of the part, S = Var(E[total | part]) /
Var(total), estimated from the scored companies as Pearson's correlation ratio eta^2
(Paruolo, Saisana and Saltelli 2013). Shares are taken of eta = sqrt(S): for a linear
index of independent parts eta is the part's weight times its standard deviation over the
total's, so with equally variable parts the shares are exactly the nominal weight shares,
and they differ from them exactly as far as correlations and unequal spread bend them.
This is the nonlinear version of the correlation-based "balance" of COINr's
`get_opt_weights` (after Becker et al. 2017), which uses Pearson's r.
"""

from __future__ import annotations

import math

import numpy as np

from csrscore.engine.columns import BoolArray, FloatArray, IntArray
from csrscore.indexaudit.frame import Frame
from csrscore.indexaudit.numeric import (
    Figure,
    NotComputable,
    classes,
    correlation_ratio,
)
from csrscore.indexaudit.result import EffectiveWeight, WeightSuggestion
from csrscore.rubric.model import Group, Rubric

# The fixed-point search for suggested weights stops when every effective share is this
# close to its target, after MAX_ITERATIONS, or when STALL steps in a row brought the
# largest miss no more than PROGRESS closer (a target out of reach: strongly correlated
# groups have effective shares that barely move with their weights).
TOLERANCE = 1e-6
MAX_ITERATIONS = 500
STALL = 20
PROGRESS = 1e-4
# Each step moves the weights by the square root of target / achieved: a full step
# overshoots when the parts are correlated.
DAMPING = 0.5


def nominal_shares(rubric: Rubric) -> dict[str, float]:
    """Each node's share of the total by its weights alone: its weight over its siblings',
    times its parent's share (COINr's `get_eff_wts`)."""
    shares: dict[str, float] = {}

    def walk(group: Group, share: float) -> None:
        total = sum(child.effective_weight for child in group.children)
        for child in group.children:
            child_share = share * child.effective_weight / total if total > 0 else 0.0
            shares[child.id] = child_share
            if isinstance(child, Group):
                walk(child, child_share)

    walk(rubric.root, 1.0)
    return shares


def _first_order(frame: Frame, node_id: str) -> tuple[int, Figure, IntArray, int]:
    ranked = frame.ranked_of(node_id)
    codes, k = classes(ranked)
    n = len(codes)
    return n, correlation_ratio(codes, k, frame.totals[ranked.present]), codes, k


def _shares(first_order: list[Figure]) -> list[Figure]:
    etas = [math.sqrt(s) for s in first_order if not isinstance(s, NotComputable)]
    total = sum(etas)
    if total <= 0:
        reason = NotComputable("no part explains any variance of the total")
        return [reason] * len(first_order)
    return [s if isinstance(s, NotComputable) else math.sqrt(s) / total for s in first_order]


def _ratio(effective: Figure, nominal: float) -> Figure:
    if isinstance(effective, NotComputable):
        return effective
    if nominal <= 0:
        return NotComputable("the nominal weight is 0")
    return effective / nominal


def effective_weights(
    frame: Frame, criteria: bool
) -> tuple[tuple[EffectiveWeight, ...], WeightSuggestion]:
    """Top-level groups (and with `criteria` every criterion) with their importance, and
    the suggested top-level weights."""
    rubric = frame.scores.rubric
    nominal = nominal_shares(rubric)
    top = [child.id for child in rubric.root.children]
    measured = [_first_order(frame, node_id) for node_id in top]
    effective = _shares([m[1] for m in measured])
    suggestion = suggest_weights(frame, top, [nominal[g] for g in top], measured)
    # Weights that miss the target are the extremes the search ran into, not advice.
    suggested: dict[str, Figure] = (
        dict(suggestion.weights)
        if suggestion.converged
        else {g: NotComputable(_unreached(suggestion)) for g in top}
    )
    rows = [
        EffectiveWeight(
            "group",
            node_id,
            m[0],
            nominal[node_id],
            m[1],
            share,
            _ratio(share, nominal[node_id]),
            suggested.get(node_id),
        )
        for node_id, m, share in zip(top, measured, effective, strict=True)
    ]
    if criteria:
        ids = frame.scores.criterion_ids
        found = [_first_order(frame, c)[:2] for c in ids]
        shares = _shares([f[1] for f in found])
        rows += [
            EffectiveWeight(
                "criterion", c, f[0], nominal[c], f[1], share, _ratio(share, nominal[c])
            )
            for c, f, share in zip(ids, found, shares, strict=True)
        ]
    return tuple(rows), suggestion


def suggest_weights(
    frame: Frame,
    top: list[str],
    target: list[float],
    measured: list[tuple[int, Figure, IntArray, int]],
) -> WeightSuggestion:
    """Top-level weight shares whose effective shares equal `target`.

    Each step re-aggregates the total from the top-level group scores with trial weights
    (the rubric's aggregation and N/A policy; adjustments kept at the points they changed
    each company's total by) and multiplies each weight by (target / achieved share)^0.5.
    """
    target_pairs = tuple(zip(top, target, strict=True))
    if any(isinstance(m[1], NotComputable) for m in measured):
        reason = next(m[1] for m in measured if isinstance(m[1], NotComputable))
        return _failed(top, target_pairs, reason.reason)
    rubric = frame.scores.rubric
    rows = [frame.by_id[g].row for g in top]
    scores = frame.values[rows]
    present = ~np.isnan(scores)
    offset = frame.totals - frame.scores.base[frame.rows]
    composer = _Recompose(scores, present, rubric, offset, _relative_weights(frame, top))
    stacked = _StackedClasses([m[2] for m in measured], [m[3] for m in measured], present)
    goal = np.array(target)
    weights = goal.copy()
    achieved = goal.copy()
    best = (np.inf, weights, achieved)
    steps = stalled = 0
    reference = np.inf
    for steps in range(1, MAX_ITERATIONS + 1):  # noqa: B007 - the count is reported
        totals = composer(weights)
        etas = stacked.etas(totals)
        if etas.sum() <= 0 or np.any((etas <= 0) & (goal > 0)):
            return _failed(top, target_pairs, "a group explains none of the total's variance")
        achieved = etas / etas.sum()
        miss = float(np.abs(achieved - goal).max())
        if miss < best[0]:
            best = (miss, weights, achieved)
        if miss < reference - PROGRESS:
            reference, stalled = miss, 0
        else:
            stalled += 1
        if miss < TOLERANCE or stalled >= STALL:
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(achieved > 0, goal / achieved, 1.0) ** DAMPING
        weights = weights * step
        weights /= weights.sum()
    miss, weights, achieved = best
    converged = miss < TOLERANCE
    note = (
        ""
        if converged
        else f"the target is out of reach (closest after {steps} steps misses by {miss:.3f})"
    )
    return WeightSuggestion(
        tuple(zip(top, weights.tolist(), strict=True)),
        tuple(zip(top, achieved.tolist(), strict=True)),
        target_pairs,
        steps,
        converged,
        note,
    )


def _unreached(suggestion: WeightSuggestion) -> str:
    return suggestion.note.removeprefix("not computable, because ")


def _failed(top: list[str], target: tuple[tuple[str, float], ...], reason: str) -> WeightSuggestion:
    missing = NotComputable(reason)
    pairs = tuple((g, missing) for g in top)
    return WeightSuggestion(pairs, pairs, target, 0, False, f"not computable, because {reason}")


def _relative_weights(frame: Frame, top: list[str]) -> FloatArray:
    """K x N: each top-level group's weight for each company over its static weight: 1,
    except under `weights: applicable-points`, where a group weighs its applicable maximum
    per company. A trial weight scales the group's weight for every company alike."""
    scores = frame.scores
    columns = [scores.group_column(g) for g in top]
    static = scores.plan.group_weights[columns]
    per_company = scores.group_weights[frame.rows][:, columns].T
    with np.errstate(divide="ignore", invalid="ignore"):
        relative: FloatArray = np.where(static[:, None] > 0, per_company / static[:, None], 0.0)
    return relative


class _Recompose:
    """The total from the top-level group scores under other top-level weights, as the
    engine aggregates the root (`engine.aggregate`), plus the fixed adjustment offset.
    `relative` (K x N) is each company's weight of each group over its static weight."""

    def __init__(
        self,
        scores: FloatArray,
        present: BoolArray,
        rubric: Rubric,
        offset: FloatArray,
        relative: FloatArray,
    ) -> None:
        self.zero_policy = rubric.na_policy == "zero"
        # Each company's share of each group's weight, zero where the group is not counted.
        self.counted = relative * (np.ones_like(present) if self.zero_policy else present)
        filled = np.where(present, scores, 0.0)
        self.geometric = rubric.root.aggregation == "geometric"
        if self.geometric:
            positive = filled > 0
            logs = np.where(positive, np.log(np.where(positive, filled, 1.0)), 0.0)
            # Summed as weight x log score: the numerator of the weighted geometric mean.
            self.weighted = logs * self.counted
            self.zero = (self.counted > 0) & ~positive
        else:
            self.weighted = filled * self.counted
        self.scale = rubric.scale
        self.offset = offset

    def __call__(self, weights: FloatArray) -> FloatArray:
        denominator = np.einsum("k,kn->n", weights, self.counted)
        numerator = np.einsum("k,kn->n", weights, self.weighted)
        with np.errstate(divide="ignore", invalid="ignore"):
            root = numerator / denominator
            if self.geometric:
                root = np.exp(root)
                root[((weights[:, None] > 0) & self.zero).any(axis=0)] = 0.0
        root = np.where(denominator > 0, root, 0.0)
        totals: FloatArray = root * self.scale + self.offset
        return totals


class _StackedClasses:
    """The top-level groups' classes side by side, so that every group's eta under a new
    total is a few `bincount`s over all of them at once instead of one call per group (the
    search takes up to a few hundred steps)."""

    def __init__(self, codes: list[IntArray], sizes: list[int], present: BoolArray) -> None:
        groups = len(codes)
        offsets = np.cumsum([0, *sizes[:-1]])
        self.rows = np.concatenate([np.flatnonzero(row) for row in present])
        self.entry_group = np.concatenate([np.full(len(c), g) for g, c in enumerate(codes)])
        self.codes = np.concatenate([c + offset for c, offset in zip(codes, offsets, strict=True)])
        self.class_group = np.concatenate([np.full(k, g) for g, k in enumerate(sizes)])
        self.classes = int(sum(sizes))
        self.groups = groups
        self.counts = np.bincount(self.codes, minlength=self.classes).astype(np.float64)
        self.sizes = np.bincount(self.entry_group, minlength=groups).astype(np.float64)

    def etas(self, totals: FloatArray) -> FloatArray:
        """sqrt(eta^2) of each group for these totals, as `correlation_ratio` computes it."""
        output = totals[self.rows]
        sums = np.bincount(self.codes, weights=output, minlength=self.classes)
        means = np.bincount(self.entry_group, weights=output, minlength=self.groups) / self.sizes
        with np.errstate(divide="ignore", invalid="ignore"):
            class_means = np.where(self.counts > 0, sums / self.counts, 0.0)
        spread = self.counts * (class_means - means[self.class_group]) ** 2
        between = np.bincount(self.class_group, weights=spread, minlength=self.groups)
        deviation = output - means[self.entry_group]
        total = np.bincount(self.entry_group, weights=deviation * deviation, minlength=self.groups)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(total > 0, between / total, 0.0)
        etas: FloatArray = np.sqrt(np.clip(ratio, 0.0, 1.0))
        return etas
