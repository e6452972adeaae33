"""`audit` on hand-made rubrics and reports, and on the shipped examples."""

from __future__ import annotations

import itertools
import json
import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import Audit, Scores, audit, load_rubric, score
from csrscore.engine.ingest import has_evidence
from csrscore.errors import UsageError
from csrscore.indexaudit import NotComputable
from csrscore.indexaudit.frame import TOTAL, Frame, _evidenced
from csrscore.indexaudit.numeric import Ranked, classes, correlation_ratio
from csrscore.indexaudit.weights import (
    _first_order,
    _Recompose,
    _relative_weights,
    _StackedClasses,
    nominal_shares,
)
from csrscore.records import Disclosure

EXAMPLES = Path(__file__).parents[2] / "examples" / "reports.json"
_CACHE: dict[str, Scores] = {}


def example_scores(rubric: str) -> Scores:
    if rubric not in _CACHE:
        _CACHE[rubric] = score(EXAMPLES, rubric)
    return _CACHE[rubric]


def _value(criterion_id: str, field: str, weight: float | None = None) -> dict[str, Any]:
    criterion: dict[str, Any] = {
        "id": criterion_id,
        "title": criterion_id,
        "value": {"field": field, "min": 0, "max": 1, "points": 1},
    }
    if weight is not None:
        criterion["weight"] = weight
    return criterion


def factorial_rubric(weights: list[float]) -> dict[str, Any]:
    """One value-scored criterion per top-level group, each read from its own field."""
    return {
        "rubric": "factorial",
        "version": "1",
        "title": "Independent groups",
        "fields": {f"x.g{i}": {"type": "number"} for i in range(len(weights))},
        "groups": [
            {"id": f"g{i}", "title": f"G{i}", "weight": w, "criteria": [_value(f"c{i}", f"x.g{i}")]}
            for i, w in enumerate(weights)
        ],
    }


def factorial_reports(groups: int, values: tuple[float, ...] = (0.0, 0.5, 1.0)) -> list[Any]:
    """Every combination of `values` once: the groups' scores are exactly independent and
    equally variable."""
    return [
        {
            "company": {"id": f"c{k}", "name": f"Company {k}"},
            "year": 2024,
            "disclosures": {f"x.g{i}": v for i, v in enumerate(combination)},
        }
        for k, combination in enumerate(itertools.product(values, repeat=groups))
    ]


def _float(value: object) -> float:
    assert isinstance(value, float), value
    return value


# --- effective weights ----------------------------------------------------------------------


@pytest.mark.parametrize("weights", [[1.0, 1.0, 1.0], [1.0, 2.0, 3.0], [5.0, 1.0, 2.0, 2.0]])
def test_independent_equally_variable_groups_have_their_nominal_weights(
    weights: list[float],
) -> None:
    scores = score(factorial_reports(len(weights)), load_rubric(factorial_rubric(weights)))
    result = audit(scores)
    shares = [w / sum(weights) for w in weights]
    rows = [row for row in result.effective_weights if row.kind == "group"]
    assert [row.nominal_share for row in rows] == pytest.approx(shares)
    assert [_float(row.effective_share) for row in rows] == pytest.approx(shares, abs=1e-12)
    assert [_float(row.ratio) for row in rows] == pytest.approx([1.0] * len(weights), abs=1e-12)
    # Linear and independent: S_i = w_i^2 var / sum_j w_j^2 var.
    squares = [w * w / sum(v * v for v in weights) for w in weights]
    assert [_float(row.first_order) for row in rows] == pytest.approx(squares, abs=1e-12)
    # The nominal weights already give the intended importance.
    assert result.suggestion.converged
    assert result.suggestion.iterations == 1
    assert [_float(w) for _, w in result.suggestion.weights] == pytest.approx(shares)


def test_suggested_weights_reach_the_target_where_spreads_differ() -> None:
    # Group g0 varies over 0..1, g1 only over 0.4..0.6: equal weights give g0 far more
    # importance; the suggestion must restore equal importance, i.e. weights inversely
    # proportional to the spreads (5 to 1).
    reports = []
    for k, (a, b) in enumerate(itertools.product((0.0, 0.5, 1.0), (0.4, 0.5, 0.6))):
        reports.append(
            {
                "company": {"id": f"c{k}", "name": f"C{k}"},
                "year": 2024,
                "disclosures": {"x.g0": a, "x.g1": b},
            }
        )
    scores = score(reports, load_rubric(factorial_rubric([1.0, 1.0])))
    result = audit(scores)
    g0, g1 = (row for row in result.effective_weights if row.kind == "group")
    assert _float(g0.effective_share) == pytest.approx(5 / 6)
    assert result.suggestion.converged
    suggested = [_float(w) for _, w in result.suggestion.weights]
    assert suggested == pytest.approx([1 / 6, 5 / 6], abs=1e-5)
    assert [_float(a) for _, a in result.suggestion.achieved] == pytest.approx([0.5, 0.5], abs=1e-6)
    assert _float(g1.suggested_share) == pytest.approx(5 / 6, abs=1e-5)


