"""Points -> group scores -> base total. Pure arithmetic; no condition is evaluated here.

Sensitivity analysis calls `aggregate` many times with other weights, aggregations or N/A
policies over the same points and applicability arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from csrscore.compile.plan import GroupPlan, Plan
from csrscore.engine.applicable import applicable_maxima, uses_applicable_weights
from csrscore.engine.bundles import Bundle, BundleIndex, bundle_table, bundles
from csrscore.engine.columns import BoolArray, FloatArray
from csrscore.engine.points import Points
from csrscore.rubric.model import Aggregation, NaPolicy

# Rows per block. Criterion points are looked up from int8 levels, so a block reads little
# memory and the fixed cost of each numpy call matters more: at 1M x 250, with bundled
# lookups, user CPU (least and median of 5 interleaved runs) was 0.34-0.35 / 0.35-0.38 s
# at 128k, 0.32 / 0.36 s at 256k, 0.37-0.38 / 0.40-0.42 s at 64k and 0.44 / 0.47 s at 32k.
BLOCK_ROWS = 131_072


@dataclass(frozen=True)
class Aggregated:
    group_scores: FloatArray  # N x G fractions in [0, 1]; NaN where the group is N/A
    base: FloatArray  # N; root fraction x scale, before adjustments
    # N x G: each group's weight in its parent per company, where it varies (`weights:
    # applicable-points`); None when every company has the plan's group weights.
    group_weights: FloatArray | None = None


def aggregate(
    plan: Plan,
    points: Points | FloatArray,
    applicable: BoolArray | None,
    group_applicable: BoolArray,
    *,
    na_policy: NaPolicy | None = None,
    criterion_weights: FloatArray | None = None,
    group_weights: FloatArray | None = None,
    aggregations: Sequence[Aggregation] | None = None,
) -> Aggregated:
    """Group scores and base totals from (companies x criteria) points and applicability.

    `points` is the engine's `Points` (looked up from the levels a block at a time) or a
    companies x criteria matrix. `applicable` (companies x criteria) may be None with
    `Points`, whose levels are -1 exactly where a criterion is N/A.

    The work runs criterion-major: each child of a group is one row of values, added into
    running sums, so no (companies x children) block is ever gathered. The inputs from
    `evaluate_levels` are transposed views of criterion-major arrays, so `.T` is free.
    Rows are taken in blocks, so the running sums stay in cache while the children stream
    past them.

    Under `weights: applicable-points` (and the exclude policy) a group without an explicit
    weight weighs its applicable maximum per company; `group_weights` then scales it
    (`_override_factors`).
    """
    policy = na_policy or plan.rubric.na_policy
    c_weights = plan.criterion_weights if criterion_weights is None else criterion_weights
    g_weights = plan.group_weights if group_weights is None else group_weights
    kinds = [
        group_plan.aggregation if aggregations is None else aggregations[g]
        for g, group_plan in enumerate(plan.groups)
    ]
    n = points.shape[0]
    # Every cell is written below, block by block, before anything reads it.
    scores = np.empty((len(plan.groups), n))
    # Whether each group counts in its parent, for one block: only that block reads it.
    counted_block = np.empty((len(plan.groups), min(n, BLOCK_ROWS)), dtype=bool)
    sums = _Sums(min(n, BLOCK_ROWS))
    criteria = _Criteria(plan, points, applicable, c_weights, min(n, BLOCK_ROWS))
    # An arithmetic group sums its criteria's points a bundle at a time; a geometric one
    # takes each criterion's log on its own.
    summed = [
        None if kind == "geometric" else bundles(plan, group_plan.criterion_children.tolist())
        for kind, group_plan in zip(kinds, plan.groups, strict=True)
    ]
    dynamic = uses_applicable_weights(plan, policy)
    weights = None if dynamic is None else np.empty((len(plan.groups), n))
    factors = None if group_weights is None else _override_factors(plan, g_weights)
    for start in range(0, n, BLOCK_ROWS):
        rows = slice(start, min(n, start + BLOCK_ROWS))
        block = sums.cut(rows.stop - rows.start)
        counted = counted_block[:, : rows.stop - rows.start]
        block_weights = None
        if weights is not None and dynamic is not None:
            block_weights = weights[:, rows]
            applicable_maxima(
                plan,
                criteria.always,
                lambda c, scratch: criteria.counts_of(c, rows, scratch),  # noqa: B023
                block.counts,
                block_weights,
            )
            if factors is not None:
                block_weights *= factors[:, None]
            np.copyto(block_weights, g_weights[:, None], where=~dynamic[:, None])
        for g, group_plan in enumerate(plan.groups):
            _group(
                group_plan,
                summed[g],
                policy,
                criteria,
                g_weights if block_weights is None else block_weights,
                rows,
                scores[:, rows],
                counted,
                block,
                scores[g, rows],
            )
            # Scored where the group applies and has weight; elsewhere 0 under the zero
            # policy and N/A (NaN) otherwise. Rows are filled in only where some are not
            # scored: a masked copy costs many times the division that wrote the scores.
            scored = block.scored if policy == "zero" else counted[g]
            np.logical_and(group_applicable[rows, g], block.has_weight, out=scored)
            if policy == "zero":
                counted[g].fill(True)
            if not scored.all():
                np.copyto(scores[g, rows], 0.0 if policy == "zero" else np.nan, where=~scored)
    root = np.nan_to_num(scores[plan.root_index], nan=0.0)
    return Aggregated(scores.T, root * plan.rubric.scale, None if weights is None else weights.T)


def _override_factors(plan: Plan, group_weights: FloatArray) -> FloatArray:
    """Under `weights: applicable-points`, a weight given for a group that weighs its
    applicable maximum scales that maximum by weight / static maximum, so that sensitivity
    analysis perturbs it as it perturbs any other weight."""
    with np.errstate(divide="ignore", invalid="ignore"):  # explicit weights are not read
        factors: FloatArray = group_weights / plan.group_weights
    return factors


class _Criteria:
    """Per-criterion inputs of the sums: weights, applicability and points by block."""

    def __init__(
        self,
        plan: Plan,
        points: Points | FloatArray,
        applicable: BoolArray | None,
        weights: FloatArray,
        block_rows: int,
    ) -> None:
        self.max_points = plan.max_points
        self.weights: list[float] = weights.tolist()  # read one at a time, as floats
        # What one point of each criterion adds to a group's numerator (arithmetic mean).
        self.factors = weights / plan.max_points
        # Criterion-major, like the engine's arrays; None to read N/A off the levels.
        self.counts = None if applicable is None else applicable.T
        # Criteria counted for every company add their weight to the denominator as a
        # scalar, with no pass over their mask (`_Denominator`).
        if self.counts is not None:
            self.always = self.counts.all(axis=1).tolist()
        elif isinstance(points, Points):
            self.always = (points.levels.min(axis=1, initial=0) >= 0).tolist()
        else:
            raise TypeError("aggregate needs `applicable` with a points matrix")
        self.points = points
        # A ladder criterion's points times its factor, looked up in one step: the table
        # entries are multiplied by the same factor, so the products are identical.
        self.scaled_tables = (
            points.table * self.factors[:, None] if isinstance(points, Points) else None
        )
        # For geometric means: each level's log fraction (0 where the fraction is 0, as
        # `_add_log` takes it) and whether it is positive, looked up instead of computing
        # a logarithm per company.
        self.log_tables: tuple[FloatArray, BoolArray] | None = None
        if isinstance(points, Points):
            with np.errstate(divide="ignore", invalid="ignore"):  # 0 / 0 is not positive
                fractions = points.table / plan.max_points[:, None]
            positive = fractions > 0
            self.log_tables = np.log(np.where(positive, fractions, 1.0)), positive
        self.bundle_tables: dict[tuple[int, ...], FloatArray] = {}
        self.bundle_index = BundleIndex(block_rows)

    def counts_of(self, c: int, rows: slice, out: BoolArray) -> BoolArray:
        """Whether criterion `c` counts (is applicable) for a block (possibly into `out`)."""
        if self.counts is not None:
            given: BoolArray = self.counts[c, rows]
            return given
        assert isinstance(self.points, Points)
        counts: BoolArray = np.greater_equal(self.points.levels[c, rows], 0, out=out)
        return counts

    def points_of(self, c: int, rows: slice, out: FloatArray) -> FloatArray:
        """Criterion `c`'s points for a block (possibly written into `out`)."""
        if isinstance(self.points, Points):
            return self.points.row(c, rows, out)
        row: FloatArray = self.points.T[c, rows]
        return row

    def log_fraction(self, c: int, rows: slice, out: FloatArray, positive: BoolArray) -> bool:
        """A ladder criterion's log fractions and positivity for a block into `out` and
        `positive`; False (nothing written) where they must be computed from the points."""
        points, tables = self.points, self.log_tables
        if not isinstance(points, Points) or tables is None or c in points.continuous:
            return False
        points.lookup(c, rows, tables[0][c], out)
        points.lookup(c, rows, tables[1][c], positive)
        return True

    def scaled(self, c: int, rows: slice, out: FloatArray) -> FloatArray:
        """Criterion `c`'s points times its factor for a block, into `out`."""
        points = self.points
        tables = self.scaled_tables
        if isinstance(points, Points) and tables is not None and c not in points.continuous:
            return points.row(c, rows, out, tables[c])
        scaled: FloatArray = np.multiply(self.points_of(c, rows, out), self.factors[c], out=out)
        return scaled

    def add_bundle(self, bundle: Bundle, rows: slice, numerator: FloatArray, sums: _Sums) -> None:
        """A bundle's points times their factors, added into `numerator` for a block."""
        first, *rest = bundle.criteria
        if not rest:
            np.add(numerator, self.scaled(first, rows, sums.product), out=numerator)
            return
        points = self.points
        if isinstance(points, Points) and self.scaled_tables is not None:
            table = self.bundle_tables.get(bundle.criteria)
            if table is None:
                table = self.bundle_tables[bundle.criteria] = bundle_table(
                    bundle, self.scaled_tables
                )
            index = self.bundle_index(bundle, points.levels, rows)
            np.take(table, index, out=sums.product, mode="clip")
            np.add(numerator, sums.product, out=numerator)
            return
        # A points matrix: the same sums, in the same order, as the bundle's table holds.
        total = np.multiply(
            self.points_of(first, rows, sums.product), self.factors[first], out=sums.product
        )
        for c in rest:
            term = np.multiply(self.points_of(c, rows, sums.child), self.factors[c], out=sums.child)
            np.add(total, term, out=total)
        np.add(numerator, total, out=numerator)


