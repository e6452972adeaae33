"""`csrscore explain` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.cli.runner import EXAMPLES, ROOT, SCHEMAS, cached_run, run_cli

COMPANY = "northwind-textiles"
NAME = "Northwind Textiles (synthetic)"


def explanation(*options: str) -> dict[str, Any]:
    result = cached_run("explain", EXAMPLES, COMPANY, "--format", "json", *options)
    assert (result.code, result.err) == (0, ""), result.err
    document: dict[str, Any] = json.loads(result.out)
    return document


def test_text_explains_the_latest_year_by_default() -> None:
    result = cached_run("explain", EXAMPLES, COMPANY)
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[0] == f"{NAME} ({COMPANY}), 2024, sector textiles"
    assert lines[1].startswith("rubric iso26000 1.0.0 (sha256:")
    for heading in ("groups and criteria:", "how to raise the score", "peers ("):
        assert any(line.startswith(heading) for line in lines), heading


def test_text_total_matches_the_ranking() -> None:
    ranked = json.loads(cached_run("rank", EXAMPLES, "--format", "json", "--by", "year").out)
    (row,) = [c for c in ranked["companies"] if c["company_id"] == COMPANY and c["year"] == 2024]
    lines = cached_run("explain", EXAMPLES, COMPANY).out.splitlines()
    assert lines[3] == f"total {row['total']:.2f} / 100, grade {row['grade']}"
    assert lines[5].startswith(f"rank {row['rank']} of 30 in 2024;")


@pytest.mark.parametrize("options", [(), ("--year", "2023")], ids=["latest", "2023"])
def test_json_is_valid_against_the_committed_schema(options: tuple[str, ...]) -> None:
    schema = json.loads((SCHEMAS / "explanation.schema.json").read_text(encoding="utf-8"))
    document = explanation("--rubric", "citi", *options)
    assert [e.message for e in Draft202012Validator(schema).iter_errors(document)] == []
    assert document["company"]["id"] == COMPANY
    assert document["company"]["year"] == (2023 if options else 2024)
    assert document["rubric"]["name"] == "citi"


def test_year_selects_the_report() -> None:
    result = cached_run("explain", EXAMPLES, COMPANY, "--rubric", "citi", "--year", "2023")
    assert result.out.splitlines()[0] == f"{NAME} ({COMPANY}), 2023, sector textiles"
    latest = explanation("--rubric", "citi")
    older = explanation("--rubric", "citi", "--year", "2023")
    assert older["summary"]["total"] != latest["summary"]["total"]


def test_json_keeps_full_precision_and_text_rounds() -> None:
    document = explanation("--rubric", "citi")
    total = document["summary"]["total"]
    assert len(repr(total).partition(".")[2]) > 2
    text = cached_run("explain", EXAMPLES, COMPANY, "--rubric", "citi").out
    assert f"total {total:.2f} / 100" in text


def test_output_file_equals_stdout(tmp_path: Path) -> None:
    argv = ("explain", EXAMPLES, COMPANY, "--rubric", "citi", "--format", "json")
    target = tmp_path / "why.json"
    written = run_cli([*argv, "--output", str(target)])
    assert (written.code, written.out, written.err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == cached_run(*argv).out
    assert [path.name for path in tmp_path.iterdir()] == ["why.json"]


def test_stdin() -> None:
    data = (ROOT / EXAMPLES).read_bytes()
    result = run_cli(["explain", "-", COMPANY, "--rubric", "citi"], stdin=data)
    assert result == cached_run("explain", EXAMPLES, COMPANY, "--rubric", "citi")


def test_unknown_company_exits_1_with_did_you_mean() -> None:
    result = run_cli(["explain", EXAMPLES, "northwind-textile", "--rubric", "citi"])
    assert (result.code, result.out) == (1, "")
    assert result.err_lines == [
        "csrscore: error: no scored company 'northwind-textile' "
        f"(did you mean 'northwind-textiles' ({NAME})?)"
    ]


def test_unknown_company_without_a_close_match() -> None:
    result = run_cli(["explain", EXAMPLES, "zzz", "--rubric", "citi"])
    assert result.code == 1
    assert result.err_lines == ["csrscore: error: no scored company 'zzz'"]


def test_unknown_year_exits_1() -> None:
    result = run_cli(["explain", EXAMPLES, COMPANY, "--rubric", "citi", "--year", "2022"])
    assert (result.code, result.out) == (1, "")
    (line,) = result.err_lines
    assert line.startswith(f"csrscore: error: no report of '{COMPANY}' in 2022")


def test_unknown_year_names_the_years_that_exist() -> None:
    result = run_cli(["explain", EXAMPLES, COMPANY, "--rubric", "citi", "--year", "2022"])
    (line,) = result.err_lines
    assert f"did you mean '{COMPANY}'" not in line
    assert "2023" in line
    assert "2024" in line


def test_year_must_be_a_number() -> None:
    result = run_cli(["explain", EXAMPLES, COMPANY, "--year", "latest"])
    assert result.code == 2
    assert result.err_lines[-1].startswith("csrscore explain: error: argument --year")


def test_explain_by_company_name() -> None:
    by_name = run_cli(["explain", EXAMPLES, NAME.upper(), "--rubric", "citi"])
    assert by_name == cached_run("explain", EXAMPLES, COMPANY, "--rubric", "citi")


def test_a_company_without_a_sector_is_said_to_have_none(tmp_path: Path) -> None:
    records = [
        {"company": {"id": f"co{i}", "name": f"Synthetic {i}"}, "year": 2024, "disclosures": {}}
        for i in range(3)
    ]
    path = tmp_path / "reports.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    result = run_cli(["explain", str(path), "co1"])
    assert result.code == 0, result.err
    (line,) = [line for line in result.out.splitlines() if line.startswith("rank ")]
    assert "in its sector" not in line
    assert "no sector given, so no sector rank" in line
