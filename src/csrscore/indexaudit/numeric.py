"""The statistics of an audit as vectorised numpy kernels, on variables-major arrays.

Every kernel takes a (variables x companies) float array with NaN where a value is missing
(N/A), and says why it cannot give a figure instead of returning NaN: a figure is a float
or a `NotComputable` with its reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TypeAlias

import numpy as np

from csrscore.engine.columns import BoolArray, FloatArray, IntArray, LevelArray
from csrscore.precision import TIE_DECIMALS

# Below this many companies no correlation, moment or reliability figure is given.
MIN_COMPANIES = 3
# A column whose spread is this small relative to its size is constant: the differences
# are rounding, and a correlation or skewness computed from them would be noise.
CONSTANT_TOLERANCE = 1e-12
# Eigenvalues of a correlation matrix (at most the number of items) closer than this are
# taken as equal; eigenvector entries smaller than this as zero.
EIGEN_TOLERANCE = 1e-9


@dataclass(frozen=True)
class NotComputable:
    """A figure that cannot be computed, and why ("fewer than 3 companies", ...)."""

    reason: str

    def __str__(self) -> str:
        return f"not computable, because {self.reason}"


Figure: TypeAlias = float | NotComputable


def dot(x: FloatArray, y: FloatArray) -> float:
    """x . y by `einsum`, not BLAS: on a busy machine OpenBLAS's threads made one dot
    product of 30,000 numbers take 35 ms instead of 0.02 ms, which turned a 3 s audit
    into a minute. Every product here is small enough for one core."""
    return float(np.einsum("i,i->", x, y))


def too_few(n: int, needed: int = MIN_COMPANIES) -> NotComputable:
    return NotComputable(f"only {n} compan{'y' if n == 1 else 'ies'} (at least {needed} needed)")


CONSTANT = NotComputable("the values are constant")


def is_constant(values: FloatArray) -> bool:
    """Whether finite `values` are all the same, up to rounding."""
    if len(values) == 0:
        return True
    low, high = float(values.min()), float(values.max())
    return high - low <= CONSTANT_TOLERANCE * max(1.0, abs(low), abs(high))


# --- moments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moments:
    """Per variable: companies with a value, mean, standard deviation, skewness, kurtosis."""

    n: IntArray
    mean: list[Figure]
    sd: list[Figure]
    skewness: list[Figure]
    kurtosis: list[Figure]


def moments(values: FloatArray) -> Moments:
    """Sample moments of each row, skipping NaN.

    Standard deviation with n - 1. Skewness is the adjusted Fisher-Pearson coefficient G1
    and kurtosis the bias-corrected excess kurtosis G2 (Joanes and Gill 1998, "type 2"):
    the definitions of COINr's `skew` and `kurt` (taken from e1071), Excel's SKEW and KURT,
    pandas' `skew` and `kurt`, and scipy's `skew`/`kurtosis` with `bias=False`. A normal
    distribution has G2 near 0, so COINr's outlier rule (kurtosis over 3.5) is on excess
    kurtosis.
    """
    present = ~np.isnan(values)
    n = present.sum(axis=1)
    filled = np.where(present, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=1) / n
        deviation = np.where(present, values - mean[:, None], 0.0)
        squares = deviation * deviation
        m2 = squares.sum(axis=1)
        m3 = (squares * deviation).sum(axis=1)
        m4 = (squares * squares).sum(axis=1)
        g1 = (m3 / n) / (m2 / n) ** 1.5
        g2 = (m4 / n) / (m2 / n) ** 2 - 3.0
        skew = np.sqrt(n * (n - 1.0)) / (n - 2.0) * g1
        kurt = ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
        sd = np.sqrt(m2 / (n - 1.0))
    means: list[Figure] = []
    sds: list[Figure] = []
    skews: list[Figure] = []
    kurts: list[Figure] = []
    for row in range(values.shape[0]):
        count = int(n[row])
        constant = count > 0 and is_constant(values[row][present[row]])
        means.append(float(mean[row]) if count else too_few(count, 1))
        sds.append(float(sd[row]) if count >= 2 else too_few(count, 2))
        if constant and count >= 2:
            sds[-1] = 0.0
        skews.append(too_few(count, 3) if count < 3 else CONSTANT if constant else float(skew[row]))
        kurts.append(too_few(count, 4) if count < 4 else CONSTANT if constant else float(kurt[row]))
    return Moments(n.astype(np.int64), means, sds, skews, kurts)


# --- correlations -----------------------------------------------------------------------


@dataclass(frozen=True)
class Correlation:
    """Pearson and Spearman correlation of two variables on the companies both have."""

    n: int
    pearson: Figure
    spearman: Figure


class Ranked:
    """A variable prepared for Spearman correlations on any subset of its companies.

    Each value is coded by its position among the distinct values, so the average ranks of
    any subset (ties sharing the mean of their ranks, as scipy's `rankdata` does) are a
    `bincount` away instead of a sort per pair. Values equal to TIE_DECIMALS places are
    ties, as in the engine's ranks: a fraction computed as 0.29000000000000004 in one
    place and 0.29 in another must not split a tie.
    """

    def __init__(
        self, values: FloatArray, levels: tuple[LevelArray, FloatArray] | None = None
    ) -> None:
        """`levels`, for a ladder criterion: each company's level (-1 where N/A) and each
        level's value, which code the values without sorting them."""
        self.values = values
        self.present: BoolArray = ~np.isnan(values)
        codes = np.full(len(values), -1, dtype=np.int64)
        if levels is None:
            rounded = np.round(values[self.present], TIE_DECIMALS)
            distinct, inverse = np.unique(rounded, return_inverse=True)
            codes[self.present] = inverse
        else:
            level, value_of_level = levels
            distinct, code_of_level = np.unique(
                np.round(value_of_level, TIE_DECIMALS), return_inverse=True
            )
            codes[self.present] = code_of_level[level[self.present]]
        self.codes = codes
        self.distinct = len(distinct)
        self.count = int(self.present.sum())
        # Variables with equal keys apply to the same companies.
        self.mask_key = np.packbits(self.present).tobytes()

    @cached_property
    def full_ranks(self) -> FloatArray:
        return self.ranks()

    def ranks(self, rows: BoolArray | None = None) -> FloatArray:
        """Average ranks of the values at `rows` (all present values by default)."""
        codes = self.codes[self.present if rows is None else rows]
        counts = np.bincount(codes, minlength=self.distinct)
        ends = np.cumsum(counts)
        average = ends - (counts - 1) / 2.0
        ranks: FloatArray = average[codes]
        return ranks


def _pearson(x: FloatArray, y: FloatArray) -> Figure:
    if len(x) < MIN_COMPANIES:
        return too_few(len(x))
    if is_constant(x) or is_constant(y):
        return CONSTANT
    dx = x - x.mean()
    dy = y - y.mean()
    value = dot(dx, dy) / math.sqrt(dot(dx, dx) * dot(dy, dy))
    return min(1.0, max(-1.0, value))


def correlate(a: Ranked, b: Ranked) -> Correlation:
    """Pearson and Spearman on the pairwise complete cases of `a` and `b`."""
    both = a.present & b.present
    n = int(both.sum())
    x, y = a.values[both], b.values[both]
    pearson = _pearson(x, y)
    if isinstance(pearson, NotComputable):
        return Correlation(n, pearson, pearson)
    return Correlation(n, pearson, _pearson(a.ranks(both), b.ranks(both)))


def correlate_all(variables: list[Ranked]) -> dict[tuple[int, int], Correlation]:
    """Every pair (i < j) of `variables`.

    Variables that apply to the same companies (all of them, usually) are correlated as
    one matrix product on ranks taken once; only pairs with different N/A patterns are
    taken one at a time on their pairwise complete companies.
    """
    k = len(variables)
    out: dict[tuple[int, int], Correlation] = {}
    for members in _same_companies(variables).values():
        shared = [variables[i] for i in members]
        if len(members) < 2 or int(shared[0].present.sum()) < MIN_COMPANIES:
            continue
        pearson, spearman = _matrix(shared)
        for a, i in enumerate(members):
            for b, j in enumerate(members[a + 1 :], start=a + 1):
                out[(i, j)] = _figures(shared[0].count, pearson[a, b], spearman[a, b])
    for i in range(k):
        for j in range(i + 1, k):
            if (i, j) not in out:
                out[(i, j)] = correlate(variables[i], variables[j])
    return dict(sorted(out.items()))


def correlate_each(variables: list[Ranked], target: Ranked) -> list[Correlation]:
    """Each of `variables` with `target`: those that apply to the target's companies in
    one product, the others one at a time."""
    out: list[Correlation | None] = [None] * len(variables)
    same = [i for i, v in enumerate(variables) if v.mask_key == target.mask_key]
    if same and target.count >= MIN_COMPANIES:
        pearson, spearman = _matrix([target, *(variables[i] for i in same)])
        for position, i in enumerate(same, start=1):
            out[i] = _figures(target.count, pearson[0, position], spearman[0, position])
    return [
        found if found is not None else correlate(v, target)
        for found, v in zip(out, variables, strict=True)
    ]


def _same_companies(variables: list[Ranked]) -> dict[bytes, list[int]]:
    groups: dict[bytes, list[int]] = {}
    for i, variable in enumerate(variables):
        groups.setdefault(variable.mask_key, []).append(i)
    return groups


def _figures(n: int, pearson: float, spearman: float) -> Correlation:
    # NaN marks a constant variable in `_matrix`.
    if math.isnan(pearson):
        return Correlation(n, CONSTANT, CONSTANT)
    return Correlation(n, float(pearson), float(spearman))


def _matrix(variables: list[Ranked]) -> tuple[FloatArray, FloatArray]:
    """Pearson and Spearman matrices of variables present for the same companies; NaN
    in every entry of a constant variable."""
    rows = variables[0].present
    constant = np.array([is_constant(v.values[rows]) for v in variables])
    out = []
    for stacked in (
        np.vstack([v.values[rows] for v in variables]),
        np.vstack([v.full_ranks for v in variables]),
    ):
        centred = stacked - stacked.mean(axis=1, keepdims=True)
        norms = np.sqrt(np.einsum("ij,ij->i", centred, centred))
        norms[constant] = np.nan
        product = np.einsum("in,jn->ij", centred, centred) / np.outer(norms, norms)
        out.append(np.clip(product, -1.0, 1.0))
    return out[0], out[1]


# --- reliability and structure ------------------------------------------------------------


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha and the first principal component of a group's items."""

    n: int
    alpha: Figure
    alpha_if_dropped: list[Figure]
    first_component_share: Figure
    loadings: list[Figure]


def reliability(items: FloatArray) -> Reliability:
    """Alpha and PCA of (items x companies), on the companies that have every item.

    Alpha = k/(k-1) x (1 - sum of item variances / variance of the item sum). The PCA is
    of the correlation matrix (items standardised, as `prcomp(scale. = TRUE)` does);
    loadings are each item's correlation with the first component, signed so that they
    sum to a positive number, and not computable when two components tie for first.
    """
    k = items.shape[0]
    complete = ~np.isnan(items).any(axis=0)
    data = items[:, complete]
    n = data.shape[1]
    if k < 2:
        reason = NotComputable("the group has only one item")
        return Reliability(n, reason, [reason] * k, reason, [reason] * k)
    if n < MIN_COMPANIES:
        # Items that apply to different companies (sector-specific criteria) share none.
        reason = NotComputable(
            f"only {n} compan{'y has' if n == 1 else 'ies have'} every item "
            f"(at least {MIN_COMPANIES} needed)"
        )
        return Reliability(n, reason, [reason] * k, reason, [reason] * k)
    centred = data - data.mean(axis=1, keepdims=True)
    covariance = np.einsum("in,jn->ij", centred, centred) / (n - 1)
    variances = np.diag(covariance)
    alpha = _alpha(k, float(variances.sum()), float(covariance.sum()))
    dropped: list[Figure] = []
    for j in range(k):
        if k - 1 < 2:
            dropped.append(NotComputable("only one item would remain"))
            continue
        rest_total = float(covariance.sum() - 2 * covariance[j].sum() + covariance[j, j])
        dropped.append(_alpha(k - 1, float(variances.sum() - variances[j]), rest_total))
    constant = [is_constant(row) for row in data]
    if any(constant):
        reason = NotComputable("an item is constant")
        return Reliability(n, alpha, dropped, reason, [reason] * k)
    sd = np.sqrt(variances)
    correlation = covariance / np.outer(sd, sd)
    eigenvalues, eigenvectors = np.linalg.eigh(correlation)
    first = float(eigenvalues[-1])
    share = first / k
    if first - float(eigenvalues[-2]) <= EIGEN_TOLERANCE:
        # Equal largest eigenvalues (uncorrelated items, say): any mix of their vectors is
        # a first component, so no loading would mean anything.
        reason = NotComputable("the first two components explain the same variance")
        return Reliability(n, alpha, dropped, share, [reason] * k)
    vector = eigenvectors[:, -1]
    # The sign of an eigenvector is arbitrary: loadings sum to a positive number, and when
    # they sum to zero the first clearly nonzero one is positive.
    total = float(vector.sum())
    if abs(total) > EIGEN_TOLERANCE:
        sign = 1.0 if total > 0 else -1.0
    else:
        sign = 1.0 if vector[np.abs(vector) > EIGEN_TOLERANCE][0] > 0 else -1.0
    loadings: list[Figure] = [float(v) for v in sign * vector * np.sqrt(max(first, 0.0))]
    return Reliability(n, alpha, dropped, share, loadings)


def _alpha(k: int, item_variance: float, total_variance: float) -> Figure:
    if total_variance <= CONSTANT_TOLERANCE:
        return NotComputable("the sum of the items is constant")
    return k / (k - 1) * (1.0 - item_variance / total_variance)


# --- correlation ratio ---------------------------------------------------------------------

# A variable with more distinct values than this is cut into this many classes of about
# equal size (ties never split) before its conditional means are taken.
MAX_CLASSES = 64


def classes(variable: Ranked) -> tuple[IntArray, int]:
    """Class codes of a variable's present values: its distinct values, or at most
    MAX_CLASSES classes of about equal size when it has more (ties are never split)."""
    codes = variable.codes[variable.present]
    if variable.distinct <= MAX_CLASSES:
        return codes, variable.distinct
    counts = np.bincount(codes, minlength=variable.distinct)
    # Each distinct value goes to the class where its first company falls.
    starts = np.cumsum(counts) - counts
    of_value = (starts * MAX_CLASSES) // len(codes)
    binned: IntArray = of_value[codes]
    return binned, MAX_CLASSES


def correlation_ratio(codes: IntArray, k: int, output: FloatArray) -> Figure:
    """Pearson's correlation ratio eta^2 = Var(E[y | class]) / Var(y): the first-order
    sensitivity index of the classified variable, estimated from the data."""
    n = len(output)
    if n < MIN_COMPANIES:
        return too_few(n)
    if is_constant(output):
        return NotComputable("the total is constant")
    if k < 2:
        return 0.0  # a constant variable explains none of the variance
    counts = np.bincount(codes, minlength=k)
    sums = np.bincount(codes, weights=output, minlength=k)
    mean = output.mean()
    used = counts > 0
    # Summed as counts x (class mean - mean)^2, which keeps its precision where the
    # textbook sum of squares minus n x mean^2 would cancel.
    class_means = sums[used] / counts[used]
    between = dot(counts[used].astype(np.float64), (class_means - mean) ** 2)
    centred = output - mean
    total = dot(centred, centred)
    return min(1.0, max(0.0, between / total))
