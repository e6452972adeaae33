"""The first-week rough edges of #24 item 6, each through the real entry point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from csrscore.rubric import load_rubric
from tests.cli.runner import EXAMPLES, cached_run, run_cli

Document = dict[str, Any]


def _json(*argv: str) -> Document:
    result = cached_run(*argv)
    assert result.code == 0, result.err
    document: Document = json.loads(result.out)
    return document


# --- --year: one edition ---------------------------------------------------------------------


def test_rank_year_selects_one_edition_ranked_as_in_the_whole_run() -> None:
    whole = _json("rank", EXAMPLES, "--format", "json")
    edition = _json("rank", EXAMPLES, "--format", "json", "--year", "2023")
    assert {c["year"] for c in edition["companies"]} == {2023}
    assert edition["scored"] == 30
    expected = {
        c["company_id"]: (c["rank"], c["total"]) for c in whole["companies"] if c["year"] == 2023
    }
    assert {c["company_id"]: (c["rank"], c["total"]) for c in edition["companies"]} == expected


@pytest.mark.parametrize("form", ["table", "markdown", "csv"])
def test_rank_year_in_every_text_format(form: str) -> None:
    result = cached_run("rank", EXAMPLES, "--format", form, "--year", "2024", "--top", "3")
    assert result.code == 0, result.err
    assert "2024" in result.out
    assert "2023" not in result.out
    # One edition: no per-year sections.
    assert "year: 2024" not in result.out


def test_rank_year_in_xlsx(tmp_path: Path) -> None:
    target = tmp_path / "ranking.xlsx"
    result = run_cli(["rank", EXAMPLES, "--format", "xlsx", "--year", "2024", "-o", str(target)])
    assert result.code == 0, result.err
    sheet = load_workbook(target, read_only=True)["ranking"]
    rows = list(sheet.iter_rows(values_only=True))
    year = rows[0].index("year")
    assert len(rows) == 31
    assert {row[year] for row in rows[1:]} == {2024}


@pytest.mark.parametrize(
    "argv",
    [
        ["rank", EXAMPLES, "--year", "2030"],
        ["sensitivity", EXAMPLES, "--year", "2030", "--samples", "10"],
    ],
)
def test_an_unknown_year_lists_the_years_there_are(argv: list[str]) -> None:
    result = run_cli(argv)
    assert result.code == 2
    assert result.err_lines == [
        f"csrscore {argv[0]}: error: no report scored in 2030; years scored: 2023, 2024"
    ]
    assert result.out == ""


def test_explain_unknown_year_lists_the_company_years() -> None:
    result = run_cli(["explain", EXAMPLES, "northwind-textiles", "--year", "2030"])
    assert result.code == 1
    assert result.err_lines == [
        "csrscore: error: no report of 'northwind-textiles' in 2030; its years: 2023, 2024"
    ]


def test_sensitivity_year_ranks_one_edition() -> None:
    document = _json(
        "sensitivity", EXAMPLES, "--year", "2024", "--samples", "20", "--format", "json"
    )
    assert {c["year"] for c in document["companies"]} == {2024}
    assert {c["ranked_among"] for c in document["companies"]} == {30}
    ranking = _json("rank", EXAMPLES, "--format", "json", "--year", "2024")
    nominal = {c["company_id"]: c["nominal_rank"] for c in document["companies"]}
    assert nominal == {c["company_id"]: c["rank"] for c in ranking["companies"]}


def test_year_and_compare_years_or_streaming_do_not_mix() -> None:
    compared = run_cli(["rank", EXAMPLES, "--compare-years", "2023", "2024", "--year", "2024"])
    assert compared.code == 2
    assert "--year" in compared.err
    streamed = run_cli(["rank", EXAMPLES, "--chunk-size", "10", "--year", "2024"])
    assert streamed.code == 2
    assert "--year" in streamed.err


# --- sensitivity --by keeps years apart ------------------------------------------------------


def test_sensitivity_by_sector_ranks_within_each_year_as_rank_does() -> None:
    document = _json(
        "sensitivity", EXAMPLES, "--by", "sector", "--samples", "20", "--format", "json"
    )
    assert document["ranked_by"] == ["year", "sector"]
    ranking = _json("rank", EXAMPLES, "--by", "sector", "--format", "json")
    expected = {(c["company_id"], c["year"]): c["rank"] for c in ranking["companies"]}
    found = {(c["company_id"], c["year"]): c["nominal_rank"] for c in document["companies"]}
    assert found == expected
    sizes: dict[tuple[int, str], int] = {}
    for company in ranking["companies"]:
        key = (company["year"], company["sector"])
        sizes[key] = sizes.get(key, 0) + 1
    for company in document["companies"]:
        assert company["ranked_among"] == sizes[(company["year"], company["sector"])]


def test_sensitivity_by_sector_sections_name_the_year() -> None:
    result = cached_run("sensitivity", EXAMPLES, "--by", "sector", "--samples", "20")
    assert result.code == 0, result.err
    assert "ranks by year, sector" in result.out
    assert "year: 2023 · sector: chemicals · 4 ranked" in result.out
    assert "year: 2024 · sector: chemicals · 4 ranked" in result.out
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                cached_run(
                    "sensitivity", EXAMPLES, "--by", "sector", "--samples", "20", "--format", "csv"
                ).out
            )
        )
    )
    assert all(int(row["ranked_among"]) <= 5 for row in csv_rows)


# --- --headers titles ------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["table", "markdown"])
def test_headers_titles_name_the_groups(form: str) -> None:
    by_id = cached_run("rank", EXAMPLES, "--rubric", "citi", "--format", form, "--top", "1")
    by_title = cached_run(
        "rank", EXAMPLES, "--rubric", "citi", "--format", form, "--top", "1", "--headers", "titles"
    )
    assert by_id.code == by_title.code == 0
    header = next(line for line in by_title.out.splitlines() if "company" in line)
    assert "Responsiveness and transparency" in header
    assert "Extended green supply chain practices" in header
    assert "citi-responsiveness" not in header
    assert "citi-responsiveness" in next(r for r in by_id.out.splitlines() if "company" in r)
    # Only the headers change.
    rows = [line for line in by_id.out.splitlines() if "Quillon" in line]
    assert [r.split() for r in rows] == [
        r.split() for r in by_title.out.splitlines() if "Quillon" in r
    ]


def test_headers_titles_are_escaped_in_markdown(tmp_path: Path) -> None:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(
        (Path("tests/cli/fixtures/tiny-rubric.yaml").read_text()).replace(
            "title: Climate", "title: 'Climate | <b>heat</b>'"
        )
    )
    result = run_cli(
        [
            "rank",
            "tests/cli/fixtures/tiny-reports.json",
            "--rubric",
            str(rubric),
            "--format",
            "markdown",
            "--headers",
            "titles",
        ]
    )
    assert result.code == 0, result.err
    assert "Climate \\| &lt;b&gt;heat&lt;/b&gt;" in result.out


# --- rubric show --format markdown|json ------------------------------------------------------


def test_rubric_show_json_is_a_methodology_table() -> None:
    document = _json("rubric", "show", "iso26000", "--format", "json")
    nodes = document["nodes"]
    criteria = [n for n in nodes if n["kind"] != "group"]
    assert [n["id"] for n in criteria] == [c.id for c in load_rubric("iso26000").criteria]
    # Nominal shares of the criteria add up to the whole total; weights within each group
    # add up to 100%.
    assert sum(n["share_percent"] for n in criteria) == pytest.approx(100.0)
    top = [n for n in nodes if n["depth"] == 0]
    assert sum(n["weight_percent"] for n in top) == pytest.approx(100.0)
    assert all(n["scoring"] for n in criteria)
    assert document["rubric"]["name"] == "iso26000"


def test_rubric_show_markdown_hand_worked_on_the_tiny_rubric() -> None:
    result = cached_run(
        "rubric", "show", "tests/cli/fixtures/tiny-rubric.yaml", "--format", "markdown"
    )
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "## Two criteria, four companies, one tie"
    table = [line for line in lines if line.startswith("| ")]
    assert table[0] == "| id | title | weight in group | share of total | max points | scoring |"
    assert table[2:6] == [
        "| climate | Climate | 50.0% | 50.00% | 1 |  |",
        "| › ghg-policy | GHG policy | 100.0% | 50.00% | 1 | Policy 1 |",
        "| emissions | Emissions | 50.0% | 50.00% | 1 |  |",
        "| › scope1 | Scope 1 emissions | 100.0% | 50.00% | 1 | Reported 1 |",
    ]
    assert "| A | 50 |" in lines


# --- explain --format markdown ---------------------------------------------------------------


def test_explain_markdown() -> None:
    result = cached_run(
        "explain",
        "tests/cli/fixtures/tiny-reports.json",
        "charlie",
        "--rubric",
        "tests/cli/fixtures/tiny-rubric.yaml",
        "--format",
        "markdown",
    )
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("## Charlie (charlie), 2024\n")
    assert "**Total 50.00 / 100**, grade A" in out
    assert "| › scope1 | Scope 1 emissions | level 0 | 0/1 |  | +0.00 |" in out
    assert (
        "| scope1 Scope 1 emissions | +50.00 | +50.00 | disclose gross direct (scope 1) "
        "greenhouse gas emissions (env.ghg.scope1), a number in tCO2e |"
    ) in out
    assert "```text\n  ghg-policy  GHG policy\n" in out


def test_explain_markdown_keeps_hostile_text_inert(tmp_path: Path) -> None:
    reports = tmp_path / "reports.json"
    name = "Evil | <img src=x> ```\x1b[31m"
    reports.write_text(
        json.dumps(
            [
                {
                    "company": {"id": "evil", "name": name, "sector": "textiles"},
                    "year": 2024,
                    "disclosures": {"env.ghg.policy": True},
                }
            ]
        )
    )
    result = run_cli(
        [
            "explain",
            str(reports),
            "evil",
            "--rubric",
            "tests/cli/fixtures/tiny-rubric.yaml",
            "--format",
            "markdown",
        ]
    )
    assert result.code == 0, result.err
    assert "<img" not in result.out
    assert "\x1b" not in result.out
    assert "Evil \\| &lt;img src=x&gt;" in result.out


def test_headers_titles_when_streaming() -> None:
    result = run_cli(
        [
            "rank",
            EXAMPLES,
            "--rubric",
            "citi",
            "--chunk-size",
            "25",
            "--format",
            "markdown",
            "--top",
            "1",
            "--headers",
            "titles",
        ]
    )
    assert result.code == 0, result.err
    assert "| Responsiveness and transparency |" in result.out
