"""`csrscore rank` through the real entry point: every format parsed back, every option."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.cli.runner import (
    BAD_REPORTS,
    EXAMPLES,
    ROOT,
    SCHEMAS,
    TINY_REPORTS,
    TINY_RUBRIC,
    cached_run,
    run_cli,
)

Document = dict[str, Any]
FIXED_CSV_COLUMNS = [
    "rank",
    "company_id",
    "name",
    "sector",
    "country",
    "year",
    "total",
    "published_total",
    "grade",
]
ONE_REJECTED = str(BAD_REPORTS / "several_problems.json")


def ranking(*options: str) -> Document:
    result = cached_run("rank", EXAMPLES, "--format", "json", *options)
    assert result.code == 0, result.err
    document: Document = json.loads(result.out)
    return document


def table_rows(text: str) -> list[list[str]]:
    """The body rows of every text table in `text` (the lines under each dashed rule)."""
    rows: list[list[str]] = []
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if number and re.fullmatch(r"-+(  -+)*", line):
            widths = [len(dashes) for dashes in line.split("  ")]
            for row in lines[number + 1 :]:
                if not row.strip():
                    break
                rows.append(split_fixed(row, widths))
    return rows


def split_fixed(line: str, widths: list[int]) -> list[str]:
    cells, start = [], 0
    for width in widths:
        cells.append(line[start : start + width].strip())
        start += width + 2
    return cells


def markdown_cells(line: str) -> list[str]:
    assert line.startswith("| "), line
    assert line.endswith(" |"), line
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line[2:-2])]


# --- the four formats ----------------------------------------------------------------------


def test_default_table_ranks_every_example_with_iso26000() -> None:
    result = cached_run("rank", EXAMPLES)
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert re.fullmatch(
        r"rubric iso26000 1\.0\.0 \(sha256:[0-9a-f]{12}\) · 60 report\(s\) scored, 0 rejected",
        lines[0],
    )
    # The examples span 2023 and 2024: one section per year, ranks restarting in each.
    assert re.findall(r"^year: (\d+)$", result.out, flags=re.MULTILINE) == ["2023", "2024"]
    rows = table_rows(result.out)
    assert len(rows) == 60
    for year in ("2023", "2024"):
        ranks = [int(row[0]) for row in rows if row[3] == year]
        assert len(ranks) == 30
        assert ranks == sorted(ranks)
        assert ranks[0] == 1


def _table_header(text: str) -> list[str]:
    return next(line.split() for line in text.splitlines() if line.startswith("rank "))


def test_single_year_input_is_one_section_ranked_as_a_whole(tmp_path: Path) -> None:
    reports = json.loads(Path(ROOT / EXAMPLES).read_text(encoding="utf-8"))["reports"]
    one_year = tmp_path / "2024.json"
    one_year.write_text(json.dumps([r for r in reports if r["year"] == 2024]), encoding="utf-8")
    result = run_cli(["rank", str(one_year)])
    assert result.code == 0, result.err
    assert "year:" not in result.out
    ranks = [int(row[0]) for row in table_rows(result.out)]
    assert len(ranks) == 30
    assert ranks == sorted(ranks)
    assert ranks[0] == 1
    document = json.loads(run_cli(["rank", str(one_year), "--format", "json"]).out)
    assert document["ranking"]["per_year"] is False
    # The same ranks as the 2024 section of the two-year ranking.
    both = [c for c in ranking()["companies"] if c["year"] == 2024]
    assert [(c["company_id"], c["rank"]) for c in document["companies"]] == [
        (c["company_id"], c["rank"]) for c in both
    ]


def test_ranks_are_the_ones_explanations_give() -> None:
    """`rank` and `explain` give a company-year the same overall and sector ranks."""
    document = ranking()
    by_sector = {
        (c["company_id"], c["year"]): c["rank"] for c in ranking("--by", "sector")["companies"]
    }
    for company in document["companies"][::7]:
        explained = cached_run(
            "explain",
            EXAMPLES,
            company["company_id"],
            "--year",
            str(company["year"]),
            "--format",
            "json",
        )
        summary = json.loads(explained.out)["summary"]
        key = (company["company_id"], company["year"])
        assert (summary["rank"], summary["sector_rank"]) == (company["rank"], by_sector[key])


def test_table_shows_the_top_level_groups_as_columns() -> None:
    header = _table_header(cached_run("rank", EXAMPLES).out)
    show = cached_run("rubric", "show", "iso26000").out.splitlines()
    top_groups = [line.split()[0] for line in show[4:] if line and not line.startswith(" ")]
    top_groups = top_groups[: top_groups.index("adjustments:")]
    assert header == ["rank", "company", "sector", "year", "total", "grade", *top_groups]


def test_display_precision_totals_two_decimals_groups_one_json_full() -> None:
    companies = ranking()["companies"]
    rows = table_rows(cached_run("rank", EXAMPLES).out)
    header = _table_header(cached_run("rank", EXAMPLES).out)
    full_precision = 0
    for row, company in zip(rows, companies, strict=True):
        assert row[1] == company["name"]
        assert re.fullmatch(r"\d+\.\d\d", row[4]), row[4]
        assert row[4] == f"{company['total']:.2f}"
        for group, cell in zip(header[6:], row[6:], strict=True):
            value = company["groups"][group]
            assert cell == ("—" if value is None else f"{value:.1f}")
        full_precision += len(repr(company["total"]).partition(".")[2]) > 2
    assert full_precision > 30, "JSON totals keep full float64 precision"


def test_json_validates_against_the_committed_scores_schema() -> None:
    schema = json.loads((SCHEMAS / "scores.schema.json").read_text(encoding="utf-8"))
    document = ranking()
    errors = [error.message for error in Draft202012Validator(schema).iter_errors(document)]
    assert errors == []
    assert document["scored"] == len(document["companies"]) == 60
    assert document["source"] == EXAMPLES
    assert document["ranking"] == {
        "ties": "competition",
        "by": None,
        "per_year": True,
        "top": None,
    }
    companies = document["companies"]
    assert [company["year"] for company in companies] == [2023] * 30 + [2024] * 30
    for year in (companies[:30], companies[30:]):
        totals = [company["total"] for company in year]
        assert totals == sorted(totals, reverse=True)
        assert [company["rank"] for company in year][:3] == [1, 2, 3]


def test_csv_has_one_row_per_company_and_one_column_per_group_score() -> None:
    result = cached_run("rank", EXAMPLES, "--format", "csv")
    assert result.code == 0
    reader = csv.DictReader(io.StringIO(result.out))
    rows = list(reader)
    companies = ranking()["companies"]
    group_ids = list(companies[0]["groups"])
    assert reader.fieldnames == [*FIXED_CSV_COLUMNS, *group_ids]
    assert len(rows) == 60
    assert len({(row["company_id"], row["year"]) for row in rows}) == 60
    for row, company in zip(rows, companies, strict=True):
        assert row["company_id"] == company["company_id"]
        assert int(row["rank"]) == company["rank"]
        assert float(row["total"]) == company["total"]
        for group in group_ids:
            value = company["groups"][group]
            assert row[group] == ("" if value is None else repr(value))


def test_markdown_is_one_well_formed_table_per_year() -> None:
    result = cached_run("rank", EXAMPLES, "--format", "markdown")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("_rubric iso26000 ")
    assert lines[0].endswith("_")
    assert lines[1] == ""
    names = []
    chunks = "\n".join(lines[2:]).split("\n\n")
    assert chunks[0::2] == ["### year: 2023", "### year: 2024"]
    for chunk in chunks[1::2]:
        header, align, *body = (markdown_cells(line) for line in chunk.splitlines())
        assert header[:6] == ["rank", "company", "sector", "year", "total", "grade"]
        assert all(cell in ("---", "---:") for cell in align)
        assert [cell == "---:" for cell in align][:6] == [True, False, False, True, True, False]
        assert len(body) == 30
        assert {len(row) for row in body} == {len(header)} == {len(align)}
        names += [row[1] for row in body]
    assert names == [company["name"] for company in ranking()["companies"]]


def test_json_has_no_negative_zero() -> None:
    result = cached_run("rank", EXAMPLES, "--rubric", "citi", "--format", "json")
    assert "-0.0" not in result.out


# --- --by and --top ----------------------------------------------------------------------


def test_by_sector_makes_sections_and_ranks_restart_in_each() -> None:
    result = cached_run("rank", EXAMPLES, "--rubric", "citi", "--by", "sector")
    assert result.code == 0
    # Reports from two years: sectors within each year.
    sections = re.findall(r"^year: (\d+) · sector: (.+)$", result.out, flags=re.MULTILINE)
    assert sections == sorted(sections)
    assert len(sections) == len(set(sections)) > 2
    assert {year for year, _ in sections} == {"2023", "2024"}
    blocks = result.out.split("\nyear: ")[1:]
    assert len(blocks) == len(sections)
    seen = 0
    for (year, name), block in zip(sections, blocks, strict=True):
        rows = table_rows("\n" + block)
        ranks = [int(row[0]) for row in rows]
        assert ranks[0] == 1
        assert ranks == sorted(ranks)
        assert {(row[3], row[2]) for row in rows} == {(year, name)}
        seen += len(rows)
    assert seen == 60


def test_by_in_json_ranks_within_each_group() -> None:
    document = ranking("--rubric", "citi", "--by", "year")
    assert document["ranking"]["by"] == "year"
    assert document["ranking"]["per_year"] is True
    for year in (2023, 2024):
        members = [c for c in document["companies"] if c["year"] == year]
        assert len(members) == 30
        assert sorted(c["rank"] for c in members)[0] == 1
        assert max(c["percentile"] for c in members) == 100.0


def test_top_limits_the_rows() -> None:
    # The best N of each year: the examples span two.
    rows = table_rows(cached_run("rank", EXAMPLES, "--rubric", "citi", "--top", "5").out)
    assert [(row[3], int(row[0])) for row in rows] == [
        (year, rank) for year in ("2023", "2024") for rank in range(1, 6)
    ]
    document = ranking("--rubric", "citi", "--top", "3")
    assert [c["rank"] for c in document["companies"]] == [1, 2, 3, 1, 2, 3]
    assert document["ranking"]["top"] == 3
    text = cached_run("rank", EXAMPLES, "--rubric", "citi", "--format", "csv", "--top", "2").out
    assert len(list(csv.DictReader(io.StringIO(text)))) == 4


def test_top_applies_per_section_with_by() -> None:
    document = ranking("--rubric", "citi", "--by", "sector", "--top", "2")
    per_sector: dict[tuple[int, str], list[int]] = {}
    for company in document["companies"]:
        per_sector.setdefault((company["year"], company["sector"]), []).append(company["rank"])
    assert len(per_sector) > 1
    # Two rows, or more when companies tie with the second (they are kept together).
    for ranks in per_sector.values():
        assert len(ranks) >= 2, per_sector
        assert ranks[0] == 1, per_sector
        assert set(ranks[2:]) <= {ranks[1]}, per_sector
    assert any(len(ranks) > 2 for ranks in per_sector.values())


# --- --ties ------------------------------------------------------------------------------

EXPECTED_TIES = {
    "competition": {"alpha": 1, "bravo": 1, "charlie": 3, "delta": 4},
    "dense": {"alpha": 1, "bravo": 1, "charlie": 2, "delta": 3},
    "ordinal": {"alpha": 1, "bravo": 2, "charlie": 3, "delta": 4},
}


@pytest.mark.parametrize("method", EXPECTED_TIES)
def test_each_tie_method(method: str) -> None:
    argv = ["rank", TINY_REPORTS, "--rubric", TINY_RUBRIC, "--ties", method]
    document = json.loads(run_cli([*argv, "--format", "json"]).out)
    assert document["ranking"]["ties"] == method
    ranks = {c["company_id"]: c["rank"] for c in document["companies"]}
    assert ranks == EXPECTED_TIES[method]
    table = run_cli(argv)
    names = {company_id.capitalize(): rank for company_id, rank in EXPECTED_TIES[method].items()}
    assert {row[1]: int(row[0]) for row in table_rows(table.out)} == names


def test_default_tie_method_is_competition() -> None:
    default = run_cli(["rank", TINY_REPORTS, "--rubric", TINY_RUBRIC])
    explicit = run_cli(["rank", TINY_REPORTS, "--rubric", TINY_RUBRIC, "--ties", "competition"])
    assert default == explicit


# --- --strict ----------------------------------------------------------------------------


def test_strict_fails_with_one_line_when_a_report_is_rejected() -> None:
    result = run_cli(["rank", ONE_REJECTED, "--rubric", "citi", "--strict"])
    assert result.code == 1
    assert result.out == ""
    (line,) = result.err_lines
    assert line.startswith(f"csrscore: error: {ONE_REJECTED} record 1 company 'beta'")
    assert "1 report(s) rejected under --strict" in line


def test_strict_passes_when_nothing_is_rejected() -> None:
    strict = run_cli(["rank", EXAMPLES, "--rubric", "citi", "--strict", "--top", "1"])
    assert strict == cached_run("rank", EXAMPLES, "--rubric", "citi", "--top", "1")
    assert strict.code == 0


@pytest.mark.parametrize(
    "format_name",
    [
        "table",
        "json",
        "csv",
        "markdown",
    ],
)
def test_without_strict_rejections_exit_0_with_a_warning_on_stderr(format_name: str) -> None:
    result = run_cli(["rank", ONE_REJECTED, "--rubric", "citi", "--format", format_name])
    assert result.code == 0
    assert "csrscore: warning: 1 report(s) rejected" in result.err


def test_table_lists_the_rejected_reports_under_the_ranking() -> None:
    result = run_cli(["rank", ONE_REJECTED, "--rubric", "citi"])
    assert "1 report(s) scored, 1 rejected" in result.out.splitlines()[0]
    assert result.out.splitlines()[-2:] == [
        "rejected:",
        f"  {ONE_REJECTED} record 1 company 'beta' company.name: must not be blank, got ' ' "
        "(and 2 more problems)",
    ]


# --- --output ----------------------------------------------------------------------------


@pytest.mark.parametrize("format_name", ["table", "json", "csv", "markdown"])
def test_output_file_equals_stdout_and_leaves_no_temporary_file(
    format_name: str, tmp_path: Path
) -> None:
    argv = ["rank", EXAMPLES, "--rubric", "citi", "--format", format_name]
    target = tmp_path / f"ranking.{format_name}"
    written = run_cli([*argv, "--output", str(target)])
    assert (written.code, written.out, written.err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == cached_run(*argv).out
    assert [path.name for path in tmp_path.iterdir()] == [target.name]


def test_output_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "ranking.txt"
    target.write_text("old\n", encoding="utf-8")
    assert run_cli(["rank", EXAMPLES, "--rubric", "citi", "-o", str(target)]).code == 0
    assert target.read_text(encoding="utf-8").startswith("rubric citi 1.0.0")
    assert [path.name for path in tmp_path.iterdir()] == ["ranking.txt"]


def test_output_dash_is_stdout() -> None:
    argv = ["rank", EXAMPLES, "--rubric", "citi", "--top", "2"]
    assert run_cli([*argv, "--output", "-"]) == cached_run(*argv)


def test_failed_write_keeps_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ranking.txt"
    target.write_text("old\n", encoding="utf-8")

    def failing_replace(source: str, destination: Path) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", failing_replace)
    result = run_cli(["rank", EXAMPLES, "--rubric", "citi", "-o", str(target)])
    assert result.code == 1
    (line,) = result.err_lines
    assert line.endswith("ranking.txt: cannot write: disk on fire")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["ranking.txt"]


def test_output_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        target = tmp_path / "ranking.txt"
        assert run_cli(["rank", EXAMPLES, "--rubric", "citi", "-o", str(target)]).code == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_output_into_a_missing_folder_is_a_one_line_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "ranking.txt"
    result = run_cli(["rank", EXAMPLES, "--rubric", "citi", "-o", str(target)])
    assert result.code == 1
    (line,) = result.err_lines
    assert line.startswith("csrscore: error: ")
    assert "missing" in line


# --- --rubric and stdin ------------------------------------------------------------------


def test_rubric_by_name_and_by_path_agree() -> None:
    by_name = cached_run("rank", EXAMPLES, "--rubric", "citi", "--format", "json")
    by_path = run_cli(["rank", EXAMPLES, "--rubric", "rubrics/citi.yaml", "--format", "json"])
    assert by_name == by_path
    assert json.loads(by_name.out)["rubric"]["name"] == "citi"


def test_rubric_from_a_path_outside_the_shipped_set() -> None:
    result = run_cli(["rank", TINY_REPORTS, "--rubric", TINY_RUBRIC])
    assert result.code == 0
    assert result.out.startswith("rubric tiny 1.0.0 ")


def test_stdin_gives_the_same_ranking_as_the_file() -> None:
    data = (ROOT / EXAMPLES).read_bytes()
    from_stdin = run_cli(["rank", "-", "--rubric", "citi", "--format", "csv"], stdin=data)
    assert from_stdin == cached_run("rank", EXAMPLES, "--rubric", "citi", "--format", "csv")


def test_stdin_accepts_json_lines() -> None:
    document = json.loads((ROOT / EXAMPLES).read_bytes())
    lines = "".join(json.dumps(record) + "\n" for record in document["reports"])
    result = run_cli(["rank", "-", "--rubric", "citi", "--format", "json"], stdin=lines.encode())
    assert result.code == 0
    ranked = json.loads(result.out)
    assert ranked["companies"] == ranking("--rubric", "citi")["companies"]
    assert ranked["source"] == "<stdin>"


def test_bad_json_on_stdin_is_located() -> None:
    result = run_cli(["rank", "-", "--rubric", "citi"], stdin=b'[{"company": ')
    assert result.code == 1
    (line,) = result.err_lines
    assert re.match(r"csrscore: error: <stdin>:1:\d+: invalid JSON", line), line


def test_unknown_by_field_is_a_one_line_error() -> None:
    result = run_cli(["rank", EXAMPLES, "--rubric", "citi", "--by", "foo"])
    assert result.code in (1, 2)
    assert result.out == ""
    assert "Traceback" not in result.err
    assert result.err_lines[-1].startswith("csrscore")
    assert "cannot group by 'foo'" in result.err_lines[-1]


# --- --compare-years -----------------------------------------------------------------------

COMPARE = ("rank", EXAMPLES, "--rubric", "citi", "--compare-years", "2023", "2024")


def test_compare_years_table() -> None:
    result = cached_run(*COMPARE)
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[0].startswith("rubric citi 1.0.0 · 2023 → 2024 · 30 companies in both years")
    rows = table_rows(result.out)
    assert len(rows) == 30
    assert [int(row[0]) for row in rows] == sorted(int(row[0]) for row in rows)


def test_compare_years_json_agrees_with_the_ranking_by_year() -> None:
    result = cached_run(*COMPARE, "--format", "json")
    assert result.code == 0
    document = json.loads(result.out)
    assert (document["from_year"], document["to_year"]) == (2023, 2024)
    by_year = ranking("--rubric", "citi", "--by", "year")["companies"]
    rank_of = {(c["company_id"], c["year"]): c["rank"] for c in by_year}
    total_of = {(c["company_id"], c["year"]): c["total"] for c in by_year}
    assert len(document["companies"]) == 30
    for change in document["companies"]:
        key_from, key_to = (change["company_id"], 2023), (change["company_id"], 2024)
        assert (change["rank_from"], change["rank_to"]) == (rank_of[key_from], rank_of[key_to])
        assert change["total_to"] == total_of[key_to]
        assert change["score_delta"] == pytest.approx(total_of[key_to] - total_of[key_from])


def test_compare_years_csv_and_markdown() -> None:
    rows = list(csv.DictReader(io.StringIO(cached_run(*COMPARE, "--format", "csv").out)))
    assert len(rows) == 30
    assert {"company_id", "rank_2023", "rank_2024", "total_2023", "total_2024"} <= set(rows[0])
    text = cached_run(*COMPARE, "--format", "markdown").out
    table = text.split("\n\n")[1].splitlines()
    header, align, *body = (markdown_cells(line) for line in table)
    assert len(body) == 30
    assert {len(row) for row in body} == {len(header)} == {len(align)}


def test_compare_years_output_file(tmp_path: Path) -> None:
    target = tmp_path / "changes.csv"
    written = run_cli([*COMPARE, "--format", "csv", "-o", str(target)])
    assert (written.code, written.out) == (0, "")
    assert target.read_text(encoding="utf-8") == cached_run(*COMPARE, "--format", "csv").out
    assert [path.name for path in tmp_path.iterdir()] == ["changes.csv"]


def test_compare_years_with_a_missing_year_is_a_one_line_error() -> None:
    result = run_cli(["rank", EXAMPLES, "--rubric", "citi", "--compare-years", "2022", "2024"])
    assert (result.code, result.out) == (1, "")
    assert result.err_lines == [
        "csrscore: error: no scored report for year 2022; years scored: 2023, 2024"
    ]


def test_compare_years_needs_two_years() -> None:
    result = run_cli(["rank", EXAMPLES, "--compare-years", "2023", "latest"])
    assert (result.code, result.out) == (2, "")
    assert result.err_lines[-1].startswith("csrscore rank: error: argument --compare-years")


@pytest.mark.parametrize(
    "option", [("--top", "2"), ("--ties", "ordinal"), ("--by", "sector")], ids=" ".join
)
def test_compare_years_honours_or_refuses_ranking_options(option: tuple[str, str]) -> None:
    baseline = cached_run(*COMPARE, "--format", "json")
    result = run_cli([*COMPARE, *option, "--format", "json"])
    assert result.code == 2 or result.out != baseline.out


def test_every_report_rejected_is_an_error_naming_the_first(tmp_path: Path) -> None:
    path = tmp_path / "all-bad.json"
    record = {"company": {"id": "solo", "name": "Solo"}, "year": 2024}
    record["disclosures"] = {"hr.policy.standards": ["UN Guiding Principles"]}
    path.write_text(json.dumps([record]), encoding="utf-8")
    result = run_cli(["rank", str(path), "--rubric", "citi"])
    assert result.code == 1
    (line,) = result.err_lines
    assert "no record could be scored: all 1 rejected; first: 'UN Guiding Principles'" in line


def test_catalog_warnings_beyond_the_listed_ones_are_counted(tmp_path: Path) -> None:
    unknown = {f"x.unknown_{k:02d}": True for k in range(14)}
    records = [{"company": {"id": "co", "name": "Synthetic"}, "year": 2024, "disclosures": unknown}]
    path = tmp_path / "reports.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    quiet = run_cli(["rank", str(path)])
    assert quiet.code == 0
    assert not [line for line in quiet.err_lines if "is not in the catalog" in line]
    result = run_cli(["rank", str(path), "--warn-unknown-keys"])
    assert result.code == 0
    warnings = [line for line in result.err_lines if "is not in the catalog" in line]
    assert len(warnings) == 10
    assert result.err_lines[-1] == (
        "csrscore: warning: ... and 4 more warning(s); "
        "the JSON output (--format json) lists them all"
    )


def test_rank_exits_1_when_no_record_could_be_scored(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    path.write_text(json.dumps([{"company": {"id": "co"}, "year": 2024}]), encoding="utf-8")
    result = run_cli(["rank", str(path)])
    assert (result.code, result.out) == (1, "")
    (line,) = [line for line in result.err_lines if "error" in line]
    assert "no record could be scored: all 1 rejected; first:" in line


def test_sensitivity_refuses_a_single_sample() -> None:
    result = run_cli(["sensitivity", EXAMPLES, "--samples", "1"])
    assert result.code == 2
    assert result.err_lines[-1].endswith("must be at least 2 (spreads need two samples)")
