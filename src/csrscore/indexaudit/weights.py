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
from csrscore.engine.scores import Scores
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
# largest miss no closer (a target out of reach: strongly correlated groups have
# effective shares that barely move with their weights).
TOLERANCE = 1e-6
MAX_ITERATIONS = 500
STALL = 20
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
    factors = weight_factors(frame.scores, top)[:, frame.rows]
    composer = _Recompose(scores, present, rubric, offset, factors)
    goal = np.array(target)
    weights = goal.copy()
    achieved = goal.copy()
    best = (np.inf, weights, achieved)
    steps = stalled = 0
    for steps in range(1, MAX_ITERATIONS + 1):  # noqa: B007 - the count is reported
        totals = composer(weights)
        etas = np.array(
            [_eta(codes, k, totals[present[i]]) for i, (_, _, codes, k) in enumerate(measured)]
        )
        if etas.sum() <= 0 or np.any((etas <= 0) & (goal > 0)):
            return _failed(top, target_pairs, "a group explains none of the total's variance")
        achieved = etas / etas.sum()
        miss = float(np.abs(achieved - goal).max())
        if miss < best[0] * (1 - 1e-6):
            best, stalled = (miss, weights, achieved), 0
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


def _eta(codes: IntArray, k: int, totals: FloatArray) -> float:
    value = correlation_ratio(codes, k, totals)
    return 0.0 if isinstance(value, NotComputable) else math.sqrt(value)


def _failed(top: list[str], target: tuple[tuple[str, float], ...], reason: str) -> WeightSuggestion:
    missing = NotComputable(reason)
    pairs = tuple((g, missing) for g in top)
    return WeightSuggestion(pairs, pairs, target, 0, False, f"not computable, because {reason}")


def weight_factors(scores: Scores, top: list[str]) -> FloatArray:
    """K x N: each top-level group's weight for each company over its static weight (1
    unless the rubric weighs groups by their applicable points)."""
    columns = [scores.group_column(g) for g in top]
    static = scores.plan.group_weights[columns]
    with np.errstate(divide="ignore", invalid="ignore"):
        factors: FloatArray = scores.group_weights[:, columns].T / static[:, None]
    factors[~np.isfinite(factors)] = 1.0
    return factors


class _Recompose:
    """The total from the top-level group scores under other top-level weights, as the
    engine aggregates the root (`engine.aggregate`), plus the fixed adjustment offset."""

    def __init__(
        self,
        scores: FloatArray,
        present: BoolArray,
        rubric: Rubric,
        offset: FloatArray,
        factors: FloatArray | None = None,
    ) -> None:
        self.zero_policy = rubric.na_policy == "zero"
        counted = np.ones_like(present) if self.zero_policy else present
        filled = np.where(present, scores, 0.0)
        # K x N: a trial weight times each company's own factor (`weights:
        # applicable-points` weighs a group by its applicable points, as `aggregate` does).
        scaled = np.ones(present.shape) if factors is None else factors
        self.counted = counted * scaled
        self.filled = filled * scaled
        self.geometric = rubric.root.aggregation == "geometric"
        if self.geometric:
            positive = filled > 0
            self.logs = np.where(positive, np.log(np.where(positive, filled, 1.0)), 0.0)
            self.zero = counted & ~positive
        self.scale = rubric.scale
        self.offset = offset

    def __call__(self, weights: FloatArray) -> FloatArray:
        denominator = weights @ self.counted
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.geometric:
                root = np.exp((weights @ (self.logs * self.counted)) / denominator)
                root[((weights[:, None] > 0) & self.zero).any(axis=0)] = 0.0
            else:
                root = (weights @ self.filled) / denominator
        root = np.where(denominator > 0, root, 0.0)
        totals: FloatArray = root * self.scale + self.offset
        return totals
