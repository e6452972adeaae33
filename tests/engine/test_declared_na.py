"""Disclosures a company declares not applicable: the criteria reading them become N/A."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from csrscore import load_reports, load_rubric, score
from csrscore.errors import ReportError
from csrscore.explain.schema import explanation_schema
from csrscore.reference import reference_score
from csrscore.rubric.load import check_rubric

RUBRIC: dict[str, Any] = {
    "rubric": "declared-na",
    "version": "1",
    "title": "Synthetic: the worked example of docs/methodology.md, section 2",
    "fields": {"water": {"type": "number"}, "ghg": {"type": "bool"}},
    "groups": [
        {
            "id": "env",
            "title": "Environment",
            "criteria": [
                {
                    "id": "water",
                    "title": "Water withdrawal",
                    "levels": [
                        {"points": 1, "label": "Given", "when": {"exists": "water"}},
                        {"points": 2, "label": "Low", "when": {"lt": {"water": 10}}},
                    ],
                },
                {
                    "id": "emissions",
                    "title": "Emissions policy",
                    "levels": [{"points": 2, "label": "Yes", "when": {"true": "ghg"}}],
                },
            ],
        }
    ],
}


def _record(cid: str, **extra: Any) -> dict[str, Any]:
    return {"company": {"id": cid, "name": f"Synthetic {cid}"}, "year": 2024, **extra}


RECORDS = [
    _record("a", disclosures={"water": 50, "ghg": True}),
    _record("b", disclosures={"ghg": True}, not_applicable={"water": "offices only"}),
    _record("c", disclosures={"ghg": True}),
]


@pytest.mark.parametrize("policy", ["exclude", "zero"])
def test_worked_example(policy: str) -> None:
    rubric = load_rubric({**RUBRIC, "na_policy": policy})
    scores = score(RECORDS, rubric)
    assert scores.levels[:, 0].tolist() == [1, -1, 0]
    # exclude: B's water criterion leaves the denominator; zero: it counts as 0 of 2.
    expected = [75.0, 100.0, 50.0] if policy == "exclude" else [75.0, 50.0, 50.0]
    assert scores.totals.tolist() == expected
    for i, report in enumerate(scores.reports):
        assert reference_score(report, rubric).total == scores.totals[i]


def test_explanation_gives_the_reason() -> None:
    scores = score(RECORDS, load_rubric(RUBRIC))
    explanation = scores.explain("b")
    Draft202012Validator(explanation_schema()).validate(explanation.to_dict())
    water = explanation.to_dict()["criteria"][0]
    assert water["applicable"] is False
    assert water["not_applicable_because"] == {
        "node": "water",
        "trace": None,
        "declared": [{"field": "water", "reason": "offices only"}],
    }
    text = str(explanation)
    assert "water: N/A (declared by the company)" in text
    assert "N/A: the company declares water not applicable: offices only" in text


def test_a_key_both_disclosed_and_not_applicable_is_rejected() -> None:
    bad = _record("d", disclosures={"water": 1}, not_applicable={"water": "none"})
    loaded = load_reports([bad])
    (rejection,) = loaded.rejected
    assert "both disclosed and marked not applicable" in rejection.message
    with pytest.raises(ReportError):
        load_reports([bad], strict=True)


def _lint_messages(tmp_path: Path, applies_when: dict[str, Any]) -> list[str]:
    data = {**RUBRIC, "fields": {**RUBRIC["fields"], "na_list": {"type": "list"}}}
    data["groups"] = [{**RUBRIC["groups"][0], "applies_when": applies_when}]
    path = tmp_path / "rubric.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML too
    return [f.message for f in check_rubric(path) if f.code == "na-from-disclosure"]


def test_rubric_check_warns_only_when_omission_makes_it_not_applicable(tmp_path: Path) -> None:
    # The workaround analysts used: N/A when a list names the topic. Without the list the
    # group applies, so there is nothing to warn about.
    assert _lint_messages(tmp_path, {"not": {"contains": {"na_list": "water"}}}) == []
    (message,) = _lint_messages(tmp_path, {"exists": "water"})
    assert "a company that omits it becomes N/A" in message
    assert '"not_applicable": {key: reason}' in message
    (message,) = _lint_messages(
        tmp_path, {"any": [{"exists": "water"}, {"eq": {"company.sector": "mining"}}]}
    )
    assert "may become N/A" in message
