"""The scoring rules of docs/rubrics.md, on tiny rubrics with hand-computed results.

Every expected number in this file is worked out in the comment beside it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from csrscore import Scores, load_rubric
from csrscore.precision import TIE_DECIMALS
from tests.rubric.builders import Data, company, group, ladder, level, rubric_data, run

POLICY = {"true": "env.ghg.policy"}
SCOPE1 = {"number": "env.ghg.scope1"}
SCOPE2 = {"number": "env.ghg.scope2"}
LTIFR = {"exists": "labour.ltifr"}
MINING = {"eq": {"company.sector": "mining"}}


def _column(scores: Scores, criterion_id: str) -> tuple[list[int], list[float]]:
    c = scores.criterion_ids.index(criterion_id)
    return scores.levels[:, c].tolist(), scores.points[:, c].tolist()


def _group(scores: Scores, group_id: str) -> list[float]:
    return [float(value) for value in scores.group_scores[:, scores.group_column(group_id)]]


def _same(actual: list[float], expected: list[float]) -> bool:
    """Equal, NaN matching NaN, up to float rounding."""
    return len(actual) == len(expected) and all(
        (math.isnan(a) and math.isnan(e)) or a == pytest.approx(e, abs=1e-12)
        for a, e in zip(actual, expected, strict=True)
    )


# --- level ladders ---------------------------------------------------------------------


def test_highest_points_wins_and_the_later_level_wins_a_tie() -> None:
    criterion = ladder(
        "c",
        level(2, POLICY),
        level(5, SCOPE1),
        level(3, SCOPE2),
        level(5, LTIFR),
    )
    scores = run(
        rubric_data(group("g", criterion)),
        [
            company("policy-scope2", {"env.ghg.policy": True, "env.ghg.scope2": 1}),  # 2 vs 3
            company("tie", {"env.ghg.scope1": 1, "labour.ltifr": 1}),  # 5 and 5: later
            company("scope1", {"env.ghg.scope1": 1}),
            company("three", {"env.ghg.policy": True, "env.ghg.scope1": 1, "env.ghg.scope2": 1}),
            company("none"),
        ],
    )
    assert _column(scores, "c") == ([3, 4, 2, 2, 0], [3.0, 5.0, 5.0, 5.0, 0.0])
    # The criterion's maximum is its largest level (5): 3/5, 5/5, 5/5, 5/5, 0.
    assert scores.totals.tolist() == pytest.approx([60.0, 100.0, 100.0, 100.0, 0.0])


@pytest.mark.parametrize(
    ("cumulative", "expected_levels", "expected_points"),
    [
        # policy + scope2: level 3 holds but level 2 does not, so a cumulative ladder stops
        # at level 1; without `cumulative`, level 3 (the most points) wins.
        (True, [1, 0, 3, 2, 0], [1.0, 0.0, 3.0, 2.0, 0.0]),
        (False, [3, 3, 3, 2, 0], [3.0, 3.0, 3.0, 2.0, 0.0]),
    ],
)
def test_cumulative_ladder_stops_at_the_first_failing_level(
    cumulative: bool, expected_levels: list[int], expected_points: list[float]
) -> None:
    criterion = ladder(
        "c", level(1, POLICY), level(2, SCOPE1), level(3, SCOPE2), cumulative=cumulative
    )
    scores = run(
        rubric_data(group("g", criterion)),
        [
            company("policy-scope2", {"env.ghg.policy": True, "env.ghg.scope2": 1}),
            company("no-policy", {"env.ghg.scope1": 1, "env.ghg.scope2": 1}),
            company("all", {"env.ghg.policy": True, "env.ghg.scope1": 1, "env.ghg.scope2": 1}),
            company("two", {"env.ghg.policy": True, "env.ghg.scope1": 1}),
            company("none"),
        ],
    )
    assert _column(scores, "c") == (expected_levels, expected_points)


# --- value scoring and bands ------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "values", "expected_points"),
    [
        # higher: points 4 × (value - 1) / (5 - 1), clipped to [0, 1]
        ("higher", [3, 0, 9, 1, 5], [2.0, 0.0, 4.0, 0.0, 4.0]),
        # lower: points 4 × (5 - value) / (5 - 1), clipped
        ("lower", [2, 6, 0.5, 5, 1], [3.0, 0.0, 4.0, 0.0, 4.0]),
    ],
)
def test_value_scoring(direction: str, values: list[float], expected_points: list[float]) -> None:
    criterion = {
        "id": "ltifr",
        "title": "LTIFR",
        "value": {
            "field": "labour.ltifr",
            "min": 1,
            "max": 5,
            "points": 4,
            "direction": direction,
        },
    }
    records = [company(f"c{i}", {"labour.ltifr": v}) for i, v in enumerate(values)]
    scores = run(rubric_data(group("g", criterion)), [*records, company("missing")])
    levels, points = _column(scores, "ltifr")
    # A value criterion's level is 1 when the value is present, 0 when it is missing.
    assert levels == [1, 1, 1, 1, 1, 0]
    assert points == pytest.approx([*expected_points, 0.0])
    assert scores.totals.tolist() == pytest.approx([p / 4 * 100 for p in [*expected_points, 0]])


def test_value_scoring_direction_defaults_to_higher() -> None:
    criterion = {
        "id": "v",
        "title": "V",
        "value": {"field": "labour.ltifr", "min": 0, "max": 10, "points": 5},
    }
    scores = run(rubric_data(group("g", criterion)), [company("a", {"labour.ltifr": 8})])
    assert _column(scores, "v") == ([1], [4.0])


def test_bands_higher() -> None:
    criterion = {
        "id": "share",
        "title": "Renewable share",
        "bands": {
            "field": "env.ghg.scope1",
            "steps": [
                {"at": 20, "points": 1},
                {"at": 50, "points": 2},
                {"at": 80, "points": 3},
            ],
        },
    }
    values = [19, 20, 79.9, 80, 100]
    records = [company(f"c{i}", {"env.ghg.scope1": v}) for i, v in enumerate(values)]
    scores = run(rubric_data(group("g", criterion)), [*records, company("missing")])
    assert _column(scores, "share") == ([0, 1, 2, 3, 3, 0], [0.0, 1.0, 2.0, 3.0, 3.0, 0.0])


def test_bands_lower() -> None:
    criterion = {
        "id": "ltifr",
        "title": "LTIFR",
        "bands": {
            "field": "labour.ltifr",
            "direction": "lower",
            "steps": [{"at": 3, "points": 1}, {"at": 1, "points": 3}],
        },
    }
    values = [5, 3, 2, 1, 0]
    records = [company(f"c{i}", {"labour.ltifr": v}) for i, v in enumerate(values)]
    scores = run(rubric_data(group("g", criterion)), [*records, company("missing")])
    assert _column(scores, "ltifr") == ([0, 1, 1, 2, 2, 0], [0.0, 1.0, 1.0, 3.0, 3.0, 0.0])


# --- applicability ---------------------------------------------------------------------


def _na_rubric(na_policy: str) -> Data:
    return rubric_data(
        group(
            "g",
            ladder("a", level(2, POLICY)),
            ladder("b", level(2, POLICY), level(4, SCOPE1), applies_when=MINING),
            ladder("c", level(4, SCOPE2)),
        ),
        na_policy=na_policy,
    )


NA_RECORDS = [
    # a = 2 of 2, b = 2 of 4, c = 0 of 4
    company("miner", {"env.ghg.policy": True}, sector="mining"),
    # a = 2 of 2, b N/A, c = 4 of 4
    company("bank", {"env.ghg.policy": True, "env.ghg.scope2": 1}, sector="finance"),
    # a = 0 of 2, b N/A (no sector: not mining), c = 0 of 4; a missing disclosure is not N/A
    company("silent"),
]


@pytest.mark.parametrize(
    ("na_policy", "expected_totals"),
    [
        # exclude: the N/A criterion leaves the denominator (TRAC style):
        # miner (2 + 2 + 0) / 10 = 40; bank (2 + 4) / (2 + 4) = 100; silent 0 / 6 = 0
        ("exclude", [40.0, 100.0, 0.0]),
        # zero: it stays there with 0 points: bank (2 + 0 + 4) / 10 = 60
        ("zero", [40.0, 60.0, 0.0]),
    ],
)
def test_na_criterion(na_policy: str, expected_totals: list[float]) -> None:
    scores = run(_na_rubric(na_policy), NA_RECORDS)
    assert _column(scores, "b") == ([1, -1, -1], [2.0, 0.0, 0.0])
    assert scores.applicable[:, scores.criterion_ids.index("b")].tolist() == [True, False, False]
    assert _column(scores, "a") == ([1, 1, 0], [2.0, 2.0, 0.0])
    assert scores.totals.tolist() == pytest.approx(expected_totals)


def _whole_group_rubric(na_policy: str) -> Data:
    return rubric_data(
        group("general", ladder("x", level(1, POLICY), level(2, SCOPE1))),
        group("extractives", ladder("y", level(2, SCOPE2)), applies_when=MINING),
        na_policy=na_policy,
    )


@pytest.mark.parametrize(
    ("na_policy", "extractives", "expected_totals"),
    [
        # exclude: general = 1/2; extractives N/A (NaN) for the bank, so root = 1/2 -> 50.
        # The miner: general 1/2, extractives 2/2, weights 2 and 2 -> (1 + 2) / 4 = 75.
        ("exclude", [math.nan, 1.0], [50.0, 75.0]),
        # zero: extractives has no score (NaN) but counts 0 with its weight 2
        # -> (2 × 0.5 + 2 × 0) / 4 = 25.
        ("zero", [math.nan, 1.0], [25.0, 75.0]),
    ],
)
def test_na_group(na_policy: str, extractives: list[float], expected_totals: list[float]) -> None:
    scores = run(
        _whole_group_rubric(na_policy),
        [
            company("bank", {"env.ghg.policy": True}, sector="finance"),
            company("miner", {"env.ghg.policy": True, "env.ghg.scope2": 1}, sector="mining"),
        ],
    )
    assert scores.group_ids == ("general", "extractives", "__root__")
    assert _same(_group(scores, "extractives"), extractives)
    assert _group(scores, "general") == [0.5, 0.5]
    assert scores.group_applicable[:, 1].tolist() == [False, True]
    # Criteria inside an N/A group are N/A themselves.
    assert _column(scores, "y") == ([-1, 1], [0.0, 2.0])
    assert scores.totals.tolist() == pytest.approx(expected_totals)


def test_group_whose_criteria_are_all_na_is_na_under_exclude() -> None:
    data = rubric_data(
        group("general", ladder("x", level(2, POLICY))),
        group("sector", ladder("y", level(2, SCOPE2), applies_when=MINING)),
    )
    scores = run(data, [company("bank", {"env.ghg.policy": True}, sector="finance")])
    assert _same(_group(scores, "sector"), [math.nan])
    assert scores.totals.tolist() == [100.0]


def test_everything_na_scores_zero() -> None:
    data = rubric_data(group("sector", ladder("y", level(2, SCOPE2)), applies_when=MINING))
    scores = run(data, [company("bank", {"env.ghg.scope2": 1}, sector="finance")])
    assert _same(_group(scores, "__root__"), [math.nan])
    assert scores.totals.tolist() == [0.0]


# --- weights and aggregation -------------------------------------------------------------


def _weights_rubric(**weights: float) -> Data:
    return rubric_data(
        group(
            "g",
            ladder("a", level(1, POLICY), **({"weight": weights["a"]} if "a" in weights else {})),
            ladder(
                "b",
                level(1, SCOPE1),
                level(3, SCOPE2),
                **({"weight": weights["b"]} if "b" in weights else {}),
            ),
        )
    )


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        # default weights = maximum points (1 and 3): points earned / possible = 1 / 4
        ({}, 25.0),
        # equal explicit weights: the mean of the fractions 1/1 and 0/3 = 0.5
        ({"a": 1, "b": 1}, 50.0),
        # explicit weights 3 and 1: (3 × 1 + 1 × 0) / 4
        ({"a": 3, "b": 1}, 75.0),
    ],
)
def test_weights(weights: dict[str, float], expected: float) -> None:
    scores = run(_weights_rubric(**weights), [company("a", {"env.ghg.policy": True})])
    assert scores.totals.tolist() == pytest.approx([expected])
    assert _group(scores, "g") == pytest.approx([expected / 100])


def test_default_weights_make_group_scores_points_over_possible() -> None:
    data = rubric_data(
        group(
            "g",
            ladder("a", level(1, POLICY), level(2, SCOPE1)),
            ladder("b", level(3, SCOPE2)),
            {
                "id": "v",
                "title": "V",
                "value": {"field": "labour.ltifr", "min": 0, "max": 10, "points": 5},
            },
        )
    )
    # 1 + 3 + 5 × 0.4 = 6 of 2 + 3 + 5 = 10
    record = company("a", {"env.ghg.policy": True, "env.ghg.scope2": 1, "labour.ltifr": 4})
    scores = run(data, [record])
    assert scores.points.tolist() == [[1.0, 3.0, 2.0]]
    assert _group(scores, "g") == pytest.approx([0.6])


def test_group_weights_default_to_their_maximum_points() -> None:
    data = rubric_data(
        group("small", ladder("a", level(1, POLICY))),  # max 1
        group("large", ladder("b", level(3, SCOPE1))),  # max 3
    )
    scores = run(data, [company("a", {"env.ghg.policy": True})])
    assert scores.totals.tolist() == pytest.approx([25.0])  # (1 × 1 + 3 × 0) / 4
    weighted = rubric_data(
        group("small", ladder("a", level(1, POLICY)), weight=1),
        group("large", ladder("b", level(3, SCOPE1)), weight=1),
    )
    assert run(weighted, [company("a", {"env.ghg.policy": True})]).totals.tolist() == [50.0]


def _quarter_and_full(group_id: str, **extra: Any) -> Data:
    """Criteria with fractions 1/4 and 4/4 for the record in the geometric tests."""
    return group(
        group_id,
        ladder(f"{group_id}-q", level(1, POLICY), level(4, SCOPE1), weight=1),
        ladder(f"{group_id}-f", level(4, SCOPE2), weight=1),
        **extra,
    )


def test_geometric_aggregation() -> None:
    data = rubric_data(
        _quarter_and_full("geo", weight=1),
        _quarter_and_full("arith", weight=1, aggregation="arithmetic"),
        aggregation="geometric",
    )
    scores = run(data, [company("a", {"env.ghg.policy": True, "env.ghg.scope2": 1})])
    geo = math.sqrt(0.25 * 1.0)  # weighted geometric mean, equal weights: 0.5
    arith = (0.25 + 1.0) / 2  # 0.625
    assert _group(scores, "geo") == pytest.approx([geo])
    assert _group(scores, "arith") == pytest.approx([arith])
    # The root inherits the rubric's geometric default.
    assert scores.totals.tolist() == pytest.approx([100 * math.sqrt(geo * arith)])


def test_geometric_weights_are_exponents() -> None:
    data = rubric_data(
        group(
            "g",
            ladder("q", level(1, POLICY), level(4, SCOPE1), weight=3),
            ladder("f", level(4, SCOPE2), weight=1),
            aggregation="geometric",
        )
    )
    scores = run(data, [company("a", {"env.ghg.policy": True, "env.ghg.scope2": 1})])
    assert scores.totals.tolist() == pytest.approx([100 * 0.25 ** (3 / 4)])


def test_geometric_with_a_zero_child_is_zero() -> None:
    data = rubric_data(_quarter_and_full("g", aggregation="geometric"))
    scores = run(data, [company("a", {"env.ghg.policy": True})])  # fractions 1/4 and 0
    assert scores.totals.tolist() == [0.0]


def test_geometric_skips_na_children_under_exclude() -> None:
    data = rubric_data(
        group(
            "g",
            ladder("q", level(1, POLICY), level(4, SCOPE1), weight=1),
            ladder("na", level(4, SCOPE2), weight=1, applies_when=MINING),
            aggregation="geometric",
        )
    )
    scores = run(data, [company("a", {"env.ghg.policy": True})])
    assert scores.totals.tolist() == pytest.approx([25.0])


# --- adjustments -------------------------------------------------------------------------


ADJUSTMENTS = [
    # Listed first, but caps apply after every point adjustment.
    {"id": "no-report", "title": "No report", "cap": 20, "when": {"missing": "report.published"}},
    {
        "id": "open-violations",
        "title": "Open violations",
        "points_each": -2,
        "count": {"violations": {"status": "open"}},
        "floor": -5,
    },
    {"id": "audited", "title": "Audited", "points": 3, "when": {"eq": {"hr.process": "audited"}}},
]


def _violations(*statuses: str) -> list[Data]:
    return [
        {"id": f"v{i}", "date": "2023-03-01", "status": status} for i, status in enumerate(statuses)
    ]


REPORT = {"published": "2024-03-01"}


def test_adjustments_caps_and_clamp() -> None:
    data = rubric_data(
        group("g", ladder("c", level(5, POLICY), level(10, {"all": [POLICY, SCOPE1]}))),
        adjustments=ADJUSTMENTS,
    )
    policy = {"env.ghg.policy": True}
    records = [
        company("plain", policy, report=REPORT),  # 50
        company(
            "two-open", policy, report=REPORT, violations=_violations("open", "open", "closed")
        ),
        company("four-open", policy, report=REPORT, violations=_violations(*["open"] * 4)),
        company(
            "full-audited",
            {**policy, "env.ghg.scope1": 1, "hr.process": "audited"},
            report=REPORT,
        ),
        company(
            "unpublished",
            {**policy, "hr.process": "audited"},
            violations=_violations("open", "open"),
        ),
        company("nothing", report=REPORT, violations=_violations("open", "open")),
        company("nothing-unpublished"),
    ]
    scores = run(data, records)
    assert scores.adjustment_ids == ("no-report", "open-violations", "audited")
    assert scores.base.tolist() == [50.0, 50.0, 50.0, 100.0, 50.0, 0.0, 0.0]
    assert scores.adjustments.tolist() == [
        [0.0, 0.0, 0.0],
        [0.0, -4.0, 0.0],  # 2 open × -2; the closed record does not count
        [0.0, -5.0, 0.0],  # 4 × -2 = -8, floored at -5
        [0.0, 0.0, 3.0],  # 103 ...
        [-29.0, -4.0, 3.0],  # 50 - 4 + 3 = 49, capped at 20
        [0.0, -4.0, 0.0],  # 0 - 4 ...
        [0.0, 0.0, 0.0],  # min(0, 20) - 0: a cap never raises a total
    ]
    assert scores.violation_counts[:, 1].tolist() == [0, 2, 4, 0, 2, 2, 0]
    assert scores.clamp.tolist() == [0.0, 0.0, 0.0, -3.0, 0.0, 4.0, 0.0]  # ... clamped
    assert scores.totals.tolist() == [50.0, 46.0, 45.0, 100.0, 20.0, 0.0, 0.0]
    np.testing.assert_allclose(
        scores.base + scores.adjustments.sum(axis=1) + scores.clamp, scores.totals
    )


def test_count_adjustment_with_when_and_ceiling() -> None:
    bonus = {
        "id": "answered",
        "title": "Answered violations",
        "points_each": 2,
        "count": {"violations": {"public_response": True}},
        "ceiling": 5,
        "when": POLICY,
    }
    data = rubric_data(
        group("g", ladder("c", level(1, SCOPE1), level(2, SCOPE2))), adjustments=[bonus]
    )
    answered = [
        {"id": f"v{i}", "date": "2023-03-01", "status": "responded", "public_response": True}
        for i in range(4)
    ]
    scores = run(
        data,
        [
            company("a", {"env.ghg.policy": True, "env.ghg.scope1": 1}, violations=answered[:1]),
            company("b", {"env.ghg.policy": True, "env.ghg.scope1": 1}, violations=answered),
            company("c", {"env.ghg.scope1": 1}, violations=answered),  # `when` fails
        ],
    )
    # base 50; +2 for one; 4 × 2 = 8 held to the ceiling of 5; nothing where `when` fails
    assert scores.adjustments[:, 0].tolist() == [2.0, 5.0, 0.0]
    assert scores.totals.tolist() == [52.0, 55.0, 50.0]


def test_scale_and_clamp() -> None:
    bonus = {"id": "bonus", "title": "Bonus", "points": 4, "when": POLICY}
    data = rubric_data(group("g", ladder("c", level(1, SCOPE1))), scale=10, adjustments=[bonus])
    scores = run(
        data,
        [
            company("a", {"env.ghg.policy": True, "env.ghg.scope1": 1}),  # 10 + 4 -> 10
            company("b", {"env.ghg.policy": True}),  # 0 + 4
        ],
    )
    assert scores.base.tolist() == [10.0, 0.0]
    assert scores.totals.tolist() == [10.0, 4.0]
    assert scores.clamp.tolist() == [-4.0, 0.0]


# --- grades ------------------------------------------------------------------------------


def test_grades() -> None:
    data = rubric_data(
        group("g", ladder("c", *(level(p, {"gte": {"labour.ltifr": p}}) for p in range(1, 11)))),
        grades={"A": 80, "B": 50, "C": 0},
    )
    values = [10, 8, 7, 5, 4, 0]
    scores = run(data, [company(f"c{v}", {"labour.ltifr": v}) for v in values])
    assert scores.totals.tolist() == [100.0, 80.0, 70.0, 50.0, 40.0, 0.0]
    assert scores.grades == ("A", "A", "B", "B", "C", "C")


def test_no_grades_gives_empty_grade() -> None:
    scores = run(rubric_data(group("g", ladder("c", level(1, POLICY)))), [company("a")])
    assert scores.grades == ("",)


def test_a_total_exactly_at_a_grade_threshold_earns_the_grade() -> None:
    # 29 of 100 points is 28.999999999999996 in floating point; grades round it first.
    data = rubric_data(
        group("g", ladder("c", level(29, POLICY), level(100, SCOPE1))),
        grades={"A": 29, "B": 0},
    )
    scores = run(data, [company("a", {"env.ghg.policy": True})])
    assert scores.totals[0] == pytest.approx(29.0)
    assert scores.grades == ("A",)


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (28.999999999999996, "A"),
        (29.0000004, "A"),
        (28.9999996, "A"),  # rounds to 29.0 at TIE_DECIMALS
        (28.9999994, "B"),  # rounds to 28.999999
        (28.99999, "B"),
        (0.0, "B"),
        (-0.0000004, "B"),  # rounds to -0.0
    ],
)
def test_grade_for_rounds_the_total_to_tie_decimals(total: float, grade: str) -> None:
    assert TIE_DECIMALS == 6
    rubric = load_rubric(
        rubric_data(group("g", ladder("c", level(1, POLICY))), grades={"A": 29, "B": 0})
    )
    assert rubric.grade_for(total) == grade