@pytest.mark.parametrize("rubric", ["iso26000", "citi"])
def test_first_order_indices_match_pandas_groupby(rubric: str) -> None:
    scores = example_scores(rubric)
    result = audit(scores, criteria_weights=True)
    totals = pd.Series(scores.totals)
    for row in result.effective_weights:
        if row.kind == "group":
            column = scores.group_scores[:, scores.group_column(row.id)]
        else:
            c = scores.criterion_ids.index(row.id)
            column = np.where(scores.levels[:, c] >= 0, scores.points[:, c], np.nan)
        frame = pd.DataFrame({"x": column, "y": totals}).dropna()
        assert row.n == len(frame)
        assert frame["x"].nunique() <= 64  # exact classes
        conditional = frame.groupby("x")["y"].transform("mean")
        expected = conditional.var(ddof=0) / frame["y"].var(ddof=0)
        assert _float(row.first_order) == pytest.approx(expected, abs=1e-12)
    criteria = [row for row in result.effective_weights if row.kind == "criterion"]
    assert sum(row.nominal_share for row in criteria) == pytest.approx(1.0)
    assert sum(_float(row.effective_share) for row in criteria) == pytest.approx(1.0)


def test_nominal_shares_multiply_down_the_tree() -> None:
    rubric = load_rubric("iso26000")
    shares = nominal_shares(rubric)
    top = rubric.root.children
    assert sum(shares[g.id] for g in top) == pytest.approx(1.0)
    governance = rubric.nodes["governance"]
    assert shares["governance"] == pytest.approx(12 / sum(g.effective_weight for g in top))
    child = governance.children[0]  # type: ignore[union-attr]
    assert shares[child.id] == pytest.approx(shares["governance"])  # an only child


@pytest.mark.parametrize(
    ("rubric", "changes"),
    [
        ("iso26000", {}),
        ("citi", {}),
        ("iso26000", {"aggregation": "geometric"}),
        ("iso26000", {"na_policy": "zero"}),
        ("citi", {"na_policy": "zero", "aggregation": "geometric"}),
        ("citi", {"aggregation": "geometric"}),
        ("citi", {"weights": "max-points"}),
    ],
)
def test_recomposing_with_the_nominal_weights_gives_the_totals(
    rubric: str, changes: dict[str, str]
) -> None:
    data = dict(load_rubric(rubric).document)
    data.update(changes)
    scores = score(EXAMPLES, load_rubric(data))
    frame = Frame(scores, np.ones(len(scores), dtype=bool))
    top = [child.id for child in scores.rubric.root.children]
    values = frame.values[[frame.by_id[g].row for g in top]]
    offset = scores.totals - scores.base
    composer = _Recompose(
        values, ~np.isnan(values), scores.rubric, offset, _relative_weights(frame, top)
    )
    weights = scores.plan.group_weights[[scores.group_column(g) for g in top]]
    assert composer(weights) == pytest.approx(scores.totals, abs=1e-9)


# --- coverage -------------------------------------------------------------------------------

COVERAGE_RUBRIC: dict[str, Any] = {
    "rubric": "coverage",
    "version": "1",
    "title": "Coverage cases",
    "fields": {
        "d.policy": {"type": "bool"},
        "d.amount": {"type": "number"},
        "d.unused": {"type": "number"},
    },
    "groups": [
        {
            "id": "main",
            "title": "Main",
            "criteria": [
                {
                    "id": "policy",
                    "title": "Policy",
                    "levels": [
                        {"points": 1, "label": "Stated", "when": {"true": "d.policy"}},
                        {
                            "points": 2,
                            "label": "Assured",
                            "when": {"all": [{"true": "d.policy"}, {"assured": "d.policy"}]},
                        },
                    ],
                },
                {
                    "id": "everyone",
                    "title": "Everyone has a year",
                    "levels": [{"points": 1, "label": "Any", "when": {"exists": "d.amount"}}],
                },
                {
                    "id": "nobody",
                    "title": "Nobody discloses it",
                    "levels": [{"points": 1, "label": "Any", "when": {"number": "d.unused"}}],
                },
                {
                    "id": "energy-only",
                    "title": "Energy only",
                    "applies_when": {"eq": {"company.sector": "energy"}},
                    "value": {"field": "d.amount", "min": 0, "max": 100, "points": 2},
                },
            ],
        }
    ],
}


