"""Records are checked against the rubric's catalog before scoring."""

from __future__ import annotations

from typing import Any

import pytest

from csrscore import ReportError, load_rubric, score
from csrscore.records.check import UnknownKey

RUBRIC: dict[str, Any] = {
    "rubric": "conform",
    "version": "1",
    "title": "Catalog conformance",
    "fields": {
        "x.flag": {"type": "bool"},
        "x.level": {"type": "enum", "values": ["low", "high"]},
        "x.tiers": {"type": "list", "values": ["a", "b"]},
    },
    "groups": [
        {
            "id": "g",
            "title": "G",
            "criteria": [
                {
                    "id": "c",
                    "title": "C",
                    "levels": [{"points": 1, "label": "L", "when": {"true": "x.flag"}}],
                }
            ],
        }
    ],
}


def _record(company_id: str, disclosures: dict[str, Any]) -> dict[str, Any]:
    return {
        "company": {"id": company_id, "name": company_id},
        "year": 2024,
        "disclosures": disclosures,
    }


def test_wrong_type_on_a_known_key_rejects_the_record_with_its_location() -> None:
    records = [
        _record("good", {"x.flag": True}),
        _record("bad-type", {"x.flag": "yes"}),
        _record("bad-enum", {"x.level": "medium"}),
        _record("bad-item", {"x.tiers": ["a", "z"]}),
    ]
    scores = score(records, load_rubric(RUBRIC))
    assert scores.company_ids == ("good",)
    rejected = {r.company_id: r for r in scores.rejected}
    assert set(rejected) == {"bad-type", "bad-enum", "bad-item"}
    assert rejected["bad-type"].index == 1
    assert rejected["bad-type"].path == 'disclosures["x.flag"]'
    assert "catalog says bool, got str" in rejected["bad-type"].message
    assert "'medium' is not one of: low, high" in rejected["bad-enum"].message
    assert "'z'" in rejected["bad-item"].message


def test_unknown_keys_are_warnings_with_counts() -> None:
    records = [_record("a", {"x.flag": True, "y.other": 1}), _record("b", {"y.other": 2})]
    scores = score(records, load_rubric(RUBRIC))
    assert len(scores) == 2
    (warning,) = scores.warnings
    assert isinstance(warning, UnknownKey)
    assert (warning.key, warning.records, warning.first_index) == ("y.other", 2, 0)
    assert "not in the catalog" in str(warning)


def test_strict_scoring_raises_on_a_catalog_mismatch() -> None:
    with pytest.raises(ReportError, match="catalog says bool"):
        score([_record("bad", {"x.flag": 1})], load_rubric(RUBRIC), strict=True)


def test_case_and_spacing_variants_of_catalog_values_are_taken_as_written_in_the_catalog() -> None:
    data = {**RUBRIC, "fields": {**RUBRIC["fields"], "x.oversight": {
        "type": "enum", "values": ["none", "board_committee"]}}}  # fmt: skip
    data["groups"] = [
        {
            "id": "g",
            "title": "G",
            "criteria": [
                {
                    "id": "c",
                    "title": "C",
                    "levels": [
                        {"points": 1, "label": "high", "when": {"eq": {"x.level": "high"}}},
                        {"points": 2, "label": "both", "when": {"contains": {"x.tiers": "b"}}},
                        {
                            "points": 3,
                            "label": "board",
                            "when": {"eq": {"x.oversight": "board_committee"}},
                        },
                    ],
                }
            ],
        }
    ]
    records = [
        _record("upper", {"x.level": "HIGH"}),
        _record("spaced", {"x.tiers": [" A", "B "]}),
        _record("words", {"x.oversight": "Board committee"}),
        _record("hyphen", {"x.oversight": "board-committee"}),
    ]
    scores = score(records, load_rubric(data))
    assert scores.rejected == ()
    # Each scores as its catalog spelling does: 1 of 3, 2 of 3, 3 of 3, 3 of 3.
    assert [round(float(t), 6) for t in scores.totals] == [33.333333, 66.666667, 100.0, 100.0]
    shown = [dict(r.disclosures) for r in scores.reports]
    assert shown[0]["x.level"].value == "high"
    assert shown[1]["x.tiers"].value == ("a", "b")
    assert shown[2]["x.oversight"].value == "board_committee"
    explained = scores.explain("words").to_dict()["criteria"][0]["evidence"]
    assert explained[0]["value"] == "board_committee"


def test_a_value_the_catalog_does_not_list_is_rejected_with_a_suggestion() -> None:
    scores = score([_record("typo", {"x.level": "hihg"}), _record("ok", {})], load_rubric(RUBRIC))
    (rejection,) = scores.rejected
    assert rejection.company_id == "typo"
    assert rejection.message == "'hihg' is not one of: low, high (did you mean 'high'?)"
    assert scores.company_ids == ("ok",)
