"""One validity stage: `validate`, `rank`, `score`, `score_chunks` and the table readers
accept and reject the same records, with the same located messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import load_rubric, score
from csrscore.chunked import score_chunks
from csrscore.records import load_reports
from csrscore.rubric import load_catalog
from tests.cli.runner import run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "catalog" / "bad_values.jsonl"
RANGES: dict[str, Any] = {
    "rubric": "ranges",
    "version": "1",
    "title": "Synthetic ranges",
    "fields": {
        "x.share": {"type": "number", "unit": "%", "minimum": 0, "maximum": 100},
        "x.fraction": {"type": "number", "minimum": 0, "maximum": 1},
        "x.count": {"type": "number", "unit": "count", "minimum": 0},
        "x.level": {"type": "enum", "values": ["low", "high"]},
    },
    "groups": [
        {
            "id": "g",
            "title": "G",
            "criteria": [
                {
                    "id": "share",
                    "title": "Share",
                    "value": {"field": "x.share", "min": 0, "max": 100, "points": 1},
                },
                {
                    "id": "count",
                    "title": "Count",
                    "levels": [{"points": 1, "label": "any", "when": {"exists": "x.count"}}],
                },
            ],
        }
    ],
}


def _record(company_id: str, **disclosures: Any) -> dict[str, Any]:
    return {
        "company": {"id": company_id, "name": company_id},
        "year": 2024,
        "disclosures": disclosures,
    }


def _cli_rejections(*argv: str) -> list[dict[str, Any]]:
    result = run_cli([*argv, "--format", "json"])
    rejected: list[dict[str, Any]] = json.loads(result.out)["rejected"]
    return rejected


def test_validate_and_rank_reject_the_same_records_with_the_same_lines() -> None:
    validated = _cli_rejections("validate", str(FIXTURE))
    ranked = _cli_rejections("rank", str(FIXTURE))
    assert validated == ranked
    assert [(r["line"], r["index"], r["company_id"]) for r in validated] == [
        (2, 1, "beta"),
        (3, 2, "gamma"),
        (4, 3, "delta"),
    ]
    assert validated[0]["path"] == 'disclosures["env.energy.renewable_share"]'
    assert validated[0]["message"] == "950 is out of the catalog's range, 0 to 100 %"
    assert validated[2]["message"] == "catalog says number, got str"


def test_validate_checks_the_catalog_of_the_rubric_given(tmp_path: Path) -> None:
    # The same record is valid for one rubric and rejected under another's catalog.
    path = tmp_path / "one.json"
    path.write_text(json.dumps([_record("a", **{"x.level": "medium"})]))
    rubric = tmp_path / "ranges.yaml"
    rubric.write_text(json.dumps(RANGES))
    assert run_cli(["validate", str(path)]).code == 0
    result = run_cli(["validate", str(path), "--rubric", str(rubric)])
    assert result.code == 1
    assert "'medium' is not one of: low, high" in result.out


def test_every_entry_point_gives_the_same_rejections(tmp_path: Path) -> None:
    catalog = load_rubric(RANGES).catalog
    loaded = load_reports(FIXTURE, catalog=load_catalog())
    scored = score(FIXTURE, "iso26000")
    chunked = score_chunks(FIXTURE, "iso26000", chunk_size=2)
    assert loaded.rejected == scored.rejected == chunked.rejected
    assert [r.line for r in scored.rejected] == [2, 3, 4]
    # Loading without a catalog checks the record model only; scoring adds the catalog,
    # keeping the lines.
    unchecked = load_reports(FIXTURE)
    assert (len(unchecked), unchecked.rejected) == (4, ())
    assert score(unchecked, "iso26000").rejected == scored.rejected
    assert load_reports(FIXTURE, catalog=catalog).catalog is catalog


def test_table_rows_are_checked_against_the_same_catalog(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "company.id,company.name,year,env.energy.renewable_share\n"
        "acme,Acme,2024,45\nbeta,Beta,2024,950\n"
    )
    validated = run_cli(["validate", str(path)])
    assert validated.code == 1
    assert validated.out.splitlines()[1] == (
        f"  {path}:3 company 'beta' column D \"env.energy.renewable_share\": "
        "950 is out of the catalog's range, 0 to 100 %"
    )
    assert [r.company_id for r in score(path, "iso26000").rejected] == ["beta"]


def test_out_of_range_values_are_rejected_with_the_range() -> None:
    records = [
        _record("ok", **{"x.share": 100, "x.count": 0, "x.fraction": 1}),
        _record("share", **{"x.share": 950}),
        _record("count", **{"x.count": -50}),
        _record("fraction", **{"x.fraction": 57}),
    ]
    scores = score(records, load_rubric(RANGES))
    assert scores.company_ids == ("ok",)
    messages = {r.company_id: r.message for r in scores.rejected}
    assert messages == {
        "share": "950 is out of the catalog's range, 0 to 100 %",
        "count": "-50 is out of the catalog's range, at least 0 count",
        "fraction": "57 is out of the catalog's range, 0 to 1; "
        "if the file gives percent, divide by 100",
    }


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6))
def test_a_number_is_accepted_exactly_when_it_is_within_the_range(value: float) -> None:
    loaded = load_reports([_record("a", **{"x.share": value})], catalog=load_rubric(RANGES).catalog)
    assert (len(loaded) == 1) == (0 <= value <= 100)


def test_a_range_bounds_numbers_only_and_minimum_is_not_above_maximum() -> None:
    bad_type = {**RANGES, "fields": {"x.flag": {"type": "bool", "minimum": 0}}}
    with pytest.raises(Exception, match="'number' was expected"):
        load_rubric(bad_type)
    upside_down = {
        **RANGES,
        "fields": {**RANGES["fields"], "x.count": {"type": "number", "minimum": 5, "maximum": 1}},
    }
    with pytest.raises(Exception, match="minimum 5 is above maximum 1"):
        load_rubric(upside_down)


def test_as_missing_scores_without_the_bad_value_and_lists_it() -> None:
    records = [
        _record("clean", **{"x.count": 3}),
        _record("bad", **{"x.share": 950, "x.count": 3}),
        _record("typed", **{"x.share": "Partial", "x.count": 3}),
    ]
    strict = score(records, load_rubric(RANGES))
    lenient = score(records, load_rubric(RANGES), bad_values="as-missing")
    assert strict.company_ids == ("clean",)
    assert lenient.company_ids == ("clean", "bad", "typed")
    assert lenient.rejected == ()
    # Scored as if the share were not disclosed: the same total as the clean record.
    assert list(lenient.totals) == [lenient.totals[0]] * 3
    assert [(v.index, v.company_id, v.path) for v in lenient.treated_as_missing] == [
        (1, "bad", 'disclosures["x.share"]'),
        (2, "typed", 'disclosures["x.share"]'),
    ]
    assert "x.share" not in lenient.reports[1].disclosures


def test_as_missing_on_the_command_line_counts_the_values(tmp_path: Path) -> None:
    result = run_cli(["rank", str(FIXTURE), "--bad-values", "as-missing", "--format", "json"])
    document = json.loads(result.out)
    assert (result.code, document["scored"], document["rejected"]) == (0, 4, [])
    assert [v["line"] for v in document["treated_as_missing"]] == [2, 3, 4]
    table = run_cli(["rank", str(FIXTURE), "--bad-values", "as-missing"])
    assert "4 report(s) scored, 0 rejected, 3 value(s) treated as missing" in table.out
    validated = run_cli(["validate", str(FIXTURE), "--bad-values", "as-missing"])
    assert validated.code == 0
    assert validated.out.count("treated as missing: ") == 3


def test_as_missing_in_a_table_drops_an_unreadable_cell(tmp_path: Path) -> None:
    path = tmp_path / "cells.csv"
    path.write_text(
        "company.id,company.name,year,env.energy.renewable_share,gov.csr_policy\n"
        "acme,Acme,2024,Partial,yes\n"
    )
    strict = load_reports(path)
    lenient = load_reports(path, catalog=load_catalog(), bad_values="as-missing")
    assert (len(strict), len(strict.rejected)) == (0, 1)
    assert (len(lenient), len(lenient.rejected)) == (1, 0)
    (value,) = lenient.treated_as_missing
    assert "column D" in str(value)
    assert "env.energy.renewable_share" not in lenient.reports[0].disclosures
