"""The batched re-scoring against the engine's own `aggregate`, one sample at a time.

The slow path here is deliberately plain: `aggregate` with the sample's weights,
aggregations and N/A policy, then the adjustments in methodology order, with each cap's
condition checked by the reference evaluator.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import Scores, load_rubric, score
from csrscore.engine.aggregate import aggregate
from csrscore.engine.columns import FloatArray
from csrscore.rank import rank_totals
from csrscore.reference import holds
from csrscore.rubric.model import Aggregation, NaPolicy
from csrscore.sensitivity import Dirichlet, Uniform, batch, design, sensitivity
from csrscore.sensitivity.batch import BatchScorer, competition_ranks
from csrscore.sensitivity.design import Draws, draw, factors_for, saltelli_rows
from tests.engine.strategies import report_records, rubrics
from tests.sensitivity.conftest import example_scores
from tests.sensitivity.pinned_cases import examples

TOLERANCE = 1e-9
FLIP: dict[Aggregation, Aggregation] = {"arithmetic": "geometric", "geometric": "arithmetic"}
OTHER_POLICY: dict[NaPolicy, NaPolicy] = {"exclude": "zero", "zero": "exclude"}


def reference_totals(scores: Scores, draws: Draws, row: int) -> FloatArray:
    """One sample's totals, the slow way."""
    plan = scores.plan
    aggregations = [
        FLIP[g.aggregation] if draws.switch_aggregation[row] else g.aggregation for g in plan.groups
    ]
    policy = plan.rubric.na_policy
    aggregated = aggregate(
        plan,
        scores.points,
        scores.applicable,
        scores.group_applicable,
        na_policy=OTHER_POLICY[policy] if draws.switch_na_policy[row] else policy,
        criterion_weights=draws.criterion_weights[row],
        group_weights=draws.group_weights[row],
        aggregations=aggregations,
    )
    running = aggregated.base.copy()
    adjustments = plan.rubric.adjustments
    for a, adjustment in enumerate(adjustments):
        if adjustment.kind != "cap":
            running = running + scores.adjustments[:, a]
    for adjustment in adjustments:
        if adjustment.kind == "cap":
            assert adjustment.cap is not None
            when = adjustment.when
            applies = np.array([when is None or holds(when, r) for r in scores.reports])
            running = np.where(applies, np.minimum(running, adjustment.cap), running)
    totals: FloatArray = np.clip(running, 0.0, plan.rubric.scale)
    return totals