def _report(k: int, sector: str, disclosures: dict[str, Any]) -> dict[str, Any]:
    return {
        "company": {"id": f"c{k}", "name": f"Company {k}", "sector": sector},
        "year": 2024,
        "disclosures": disclosures,
    }


COVERAGE_REPORTS = [
    _report(0, "energy", {"d.policy": {"value": True, "assured": True}, "d.amount": 100}),
    _report(1, "energy", {"d.policy": True, "d.amount": 50}),
    _report(2, "energy", {"d.policy": False, "d.amount": 0}),
    _report(3, "textiles", {"d.policy": {"value": True, "evidence": {"page": 4}}, "d.amount": 7}),
    _report(4, "textiles", {"d.amount": 3}),
]


def test_coverage_of_hand_made_cases() -> None:
    result = audit(score(COVERAGE_REPORTS, load_rubric(COVERAGE_RUBRIC)))
    rows = {row.id: row for row in result.coverage}
    policy = rows["policy"]
    assert (policy.companies, policy.applicable) == (5, 5)
    assert policy.na_share == 0.0
    assert policy.zero_share == pytest.approx(2 / 5)  # c2 (false) and c4 (none)
    assert policy.max_share == pytest.approx(1 / 5)  # c0, assured
    assert policy.disclosed_share == pytest.approx(4 / 5)
    assert policy.assured_share == pytest.approx(1 / 5)
    assert policy.evidenced_share == pytest.approx(1 / 5)
    assert policy.flags == ()
    assert rows["everyone"].flags == ("not-discriminating",)
    assert rows["everyone"].note == "every company scores the maximum"
    assert rows["nobody"].flags == ("not-discriminating",)
    assert rows["nobody"].note == "no company scores above 0"
    assert rows["nobody"].disclosed_share == 0.0
    energy = rows["energy-only"]
    assert energy.applicable == 3
    assert energy.na_share == pytest.approx(2 / 5)
    assert energy.zero_share == pytest.approx(1 / 3)
    assert energy.max_share == pytest.approx(1 / 3)
    main = rows["main"]
    assert (main.kind, main.parent) == ("group", None)
    assert main.disclosed_share == 1.0  # every company discloses something the group reads
    assert [flag.subject for flag in result.flags if flag.kind == "not-discriminating"] == [
        "everyone",
        "nobody",
    ]


def test_too_few_companies_give_reasons_and_never_nan() -> None:
    result = audit(score(COVERAGE_REPORTS[:2], load_rubric(COVERAGE_RUBRIC)))
    document = result.to_dict()
    text = json.dumps(document, allow_nan=False)  # raises on any NaN or infinity
    assert "not_computable" in text
    for row in result.correlations:
        assert isinstance(row.pearson, NotComputable)
    for weight in result.effective_weights:
        assert isinstance(weight.first_order, NotComputable)
    assert not result.suggestion.converged
    assert result.suggestion.note.startswith("not computable, because only 2 companies")