class _Sums:
    """One group's running sums over a block of rows, reused by every group and block."""

    def __init__(self, rows: int) -> None:
        self.numerator = np.empty(rows)
        self.denominator = np.empty(rows)
        self.product = np.empty(rows)
        self.child = np.empty(rows)
        self.scored = np.empty(rows, dtype=bool)
        self.counts = np.empty(rows, dtype=bool)
        self.any_zero = np.empty(rows, dtype=bool)
        self.positive = np.empty(rows, dtype=bool)
        self.has_weight = np.empty(rows, dtype=bool)

    def cut(self, rows: int) -> _Sums:
        view = _Sums.__new__(_Sums)
        for name, array in vars(self).items():
            setattr(view, name, array[:rows])
        return view


def _group(
    group_plan: GroupPlan,
    summed: tuple[Bundle, ...] | None,
    policy: NaPolicy,
    criteria: _Criteria,
    g_weights: FloatArray,
    rows: slice,
    scores: FloatArray,
    counted: BoolArray,
    sums: _Sums,
    out: FloatArray,
) -> None:
    """One group's score for a block of rows into `out`, and into `sums.has_weight`
    whether it has any weight. `summed` is the arithmetic mean's bundles of criteria, or
    None for a geometric mean. `g_weights` is the plan's group weights (G), or each
    group's weight for each row of the block (G x rows) where they vary by company."""
    geometric = summed is None
    numerator, product = sums.numerator, sums.product
    denominator = _Denominator(sums.denominator)
    numerator.fill(0.0)
    sums.any_zero.fill(False)
    for c in group_plan.criterion_children.tolist():
        weight = criteria.weights[c]
        # Under the zero policy N/A children stay in the denominator with a score of 0.
        if policy == "zero" or criteria.always[c]:
            counts = sums.counts
            if geometric:
                counts.fill(True)
            denominator.add(weight)
        else:
            counts = criteria.counts_of(c, rows, sums.counts)
            denominator.add_where(counts, weight, product)
        if geometric:
            if criteria.log_fraction(c, rows, sums.child, sums.positive):
                _add_weighted_log(sums, sums.child, sums.positive, counts, weight, policy)
            else:
                points = criteria.points_of(c, rows, sums.child)
                _add_log(sums, points, criteria.max_points[c], counts, weight, policy)
    for bundle in summed or ():
        # Points are 0 wherever the criterion is N/A, so no mask is needed.
        criteria.add_bundle(bundle, rows, numerator, sums)
    for s in group_plan.group_children.tolist():
        # A sub-group's score is NaN where it is N/A; zeroed, it cannot reach the sums.
        counts = counted[s]
        group_weight = g_weights[s] if g_weights.ndim == 2 else float(g_weights[s])
        every = bool(counts.all())
        child = scores[s] if every else np.where(counts, scores[s], 0.0)
        if isinstance(group_weight, float) and (policy == "zero" or every):
            denominator.add(group_weight)
        else:
            denominator.add_where(counts, group_weight, product)
        if geometric:
            _add_log(sums, child, 1.0, counts, group_weight, policy)
        else:
            np.add(numerator, np.multiply(child, group_weight, out=product), out=numerator)
    total = denominator.value()
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(numerator, total, out=out)
        if geometric:
            np.exp(out, out=out)
            np.copyto(out, 0.0, where=sums.any_zero)
    if isinstance(total, float):
        sums.has_weight.fill(total > 0)
    else:
        np.greater(total, 0, out=sums.has_weight)