def assert_batch_equals_reference(
    scores: Scores, draws: Draws, max_classes: int | None = None
) -> None:
    scorer = BatchScorer(scores, list(scores.years), max_classes=max_classes)
    totals = scorer.totals(draws)
    assert totals.shape == (len(draws), scorer.n)
    for row in range(len(draws)):
        # Every company, through the column of the distinct company it shares.
        expected = reference_totals(scores, draws, row)
        np.testing.assert_allclose(totals[row, scorer.columns], expected, rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("rubric", ["iso26000", "citi"])
@pytest.mark.parametrize("max_classes", [None, 0], ids=["by-class", "by-group"])
def test_shipped_rubrics_every_configuration(rubric: str, max_classes: int | None) -> None:
    scores = example_scores(rubric)
    factors = factors_for(scores.plan, Dirichlet(20), 0.5, 0.5)
    draws = draw(scores.plan, factors, 6, np.random.default_rng(4))
    assert draws.switch_aggregation.any()
    assert draws.switch_na_policy.any()
    assert_batch_equals_reference(scores, draws, max_classes)


def test_nominal_inputs_reproduce_the_engine_totals(iso26000: Scores) -> None:
    scores = iso26000
    draws = draw(scores.plan, (), 3, np.random.default_rng(0))
    scorer = BatchScorer(scores)
    np.testing.assert_allclose(
        scorer.totals(draws), np.tile(scores.totals[scorer.order], (3, 1)), atol=TOLERANCE
    )


@settings(max_examples=12)
@given(
    rubric_data=rubrics(),
    records=report_records(),
    seed=st.integers(0, 2**32 - 1),
    switches=st.sampled_from([(0.0, 0.0), (0.5, 0.0), (0.0, 0.5), (0.5, 0.5)]),
    perturbation=st.sampled_from([Uniform(0.5), Dirichlet(3.0)]),
    max_classes=st.sampled_from([None, 0, 1]),
)
def test_random_rubrics_and_reports(
    rubric_data: dict[str, Any],
    records: list[dict[str, Any]],
    seed: int,
    switches: tuple[float, float],
    perturbation: Uniform | Dirichlet,
    max_classes: int | None,
) -> None:
    """Mixed aggregations, both N/A policies, caps with conditions, N/A groups, ties."""
    scores = score(records, load_rubric(rubric_data))
    factors = factors_for(scores.plan, perturbation, *switches)
    draws = draw(scores.plan, factors, 4, np.random.default_rng(seed))
    assert_batch_equals_reference(scores, draws, max_classes)


def test_saltelli_rows_swap_exactly_one_factor(citi: Scores) -> None:
    scores = citi
    factors = factors_for(scores.plan, Uniform(0.3), 0.5, 0.5)
    a = draw(scores.plan, factors, 6, np.random.default_rng(1))
    b = draw(scores.plan, factors, 6, np.random.default_rng(2))
    rows = np.arange(6)
    for index, factor in enumerate(factors):
        mixed = saltelli_rows(a, b, factors, 2 + index, rows)
        criterion_from_b = np.zeros(len(scores.plan.criteria), dtype=bool)
        group_from_b = np.zeros(len(scores.plan.groups), dtype=bool)
        criterion_from_b[factor.criterion_columns] = True
        group_from_b[factor.group_columns] = True
        np.testing.assert_array_equal(
            mixed.criterion_weights,
            np.where(criterion_from_b, b.criterion_weights, a.criterion_weights),
        )
        np.testing.assert_array_equal(
            mixed.group_weights, np.where(group_from_b, b.group_weights, a.group_weights)
        )
        expected_switch = b if factor.kind == "aggregation" else a
        np.testing.assert_array_equal(mixed.switch_aggregation, expected_switch.switch_aggregation)
        expected_policy = b if factor.kind == "na_policy" else a
        np.testing.assert_array_equal(mixed.switch_na_policy, expected_policy.switch_na_policy)


# --- ranks -------------------------------------------------------------------------------------


@settings(max_examples=40)
@given(
    values=st.lists(
        st.lists(st.sampled_from([0.0, 1.5, 1.5 + 1e-12, 2.0, 33.3333333, 99.0]), min_size=6),
        min_size=1,
        max_size=4,
    ),
    cut=st.integers(0, 6),
)
def test_batch_ranks_equal_rank_totals(values: list[list[float]], cut: int) -> None:
    width = min(len(row) for row in values)
    totals = np.array([row[:width] for row in values])
    cut = min(cut, width)
    segments = [slice(0, cut), slice(cut, width)]
    groups = [0] * cut + [1] * (width - cut)
    ranks = competition_ranks(totals, segments)
    ids = [f"c{i}" for i in range(width)]
    for row, row_totals in enumerate(totals):
        expected = rank_totals(row_totals, ids, "competition", groups)
        assert ranks[row].tolist() == expected.tolist()


@settings(max_examples=60)
@given(
    values=st.lists(st.sampled_from([0.0, 1.5, 2.25, 7.0]), min_size=1, max_size=12),
    counts=st.lists(st.integers(1, 4), min_size=12, max_size=12),
)
def test_counted_columns_rank_as_their_companies_would(
    values: list[float], counts: list[int]
) -> None:
    """A column standing for k tied companies ranks as the k companies side by side."""
    weights = np.array(counts[: len(values)])
    expanded = np.repeat(np.array(values), weights)
    ranks = competition_ranks(np.array([values]), [slice(0, len(values))], counts=weights)
    every = competition_ranks(expanded[None, :], [slice(0, len(expanded))])
    assert np.repeat(ranks[0], weights).tolist() == every[0].tolist()


def test_duplicate_companies_are_scored_once(iso26000: Scores) -> None:
    doubled = score(examples(2), "iso26000")
    assert doubled.rejected == ()
    scorer = BatchScorer(doubled, list(doubled.years))
    assert scorer.n <= len(iso26000)
    assert int(scorer.counts.sum()) == len(doubled)
    # The copy of a report (another id) sits in the column of the report copied.
    half = len(doubled) // 2
    assert scorer.columns[half:].tolist() == scorer.columns[:half].tolist()


@settings(max_examples=40)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from([0.0, -0.0, 1.0, np.inf]), st.booleans(), st.integers(0, 2)),
        min_size=0,
        max_size=10,
    ),
    collide=st.booleans(),
)
def test_distinct_rows_compare_bit_for_bit(
    rows: list[tuple[float, bool, int]], collide: bool
) -> None:
    floats = np.array([[r[0], r[2] % 2] for r in rows], dtype=np.float64).reshape(-1, 2)
    flags = np.array([[r[1]] for r in rows], dtype=bool).reshape(-1, 1)
    codes = np.array([r[2] for r in rows], dtype=np.int64)[:, None]
    with pytest.MonkeyPatch.context() as patch:
        if collide:  # every row hashes to 0: the check must catch it
            patch.setattr(batch, "_multipliers", lambda _, count: np.zeros(count, np.uint64))
        first, which = batch._distinct_rows(floats, flags, codes)
    keys = [(floats[i].tobytes(), bool(flags[i, 0]), int(codes[i, 0])) for i in range(len(rows))]
    assert len(first) == len(set(keys))
    for i, key in enumerate(keys):
        assert first[which[i]] == keys.index(key)


