"""The rubric language expresses the shapes of published CSR indices.

Each test writes a toy methodology in the shape of a known index, with numbers made up
for the test, and checks totals computed by hand. None of these is the index's real
methodology.
"""

from __future__ import annotations

import numpy as np
import pytest

from csrscore.rubric import lint_rubric
from tests.rubric.builders import Data, company, group, ladder, level, rubric_data, run

POLICY = {"true": "env.ghg.policy"}


def test_knowthechain_shape_weighted_themes_of_indicators_of_0_to_100_sub_indicators() -> None:
    """Themes (explicit weights) -> indicators (weighted groups) -> sub-indicators scored
    0..100 with explicit weights; an indicator is the weighted mean of its sub-indicators."""

    def sub(criterion_id: str, weight: float, *levels: Data) -> Data:
        return ladder(criterion_id, *levels, weight=weight)

    commitment = group(
        "commitment",
        weight=30,
        groups=[
            group(
                "commitment-governance",
                sub("c-policy", 1, level(50, {"exists": "env.ghg.policy"}), level(100, POLICY)),
                sub(
                    "c-process",
                    1,
                    level(25, {"in": {"hr.process": ["planned", "documented", "audited"]}}),
                    level(50, {"in": {"hr.process": ["documented", "audited"]}}),
                    level(100, {"eq": {"hr.process": "audited"}}),
                ),
                weight=1,
            )
        ],
    )
    recruitment = group(
        "recruitment",
        weight=70,
        groups=[
            group(
                "rec-fees",
                sub("r-fees-policy", 2, level(100, {"number": "env.ghg.scope1"})),
                sub("r-fees-repaid", 1, level(100, {"number": "env.ghg.scope2"})),
                weight=2,
            ),
            group(
                "rec-monitoring",
                sub(
                    "r-monitoring",
                    1,
                    level(50, {"contains": {"sc.suppliers": "tier1"}}),
                    level(100, {"contains": {"sc.suppliers": "tier2"}}),
                ),
                weight=1,
            ),
        ],
    )
    rubric = rubric_data(commitment, recruitment)
    scores = run(
        rubric,
        [
            company(
                "a",
                {
                    "env.ghg.policy": True,
                    "hr.process": "documented",
                    "env.ghg.scope1": 1,
                    "sc.suppliers": ["tier1"],
                },
            ),
            company("b", {"env.ghg.policy": False}),
        ],
    )
    # a: governance (100 + 50) / 2 = 75%; fees (2 × 100 + 1 × 0) / 3; monitoring 50%;
    #    recruitment (2 × 2/3 + 1 × 1/2) / 3 = 11/18; total 30% × 0.75 + 70% × 11/18.
    # b: governance (50 + 0) / 2 = 25%; recruitment 0; total 30% × 0.25.
    assert scores.points[0].tolist() == [100.0, 50.0, 100.0, 0.0, 50.0]
    governance = scores.group_column("commitment-governance")
    assert scores.group_scores[:, governance].tolist() == pytest.approx([0.75, 0.25])
    recruitment_score = scores.group_scores[:, scores.group_column("recruitment")]
    assert recruitment_score.tolist() == pytest.approx([11 / 18, 0.0])
    assert scores.totals.tolist() == pytest.approx([30 * 0.75 + 70 * 11 / 18, 7.5])
    assert lint_rubric(scores.rubric) == []


def test_fti_shape_points_summed_per_section() -> None:
    """Default weights (maximum points) everywhere: the total is points earned over points
    possible, whatever the sections, and each section's score is its own share."""

    def item(criterion_id: str, points: float, when: Data) -> Data:
        return ladder(criterion_id, level(points, when))

    rubric = rubric_data(
        group(
            "policy",
            item("p-climate", 1, POLICY),
            item("p-process", 1, {"exists": "hr.process"}),
            item("p-committee", 1, {"exists": "gov.committee"}),
        ),
        group(
            "traceability",
            ladder(
                "t-suppliers",
                level(1, {"contains": {"sc.suppliers": "tier1"}}),
                level(2, {"contains": {"sc.suppliers": "tier2"}}),
            ),
            item("t-emissions", 4, {"number": "env.ghg.scope1"}),
        ),
        group(
            "spotlight",
            groups=[group("spot-injuries", item("s-ltifr", 2, {"number": "labour.ltifr"}))],
        ),
        scale=250,
    )
    records = [
        company(
            "a",
            {"env.ghg.policy": True, "hr.process": "none", "sc.suppliers": ["tier2"]},
        ),
        company("b", {"env.ghg.scope1": 1, "labour.ltifr": 2, "gov.committee": "Ethics"}),
    ]
    scores = run(rubric, records)
    # a: 1 + 1 + 0 + 2 + 0 + 0 = 4 of 3 + 6 + 2 = 11; b: 0 + 0 + 1 + 0 + 4 + 2 = 7 of 11
    assert scores.points.sum(axis=1).tolist() == [4.0, 7.0]
    assert scores.totals.tolist() == pytest.approx([4 / 11 * 250, 7 / 11 * 250])
    sections = [scores.group_column(g) for g in ("policy", "traceability", "spotlight")]
    np.testing.assert_allclose(
        scores.group_scores[:, sections], [[2 / 3, 2 / 6, 0.0], [1 / 3, 4 / 6, 1.0]]
    )


