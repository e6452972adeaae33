"""`csrscore.compare` and its rendering: two years side by side."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from csrscore import Scores, score
from csrscore.cli.comparison import render_comparison
from csrscore.compare import Comparison, UnknownYearError, compare
from csrscore.errors import CsrscoreError

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def years() -> Scores:
    return score(FIXTURES / "years.json", FIXTURES / "years.yaml")


@pytest.fixture(scope="module")
def comparison(years: Scores) -> Comparison:
    return compare(years, 2023, 2024)


def test_companies_in_both_years(comparison: Comparison) -> None:
    assert [c.company_id for c in comparison.companies] == ["acme", "bank"]
    acme, bank = comparison.companies
    assert (acme.total_from, acme.total_to) == (30.0, 90.0)
    assert acme.score_delta == 60.0
    assert (acme.rank_from, acme.rank_to) == (3, 1)
    assert acme.rank_delta == 2  # two places up
    assert (acme.grade_from, acme.grade_to, acme.grade_changed) == ("C", "A", True)
    assert bank.criteria == ()
    assert not bank.grade_changed


def test_criteria_that_changed(comparison: Comparison) -> None:
    changes = {c.criterion_id: c for c in comparison.companies[0].criteria}
    assert set(changes) == {"climate", "renewables", "water"}
    climate = changes["climate"]
    assert (climate.level_from, climate.level_to) == (1, 2)
    assert (climate.label_from, climate.label_to) == ("Policy", "Target")
    assert climate.points_delta == 1.0
    # A value-scored criterion keeps level 1 while its points move with the value.
    renewables = changes["renewables"]
    assert renewables.level_from == renewables.level_to == 1
    assert renewables.points_delta == pytest.approx(0.6)
    assert (changes["water"].label_from, changes["water"].label_to) == ("none", "Quantified")


def test_new_and_dropped_companies(comparison: Comparison) -> None:
    assert [(c.company_id, c.year, c.rank) for c in comparison.new] == [("newco", 2024, 3)]
    assert [(c.company_id, c.year, c.rank) for c in comparison.dropped] == [("gone", 2023, 2)]
    assert (comparison.ranked_from, comparison.ranked_to) == (3, 3)


def test_unknown_year(years: Scores) -> None:
    with pytest.raises(
        UnknownYearError, match="no scored report for year 2022; years scored: 2023, 2024"
    ):
        compare(years, 2022, 2024)
    assert issubclass(UnknownYearError, CsrscoreError)


def test_examples_every_company_in_both_years(iso26000: Scores) -> None:
    result = compare(iso26000, 2023, 2024)
    assert len(result.companies) == 30
    assert result.new == result.dropped == ()
    ranks = iso26000.rank(by="year")
    for company in result.companies:
        before = iso26000.index_of(company.company_id, 2023)
        after = iso26000.index_of(company.company_id, 2024)
        assert company.rank_from == ranks[before]
        assert company.rank_to == ranks[after]
        assert company.score_delta == pytest.approx(
            iso26000.totals[after] - iso26000.totals[before]
        )
        moved = {
            iso26000.criterion_ids[c]
            for c in range(len(iso26000.criterion_ids))
            if iso26000.levels[before, c] != iso26000.levels[after, c]
            or abs(iso26000.points[before, c] - iso26000.points[after, c]) > 1e-9
        }
        assert {change.criterion_id for change in company.criteria} == moved
    assert [c.rank_to for c in result.companies] == sorted(c.rank_to for c in result.companies)


def test_render_table(comparison: Comparison) -> None:
    text = render_comparison(comparison, "table")
    assert text.startswith("rubric years 1 · 2023 → 2024 · 2 companies in both years, 1 new,")
    assert "▲2" in text
    assert "C → A" in text
    assert "  climate: Policy → Target, +1.00 points" in text
    assert "new in 2024:\n  Newco (newco): rank 3, total 33.33" in text
    assert "not scored in 2024 (were in 2023):\n  Gone Ltd (gone): rank 2, total 50.00" in text


def test_render_markdown(comparison: Comparison) -> None:
    text = render_comparison(comparison, "markdown")
    assert "| rank 2024 | 2023 | move | company |" in text
    assert "- climate: Policy → Target, +1.00 points" in text


def test_render_json_and_csv(comparison: Comparison) -> None:
    document = json.loads(render_comparison(comparison, "json"))
    assert document["companies"][0]["criteria"][0]["criterion_id"] == "climate"
    assert document["new"][0]["company_id"] == "newco"
    rows = list(csv.DictReader(io.StringIO(render_comparison(comparison, "csv"))))
    assert [(r["company_id"], r["status"]) for r in rows] == [
        ("acme", "both"),
        ("bank", "both"),
        ("newco", "new"),
        ("gone", "dropped"),
    ]
    assert rows[0]["rank_delta"] == "2"
    assert rows[0]["criteria_changed"] == "climate:+1;renewables:+0.6;water:+2"
    assert rows[2]["rank_2024"] == "3"
    assert rows[2]["rank_2023"] == ""


def test_render_rejects_an_unknown_format(comparison: Comparison) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render_comparison(comparison, "yaml")
