"""Peer-relative scoring, worked by hand for each method and edge case, plus the
properties: record order never matters, and only a company's own peer group does.
Companies and numbers are synthetic."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import load_reports, load_rubric, score
from csrscore.reference import Others, peer_statistic, reference_score

SECTORS = ("energy", "retail", "mining")


def rubric(*criteria: dict[str, Any]) -> Any:
    return load_rubric(
        {
            "rubric": "peers-test",
            "version": "1",
            "title": "Peers",
            "fields": {"env.water": {"type": "number"}, "org.exempt": {"type": "bool"}},
            "groups": [
                {
                    "id": "g",
                    "title": "G",
                    "criteria": [
                        {"id": f"c{i}", "title": "C", **criterion}
                        for i, criterion in enumerate(criteria)
                    ],
                }
            ],
        }
    )


def value(method: str, **extra: Any) -> dict[str, Any]:
    scoring: dict[str, Any] = {
        "field": "env.water",
        "points": 10,
        "peers": {"method": method, "within": ["company.sector"]},
    }
    scoring.update(extra)
    return {"value": scoring, "applies_when": {"not": {"true": "org.exempt"}}}


def company(name: str, sector: str, year: int, water: float | None, **extra: Any) -> Any:
    disclosures: dict[str, Any] = {} if water is None else {"env.water": water}
    disclosures.update(extra)
    return {
        "company": {"id": name, "name": name.upper(), "sector": sector},
        "year": year,
        "disclosures": disclosures,
    }


RECORDS = [
    company("a", "energy", 2024, 10),
    company("b", "energy", 2024, 20),
    company("c", "energy", 2024, 20),
    company("d", "energy", 2024, 40),
    company("e", "retail", 2024, 5),  # a group of one
    company("f", "energy", 2024, None),  # no value: 0 points, nobody's peer
    company("g", "energy", 2024, 1000, **{"org.exempt": True}),  # N/A: nobody's peer
    company("h", "energy", 2023, 7),  # 2023 is another group: all equal
    company("i", "energy", 2023, 7),
]


def points_of(scores: Any, criterion: int = 0) -> dict[str, float]:
    return {cid: float(scores.points[row, criterion]) for row, cid in enumerate(scores.company_ids)}


def test_min_max() -> None:
    found = points_of(score(RECORDS, rubric(value("min-max"))))
    # energy 2024: lowest 10, highest 40; (x - 10) / 30 of 10 points.
    assert found["a"] == 0
    assert found["b"] == pytest.approx(10 / 3)
    assert found["c"] == pytest.approx(10 / 3)
    assert found["d"] == 10
    assert found["e"] == 5  # alone: the middle
    assert found["h"] == found["i"] == 5  # all equal: the middle
    assert found["f"] == 0


def test_percentile_with_ties() -> None:
    scores = score(RECORDS, rubric(value("percentile")))
    found = points_of(scores)
    # Ranks 0, 1.5, 1.5, 3 of 0..3 (b and c tie at positions 1 and 2).
    assert [found[k] for k in "abcd"] == [0, 5, 5, 10]
    assert found["e"] == found["h"] == found["i"] == 5
    assert scores.levels[scores.index_of("g", 2024), 0] == -1
    assert scores.levels[scores.index_of("f", 2024), 0] == 0


def test_z_score() -> None:
    found = points_of(score(RECORDS, rubric(value("z-score", min=-2, max=2))))
    # mean 22.5; deviations -12.5 -2.5 -2.5 17.5; variance 475 / 4 = 118.75.
    sd = math.sqrt(118.75)
    assert found["a"] == pytest.approx(((-12.5 / sd) + 2) / 4 * 10)  # z -1.147: 2.132
    assert found["a"] == pytest.approx(2.1323, abs=1e-4)
    assert found["d"] == pytest.approx(((17.5 / sd) + 2) / 4 * 10)  # z 1.606: 9.015
    assert found["e"] == found["h"] == 5  # sd 0: z = 0, the middle of -2..2


def test_lower_is_better() -> None:
    found = points_of(score(RECORDS, rubric(value("min-max", direction="lower"))))
    assert [found[k] for k in "abcd"] == pytest.approx([10, 20 / 3, 20 / 3, 0])


def test_bands_on_percentiles() -> None:
    bands = {
        "bands": {
            "field": "env.water",
            "steps": [{"at": 25, "points": 1}, {"at": 75, "points": 3}],
            "peers": {"method": "percentile", "within": ["company.sector"]},
        },
        "applies_when": {"not": {"true": "org.exempt"}},
    }
    scores = score(RECORDS, rubric(bands))
    levels = {cid: int(scores.levels[row, 0]) for row, cid in enumerate(scores.company_ids)}
    assert levels == {"a": 0, "b": 1, "c": 1, "d": 2, "e": 1, "f": 0, "g": -1, "h": 1, "i": 1}
    assert points_of(scores)["d"] == 3


def test_year_always_separates_peers() -> None:
    scores = score(RECORDS, rubric(value("min-max")))
    peers = scores.peers[0]
    assert peers.group[scores.index_of("h", 2023)] != peers.group[scores.index_of("a", 2024)]


def test_explanation_names_the_peers_and_their_statistics() -> None:
    scores = score(RECORDS, rubric(value("z-score", min=-2, max=2)))
    detail = scores.explain("a", 2024).to_dict()["criteria"][0]["value"]["peers"]
    assert detail["method"] == "z-score"
    assert detail["group"] == {"year": 2024, "company.sector": "energy"}
    assert detail["size"] == 4
    assert detail["peers"] == ["a", "b", "c", "d"]
    assert (detail["lowest"], detail["highest"], detail["mean"]) == (10, 40, 22.5)
    assert detail["sd"] == pytest.approx(math.sqrt(118.75))
    assert detail["statistic"] == pytest.approx(-12.5 / math.sqrt(118.75))
    assert detail["note"] is None
    alone = scores.explain("e", 2024).to_dict()["criteria"][0]["value"]["peers"]
    assert alone["note"] == "only peer in its group: placed at the middle (0)"
    equal = scores.explain("h", 2023).to_dict()["criteria"][0]["value"]["peers"]
    assert equal["note"] == "all peers report the same value: all at the middle (0)"
    missing = scores.explain("f", 2024).to_dict()["criteria"][0]["value"]["peers"]
    assert missing["statistic"] is None
    assert missing["note"] == "no value: earns nothing and is not counted among the peers"
    text = str(scores.explain("a", 2024))
    assert 'against peers (z-score) in year 2024, company.sector "energy": 4 peer(s)' in text


def test_reference_peer_statistic_by_hand() -> None:
    assert peer_statistic("percentile", 20, [10, 20, 20, 40]) == 50
    assert peer_statistic("min-max", 20, [10, 20, 20, 40]) == pytest.approx(100 / 3)
    assert peer_statistic("z-score", 5, [5]) == 0
    assert peer_statistic("percentile", 5, [5]) == 50


# --- properties -------------------------------------------------------------------------

WATER = st.one_of(st.none(), st.sampled_from([0.0, 1.5, 2.0, 2.0, 7.25, 100.0, -3.0]))


@st.composite
def record_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 12))
    return [
        company(
            f"co{i}",
            draw(st.sampled_from(SECTORS[:2])),
            draw(st.sampled_from([2023, 2024])),
            draw(WATER),
            **({"org.exempt": True} if draw(st.integers(0, 5)) == 0 else {}),
        )
        for i in range(count)
    ]


CRITERIA = st.sampled_from(
    [
        value("min-max"),
        value("percentile", direction="lower"),
        value("z-score", min=-1.5, max=2),
        {
            "bands": {
                "field": "env.water",
                "steps": [{"at": -0.5, "points": 1}, {"at": 40, "points": 2}],
                "peers": {"method": "z-score", "within": ["company.sector"]},
            }
        },
        {"value": {"field": "env.water", "points": 3, "peers": {"method": "percentile"}}},
    ]
)


def _by_key(scores: Any) -> dict[tuple[str, int], int]:
    return {
        (cid, int(year)): row
        for row, (cid, year) in enumerate(zip(scores.company_ids, scores.years, strict=True))
    }


@settings(max_examples=60, deadline=None)
@given(records=record_sets(), criterion=CRITERIA, seed=st.randoms(use_true_random=False))
def test_order_of_records_never_matters(
    records: list[dict[str, Any]], criterion: dict[str, Any], seed: Any
) -> None:
    loaded = rubric(criterion)
    first = score(records, loaded)
    shuffled = list(records)
    seed.shuffle(shuffled)
    second = score(shuffled, loaded)
    rows = _by_key(second)
    for key, row in _by_key(first).items():
        assert second.points[rows[key]].tolist() == first.points[row].tolist()
        assert second.levels[rows[key]].tolist() == first.levels[row].tolist()
        assert second.totals[rows[key]] == first.totals[row]


@settings(max_examples=60, deadline=None)
@given(records=record_sets(), criterion=CRITERIA, water=WATER)
def test_a_company_in_another_sector_changes_nothing(
    records: list[dict[str, Any]], criterion: dict[str, Any], water: float | None
) -> None:
    if criterion["value" if "value" in criterion else "bands"]["peers"].get("within") is None:
        criterion = value("min-max")  # peers of the whole year would change: not this test
    loaded = rubric(criterion)
    before = score(records, loaded)
    after = score([*records, company("newcomer", "mining", 2024, water)], loaded)
    rows = _by_key(after)
    for key, row in _by_key(before).items():
        assert after.points[rows[key]].tolist() == before.points[row].tolist()
        assert after.totals[rows[key]] == before.totals[row]


@settings(max_examples=60, deadline=None)
@given(records=record_sets(), criterion=CRITERIA)
def test_engine_agrees_with_the_reference(
    records: list[dict[str, Any]], criterion: dict[str, Any]
) -> None:
    loaded = rubric(criterion)
    reports = load_reports(records, strict=True)
    scores = score(reports, loaded)
    others = Others(loaded, reports.reports)
    for row, report in enumerate(reports.reports):
        expected = reference_score(report, loaded, others)
        assert scores.levels[row, 0] == expected.levels["c0"]
        assert scores.points[row, 0] == pytest.approx(expected.points["c0"], abs=1e-9)
        assert scores.totals[row] == pytest.approx(expected.total, abs=1e-9)


def test_no_members_at_all() -> None:
    scores = score([company("a", "energy", 2024, None)], rubric(value("percentile")))
    assert scores.points[0, 0] == 0
    assert np.isnan(scores.peers[0].statistic[0])
    assert scores.explain("a", 2024).to_dict()["criteria"][0]["value"]["peers"]["size"] == 0
