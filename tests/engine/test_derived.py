"""Derived fields: each form and each way a value goes missing, worked by hand, and how the
explanation shows them. Companies and numbers are synthetic."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from csrscore import load_reports, load_rubric, score
from csrscore.engine.derived import previous_year_rows
from csrscore.reference import Others, reference_score

FIELDS = {
    "env.ghg.scope1": {"type": "number", "unit": "t"},
    "env.ghg.scope2": {"type": "number", "unit": "t"},
    "fin.revenue": {"type": "number", "unit": "M"},
    "hr.women": {"type": "number"},
    "hr.staff": {"type": "number"},
}
DERIVED = {
    "env.ghg.intensity": {"ratio": ["env.ghg.scope1", "fin.revenue"], "unit": "t/M"},
    "env.ghg.total": {"sum": ["env.ghg.scope1", "env.ghg.scope2"], "unit": "t"},
    "env.ghg.gap": {"difference": ["env.ghg.scope1", "env.ghg.scope2"], "unit": "t"},
    "hr.women.share": {"share": ["hr.women", "hr.staff"], "unit": "%"},
    "env.ghg.scope1.change": {"change": "env.ghg.scope1", "unit": "t"},
    "env.ghg.scope1.change_pct": {"change": "env.ghg.scope1", "as": "percent"},
    # A derived field of a derived field, declared before the one it reads.
    "env.ghg.intensity.change_pct": {"change": "env.ghg.intensity", "as": "percent"},
}


def rubric(criteria: list[dict[str, Any]] | None = None) -> Any:
    criteria = criteria or [
        {
            "id": "intensity",
            "title": "Emissions intensity",
            "value": {
                "field": "env.ghg.intensity",
                "min": 0,
                "max": 20,
                "points": 10,
                "direction": "lower",
            },
        }
    ]
    return load_rubric(
        {
            "rubric": "derived-test",
            "version": "1",
            "title": "Derived",
            "fields": FIELDS,
            "derived": DERIVED,
            "groups": [{"id": "g", "title": "G", "criteria": criteria}],
        }
    )


def record(company: str, year: int, **disclosures: float) -> dict[str, Any]:
    keys = {
        "scope1": "env.ghg.scope1",
        "scope2": "env.ghg.scope2",
        "revenue": "fin.revenue",
        "women": "hr.women",
        "staff": "hr.staff",
    }
    return {
        "company": {"id": company, "name": company.title()},
        "year": year,
        "disclosures": {keys[k]: v for k, v in disclosures.items()},
    }


RECORDS = [
    record("alpha", 2023, scope1=16000, scope2=4000, revenue=1280, women=40, staff=160),
    record("alpha", 2024, scope1=18250, scope2=3000, revenue=1472, women=45, staff=150),
    record("beta", 2024, scope1=500, revenue=0, women=0, staff=0),  # zero denominators
    record("gamma", 2022, scope1=0, revenue=10),
    record("gamma", 2023, scope1=300, revenue=10),  # previous value 0
    record("delta", 2022, scope1=100, revenue=10),
    record("delta", 2024, scope1=120, revenue=10),  # 2023 missing: no previous year
    record("eps", 2023, revenue=10),
    record("eps", 2024, scope1=50, revenue=10),  # previous value missing
]


# One value criterion per derived field: only the derived fields a rubric reads are computed.
EVERY_FIELD: list[dict[str, Any]] = [
    {"id": f"c{i}", "title": "C", "value": {"field": name, "min": -50, "max": 50, "points": 2}}
    for i, name in enumerate(DERIVED)
]


def values(name: str) -> dict[tuple[str, int], float | None]:
    scores = score(RECORDS, rubric(EVERY_FIELD))
    out = {}
    for row, (company, year) in enumerate(zip(scores.company_ids, scores.years, strict=True)):
        number = float(scores.derived[name].values[row])
        out[company, int(year)] = None if math.isnan(number) else number
    return out


def test_ratio_missing_input_and_zero_denominator() -> None:
    found = values("env.ghg.intensity")
    assert found["alpha", 2023] == 12.5  # 16,000 / 1,280
    assert found["alpha", 2024] == pytest.approx(12.398097826)  # 18,250 / 1,472
    assert found["beta", 2024] is None  # revenue 0
    assert found["eps", 2023] is None  # scope 1 missing


def test_sum_difference_and_share() -> None:
    assert values("env.ghg.total")["alpha", 2024] == 21250
    assert values("env.ghg.total")["beta", 2024] is None  # scope 2 missing: no partial sum
    assert values("env.ghg.gap")["alpha", 2023] == 12000
    shares = values("hr.women.share")
    assert shares["alpha", 2023] == 25.0  # 40 / 160 x 100
    assert shares["alpha", 2024] == 30.0
    assert shares["beta", 2024] is None  # 0 / 0


def test_change_absolute_and_percent() -> None:
    absolute = values("env.ghg.scope1.change")
    percent = values("env.ghg.scope1.change_pct")
    assert absolute["alpha", 2024] == 2250
    assert percent["alpha", 2024] == pytest.approx(14.0625)  # 2,250 / 16,000 x 100
    assert absolute["alpha", 2023] is None  # first year
    assert absolute["gamma", 2023] == 300
    assert percent["gamma", 2023] is None  # previous value 0
    assert absolute["delta", 2024] is None  # the year before is 2023, not 2022
    assert absolute["eps", 2024] is None  # previous value missing
    # 12.3981 against 12.5: a change of a derived field.
    assert values("env.ghg.intensity.change_pct")["alpha", 2024] == pytest.approx(
        (18250 / 1472 - 12.5) / 12.5 * 100
    )


def test_reasons_are_kept() -> None:
    scores = score(RECORDS, rubric(EVERY_FIELD))
    why = {
        (company, int(year)): int(scores.derived["env.ghg.scope1.change_pct"].why_missing[row])
        for row, (company, year) in enumerate(zip(scores.company_ids, scores.years, strict=True))
    }
    assert why["alpha", 2024] == 0
    assert why["alpha", 2023] == 3  # no record for the previous year
    assert why["gamma", 2023] == 5  # the previous value is 0
    assert why["eps", 2024] == 4  # the previous value is missing
    assert why["eps", 2023] == 1  # this year's value is missing
    assert why["beta", 2024] == 3


def test_previous_year_rows_any_order() -> None:
    ids = ["b", "a", "a", "b", "a"]
    years = np.array([2024, 2024, 2022, 2023, 2023])
    assert previous_year_rows(ids, years).tolist() == [3, 4, -1, -1, 2]


def test_value_scoring_on_a_derived_field() -> None:
    scores = score(RECORDS, rubric())
    row = scores.index_of("alpha", 2024)
    # direction lower, 0..20: (20 - 12.3981) / 20 x 10
    assert scores.points[row, 0] == pytest.approx((20 - 18250 / 1472) / 20 * 10)
    assert scores.levels[scores.index_of("beta", 2024), 0] == 0  # not computed: 0 points


def test_conditions_and_bands_on_derived_fields() -> None:
    criteria: list[dict[str, Any]] = [
        {
            "id": "cut",
            "title": "Cut scope 1",
            "levels": [
                {
                    "points": 1,
                    "label": "Reports a change",
                    "when": {"exists": "env.ghg.scope1.change"},
                },
                {"points": 3, "label": "Cut", "when": {"lt": {"env.ghg.scope1.change_pct": 0}}},
            ],
        },
        {
            "id": "women",
            "title": "Women",
            "bands": {
                "field": "hr.women.share",
                "steps": [{"at": 25, "points": 1}, {"at": 30, "points": 2}],
            },
        },
    ]
    scores = score(RECORDS, rubric(criteria))
    alpha24, gamma23 = scores.index_of("alpha", 2024), scores.index_of("gamma", 2023)
    assert scores.levels[alpha24].tolist() == [1, 2]  # +14% is no cut; 30% reaches step 2
    assert scores.levels[scores.index_of("alpha", 2023)].tolist() == [0, 1]
    assert scores.levels[gamma23].tolist() == [1, 0]


def test_the_reference_evaluator_agrees() -> None:
    loaded = rubric(EVERY_FIELD)
    reports = load_reports(RECORDS, strict=True)
    scores = score(reports, loaded)
    others = Others(loaded, reports.reports)
    for row, report in enumerate(reports.reports):
        expected = reference_score(report, loaded, others)
        for c, cid in enumerate(scores.criterion_ids):
            assert scores.levels[row, c] == expected.levels[cid], cid
            assert scores.points[row, c] == pytest.approx(expected.points[cid], abs=1e-9), cid


def test_explanation_shows_inputs_and_formula() -> None:
    scores = score(RECORDS, rubric())
    value = scores.explain("alpha", 2024).to_dict()["criteria"][0]["value"]
    assert value["actual"] == pytest.approx(12.398097826)
    derived = value["derived"]
    assert derived["formula"] == "env.ghg.intensity 12.4 t/M = 18,250 t / 1,472 M"
    assert derived["inputs"] == [
        {"field": "env.ghg.scope1", "value": 18250.0, "unit": "t"},
        {"field": "fin.revenue", "value": 1472.0, "unit": "M"},
    ]
    assert derived["missing_because"] is None
    missing = scores.explain("beta", 2024).to_dict()["criteria"][0]["value"]
    assert missing["present"] is False
    assert missing["derived"]["missing_because"] == "the denominator is 0"
    assert "not computed: the denominator is 0" in str(scores.explain("beta", 2024))


def test_explanation_of_a_change_names_both_years() -> None:
    criteria: list[dict[str, Any]] = [
        {
            "id": "change",
            "title": "Change",
            "value": {
                "field": "env.ghg.scope1.change_pct",
                "min": -20,
                "max": 20,
                "points": 1,
                "direction": "lower",
            },
        }
    ]
    scores = score(RECORDS, rubric(criteria))
    derived = scores.explain("alpha", 2024).to_dict()["criteria"][0]["value"]["derived"]
    assert derived["formula"] == (
        "env.ghg.scope1.change_pct 14.06 % = (18,250 t - 16,000 t) / |16,000 t| x 100"
    )
    assert [entry["year"] for entry in derived["inputs"]] == [2024, 2023]
    first = scores.explain("alpha", 2023).to_dict()["criteria"][0]["value"]["derived"]
    assert first["missing_because"] == "the company has no record for the previous year"


def test_a_condition_trace_shows_the_derived_value() -> None:
    criteria: list[dict[str, Any]] = [
        {
            "id": "cut",
            "title": "Cut",
            "levels": [{"points": 1, "label": "Cut", "when": {"lt": {"env.ghg.scope1.change": 0}}}],
        }
    ]
    scores = score(RECORDS, rubric(criteria))
    trace = scores.explain("alpha", 2024).to_dict()["criteria"][0]["levels"][0]["trace"]
    assert trace["actual"] == 2250.0
    assert trace["present"] is True
    assert trace["passed"] is False


def test_a_derived_field_read_only_through_another_is_computed() -> None:
    criteria: list[dict[str, Any]] = [
        {
            "id": "trend",
            "title": "Intensity trend",
            "value": {"field": "env.ghg.intensity.change_pct", "min": -10, "max": 10, "points": 1},
        }
    ]
    scores = score(RECORDS, rubric(criteria))
    assert set(scores.derived) == {"env.ghg.intensity", "env.ghg.intensity.change_pct"}
    change = (18250 / 1472 - 12.5) / 12.5 * 100  # -0.815 %: position 0.4593
    row = scores.index_of("alpha", 2024)
    assert scores.points[row, 0] == pytest.approx((change + 10) / 20)


def test_the_formula_docs_rubrics_quotes() -> None:
    from pathlib import Path

    from tests.test_docs_rubrics import BLOCKS, read_yaml

    (source,) = [s for _, s in BLOCKS if "rubric: derived-example" in s]
    doc = (Path(__file__).resolve().parents[2] / "docs" / "rubrics.md").read_text("utf-8")
    quoted = " ".join(doc.split()).split("the formula filled in (`")[1].split("`)")[0]
    records = [record("alpha", 2024, scope1=18250, revenue=1472)]
    scores = score(records, load_rubric(read_yaml(source)))
    value = scores.explain("alpha", 2024).to_dict()["criteria"][0]["value"]
    assert value["derived"]["formula"] == quoted
