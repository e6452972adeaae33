"""Each statistic against an independent computation (scipy, pandas) on small hand-made
cases, plus the invariants that must hold whatever the data (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import linalg, stats

from csrscore.indexaudit.numeric import (
    MAX_CLASSES,
    NotComputable,
    Ranked,
    classes,
    correlate,
    correlate_all,
    correlate_each,
    correlation_ratio,
    moments,
    reliability,
)

NAN = math.nan

# Five hand-made variables over eight companies, with N/A (NaN) in two of them and ties.
TABLE = np.array(
    [
        [0.0, 0.25, 0.5, 0.5, 1.0, 0.75, 0.25, 0.0],
        [0.1, 0.3, 0.35, 0.6, 0.9, 0.8, NAN, 0.2],
        [1.0, 0.0, 0.0, 0.5, 0.0, 0.25, 0.0, 0.0],
        [NAN, 0.4, 0.4, NAN, 0.7, 0.2, 0.9, 0.1],
        [0.9, 0.7, 0.6, 0.5, 0.1, 0.2, 0.8, 0.95],
    ]
)


def _float(value: object) -> float:
    assert not isinstance(value, NotComputable), value
    assert isinstance(value, float)
    return value


# --- moments --------------------------------------------------------------------------------


def test_moments_match_scipy_and_pandas() -> None:
    found = moments(TABLE)
    for row, values in enumerate(TABLE):
        present = values[~np.isnan(values)]
        series = pd.Series(values)
        assert found.n[row] == len(present)
        assert _float(found.mean[row]) == pytest.approx(series.mean(), abs=1e-12)
        assert _float(found.sd[row]) == pytest.approx(series.std(), abs=1e-12)
        assert _float(found.skewness[row]) == pytest.approx(
            stats.skew(present, bias=False), abs=1e-10
        )
        assert _float(found.skewness[row]) == pytest.approx(series.skew(), abs=1e-10)
        assert _float(found.kurtosis[row]) == pytest.approx(
            stats.kurtosis(present, fisher=True, bias=False), abs=1e-10
        )
        assert _float(found.kurtosis[row]) == pytest.approx(series.kurt(), abs=1e-10)


def test_a_heavy_tail_is_over_coinr_limits() -> None:
    # COINr's test case: uniform values and one far outlier fail check_SkewKurt.
    values = np.concatenate([np.linspace(0.0, 1.0, 20), [1000.0]])[None, :]
    found = moments(values)
    assert _float(found.skewness[0]) > 2
    assert _float(found.kurtosis[0]) > 3.5


def test_moments_say_why_they_cannot_be_computed() -> None:
    values = np.array(
        [
            [0.5, NAN, NAN, NAN],  # one company
            [0.5, 0.1, NAN, NAN],  # two
            [0.5, 0.1, 0.9, NAN],  # three: skewness but no kurtosis
            [0.3, 0.3, 0.3, 0.3],  # constant
            [NAN, NAN, NAN, NAN],  # none
        ]
    )
    found = moments(values)
    assert isinstance(found.sd[0], NotComputable)
    assert "only 1 company" in found.sd[0].reason
    assert isinstance(found.skewness[1], NotComputable)
    assert isinstance(found.skewness[2], float)
    assert isinstance(found.kurtosis[2], NotComputable)
    assert "at least 4" in found.kurtosis[2].reason
    assert found.sd[3] == 0.0
    assert found.skewness[3] == NotComputable("the values are constant")
    assert isinstance(found.mean[4], NotComputable)
    assert str(found.mean[4]).startswith("not computable, because only 0 companies")


# --- correlations ---------------------------------------------------------------------------


def test_ranks_match_scipy_rankdata_on_any_subset() -> None:
    ranked = Ranked(TABLE[2])
    assert ranked.ranks().tolist() == stats.rankdata(TABLE[2]).tolist()
    rows = np.array([True, False, True, True, True, False, True, True])
    assert ranked.ranks(rows).tolist() == stats.rankdata(TABLE[2][rows]).tolist()


def test_pairwise_correlations_match_pandas() -> None:
    frame = pd.DataFrame(TABLE.T)
    pearson = frame.corr(method="pearson")
    spearman = frame.corr(method="spearman")
    counts = frame.notna().astype(int).T @ frame.notna().astype(int)
    found = correlate_all([Ranked(row) for row in TABLE])
    assert len(found) == 10
    for (i, j), pair in found.items():
        assert pair.n == counts.iloc[i, j]
        assert _float(pair.pearson) == pytest.approx(pearson.iloc[i, j], abs=1e-12)
        assert _float(pair.spearman) == pytest.approx(spearman.iloc[i, j], abs=1e-12)


def test_complete_columns_take_the_matrix_path_with_the_same_figures() -> None:
    complete = TABLE[[0, 2, 4]]
    shared = correlate_all([Ranked(row) for row in complete])
    for (i, j), pair in shared.items():
        one = correlate(Ranked(complete[i]), Ranked(complete[j]))
        assert pair.n == one.n == 8
        assert _float(pair.pearson) == pytest.approx(stats.pearsonr(complete[i], complete[j])[0])
        assert _float(pair.spearman) == pytest.approx(stats.spearmanr(complete[i], complete[j])[0])
        assert _float(one.spearman) == pytest.approx(_float(pair.spearman), abs=1e-12)


def test_correlations_say_why_they_cannot_be_computed() -> None:
    constant = Ranked(np.array([0.5, 0.5, 0.5, 0.5]))
    varying = Ranked(np.array([0.1, 0.4, 0.2, 0.9]))
    pair = correlate(constant, varying)
    assert pair.pearson == pair.spearman == NotComputable("the values are constant")
    few = correlate(Ranked(np.array([0.1, 0.4, NAN, NAN])), varying)
    assert few.n == 2
    assert isinstance(few.pearson, NotComputable)
    assert "at least 3" in few.pearson.reason
    found = correlate_all([constant, varying, Ranked(np.array([0.3, 0.2, 0.1, 0.0]))])
    assert isinstance(found[(0, 1)].pearson, NotComputable)
    assert _float(found[(1, 2)].pearson) < 0


# --- reliability ----------------------------------------------------------------------------


def _alpha_reference(items: pd.DataFrame) -> float:
    covariance = items.dropna().cov()
    k = items.shape[1]
    return float(k / (k - 1) * (1 - np.trace(covariance) / covariance.to_numpy().sum()))


def test_alpha_and_alpha_if_dropped_match_the_covariance_formula() -> None:
    items = TABLE[[0, 1, 3, 4]]
    found = reliability(items)
    frame = pd.DataFrame(items.T)
    complete = frame.dropna()
    assert found.n == len(complete)
    assert _float(found.alpha) == pytest.approx(_alpha_reference(frame), abs=1e-12)
    for j, dropped in enumerate(found.alpha_if_dropped):
        rest = complete.drop(columns=j)
        assert _float(dropped) == pytest.approx(_alpha_reference(rest), abs=1e-12)


def test_alpha_by_its_textbook_definition() -> None:
    items = TABLE[[0, 2, 4]]
    variances = items.var(axis=1, ddof=1).sum()
    total = items.sum(axis=0).var(ddof=1)
    assert _float(reliability(items).alpha) == pytest.approx(1.5 * (1 - variances / total))


def test_first_component_matches_an_svd_of_the_standardised_items() -> None:
    items = TABLE[[0, 1, 3, 4]]
    complete = items[:, ~np.isnan(items).any(axis=0)]
    standard = (complete - complete.mean(axis=1, keepdims=True)) / complete.std(
        axis=1, ddof=1, keepdims=True
    )
    _, singular, right = linalg.svd(standard.T, full_matrices=False)
    n = complete.shape[1]
    variance = singular**2 / (n - 1)
    expected_loadings = right[0] * singular[0] / math.sqrt(n - 1)
    if expected_loadings.sum() < 0:
        expected_loadings = -expected_loadings
    found = reliability(items)
    assert _float(found.first_component_share) == pytest.approx(variance[0] / variance.sum())
    assert [_float(v) for v in found.loadings] == pytest.approx(expected_loadings.tolist())


def test_reliability_says_why_it_cannot_be_computed() -> None:
    one = reliability(TABLE[[0]])
    assert one.alpha == NotComputable("the group has only one item")
    two = reliability(TABLE[[0, 4]])
    assert isinstance(two.alpha, float)
    assert two.alpha_if_dropped == [NotComputable("only one item would remain")] * 2
    disjoint = np.array([[0.1, 0.5, NAN, NAN], [NAN, NAN, 0.3, 0.9]])
    none = reliability(disjoint)
    assert none.n == 0
    assert isinstance(none.alpha, NotComputable)
    assert "every item" in none.alpha.reason
    constant = reliability(np.array([[0.2, 0.2, 0.2, 0.2], [0.1, 0.5, 0.3, 0.9]]))
    assert constant.first_component_share == NotComputable("an item is constant")


# --- correlation ratio ----------------------------------------------------------------------


def _eta_squared_reference(x: np.ndarray, y: np.ndarray) -> float:
    frame = pd.DataFrame({"x": x, "y": y})
    conditional = frame.groupby("x")["y"].transform("mean")
    return float(conditional.var(ddof=0) / frame["y"].var(ddof=0))


def test_correlation_ratio_matches_pandas_groupby_means() -> None:
    x = np.array([0.0, 0.5, 0.5, 1.0, 0.0, 1.0, 0.5, 0.0, 1.0, 0.5])
    y = np.array([10.0, 40.0, 35.0, 80.0, 20.0, 70.0, 55.0, 15.0, 90.0, 30.0])
    codes, k = classes(Ranked(x))
    assert k == 3
    assert _float(correlation_ratio(codes, k, y)) == pytest.approx(_eta_squared_reference(x, y))


def test_correlation_ratio_of_a_linear_relation_is_r_squared() -> None:
    x = np.array([0.0, 0.25, 0.5, 0.75, 1.0] * 3)
    y = 3.0 * x + 1.0
    codes, k = classes(Ranked(x))
    assert _float(correlation_ratio(codes, k, y)) == pytest.approx(1.0)


def test_many_distinct_values_are_cut_into_equal_classes_with_ties_kept() -> None:
    rng = np.random.default_rng(1)
    x = np.round(rng.random(1000), 2)  # about 100 distinct values, with ties
    codes, k = classes(Ranked(x))
    assert k == MAX_CLASSES
    for value in np.unique(x):
        assert len(set(codes[x == value].tolist())) == 1
    sizes = np.bincount(codes, minlength=k)
    assert sizes.max() <= 3 * 1000 / MAX_CLASSES
    y = x + rng.normal(0, 0.1, 1000)
    binned = pd.Series(codes)
    reference = _eta_squared_reference(binned.to_numpy(), y)
    assert _float(correlation_ratio(codes, k, y)) == pytest.approx(reference)


def test_correlation_ratio_of_a_constant_part_is_zero() -> None:
    codes, k = classes(Ranked(np.full(5, 0.4)))
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    assert correlation_ratio(codes, k, y) == 0.0
    assert isinstance(correlation_ratio(codes[:2], k, y[:2]), NotComputable)
    assert isinstance(correlation_ratio(codes, k, np.ones(5)), NotComputable)


# --- invariants -----------------------------------------------------------------------------

UNIT = st.floats(0.0, 1.0, allow_nan=False).map(lambda v: round(v, 2))
MAYBE = st.one_of(UNIT, st.just(NAN))


@st.composite
def tables(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(0, 12))
    k = draw(st.integers(1, 4))
    table: np.ndarray = draw(arrays(np.float64, (k, n), elements=MAYBE))
    return table


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


@settings(max_examples=150, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_permuting_companies_changes_no_statistic(table: np.ndarray, rng: object) -> None:
    order = list(range(table.shape[1]))
    rng.shuffle(order)  # type: ignore[attr-defined]
    shuffled = table[:, order]
    first, second = moments(table), moments(shuffled)
    for name in ("mean", "sd", "skewness", "kurtosis"):
        assert all(
            _same(a, b) for a, b in zip(getattr(first, name), getattr(second, name), strict=True)
        )
    for key, pair in correlate_all([Ranked(r) for r in table]).items():
        other = correlate_all([Ranked(r) for r in shuffled])[key]
        assert pair.n == other.n
        assert _same(pair.pearson, other.pearson)
        assert _same(pair.spearman, other.spearman)
    a, b = reliability(table), reliability(shuffled)
    assert a.n == b.n
    assert _same(a.alpha, b.alpha)
    assert all(_same(x, y) for x, y in zip(a.loadings, b.loadings, strict=True))
    y = np.nan_to_num(table).sum(axis=0)
    codes, k = classes(Ranked(np.nan_to_num(table[0])))
    shuffled_codes, _ = classes(Ranked(np.nan_to_num(shuffled[0])))
    assert _same(correlation_ratio(codes, k, y), correlation_ratio(shuffled_codes, k, y[order]))


@settings(max_examples=150, deadline=None)
@given(tables(), st.floats(0.01, 100.0), st.floats(-5.0, 5.0))
def test_scaling_a_variable_changes_no_correlation(
    table: np.ndarray, factor: float, shift: float
) -> None:
    scaled = table.copy()
    scaled[0] = scaled[0] * factor + shift
    before = correlate_all([Ranked(r) for r in table])
    after = correlate_all([Ranked(r) for r in scaled])
    for key, pair in before.items():
        other = after[key]
        if isinstance(pair.pearson, float) and isinstance(other.pearson, float):
            assert other.pearson == pytest.approx(pair.pearson, abs=1e-9)
            assert other.spearman == pytest.approx(pair.spearman, abs=1e-9)
        else:
            # Values are hundredths, so any spread survives scaling: what cannot be
            # computed before cannot after, for the same reason.
            assert other == pair


def test_loadings_of_uncorrelated_items_are_not_computable() -> None:
    items = np.array([[1.0, 0.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0]])  # r = 0
    found = reliability(items)
    assert found.first_component_share == pytest.approx(0.5)
    assert (
        found.loadings == [NotComputable("the first two components explain the same variance")] * 2
    )


def test_loadings_of_opposed_items_have_a_fixed_sign() -> None:
    items = np.array([[0.0, 0.5, 1.0, 0.2], [1.0, 0.5, 0.0, 0.8]])  # r = -1: they sum to 0
    assert [_float(v) for v in reliability(items).loadings] == pytest.approx([1.0, -1.0])


def test_each_with_a_target_matches_pair_by_pair() -> None:
    variables = [Ranked(row) for row in TABLE]
    target = Ranked(TABLE[4])
    for variable, found in zip(variables, correlate_each(variables, target), strict=True):
        single = correlate(variable, target)
        assert found.n == single.n
        assert _float(found.pearson) == pytest.approx(_float(single.pearson), abs=1e-12)
        assert _float(found.spearman) == pytest.approx(_float(single.spearman), abs=1e-12)
    constant = Ranked(np.full(8, 0.5))
    assert correlate_each([constant], target)[0].pearson == NotComputable("the values are constant")
