"""`csrscore rank --editions FILE --compare-years FROM TO` through the real entry point."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.cli.runner import ROOT, run_cli

REPORTS = "examples/editions/reports.json"
EDITIONS = "examples/editions/editions.yaml"
COMPARE = ("rank", REPORTS, "--editions", EDITIONS, "--compare-years", "2023", "2024")


def test_table_splits_each_change() -> None:
    result = run_cli([*COMPARE])
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("rubric small-index 2023 → small-index 2024 · 2023 → 2024")
    acme = next(line for line in lines if "Acme (synthetic)" in line)
    # total 2024, 2023, change, by company, by methodology, grade, criteria changed
    assert acme.split()[-7:] == ["80.00", "66.67", "+13.33", "+33.33", "-20.00", "—", "2"]
    assert "  criteria renamed: policy → csr-policy" in lines
    assert (
        "  policy → csr-policy: none → published, +2.00 points (company +1.00, methodology +1.00)"
        in lines
    )


def test_json_and_csv_carry_the_split() -> None:
    document = json.loads(run_cli([*COMPARE, "--format", "json"]).out)
    assert document["methodology"]["criteria_added"] == ["pay"]
    beta = document["companies"][1]
    assert beta["company_id"] == "beta"
    assert beta["company_delta"] == pytest.approx(100 / 3)
    assert beta["methodology_delta"] == pytest.approx(80 / 3)
    assert beta["criteria"][0]["causes"] == ["company", "methodology"]
    rows = list(csv.DictReader(io.StringIO(run_cli([*COMPARE, "--format", "csv"]).out)))
    assert [(r["company_id"], r["status"]) for r in rows] == [
        ("acme", "both"),
        ("beta", "both"),
        ("gamma", "new"),
    ]
    assert float(rows[0]["methodology_delta"]) == pytest.approx(-20.0)
    assert rows[2]["company_delta"] == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--editions", EDITIONS], "--editions goes with --compare-years FROM TO"),
        (
            ["--editions", EDITIONS, "--compare-years", "2023", "2024", "--rubric", "citi"],
            "and replaces --rubric",
        ),
        (
            ["--editions", EDITIONS, "--compare-years", "2023", "2025"],
            f"no report for year 2025; years in {REPORTS}: 2023, 2024",
        ),
        (
            ["--editions", EDITIONS, "--compare-years", "2024", "2023"],
            "2024 is after 2023: compare an earlier year with a later one",
        ),
    ],
)
def test_misuse_is_one_line(extra: list[str], message: str) -> None:
    result = run_cli(["rank", REPORTS, *extra])
    assert result.code in (1, 2)
    assert len(result.err_lines) == 1
    assert message in result.err


def test_docs_show_the_example_editions_file_as_it_is() -> None:
    shown = (ROOT / "examples" / "editions" / "editions.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{shown}```\n" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
