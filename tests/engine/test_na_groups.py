"""An N/A group under `na_policy: zero`: no score of its own (null, "—", an empty cell),
counted as 0 in its parent. Rubric and data made for the test; totals worked out by hand."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import pytest

from csrscore import load_rubric, score
from csrscore.reference import reference_score
from tests.cli.runner import run_cli


def _rubric(na_policy: str) -> dict[str, Any]:
    return {
        "rubric": "na-groups",
        "version": "1",
        "title": "N/A groups",
        "na_policy": na_policy,
        "fields": {"t.a": {"type": "bool"}, "t.b": {"type": "bool"}},
        "groups": [
            {
                "id": "always",
                "title": "Always",
                "criteria": [
                    {"id": "a", "title": "A",
                     "levels": [{"points": 3, "label": "yes", "when": {"true": "t.a"}}]},
                ],
            },
            {
                "id": "textiles-only",
                "title": "Textiles only",
                "applies_when": {"eq": {"company.sector": "textiles"}},
                "criteria": [
                    {"id": "b", "title": "B",
                     "levels": [{"points": 1, "label": "yes", "when": {"true": "t.b"}}]},
                ],
            },
        ],
    }  # fmt: skip


RECORDS = [
    {
        "company": {"id": "mine", "name": "Mine", "sector": "mining"},
        "year": 2024,
        "disclosures": {"t.a": True},
    }
]


@pytest.mark.parametrize(("na_policy", "total"), [("zero", 75.0), ("exclude", 100.0)])
def test_an_na_group_has_no_score_under_either_policy(na_policy: str, total: float) -> None:
    rubric = load_rubric(_rubric(na_policy))
    scores = score(RECORDS, rubric)
    # zero: (3 x 1 + 1 x 0) / 4 = 75; exclude: 3 / 3 = 100.
    assert scores.totals[0] == pytest.approx(total)
    column = scores.group_column("textiles-only")
    assert math.isnan(scores.group_scores[0, column])
    assert not scores.group_applicable[0, column]
    assert scores.to_records()[0]["groups"]["textiles-only"] is None
    assert reference_score(scores.reports[0], rubric).group_scores["textiles-only"] is None
    explained = {g["id"]: g for g in scores.explain("mine").to_dict()["groups"]}
    assert explained["textiles-only"]["score"] is None


def test_cli_shows_an_na_group_as_a_dash_null_and_an_empty_cell(tmp_path: Any) -> None:
    import yaml

    rubric_path = tmp_path / "rubric.yaml"
    rubric_path.write_text(yaml.safe_dump(_rubric("zero")), encoding="utf-8")
    reports = tmp_path / "reports.json"
    reports.write_text(json.dumps(RECORDS), encoding="utf-8")
    argv = ["rank", str(reports), "--rubric", str(rubric_path)]
    table = run_cli(argv).out.splitlines()
    assert table[-1].split()[-2:] == ["100.0", "—"]
    document = json.loads(run_cli([*argv, "--format", "json"]).out)
    assert document["companies"][0]["groups"] == {"always": 100.0, "textiles-only": None}
    (row,) = csv.DictReader(io.StringIO(run_cli([*argv, "--format", "csv"]).out))
    assert (row["always"], row["textiles-only"]) == ("100.0", "")
