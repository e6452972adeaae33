"""The worked example of docs/methodology.md, computed by the engine."""

from __future__ import annotations

from typing import Any

import pytest

from csrscore import load_rubric, score

RUBRIC: dict[str, Any] = {
    "rubric": "worked-example",
    "version": "1",
    "title": "Worked example",
    "fields": {
        "env.ghg.policy": {"type": "bool"},
        "env.ghg.scope1": {"type": "number"},
        "env.ghg.scope2": {"type": "number"},
        "env.water.policy": {"type": "bool"},
        "env.water.withdrawal": {"type": "number"},
    },
    "groups": [
        {
            "id": "environment",
            "title": "Environment",
            "criteria": [
                {
                    "id": "ghg",
                    "title": "GHG",
                    "levels": [
                        {"points": 1, "label": "Policy", "when": {"true": "env.ghg.policy"}},
                        {
                            "points": 3,
                            "label": "Quantified",
                            "when": {
                                "all": [{"number": "env.ghg.scope1"}, {"number": "env.ghg.scope2"}]
                            },
                        },
                        {"points": 4, "label": "Assured", "when": {"assured": "env.ghg.scope1"}},
                    ],
                },
                {
                    "id": "water",
                    "title": "Water",
                    "applies_when": {"ne": {"company.sector": "finance"}},
                    "levels": [
                        {"points": 2, "label": "Policy", "when": {"true": "env.water.policy"}},
                        {
                            "points": 6,
                            "label": "Quantified",
                            "when": {"number": "env.water.withdrawal"},
                        },
                    ],
                },
            ],
        }
    ],
    "adjustments": [
        {
            "id": "open-violations",
            "title": "Open violation records",
            "points_each": -2,
            "count": {"violations": {"status": "open"}},
            "floor": -10,
        }
    ],
}


def _company(company_id: str, sector: str) -> dict[str, Any]:
    return {
        "company": {"id": company_id, "name": company_id.title(), "sector": sector},
        "year": 2024,
        "disclosures": {
            "env.ghg.policy": True,
            "env.ghg.scope1": 120.0,
            "env.ghg.scope2": 80.0,
            "env.water.policy": True,
        },
        "violations": [{"id": "v1", "date": "2024-03-01", "status": "open"}],
    }


def test_worked_example_matches_the_document() -> None:
    scores = score(
        [_company("weaver", "textiles"), _company("lender", "finance")], load_rubric(RUBRIC)
    )
    weaver, lender = 0, 1
    assert scores.levels[weaver].tolist() == [2, 1]
    assert scores.points[weaver].tolist() == [3.0, 2.0]
    assert scores.base[weaver] == pytest.approx(50.0)
    assert scores.totals[weaver] == pytest.approx(48.0)
    assert scores.levels[lender].tolist() == [2, -1]
    assert scores.base[lender] == pytest.approx(75.0)
    assert scores.totals[lender] == pytest.approx(73.0)
    assert scores.rank().tolist() == [2, 1]