def test_ranks_fall_back_to_argsort_for_huge_totals() -> None:
    totals = np.array([[3e15, 1e15, 3e15, 2e15, 0.0]])
    assert competition_ranks(totals, [slice(0, 5)]).tolist() == [[1, 4, 1, 3, 5]]


def test_no_companies() -> None:
    scores = score([], "citi")
    draws = draw(
        scores.plan, factors_for(scores.plan, Uniform(0.2), 0.5, 0.5), 3, np.random.default_rng(0)
    )
    assert BatchScorer(scores).totals(draws).shape == (3, 0)
    assert competition_ranks(np.zeros((3, 0)), []).shape == (3, 0)


@pytest.mark.parametrize("max_classes", [None, 0], ids=["by-class", "by-group"])
def test_the_scorers_own_pieces_do_not_change_totals(
    iso26000: Scores, max_classes: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    factors = factors_for(iso26000.plan, Uniform(0.3), 0.5, 0.5)
    draws = draw(iso26000.plan, factors, 11, np.random.default_rng(8))
    whole = BatchScorer(iso26000, max_classes=max_classes).totals(draws)
    monkeypatch.setattr(batch, "SHARE_ELEMENTS", 2 * len(iso26000.criterion_ids))
    monkeypatch.setattr(batch, "GROUP_PATH_ELEMENTS", 3 * len(iso26000))
    pieces = BatchScorer(iso26000, max_classes=max_classes).totals(draws)
    np.testing.assert_allclose(pieces, whole, rtol=0, atol=1e-12)


def _weight_zero() -> Scores:
    fixtures = Path(__file__).parent / "fixtures"
    records = json.loads((fixtures / "weight_zero.json").read_text(encoding="utf-8"))
    return score(records, load_rubric(fixtures / "weight_zero.yaml"))


def test_a_group_whose_counting_children_weigh_nothing_has_no_score() -> None:
    """Worked in fixtures/weight_zero.yaml: p and r have no t.a2, so `a` counts only a1,
    which weighs 0."""
    scores = _weight_zero()
    np.testing.assert_array_equal(scores.totals, [50.0, 37.5, 75.0, 75.0])
    # Under the zero policy a2 counts as 0 where it is N/A: `a` scores 0 and weighs 2 of 4.
    zero = sensitivity(scores, 3, 0, weights=None, na_policy=1.0, indices=False)
    np.testing.assert_allclose(zero.total_samples, [[25.0, 37.5, 37.5, 75.0]] * 3, atol=1e-12)
    # Geometric: a1 is 0 for q but weighs nothing, so it does not force `a` to 0; b2 and
    # b1 are 0 for q and r with weight, and force `b` and then the total to 0.
    b_of_s = math.exp((math.log(0.2) + 3 * math.log(0.6)) / 4)
    geometric = sensitivity(scores, 3, 0, weights=None, aggregation=1.0, indices=False)
    np.testing.assert_allclose(
        geometric.total_samples, [[50.0, 0.0, 0.0, 100 * math.sqrt(b_of_s)]] * 3, atol=1e-12
    )
    assert not np.isnan(sensitivity(scores, 50, 1, aggregation=0.5, na_policy=0.5).rank_low).any()


@pytest.mark.parametrize(
    "perturbation", [Uniform(0.5), Dirichlet(5.0)], ids=["uniform", "dirichlet"]
)
@pytest.mark.parametrize("max_classes", [None, 0], ids=["by-class", "by-group"])
def test_weight_zero_every_configuration(
    perturbation: Uniform | Dirichlet, max_classes: int | None
) -> None:
    scores = _weight_zero()
    factors = factors_for(scores.plan, perturbation, 0.5, 0.5)
    draws = draw(scores.plan, factors, 24, np.random.default_rng(3))
    a1 = scores.criterion_ids.index("a1")
    # A weight of 0 stays 0 in every draw: the children that count never change.
    assert (draws.criterion_weights[:, a1] == 0.0).all()
    assert (np.delete(draws.criterion_weights, a1, axis=1) > 0.0).all()
    assert_batch_equals_reference(scores, draws, max_classes)


def test_dirichlet_over_children_that_all_weigh_nothing_keeps_them_at_zero() -> None:
    shares = design._perturb(Dirichlet(10.0), np.zeros(3), 4, np.random.default_rng(0))
    np.testing.assert_array_equal(shares, np.zeros((4, 3)))
