"""Pre-scored indicators, `criterion_defaults`, fields declared by their criterion and
weight 0, on a small rubric and data set made for the test, totals worked by hand."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from csrscore import load_rubric, score
from csrscore.errors import RubricError
from csrscore.rubric.schema import rubric_schema

# Two groups of pre-scored indicators (synthetic). Supply chain on 0..100 with weights
# 60/40, governance on 0..5 with default weights, one indicator shown at weight 0.
RUBRIC: dict[str, Any] = {
    "rubric": "prescored",
    "version": "1",
    "title": "Pre-scored indicators (synthetic)",
    "criterion_defaults": {"score": {"scale": 100}},
    "groups": [
        {
            "id": "supply",
            "title": "Supply chain",
            "criteria": [
                {"id": "s1", "title": "Supplier list", "weight": 60, "score": {"field": "sc.s1"}},
                {"id": "s2", "title": "Audits", "weight": 40, "score": {"field": "sc.s2"}},
            ],
        },
        {
            "id": "gov",
            "title": "Governance",
            "criterion_defaults": {"score": {"scale": 5}},
            "criteria": [
                {"id": "g1", "title": "Board", "score": {"field": "gv.g1"}},
                {"id": "g2", "title": "Policy", "weight": 0, "score": {"field": "gv.g2"}},
            ],
        },
    ],
}


def _record(company: str, **scores: float) -> dict[str, Any]:
    disclosures = {key.replace("_", "."): value for key, value in scores.items()}
    return {
        "company": {"id": company, "name": company.upper()},
        "year": 2024,
        "disclosures": disclosures,
    }


RECORDS = [
    _record("a", sc_s1=50, sc_s2=100, gv_g1=4, gv_g2=5),
    _record("b", sc_s1=100, sc_s2=0, gv_g1=5),
    _record("c", sc_s1=100, sc_s2=100, gv_g1=0, gv_g2=0),
]


def test_scores_are_taken_as_published_and_weighted() -> None:
    scores = score(RECORDS, load_rubric(RUBRIC))
    # Supply weighs its maximum, 200 points; governance 10 (g1 5 + g2 5, g2 weighing 0
    # inside the group does not change the group's own maximum).
    # a: supply (60 x 0.5 + 40 x 1) / 100 = 0.7; gov 4/5 = 0.8 (g2 counts nothing);
    #    total (200 x 0.7 + 10 x 0.8) / 210 x 100 = 148 / 2.1 = 70.476...
    # b: supply 0.6, gov 1.0 (g2 missing, but it weighs 0): (120 + 10) / 2.1 = 61.904...
    # c: supply 1.0, gov 0.0: 200 / 2.1 = 95.238...
    assert scores.totals.tolist() == pytest.approx([148 / 2.1, 130 / 2.1, 200 / 2.1])
    assert scores.rank().tolist() == [2, 3, 1]
    assert scores.points[0].tolist() == [50, 100, 4, 5]
    assert scores.rubric.nodes["s1"].kind == "score"  # type: ignore[union-attr]


def test_points_beside_a_group_agree_with_its_percentage() -> None:
    scores = score(RECORDS, load_rubric(RUBRIC))
    supply = scores.explain("a").to_dict()["groups"][0]
    # Raw points are 150 of 200 (75%), but the weights make the group 70%: the points
    # shown beside it are 70% of 200, not the raw sum.
    assert supply["score"] == pytest.approx(70.0)
    assert (supply["points_earned"], supply["points_possible"]) == pytest.approx((140.0, 200.0))
    gov = scores.explain("a").to_dict()["groups"][1]
    assert (gov["points_earned"], gov["points_possible"]) == pytest.approx((8.0, 10.0))
    detail = scores.explain("a").to_dict()["criteria"][0]
    assert detail["kind"] == "score"
    assert detail["value"] == {"field": "sc.s1", "actual": 50.0, "present": True, "scale": 100.0}
    assert "on a scale of 0 to 100" in str(scores.explain("a"))


def test_a_score_outside_its_scale_is_clipped() -> None:
    scores = score([_record("x", sc_s1=120, sc_s2=-5, gv_g1=9)], load_rubric(RUBRIC))
    assert scores.points[0].tolist() == [100, 0, 5, 0]


def test_points_rescale_a_score() -> None:
    data = copy.deepcopy(RUBRIC)
    data["groups"][0]["criteria"][0]["score"]["points"] = 5  # 50 of 100 -> 2.5 of 5
    scores = score(RECORDS[:1], load_rubric(data))
    assert scores.points[0, 0] == 2.5


def test_scored_fields_need_no_declaration_and_are_typed() -> None:
    rubric = load_rubric(RUBRIC)
    spec = rubric.catalog.get("sc.s1")
    assert spec is not None
    assert spec.type == "number"
    text = _record("t", sc_s1=50)
    text["disclosures"]["sc.s1"] = "fifty"
    scores = score([text, RECORDS[0]], rubric)
    assert [rejection.company_id for rejection in scores.rejected] == ["t"]


def test_a_scored_field_close_to_a_catalog_key_is_flagged(tmp_path: Any) -> None:
    import yaml

    from csrscore import check_rubric

    data = copy.deepcopy(RUBRIC)
    data["groups"][0]["criteria"][0]["score"]["field"] = "env.ghg.scope11"  # scope1
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    found = [f for f in check_rubric(path) if f.code == "inferred-field"]
    assert len(found) == 1
    assert "did you mean 'env.ghg.scope1'" in found[0].message
    assert found[0].location.path == "groups[0].criteria[0].score.field"


def test_nearest_defaults_win_and_own_keys_and_forms_win() -> None:
    data = copy.deepcopy(RUBRIC)
    data["criterion_defaults"] = {"score": {"scale": 100, "points": 10}, "weight": 2}
    data["groups"][1]["criteria"].append(
        {
            "id": "g3",
            "title": "Ladder",
            "levels": [{"points": 1, "label": "Yes", "when": {"exists": "gv.g1"}}],
        }
    )
    rubric = load_rubric(data)
    g1, g3, s1 = rubric.nodes["g1"], rubric.nodes["g3"], rubric.nodes["s1"]
    # g1: scale from its group (5), points from the top (10), weight from the top (2).
    assert (g1.value.scale, g1.value.points, g1.weight) == (5, 10, 2)  # type: ignore[union-attr]
    assert s1.weight == 60  # its own
    assert g3.kind == "levels"  # type: ignore[union-attr]
    assert g3.weight == 2


def test_weight_zero_is_valid_and_negative_is_refused_by_loader_and_schema() -> None:
    validator = Draft202012Validator(rubric_schema())
    assert not list(validator.iter_errors(RUBRIC))
    negative = copy.deepcopy(RUBRIC)
    negative["groups"][1]["criteria"][1]["weight"] = -1
    assert list(validator.iter_errors(negative))
    with pytest.raises(RubricError, match="weight must be 0 or more, got -1"):
        load_rubric(negative)


def test_a_group_whose_children_all_weigh_zero_is_not_applicable() -> None:
    data = copy.deepcopy(RUBRIC)
    data["groups"][1]["criteria"][0]["weight"] = 0
    scores = score(RECORDS[:1], load_rubric(data))
    # gov has no weight left: N/A, so the total is supply alone, 70.
    assert scores.totals[0] == pytest.approx(70.0)
    assert scores.group_scores[0, scores.group_column("gov")] != scores.group_scores[0, 0]


def test_a_score_without_a_scale_anywhere_is_a_located_error() -> None:
    data = copy.deepcopy(RUBRIC)
    del data["criterion_defaults"]
    with pytest.raises(RubricError, match="a score needs its 'scale'") as caught:
        load_rubric(data)
    assert caught.value.location.path == "groups[0].criteria[0].score"
