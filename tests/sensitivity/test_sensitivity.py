"""`csrscore.sensitivity`: reproducibility, collapsing intervals, and what it reports."""

from __future__ import annotations

import numpy as np
import pytest

import csrscore
from csrscore import Scores
from csrscore.sensitivity import SCORE_QUANTILES, Dirichlet, Uniform, batch, sensitivity


def test_the_same_seed_gives_the_same_result(citi: Scores) -> None:
    first = sensitivity(citi, 200, 7, aggregation=True, na_policy=0.3)
    second = sensitivity(citi, 200, 7, aggregation=True, na_policy=0.3)
    np.testing.assert_array_equal(first.rank_samples, second.rank_samples)
    np.testing.assert_array_equal(first.total_samples, second.total_samples)
    np.testing.assert_array_equal(first.mean_rank_shift, second.mean_rank_shift)
    assert first.indices is not None
    assert second.indices is not None
    np.testing.assert_array_equal(first.indices.first_order, second.indices.first_order)
    np.testing.assert_array_equal(
        first.indices.total_effect_interval, second.indices.total_effect_interval
    )


def test_another_seed_gives_other_samples(citi: Scores) -> None:
    first = sensitivity(citi, 200, 1, indices=False)
    second = sensitivity(citi, 200, 2, indices=False)
    assert not np.array_equal(first.total_samples, second.total_samples)


