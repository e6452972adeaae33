"""Sanity warnings: percent shares stored as fractions, sectors that match no company."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from csrscore import load_rubric, score
from csrscore.rubric.load import check_rubric

RUBRIC: dict[str, Any] = {
    "rubric": "sanity",
    "version": "1",
    "title": "Synthetic sanity rubric",
    "fields": {"women": {"type": "number", "unit": "%"}, "count": {"type": "number"}},
    "groups": [
        {
            "id": "banks",
            "title": "Banks",
            "applies_when": {"in": {"company.sector": ["Banking", "insurance"]}},
            "criteria": [
                {
                    "id": "women",
                    "title": "Women on the board",
                    "value": {"field": "women", "min": 0, "max": 100, "points": 1},
                },
                {
                    "id": "count",
                    "title": "Board size",
                    "value": {"field": "count", "min": 0, "max": 1, "points": 1},
                },
            ],
        }
    ],
}


def _records(women: list[float], counts: list[float]) -> list[dict[str, Any]]:
    return [
        {
            "company": {"id": f"co{i}", "name": f"Synthetic {i}", "sector": "banking"},
            "year": 2024,
            "disclosures": {"women": w, "count": c},
        }
        for i, (w, c) in enumerate(zip(women, counts, strict=True))
    ]


def test_percent_given_as_fractions_warns_once_naming_the_key() -> None:
    scores = score(_records([0.57, 0.4, 0.0], [0.5, 0.2, 0.9]), load_rubric(RUBRIC))
    shares = [str(w) for w in scores.warnings if str(w).startswith("women:")]
    assert shares == [
        "women: the catalog gives percent (0 to 100), but all 3 value(s) lie between 0 and 1; "
        "if the file stores 57% as 0.57 (as spreadsheets do), multiply by 100, or it scores "
        "as 0.57%"
    ]
    # 'count' has no percent unit: fractions there are nobody's business.
    assert not any(str(w).startswith("count:") for w in scores.warnings)


def test_percent_values_on_the_0_100_scale_do_not_warn() -> None:
    scores = score(_records([57.0, 0.4, 12.0], [1, 2, 3]), load_rubric(RUBRIC))
    assert not any(str(w).startswith("women:") for w in scores.warnings)


def test_a_sector_that_matches_no_company_warns_with_the_slug_the_data_has() -> None:
    scores = score(_records([57.0], [1]), load_rubric(RUBRIC))
    sectors = [str(w) for w in scores.warnings if "company.sector" in str(w)]
    # 'insurance' is a slug the data merely lacks: no warning.
    assert sectors == [
        "banks.applies_when: company.sector 'Banking' matches no company "
        "(the data has 'banking'); sectors are compared exactly",
    ]


def test_rubric_check_warns_on_a_sector_that_is_not_a_slug(tmp_path: Path) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text(json.dumps(RUBRIC), encoding="utf-8")  # JSON is YAML too
    messages = [f.message for f in check_rubric(path) if f.code == "sector-slug"]
    assert messages == [
        "company.sector 'Banking' is not a sector slug (lower case, digits, '-' and '_'), "
        "so no company can match it; did you mean 'banking'?"
    ]


def test_the_warning_follows_the_declared_range() -> None:
    # A share declared 0 to 1 holds fractions by design; one declared 0 to 100 without a
    # percent unit is still on the percent scale.
    fields = {
        "women": {"type": "number", "unit": "%", "minimum": 0, "maximum": 1},
        "count": {"type": "number", "minimum": 0, "maximum": 100},
    }
    scores = score(_records([0.57, 0.4], [0.5, 0.2]), load_rubric({**RUBRIC, "fields": fields}))
    warned = sorted(str(w).split(":")[0] for w in scores.warnings if "percent" in str(w))
    assert warned == ["count"]
