"""The facts docs/methodology.md ("What an empty value counts as") states, each checked on a
record made for it."""

from __future__ import annotations

from typing import Any

from csrscore import load_rubric, score

FIELDS = {"k.policy": {"type": "bool"}, "k.sites": {"type": "list"}}


def _rubric(*conditions: dict[str, Any]) -> Any:
    return load_rubric(
        {
            "rubric": "semantics",
            "version": "1",
            "title": "Semantics (synthetic)",
            "fields": FIELDS,
            "groups": [
                {
                    "id": "g",
                    "title": "G",
                    "criteria": [
                        {
                            "id": f"c{i}",
                            "title": "C",
                            "levels": [{"points": 1, "label": "L", "when": c}],
                        }
                        for i, c in enumerate(conditions)
                    ],
                }
            ],
        }
    )


def _record(i: int, disclosures: dict[str, Any], **report: Any) -> dict[str, Any]:
    return {
        "company": {"id": f"c{i}", "name": f"C{i}"},
        "year": 2024,
        "report": report,
        "disclosures": disclosures,
    }


def test_blank_quotes_and_urls_are_not_evidence_a_page_is() -> None:
    evidences = [
        {"quote": ""},
        {"quote": " \t"},
        {"url": "  "},
        {"quote": "We publish"},
        {"page": 0},
    ]
    records = [
        _record(i, {"k.policy": {"value": True, "evidence": evidence}})
        for i, evidence in enumerate(evidences)
    ]
    scores = score(records, _rubric({"has_evidence": "k.policy"}))
    assert scores.levels[:, 0].tolist() == [0, 0, 0, 1, 1]
    # stats.evidence_share follows the same rule: 0 of 1 disclosure, then 1 of 1.
    shares = score(records, _rubric({"gte": {"stats.evidence_share": 1}}))
    assert shares.levels[:, 0].tolist() == [0, 0, 0, 1, 1]


def test_an_empty_frameworks_list_is_missing_an_empty_list_disclosure_exists() -> None:
    records = [_record(0, {"k.sites": []}, frameworks=[])]
    scores = score(records, _rubric({"exists": "report.frameworks"}, {"exists": "k.sites"}))
    assert scores.levels[0].tolist() == [0, 1]


def test_shares_of_a_record_with_no_disclosures_are_0_and_keys_outside_the_catalog_count() -> None:
    records = [_record(0, {}), _record(1, {"x.unknown": 1, "k.policy": True})]
    rubric = _rubric(
        {"lte": {"stats.assured_share": 0}},  # holds for the empty record
        {"gte": {"stats.disclosures": 2}},  # x.unknown counts though no criterion reads it
    )
    scores = score(records, rubric)
    assert scores.levels.tolist() == [[1, 0], [1, 1]]