def test_chunks_and_threads_do_not_change_the_ranks(
    iso26000: Scores, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = sensitivity(iso26000, 120, 3, aggregation=True, indices=False, threads=1)
    # The scorer's own pieces: a few samples per matrix product, or per group pass.
    monkeypatch.setattr(batch, "SHARE_ELEMENTS", 5 * len(iso26000.criterion_ids))
    monkeypatch.setattr(batch, "GROUP_PATH_ELEMENTS", 3 * len(iso26000))
    for chunk_size, threads in ((7, 1), (50, 3), (1000, 2)):
        other = sensitivity(
            iso26000,
            120,
            3,
            aggregation=True,
            indices=False,
            chunk_size=chunk_size,
            threads=threads,
        )
        np.testing.assert_array_equal(other.rank_samples, reference.rank_samples)
        # BLAS may sum in another order for another block shape: rounding noise only.
        np.testing.assert_allclose(other.total_samples, reference.total_samples, atol=1e-9)


def test_indices_do_not_change_the_uncertainty_samples(citi: Scores) -> None:
    with_indices = sensitivity(citi, 100, 4)
    without = sensitivity(citi, 100, 4, indices=False)
    np.testing.assert_array_equal(with_indices.rank_samples, without.rank_samples)


def test_no_seed_draws_one_and_records_it(citi: Scores) -> None:
    result = sensitivity(citi, 50, None, indices=False)
    again = sensitivity(citi, 50, result.seed, indices=False)
    np.testing.assert_array_equal(result.total_samples, again.total_samples)


@pytest.mark.parametrize("rubric", ["iso26000", "citi"])
def test_intervals_collapse_when_nothing_is_uncertain(
    rubric: str, iso26000: Scores, citi: Scores
) -> None:
    scores = {"iso26000": iso26000, "citi": citi}[rubric]
    for weights in (None, Uniform(0.0)):
        result = sensitivity(scores, 100, 0, weights=weights)
        assert result.factors == ()
        nominal = scores.rank(by="year")
        np.testing.assert_array_equal(result.nominal_rank, nominal)
        np.testing.assert_array_equal(result.rank_low, nominal)
        np.testing.assert_array_equal(result.median_rank, nominal)
        np.testing.assert_array_equal(result.rank_high, nominal)
        assert not result.mean_rank_shift.any()
        np.testing.assert_allclose(result.score_mean, scores.totals, atol=1e-9)
        np.testing.assert_allclose(result.score_std, 0.0, atol=1e-9)
        np.testing.assert_allclose(
            result.score_quantiles, np.tile(scores.totals[:, None], (1, 5)), atol=1e-9
        )


def test_intervals_widen_with_the_spread(iso26000: Scores) -> None:
    narrow = sensitivity(iso26000, 300, 0, weights=Uniform(0.05), indices=False)
    wide = sensitivity(iso26000, 300, 0, weights=Uniform(0.6), indices=False)
    assert wide.interval_width.sum() > narrow.interval_width.sum()
    assert wide.mean_rank_shift.mean() > narrow.mean_rank_shift.mean()


def test_statistics_follow_numpy(citi: Scores) -> None:
    result = sensitivity(citi, 301, 5, weights=Dirichlet(30), aggregation=0.3, indices=False)
    ranks, totals = result.rank_samples, result.total_samples
    low, median, high = np.quantile(ranks, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")
    np.testing.assert_array_equal(result.rank_low, low)
    np.testing.assert_array_equal(result.median_rank, median)
    np.testing.assert_array_equal(result.rank_high, high)
    np.testing.assert_allclose(result.score_mean, totals.mean(axis=0), atol=1e-9)
    np.testing.assert_allclose(result.score_std, totals.std(axis=0, ddof=1), atol=1e-9)
    np.testing.assert_allclose(
        result.score_quantiles, np.quantile(totals, SCORE_QUANTILES, axis=0).T, atol=1e-9
    )
    shifts = np.abs(ranks - result.nominal_rank).mean(axis=1)
    np.testing.assert_allclose(result.mean_rank_shift, shifts)
    assert (ranks >= 1).all()
    assert (ranks <= result.group_sizes).all()


def test_ranks_within_years_by_default_or_as_asked(citi: Scores) -> None:
    by_year = sensitivity(citi, 20, 0, indices=False)
    assert by_year.by == "year"
    assert (by_year.group_sizes == 30).all()
    overall = sensitivity(citi, 20, 0, indices=False, by=None)
    np.testing.assert_array_equal(overall.nominal_rank, citi.rank())
    assert (overall.group_sizes == len(citi)).all()
    by_sector = sensitivity(citi, 20, 0, indices=False, by="sector")
    np.testing.assert_array_equal(by_sector.nominal_rank, citi.rank(by="sector"))


def test_weights_per_group(iso26000: Scores) -> None:
    result = sensitivity(
        iso26000, 20, 0, weights={"__root__": Dirichlet(50), "labour": Uniform(0.1)}
    )
    assert [f.name for f in result.factors] == ["weights:labour", "weights:__root__"]
    everything_but_root = sensitivity(
        iso26000, 20, 0, weights={"*": Uniform(0.1), "__root__": None}, indices=False
    )
    assert "weights:__root__" not in [f.name for f in everything_but_root.factors]
    assert len(everything_but_root.factors) == 22


def test_switches_are_factors(iso26000: Scores) -> None:
    result = sensitivity(iso26000, 10, 0, weights=None, aggregation=True, na_policy=0.25)
    assert [(f.kind, f.probability) for f in result.factors] == [
        ("aggregation", 0.5),
        ("na_policy", 0.25),
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"samples": 0}, "samples must be at least 1"),
        ({"chunk_size": 0}, "chunk_size"),
        ({"bootstrap": -1}, "bootstrap"),
        ({"weights": {"labor": Uniform(0.1)}}, "did you mean 'labour'"),
        ({"aggregation": 1.5}, "probability"),
    ],
)
def test_bad_arguments(iso26000: Scores, arguments: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sensitivity(iso26000, **arguments)  # type: ignore[arg-type]


def test_bad_perturbations() -> None:
    with pytest.raises(ValueError, match="spread"):
        Uniform(1.0)
    with pytest.raises(ValueError, match="concentration"):
        Dirichlet(0.0)


def test_records_and_document(citi: Scores) -> None:
    result = sensitivity(citi, 50, 0)
    records = result.to_records(flag_places=0)
    assert len(records) == len(citi)
    first = records[0]
    assert first["company_id"] == citi.company_ids[0]
    assert first["nominal_rank"] == int(result.nominal_rank[0])
    assert first["rank_interval"] == [int(result.rank_low[0]), int(result.rank_high[0])]
    assert set(first["score"]) == {"mean", "std", "p05", "p25", "p50", "p75", "p95"}
    assert first["flagged"] == bool(result.rank_high[0] > result.rank_low[0])
    document = result.to_dict(2)
    assert document["samples"] == 50
    assert document["indices"]["evaluations"] == 50 * (len(result.factors) + 2)
    assert "rank_samples" not in document


def test_result_arrays_are_read_only(citi: Scores) -> None:
    result = sensitivity(citi, 10, 0, indices=False)
    with pytest.raises(ValueError, match="read-only"):
        result.rank_low[0] = 1
    with pytest.raises(ValueError, match="read-only"):
        result.rank_samples[0, 0] = 1


def test_no_companies() -> None:
    result = sensitivity(csrscore.score([], "citi"), 10, 0)
    assert len(result) == 0
    assert result.rank_samples.shape == (10, 0)
    assert result.mean_rank_shift.tolist() == [0.0] * 10