def _no_nan(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isnan(value)
    if isinstance(value, dict):
        return all(_no_nan(v) for v in value.values())
    if isinstance(value, list):
        return all(_no_nan(v) for v in value)
    return True


@pytest.mark.parametrize("rubric", ["iso26000", "citi"])
def test_the_examples_audit_has_no_nan(rubric: str) -> None:
    result = audit(example_scores(rubric))
    assert _no_nan(result.to_dict())
    json.dumps(result.to_dict(), allow_nan=False)
    # One row per node; distributions per node and year plus the total.
    scores = example_scores(rubric)
    nodes = len(scores.criterion_ids) + len(scores.group_ids) - 1
    assert len(result.coverage) == nodes
    assert len(result.distributions) == 2 * (nodes + 1)
    assert len(result.reliability) == len(scores.group_ids)


# --- correlations ---------------------------------------------------------------------------


def test_correlations_match_pandas_on_the_examples() -> None:
    scores = example_scores("citi")
    result = audit(scores)
    frame = Frame(scores, np.ones(len(scores), dtype=bool))
    table = pd.DataFrame({node.id: frame.values[node.row] for node in frame.nodes})
    table[TOTAL] = scores.totals
    pearson = table.corr(method="pearson")
    spearman = table.corr(method="spearman")
    for row in result.correlations:
        pair = table[[row.first, row.second]].dropna()
        assert row.n == len(pair)
        if isinstance(row.pearson, NotComputable):
            assert len(pair) < 3 or pair.nunique().min() < 2
            continue
        assert row.pearson == pytest.approx(pearson.loc[row.first, row.second], abs=1e-12)
        assert row.spearman == pytest.approx(spearman.loc[row.first, row.second], abs=1e-12)


def test_flags_on_correlations() -> None:
    # a1 and a2 move together (redundant); a3 against both (negative with its group).
    reports = [
        _flag_report(k, a1, a2, a3)
        for k, (a1, a2, a3) in enumerate(
            [(0.0, 0.1, 1.0), (0.2, 0.2, 0.8), (0.4, 0.5, 0.7), (0.6, 0.6, 0.3), (1.0, 0.9, 0.0)]
        )
    ]
    rubric = {
        "rubric": "flags",
        "version": "1",
        "title": "Flags",
        "fields": {f"x.a{i}": {"type": "number"} for i in (1, 2, 3)},
        "groups": [
            {
                "id": "a",
                "title": "A",
                "criteria": [_value(f"a{i}", f"x.a{i}") for i in (1, 2, 3)],
            }
        ],
    }
    result = audit(score(reports, load_rubric(rubric)))
    flagged = {(f.kind, f.subject) for f in result.flags}
    assert ("redundant", "a1") in flagged
    assert ("negative-with-parent", "a3") in flagged
    assert not any(kind == "redundant" and subject == "a3" for kind, subject in flagged)
    loose = audit(score(reports, load_rubric(rubric)), redundancy=1.0)
    assert not any(f.kind == "redundant" for f in loose.flags)


def _flag_report(k: int, a1: float, a2: float, a3: float) -> dict[str, Any]:
    return {
        "company": {"id": f"c{k}", "name": f"C{k}"},
        "year": 2024,
        "disclosures": {"x.a1": a1, "x.a2": a2, "x.a3": a3},
    }


# --- invariants -----------------------------------------------------------------------------


def _approx_equal(a: Any, b: Any) -> None:
    if isinstance(a, float):
        assert b == pytest.approx(a, rel=1e-9, abs=1e-9)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _approx_equal(a[key], b[key])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _approx_equal(x, y)
    else:
        assert a == b


@settings(max_examples=5, deadline=None)
@given(st.randoms(use_true_random=False))
def test_permuting_companies_changes_nothing(rng: random.Random) -> None:
    records = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    records = records["reports"] if isinstance(records, dict) else records
    shuffled = records[:]
    rng.shuffle(shuffled)
    rubric = load_rubric("citi")
    _approx_equal(audit(score(records, rubric)).to_dict(), audit(score(shuffled, rubric)).to_dict())


def _scaled_rubric(factor: float) -> dict[str, Any]:
    """Two groups of value criteria with explicit weights (a weight left out is the
    maximum points, which scaling would change); criterion a1's points times `factor`."""
    a1 = _value("a1", "x.a1", weight=1.0)
    a1["value"]["points"] = factor
    return {
        "rubric": "scaled",
        "version": "1",
        "title": "Scaled",
        "fields": {f"x.{n}": {"type": "number"} for n in ("a1", "a2", "b1", "b2")},
        "groups": [
            {
                "id": "a",
                "title": "A",
                "weight": 1,
                "criteria": [a1, _value("a2", "x.a2", weight=1.0)],
            },
            {
                "id": "b",
                "title": "B",
                "weight": 1,
                "criteria": [_value("b1", "x.b1", weight=1.0), _value("b2", "x.b2", weight=1.0)],
            },
        ],
    }


@settings(max_examples=10, deadline=None)
@given(st.floats(0.1, 50.0), st.integers(0, 10_000))
def test_scaling_a_criterions_points_changes_no_correlation(factor: float, seed: int) -> None:
    rng = random.Random(seed)
    reports = [
        {
            "company": {"id": f"c{k}", "name": f"C{k}"},
            "year": 2024,
            "disclosures": {f"x.{n}": round(rng.random(), 2) for n in ("a1", "a2", "b1", "b2")},
        }
        for k in range(12)
    ]
    before = audit(score(reports, load_rubric(_scaled_rubric(1.0))))
    after = audit(score(reports, load_rubric(_scaled_rubric(factor))))
    assert len(before.correlations) == len(after.correlations)
    for one, other in zip(before.correlations, after.correlations, strict=True):
        assert (one.first, one.second, one.n) == (other.first, other.second, other.n)
        _approx_equal(one.pearson, other.pearson)
        _approx_equal(one.spearman, other.spearman)


# --- options ------------------------------------------------------------------------------


def test_one_year() -> None:
    scores = example_scores("citi")
    result = audit(scores, year=2024)
    assert result.companies == int((scores.years == 2024).sum())
    assert result.years == (2024,)
    assert {row.year for row in result.distributions} == {2024}
    with pytest.raises(UsageError, match="no scored report of 1999; the years scored: 2023, 2024"):
        audit(scores, year=1999)
    with pytest.raises(UsageError, match="redundancy"):
        audit(scores, redundancy=1.5)


def test_the_result_is_immutable() -> None:
    result = audit(example_scores("citi"))
    assert isinstance(result, Audit)
    with pytest.raises(AttributeError):
        result.companies = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.coverage[0].applicable = 3  # type: ignore[misc]


@pytest.mark.parametrize("rubric", ["iso26000", "citi"])
def test_the_search_measures_importance_as_the_table_does(rubric: str) -> None:
    scores = example_scores(rubric)
    frame = Frame(scores, np.ones(len(scores), dtype=bool))
    top = [child.id for child in scores.rubric.root.children]
    measured = [_first_order(frame, g) for g in top]
    present = np.vstack([frame.ranked_of(g).present for g in top])
    stacked = _StackedClasses([m[2] for m in measured], [m[3] for m in measured], present)
    expected = [math.sqrt(_float(m[1])) for m in measured]
    assert stacked.etas(scores.totals).tolist() == pytest.approx(expected, abs=1e-12)


def test_evidence_is_counted_by_the_engines_rule() -> None:
    reports = example_scores("iso26000").reports
    disclosures = [d for report in reports for d in report.disclosures.values()]
    odd = [
        Disclosure(1.0, evidence={"url": ""}),
        Disclosure(1.0, evidence={"page": 0}),
        Disclosure(1.0, evidence={"quote": "x"}),
        Disclosure(1.0, evidence={}),
    ]
    everything = [d for d in disclosures + odd if d.evidence is not None]
    found = _evidenced([d.evidence for d in everything])
    assert found.tolist() == [has_evidence(d) for d in everything]
    assert found.any()
    assert not found.all()


def test_a_group_called_total_is_not_the_total() -> None:
    data = factorial_rubric([1.0, 2.0])
    data["groups"][0]["id"] = "total"
    result = audit(score(factorial_reports(2), load_rubric(data)))
    pairs = {(row.first, row.second): row for row in result.correlations}
    assert _float(pairs[("total", TOTAL)].pearson) == pytest.approx(1 / math.sqrt(5))
    assert _float(pairs[("total", "g1")].pearson) == pytest.approx(0.0, abs=1e-12)


def test_the_suggestion_in_json_is_keyed_by_group() -> None:
    scores = score(factorial_reports(3), load_rubric(factorial_rubric([1.0, 2.0, 3.0])))
    document = audit(scores).to_dict()["suggested_weights"]
    assert document["weights"] == pytest.approx({"g0": 1 / 6, "g1": 2 / 6, "g2": 3 / 6})
    assert document["target"] == pytest.approx({"g0": 1 / 6, "g1": 2 / 6, "g2": 3 / 6})
    assert document["converged"] is True


@pytest.mark.parametrize("rubric", ["iso26000", "citi"])
def test_criteria_coded_from_levels_rank_as_their_values_do(rubric: str) -> None:
    scores = example_scores(rubric)
    frame = Frame(scores, np.ones(len(scores), dtype=bool))
    for node in frame.nodes:
        coded = frame.ranked_of(node.id)
        plain = Ranked(frame.values[node.row])
        assert coded.full_ranks.tolist() == plain.full_ranks.tolist(), node.id
        assert correlation_ratio(*classes(coded), scores.totals[coded.present]) == (
            correlation_ratio(*classes(plain), scores.totals[plain.present])
        )
