"""Batched re-scoring: many weightings, aggregations and N/A policies over one level matrix.

`BatchScorer.totals` computes, for S rows of model inputs at once, the S x N totals that
`csrscore.engine.aggregate.aggregate` followed by the rubric's adjustments would give for
each row. No condition is evaluated per sample: the points, the applicability and the
adjustment effects are the ones `Scores` holds.

Drawn weights keep the nominal ones' zeros and stay positive elsewhere (`design`), so
which children count in a group (methodology §4; a child of weight 0 never does), whether a
group has a score at all, and whether a score is forced to 0 (a geometric group with a
zero child) depend on the company, the N/A policy and the aggregations, never on the
weights. They are worked out once per configuration. What remains per sample is arithmetic
on weights, done in one of two ways:

- **One product per applicability class** (every group arithmetic, or every group
  geometric): companies for which the same children count share every denominator, so a
  company's root score is Σ_c E_c f_c over the criteria, E_c being the product of the
  normalised weights on the path down to criterion c (in logs for geometric). E is
  S x Q x C for Q classes; the S x N x C multiply-adds are one BLAS product per class.
- **Group by group** (mixed aggregations, or too many classes): each group's numerator
  Σ w_i f_i and denominator Σ w_i [child counts] are matrix products of the S x k weight
  rows with k x N inputs: a few passes over an S x N array per group.

Neither loops over companies in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from csrscore.compile.plan import GroupPlan, Plan
from csrscore.engine.columns import BoolArray, FloatArray, IntArray
from csrscore.engine.scores import Scores
from csrscore.precision import DEFAULT_ROUNDING, Rounding
from csrscore.rubric.model import Aggregation, NaPolicy
from csrscore.sensitivity.design import Draws

RankArray = NDArray[np.int32]

# Working-array budgets, in float64 elements: an S x N array of the group-by-group path,
# and the S x Q x C effective weights of the one-product path (about 4 and 32 MB).
GROUP_PATH_ELEMENTS = 1 << 19
SHARE_ELEMENTS = 1 << 22
# The effective weights of the samples of A kept for the other matrices of the design
# (`Shares`), in float64 elements: 64 MB at most; beyond it they are computed again.
KEPT_SHARE_ELEMENTS = 1 << 23

_OTHER_AGGREGATION: dict[Aggregation, Aggregation] = {
    "arithmetic": "geometric",
    "geometric": "arithmetic",
}
_OTHER_POLICY: dict[NaPolicy, NaPolicy] = {"exclude": "zero", "zero": "exclude"}


@dataclass(frozen=True)
class Piece:
    """Rows of a batch of draws, all of one configuration, scored in one product."""

    switch_aggregation: bool
    switch_policy: bool
    rows: IntArray


@dataclass
class Shares:
    """The effective weights of each piece of one matrix's products, kept to score another
    matrix that differs only in the weights of one group's children (A_B^(i) of the
    Saltelli design against A): below that group the shares change, everywhere else they
    are the same numbers, which are copied instead of computed again. None for a piece
    that was not kept (the group-by-group path, or over `KEPT_SHARE_ELEMENTS`)."""

    pieces: list[tuple[IntArray, FloatArray, FloatArray] | None] = field(default_factory=list)
    elements: int = 0


@dataclass(frozen=True)
class _Configuration:
    """What one (aggregations, N/A policy) fixes per company."""

    aggregations: tuple[Aggregation, ...]
    policy: NaPolicy
    valid: BoolArray  # N x G: the group has a score (under `exclude`: it counts)
    keep: FloatArray  # G x N: 1 where the group has a score that is not forced to 0


@dataclass(frozen=True)
class _Classes:
    """Companies grouped by which children count for them, under one N/A policy."""

    children: tuple[FloatArray, ...]  # per group, Q x k: 1 where the child counts
    blocks: tuple[tuple[slice, int], ...]  # runs of output columns, and their class
    linear: tuple[FloatArray, ...]  # per block, C x n_block fractions
    count: int
    logs: list[FloatArray] = field(default_factory=list)  # per block, filled by `prepare`

    def inputs(self, geometric: bool) -> Sequence[FloatArray]:
        if not geometric:
            return self.linear
        if not self.logs:
            self.logs.extend(_logs(linear) for linear in self.linear)
        return self.logs


class BatchScorer:
    """Re-scores a `Scores`'s level matrix under many model inputs at once.

    Output columns are the distinct companies (equal points, applicability, adjustments
    and ranking group), each standing for `counts` companies; `order` gives the company
    each column is taken from and `columns` each company's column. Columns run by ranking
    group (`groups`, e.g. each company's year; `segments` are the groups' column slices),
    then by which children count, so that companies sharing an applicability pattern sit
    together.
    `max_classes` bounds the column runs the one-product path takes on (default: 64, or
    one per 64 companies); beyond it, groups are computed one by one.
    """

    def __init__(
        self,
        scores: Scores,
        groups: Sequence[object] | None = None,
        *,
        max_classes: int | None = None,
    ) -> None:
        plan = scores.plan
        self.plan = plan
        self.scale = float(plan.rubric.scale)
        segment = _codes(groups, len(scores))
        nominal = _validity(plan, scores.applicable, scores.group_applicable, plan.rubric.na_policy)
        pattern = _class_codes(scores.applicable, nominal, plan.rubric.na_policy)
        cap = _cap_limits(scores)
        point_columns = [i for i, a in enumerate(plan.rubric.adjustments) if a.kind != "cap"]
        offset = scores.adjustments[:, point_columns].sum(axis=1)
        # Companies with the same inputs get the same total in every sample: each is scored
        # and ranked once, and counted as many times as it occurs.
        distinct, which = _distinct_rows(
            segment[:, None],
            np.where(scores.applicable, scores.points, 0.0),
            scores.applicable,
            scores.group_applicable,
            offset[:, None],
            cap[:, None],
            scores.totals[:, None],
        )
        working = np.lexsort((pattern[distinct], segment[distinct]))
        order = distinct[working]
        n = len(order)
        self.n = n
        self.order: IntArray = order
        position = np.empty(n, dtype=np.int64)
        position[working] = np.arange(n)
        self.columns: IntArray = position[which]
        self.counts: IntArray = np.bincount(self.columns, minlength=n)
        starts = np.flatnonzero(np.r_[True, segment[order][1:] != segment[order][:-1]])
        bounds = [*map(int, starts), n] if n else []
        self.segments = tuple(slice(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1))
        self._applicable = scores.applicable[order]
        self._group_applicable = scores.group_applicable[order]
        self._fractions = np.where(
            self._applicable, scores.points[order] / plan.max_points[None, :], 0.0
        )
        self._max_classes = max(64, n // 64) if max_classes is None else max_classes
        self._weight_ratio = _applicable_ratio(plan, self._applicable)
        self._configurations: dict[tuple[bool, bool], _Configuration] = {}
        self._classes: dict[NaPolicy, _Classes | None] = {}
        self._group_inputs: dict[tuple[str, bool], tuple[FloatArray, ...]] = {}
        self._offset = offset[order]
        self._cap = cap[order]
        self._has_cap = bool(np.isfinite(self._cap).any())

    def prepare(self, *, switch_aggregation: bool, switch_policy: bool) -> None:
        """Build what the configurations in use need, before threads share this scorer."""
        for aggregation_switched in {False, switch_aggregation}:
            for policy_switched in {False, switch_policy}:
                configuration = self._configuration(aggregation_switched, policy_switched)
                classes = self._linear_classes(configuration)
                if classes is not None:
                    classes.inputs("geometric" in configuration.aggregations)
                else:
                    self._denominators(configuration)
                    for geometric in set(configuration.aggregations):
                        self._numerators(geometric == "geometric")

    # --- what each configuration fixes ---------------------------------------------------

    def _configuration(self, switch_aggregation: bool, switch_policy: bool) -> _Configuration:
        key = (switch_aggregation, switch_policy)
        found = self._configurations.get(key)
        if found is not None:
            return found
        plan = self.plan
        aggregations = tuple(
            _OTHER_AGGREGATION[g.aggregation] if switch_aggregation else g.aggregation
            for g in plan.groups
        )
        policy = _OTHER_POLICY[plan.rubric.na_policy] if switch_policy else plan.rubric.na_policy
        valid = _validity(plan, self._applicable, self._group_applicable, policy)
        zero = np.zeros_like(valid)
        fraction_zero = self._fractions <= 0.0
        for g, group_plan in enumerate(plan.groups):
            crit, sub = group_plan.criterion_children, group_plan.group_children
            counts = _child_counts(plan, group_plan, self._applicable, valid, policy)
            child_zero = np.concatenate([fraction_zero[:, crit], zero[:, sub] | ~valid[:, sub]], 1)
            if aggregations[g] == "geometric":
                forced = (counts & child_zero).any(axis=1)
            else:
                forced = ~(counts & ~child_zero).any(axis=1)
            zero[:, g] = valid[:, g] & forced
        keep = np.ascontiguousarray((valid & ~zero).T, dtype=np.float64)
        found = _Configuration(aggregations, policy, valid, keep)
        self._configurations[key] = found
        return found

    def _linear_classes(self, configuration: _Configuration) -> _Classes | None:
        """The classes of the one-product path, or None when it does not apply."""
        if len(set(configuration.aggregations)) > 1 or self._ratio(configuration) is not None:
            return None
        policy = configuration.policy
        if policy in self._classes:
            return self._classes[policy]
        n, valid = self.n, configuration.valid
        codes = _class_codes(self._applicable, valid, policy)
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if n else np.zeros(0)
        found: _Classes | None = None
        if len(starts) <= self._max_classes:
            first = np.unique(codes, return_index=True)[1]
            bounds = [*map(int, starts), n]
            blocks = tuple(
                (slice(bounds[k], bounds[k + 1]), int(codes[bounds[k]]))
                for k in range(len(bounds) - 1)
            )
            children = tuple(
                _child_counts(self.plan, g, self._applicable[first], valid[first], policy).astype(
                    float
                )
                for g in self.plan.groups
            )
            linear = tuple(np.ascontiguousarray(self._fractions[block].T) for block, _ in blocks)
            found = _Classes(children, blocks, linear, len(first))
        self._classes[policy] = found
        return found

    def _denominators(self, configuration: _Configuration) -> tuple[FloatArray, ...]:
        """Per group, (k + 1) x N: whether each child counts, then 1 where the group has
        no score. That extra row keeps the denominator positive where every child is N/A
        or does not count; the numerator is 0 there, so the score comes out 0, not NaN."""
        key = (configuration.policy, False)
        found = self._group_inputs.get(key)
        if found is None:
            valid, policy = configuration.valid, configuration.policy
            found = tuple(
                np.ascontiguousarray(
                    np.concatenate(
                        [
                            _child_counts(self.plan, group_plan, self._applicable, valid, policy),
                            ~valid[:, g : g + 1],
                        ],
                        axis=1,
                    ).T,
                    dtype=np.float64,
                )
                for g, group_plan in enumerate(self.plan.groups)
            )
            ratio = self._ratio(configuration)
            if ratio is not None:
                for denominator, group_plan in zip(found, self.plan.groups, strict=True):
                    first = len(group_plan.criterion_children)
                    denominator[first:-1] *= ratio[group_plan.group_children]
            self._group_inputs[key] = found
        return found

    def _ratio(self, configuration: _Configuration) -> FloatArray | None:
        """G x N: each group's weight over its static weight, where `weights:
        applicable-points` makes it vary by company (under the exclude policy only)."""
        return self._weight_ratio if configuration.policy == "exclude" else None

    def _numerators(self, geometric: bool) -> tuple[FloatArray, ...]:
        """Per group, k_criteria x N fractions (their logs for a geometric group)."""
        key = ("log" if geometric else "linear", True)
        found = self._group_inputs.get(key)
        if found is None:
            linear = tuple(
                np.ascontiguousarray(self._fractions[:, g.criterion_children].T)
                for g in self.plan.groups
            )
            found = tuple(_logs(x) for x in linear) if geometric else linear
            self._group_inputs[key] = found
        return found

    # --- scoring -----------------------------------------------------------------------

    def totals(
        self,
        draws: Draws,
        out: FloatArray | None = None,
        *,
        keep: Shares | None = None,
        known: tuple[Shares, int] | None = None,
    ) -> FloatArray:
        """S x N totals: base, the adjustments' point effects, then caps, then the clamp.

        Point adjustments do not depend on the weights, so their summed effect is added as
        it is. Caps do (a base can rise above a cap), so the lowest cap that applies to a
        company is re-applied to each sample, and so is the clamp to [0, scale].

        `keep` collects the effective weights of these draws; `known` = (shares, g) gives
        those of draws that differ from these only in the weights of group g's children.
        """
        s = len(draws)
        result = np.empty((s, self.n)) if out is None else out
        pieces = self.pieces(draws)
        # Every row of one configuration: each piece is a run of rows, written in place.
        whole = len({(p.switch_aggregation, p.switch_policy) for p in pieces}) == 1
        for k, piece in enumerate(pieces):
            rows = piece.rows
            start = None if known is None else self._known_shares(known, k, rows)
            target = result[int(rows[0]) : int(rows[-1]) + 1] if whole else None
            found = np.empty((len(rows), self.n)) if target is None else target
            shares = self._base(draws.take(rows), *self._inputs_of(piece), found, start)
            if target is None:
                result[rows] = found
            if keep is not None:
                size = 0 if shares is None else shares[0].size + shares[1].size
                kept = shares is not None and keep.elements + size <= KEPT_SHARE_ELEMENTS
                keep.pieces.append((rows, *shares) if kept and shares is not None else None)
                keep.elements += size if kept else 0
        self.finish(result)
        return result

    def _inputs_of(self, piece: Piece) -> tuple[_Configuration, _Classes | None]:
        configuration = self._configuration(piece.switch_aggregation, piece.switch_policy)
        return configuration, self._linear_classes(configuration)

    def _known_shares(
        self, known: tuple[Shares, int], k: int, rows: IntArray
    ) -> tuple[FloatArray, FloatArray, list[int]] | None:
        """Piece k's kept shares and the groups whose shares must be computed again: the
        changed group and every group below it, parents first. None when nothing was kept
        for the same rows."""
        shares, changed = known
        entry = shares.pieces[k] if k < len(shares.pieces) else None
        if entry is None or not np.array_equal(entry[0], rows):
            return None
        below = [changed]
        for g in below:  # breadth first: each group after its parent
            below.extend(int(child) for child in self.plan.groups[g].group_children)
        # The plan numbers groups in post-order (children before their parent), so in
        # descending order every parent comes before its children.
        return entry[1], entry[2], sorted(below, reverse=True)

    def pieces(self, draws: Draws) -> list[Piece]:
        """How `totals` splits the rows of `draws` into matrix products: by configuration,
        then in runs that keep each product's working arrays within their budget.

        BLAS may sum a product's terms in another order for another number of rows, so a
        total is the same bits only when its row is computed in the same piece: a Dask run
        (`csrscore.dask_sensitivity`) hands these same pieces to its workers.
        """
        pieces = []
        for switch_aggregation in (False, True):
            for switch_policy in (False, True):
                selected = np.flatnonzero(
                    (draws.switch_aggregation == switch_aggregation)
                    & (draws.switch_na_policy == switch_policy)
                )
                if len(selected) == 0:
                    continue
                configuration = self._configuration(switch_aggregation, switch_policy)
                classes = self._linear_classes(configuration)
                if classes is not None:
                    step = max(1, SHARE_ELEMENTS // max(1, classes.count * len(self.plan.criteria)))
                else:
                    step = max(1, GROUP_PATH_ELEMENTS // max(1, self.n))
                pieces += [
                    Piece(switch_aggregation, switch_policy, selected[start : start + step])
                    for start in range(0, len(selected), step)
                ]
        return pieces

    def base(self, draws: Draws, piece: Piece, out: FloatArray) -> None:
        """The base totals of one piece's rows (`draws`, in the piece's order) into `out`."""
        self._base(draws, *self._inputs_of(piece), out)

    def finish(self, result: FloatArray) -> None:
        """Base totals to totals, in place: row by row, company by company."""
        result += self._offset
        if self._has_cap:
            np.minimum(result, self._cap, out=result)
        np.clip(result, 0.0, self.scale, out=result)

    def _base(
        self,
        draws: Draws,
        configuration: _Configuration,
        classes: _Classes | None,
        out: FloatArray,
        start: tuple[FloatArray, FloatArray, list[int]] | None = None,
    ) -> tuple[FloatArray, FloatArray] | None:
        """Root fraction × scale into `out` (S x N), for rows of one configuration; the
        effective weights of the one-product path (group, criterion), else None."""
        root = self.plan.root_index
        shares = None
        if classes is not None:
            shares = self._linear_base(draws, configuration, classes, out, start)
        else:
            out[...] = self._group_base(draws, configuration)
        if configuration.aggregations[root] == "geometric":
            np.exp(out, out=out)
            out *= configuration.keep[root]
        out *= self.scale
        return shares

    def _linear_base(
        self,
        draws: Draws,
        configuration: _Configuration,
        classes: _Classes,
        out: FloatArray,
        start: tuple[FloatArray, FloatArray, list[int]] | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        plan = self.plan
        s = len(draws)
        if start is None:
            group_share = np.zeros((s, classes.count, len(plan.groups)))
            criterion_share = np.zeros((s, classes.count, len(plan.criteria)))
            group_share[:, :, plan.root_index] = 1.0
            # Parents before children: the reverse of the plan's post-order.
            order: Sequence[int] = range(len(plan.groups) - 1, -1, -1)
        else:
            group_share, criterion_share = start[0].copy(), start[1].copy()
            order = start[2]
        for g in order:
            crit, sub = plan.groups[g].criterion_children, plan.groups[g].group_children
            weights = np.concatenate(
                [draws.criterion_weights[:, crit], draws.group_weights[:, sub]], axis=1
            )
            counts = classes.children[g]
            denominator = weights @ counts.T
            # No child counts: the group has no score, and its share reaches nothing.
            denominator[denominator == 0.0] = 1.0
            parent = group_share[:, :, g] / denominator
            shares = parent[:, :, None] * (weights[:, None, :] * counts[None, :, :])
            criterion_share[:, :, crit] = shares[:, :, : len(crit)]
            group_share[:, :, sub] = shares[:, :, len(crit) :]
        geometric = configuration.aggregations[plan.root_index] == "geometric"
        inputs = classes.inputs(geometric)
        for (block, klass), block_inputs in zip(classes.blocks, inputs, strict=True):
            np.matmul(criterion_share[:, klass, :], block_inputs, out=out[:, block])
        return group_share, criterion_share

    def _group_base(self, draws: Draws, configuration: _Configuration) -> FloatArray:
        """Each group's score (its log for a geometric group) in turn, children first."""
        aggregations = configuration.aggregations
        denominators = self._denominators(configuration)
        ratio = self._ratio(configuration)
        ones = np.ones((len(draws), 1))
        values: dict[int, FloatArray] = {}
        for g, group_plan in enumerate(self.plan.groups):
            geometric = aggregations[g] == "geometric"
            crit, sub = group_plan.criterion_children, group_plan.group_children
            criterion_weights = draws.criterion_weights[:, crit]
            group_weights = draws.group_weights[:, sub]
            weights = np.concatenate([criterion_weights, group_weights, ones], axis=1)
            denominator = weights @ denominators[g]
            numerator: FloatArray | None = None
            if len(crit):
                numerator = criterion_weights @ self._numerators(geometric)[g]
            for position, child in enumerate(sub):
                term = values.pop(int(child))
                child_geometric = aggregations[child] == "geometric"
                if child_geometric and not geometric:
                    np.exp(term, out=term)
                    term *= configuration.keep[child]
                elif geometric and not child_geometric:
                    # A zero child forces this group to 0 (its `keep`); log(0) is skipped.
                    np.log(term, out=term, where=term > 0.0)
                term *= group_weights[:, position, None]
                if ratio is not None:
                    term *= ratio[child]
                if numerator is None:
                    numerator = term
                else:
                    numerator += term
            assert numerator is not None, "every group has a child"
            numerator /= denominator
            values[g] = numerator
        return values[self.plan.root_index]


def _logs(fractions: FloatArray) -> FloatArray:
    """log f where f > 0, else 0: a zero fraction forces a geometric score to 0, which the
    configuration's `keep` applies, so its log is never needed."""
    logs = np.zeros_like(fractions)
    np.log(fractions, out=logs, where=fractions > 0.0)
    return logs


def _codes(keys: Sequence[object] | None, n: int) -> IntArray:
    if keys is None:
        return np.zeros(n, dtype=np.int64)
    codes: dict[object, int] = {}
    return np.array([codes.setdefault(key, len(codes)) for key in keys], dtype=np.int64)


def _distinct_rows(*parts: NDArray[Any]) -> tuple[IntArray, IntArray]:
    """The first row of each distinct row of the parts side by side, and each row's number
    among them. Rows compare bit for bit.

    Each row is hashed (its 64-bit words times random odd multipliers, summed with
    wraparound), rows are grouped by hash, and each group is checked against its first
    row; only a hash collision, which the check catches, falls back to comparing the rows
    themselves as bytes.
    """
    words = [_as_words(part) for part in parts]
    n = len(words[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    hashes = np.zeros(n, dtype=np.uint64)
    for position, part in enumerate(words):
        hashes *= np.uint64(0x9E3779B97F4A7C15)
        hashes += (part * _multipliers(position, part.shape[1])).sum(axis=1, dtype=np.uint64)
    _, first, which = np.unique(hashes, return_index=True, return_inverse=True)
    which = which.reshape(-1)
    if all(bool((part == part[first[which]]).all()) for part in words):
        return first.astype(np.int64), which.astype(np.int64)
    rows = np.ascontiguousarray(np.concatenate(words, axis=1))
    as_bytes = rows.view(np.dtype((np.void, rows.shape[1] * rows.itemsize))).ravel()
    _, first, which = np.unique(as_bytes, return_index=True, return_inverse=True)
    return first.astype(np.int64), which.reshape(-1).astype(np.int64)


def _multipliers(position: int, count: int) -> NDArray[np.uint64]:
    """Odd 64-bit multipliers of one part's words, the same in every run."""
    rng = np.random.default_rng(position)
    multipliers: NDArray[np.uint64] = rng.integers(0, 1 << 63, size=count, dtype=np.uint64)
    multipliers <<= np.uint64(1)
    multipliers |= np.uint64(1)
    return multipliers


def _as_words(part: NDArray[Any]) -> NDArray[np.uint64]:
    """A 2-D array as unsigned 64-bit words: floats by their bits, others by value."""
    if part.dtype == np.float64:
        bits = np.ascontiguousarray(part).view(np.uint64)
        # Short floats (1.0, 0.25) differ only in their top bits, which a product with a
        # multiplier would keep at the top: fold them down so every bit takes part.
        folded: NDArray[np.uint64] = bits ^ (bits >> np.uint64(32))
        return folded
    words: NDArray[np.uint64] = part.astype(np.uint64)
    return words


def _validity(
    plan: Plan, applicable: BoolArray, group_applicable: BoolArray, policy: NaPolicy
) -> BoolArray:
    """N x G: the group has a score (methodology §4; under `exclude`: it counts)."""
    valid = np.zeros(group_applicable.shape, dtype=bool)
    for g, group_plan in enumerate(plan.groups):
        counts = _child_counts(plan, group_plan, applicable, valid, policy)
        valid[:, g] = group_applicable[:, g] & counts.any(axis=1)
    return valid


def _applicable_ratio(plan: Plan, applicable: BoolArray) -> FloatArray | None:
    """G x N: applicable maximum over static maximum for the groups that `weights:
    applicable-points` weighs by it, 1 for the others; None when the rubric has none.
    A drawn weight scales the company's applicable maximum, as in `aggregate`."""
    if plan.applicable_weights is None:
        return None
    maxima = np.zeros((len(plan.groups), len(applicable)))
    for g, group_plan in enumerate(plan.groups):  # post-order: sub-groups first
        crit = group_plan.criterion_children
        maxima[g] = applicable[:, crit] @ plan.max_points[crit]
        for sub in group_plan.group_children.tolist():
            maxima[g] += maxima[sub]
    ratio = maxima / plan.group_weights[:, None]
    ratio[~plan.applicable_weights] = 1.0
    return ratio


def _child_counts(
    plan: Plan, group_plan: GroupPlan, applicable: BoolArray, valid: BoolArray, policy: NaPolicy
) -> BoolArray:
    """N x k: which children of a group take part in it (criteria, then sub-groups).

    A child of weight 0 never does: it adds nothing to the sums, so a group whose counting
    children all weigh 0 has no score, as in the engine (methodology §4), rather than 0/0.
    Drawn weights keep the nominal zeros (`design`), so this holds in every sample.
    """
    crit, sub = group_plan.criterion_children, group_plan.group_children
    weighed = np.concatenate([plan.criterion_weights[crit] > 0.0, plan.group_weights[sub] > 0.0])
    if policy == "zero":
        return np.repeat(weighed[None, :], len(applicable), axis=0)
    counts = np.concatenate([applicable[:, crit], valid[:, sub]], axis=1)
    if not weighed.all():
        counts &= weighed
    return counts


def _class_codes(applicable: BoolArray, valid: BoolArray, policy: NaPolicy) -> IntArray:
    """Equal codes for companies for which the same children count (all alike: `zero`)."""
    if policy == "zero":
        return np.zeros(len(applicable), dtype=np.int64)
    return _row_codes(np.concatenate([applicable, valid], axis=1))


def _row_codes(bits: BoolArray) -> IntArray:
    """Equal rows get equal codes: rows packed into 64-bit words, sorted, numbered."""
    n = len(bits)
    packed = np.packbits(bits, axis=1)
    padded = np.zeros((n, max(8, -(-packed.shape[1] // 8) * 8)), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    words = padded.view(np.uint64)
    order = np.lexsort(words.T[::-1])
    ordered = words[order]
    new = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)] if n else np.zeros(0, bool)
    codes = np.empty(n, dtype=np.int64)
    codes[order] = np.cumsum(new) - 1
    return codes


def _cap_limits(scores: Scores) -> FloatArray:
    """Per company, the lowest cap that applies to it (+inf where none does).

    Caps run after every point adjustment, one after the other, each lowering the running
    total to its cap; together they lower it to the lowest cap that applies. Which caps
    apply depends on the report, not the weights, and the engine already evaluated each
    cap's condition for every company.
    """
    limit = np.full(len(scores), np.inf)
    for cap in scores.rubric.adjustments:
        if cap.kind != "cap" or cap.cap is None:
            continue
        if cap.when is None:
            limit = np.minimum(limit, cap.cap)
        else:
            applies = scores.condition_results[cap.when]
            limit = np.where(applies, np.minimum(limit, cap.cap), limit)
    return limit


# --- ranks ---------------------------------------------------------------------------------


def competition_ranks(
    totals: FloatArray,
    segments: Sequence[slice],
    rounding: Rounding = DEFAULT_ROUNDING,
    counts: IntArray | None = None,
) -> RankArray:
    """S x N competition ranks (1 = best) within each column segment, row by row; column j
    stands for `counts[j]` tied companies (default 1), and a rank counts them all.

    Totals compare by the tie keys of `rounding` (the rubric's rule), exactly as
    `rank_totals` does: whole units of the last compared place. Each such integer and its
    column are packed into one int64, so that a plain (SIMD) sort of each row also gives
    the order; `argsort` is the fallback when they do not fit.
    """
    ranks = np.empty(totals.shape, dtype=np.int32)
    keys = rounding.tie_keys(totals)
    for segment in segments:
        ranks[:, segment] = _ranks_descending(
            keys[:, segment], None if counts is None else counts[segment]
        )
    return ranks


def _ranks_descending(keys: FloatArray, counts: IntArray | None) -> RankArray:
    s, n = keys.shape
    if n == 0 or s == 0:
        return np.empty((s, n), dtype=np.int32)
    top = float(keys.max())
    span = int(top - float(keys.min()))
    position_bits = max(1, (n - 1).bit_length())
    ordered_keys: NDArray[np.int64] | FloatArray
    if span.bit_length() + position_bits <= 62:
        packed = (top - keys).astype(np.int64)
        packed <<= position_bits
        packed |= np.arange(n, dtype=np.int64)
        packed.sort(axis=1)
        order = packed & ((1 << position_bits) - 1)
        packed >>= position_bits
        ordered_keys = packed
    else:
        order = np.argsort(-keys, axis=1, kind="stable").astype(np.int64)
        ordered_keys = np.take_along_axis(keys, order, axis=1)
    new_value = np.empty((s, n), dtype=bool)
    new_value[:, 0] = True
    np.not_equal(ordered_keys[:, 1:], ordered_keys[:, :-1], out=new_value[:, 1:])
    if counts is None or bool((counts == 1).all()):
        start = np.where(new_value, np.arange(1, n + 1, dtype=np.int32), np.int32(0))
    else:
        # One more than the companies placed before: the running count, less one's own.
        placed = counts.astype(np.int32)[order]
        before = np.cumsum(placed, axis=1, dtype=np.int32)
        before -= placed
        before += 1
        start = np.where(new_value, before, np.int32(0))
    np.maximum.accumulate(start, axis=1, out=start)
    # A flat scatter: several times faster than put_along_axis.
    order += (np.arange(s, dtype=np.int64) * n)[:, None]
    ranks = np.empty((s, n), dtype=np.int32)
    ranks.reshape(-1)[order.reshape(-1)] = start.reshape(-1)
    return ranks