class _Denominator:
    """A group's sum of counted weights. Children counted for every company of the block
    add a scalar, with no pass over the rows; a block where every child is such has a
    scalar denominator."""

    def __init__(self, array: FloatArray) -> None:
        self.array = array
        self.constant = 0.0
        self.varies = False

    def add(self, weight: float) -> None:
        self.constant += weight

    def add_where(self, counts: BoolArray, weight: FloatArray | float, scratch: FloatArray) -> None:
        if not self.varies:
            self.array.fill(0.0)
            self.varies = True
        np.add(self.array, np.multiply(counts, weight, out=scratch), out=self.array)

    def value(self) -> FloatArray | float:
        if not self.varies:
            return self.constant
        np.add(self.array, self.constant, out=self.array)
        return self.array


def _add_log(
    sums: _Sums,
    points: FloatArray,
    full: float,
    counts: BoolArray,
    weight: FloatArray | float,
    policy: NaPolicy,
) -> None:
    """One child of a geometric mean, from its points: its weighted log fraction into the
    numerator."""
    fraction = np.divide(points, full, out=sums.child)
    positive = np.greater(fraction, 0, out=sums.positive)
    # log 1 = 0 where the fraction is 0; those rows are zeroed through `any_zero`.
    np.copyto(fraction, 1.0, where=~positive)
    np.log(fraction, out=fraction)
    _add_weighted_log(sums, fraction, positive, counts, weight, policy)


def _add_weighted_log(
    sums: _Sums,
    log_fraction: FloatArray,
    positive: BoolArray,
    counts: BoolArray,
    weight: FloatArray | float,
    policy: NaPolicy,
) -> None:
    child_weight = weight if policy == "zero" else counts * weight
    sums.any_zero |= (child_weight > 0) & ~positive
    weighted = np.multiply(child_weight, log_fraction, out=sums.product)
    np.add(sums.numerator, weighted, out=sums.numerator)