def test_chrb_shape_0_1_2_indicators() -> None:
    """Indicators scored 0, 1 or 2, where 2 also needs what 1 needs (a cumulative ladder),
    in themes with percentage weights."""

    def indicator(criterion_id: str, one: Data, two: Data) -> Data:
        return ladder(
            criterion_id,
            level(1, one, "Score 1"),
            level(2, two, "Score 2"),
            cumulative=True,
        )

    rubric = rubric_data(
        group(
            "governance",
            indicator("a1", POLICY, {"number": "env.ghg.scope1"}),
            indicator("a2", {"exists": "hr.process"}, {"eq": {"hr.process": "audited"}}),
            weight=10,
        ),
        group(
            "due-diligence",
            indicator("b1", {"number": "env.ghg.scope2"}, {"number": "labour.ltifr"}),
            indicator(
                "b2",
                {"contains": {"sc.suppliers": "tier1"}},
                {"contains": {"sc.suppliers": "tier2"}},
            ),
            indicator(
                "b3",
                {"exists": "gov.committee"},
                {"matches": {"gov.committee": "(?i)board"}},
            ),
            weight=25,
        ),
    )
    record = company(
        "a",
        {
            "env.ghg.policy": True,
            "env.ghg.scope1": 1,
            "hr.process": "planned",
            "labour.ltifr": 1,  # score-2 evidence without score 1: still 0
            "sc.suppliers": ["tier2"],  # likewise
            "gov.committee": "Board human rights committee",
        },
    )
    scores = run(rubric, [record])
    assert scores.levels.tolist() == [[2, 1, 0, 0, 2]]
    # governance (2 + 1) / 4; due diligence (0 + 0 + 2) / 6; themes weighted 10 : 25
    expected = (10 * 3 / 4 + 25 * 2 / 6) / 35 * 100
    assert scores.totals.tolist() == pytest.approx([expected])


def test_cdp_shape_cumulative_ladder_with_letter_grades() -> None:
    """Disclosure -> awareness -> management -> leadership: a level counts only if every
    level below it is reached."""
    levels = [
        level(1, {"exists": "env.ghg.policy"}, "Disclosure"),
        level(2, {"number": "env.ghg.scope1"}, "Awareness"),
        level(3, {"number": "env.ghg.scope2"}, "Management"),
        level(4, {"assured": "env.ghg.scope1"}, "Leadership"),
    ]
    grades = {"A": 100, "B": 75, "C": 50, "D": 25, "F": 0}
    assured = {"value": 10, "assured": True}
    records = [
        company("leader", {"env.ghg.policy": True, "env.ghg.scope1": assured, "env.ghg.scope2": 1}),
        company("gap", {"env.ghg.policy": True, "env.ghg.scope1": assured}),
        company("aware", {"env.ghg.policy": False, "env.ghg.scope1": 3}),
        company("silent", {"env.ghg.scope1": assured}),
    ]
    cumulative = run(
        rubric_data(group("climate", ladder("cdp", *levels, cumulative=True)), grades=grades),
        records,
    )
    assert cumulative.levels[:, 0].tolist() == [4, 2, 2, 0]
    assert cumulative.totals.tolist() == [100.0, 50.0, 50.0, 0.0]
    assert cumulative.grades == ("A", "C", "C", "F")
    # Without `cumulative`, the best level that holds counts, gaps or not.
    best = run(rubric_data(group("climate", ladder("cdp", *levels)), grades=grades), records)
    assert best.levels[:, 0].tolist() == [4, 4, 2, 4]
    assert best.grades == ("A", "A", "C", "A")


@pytest.mark.parametrize(
    ("other_sectors", "unknown_sector_levels"),
    [
        # `not` of `in` holds when the sector is unknown: the general item applies.
        ({"not": {"in": {"company.sector": ["textiles", "leather"]}}}, [-1, 1]),
        # `not_in` never holds on a missing field: both items are N/A for that company.
        ({"not_in": {"company.sector": ["textiles", "leather"]}}, [-1, -1]),
    ],
)
def test_citi_shape_sector_specific_maxima(
    other_sectors: Data, unknown_sector_levels: list[int]
) -> None:
    """One item worth 8 points for wet-processing sectors and 4 for the others, written as
    two criteria with complementary `applies_when`; N/A items leave the denominator."""
    wet = {"in": {"company.sector": ["textiles", "leather"]}}
    rubric = rubric_data(
        group(
            "green-supply-chain",
            ladder("g-policy", level(2, POLICY)),
            ladder(
                "g-wastewater-wet",
                level(4, {"number": "env.ghg.scope1"}),
                level(8, {"assured": "env.ghg.scope1"}),
                applies_when=wet,
            ),
            ladder(
                "g-wastewater-other",
                level(2, {"number": "env.ghg.scope1"}),
                level(4, {"assured": "env.ghg.scope1"}),
                applies_when=other_sectors,
            ),
        )
    )
    assured = {"value": 1, "assured": True}
    scores = run(
        rubric,
        [
            company("mill", {"env.ghg.policy": True, "env.ghg.scope1": assured}, sector="textiles"),
            company("tannery", {"env.ghg.scope1": 1}, sector="leather"),
            company("retailer", {"env.ghg.policy": True, "env.ghg.scope1": 1}, sector="retail"),
            company("unknown", {"env.ghg.policy": True, "env.ghg.scope1": 1}),
        ],
    )
    assert scores.levels[:3, 1:].tolist() == [[2, -1], [1, -1], [-1, 1]]
    assert scores.levels[3, 1:].tolist() == unknown_sector_levels
    # mill (2 + 8) / 10; tannery (0 + 4) / 10; retailer (2 + 2) / (2 + 4)
    assert scores.totals[:3].tolist() == pytest.approx([100.0, 40.0, 400 / 6])
    # unknown sector: (2 + 2) / 6 with the general item; 2 / 2 when both items are N/A
    expected_unknown = 400 / 6 if unknown_sector_levels[1] == 1 else 100.0
    assert scores.totals[3] == pytest.approx(expected_unknown)
