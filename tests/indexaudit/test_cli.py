"""`csrscore audit`: formats, sections, options and errors, run as the console script is."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from csrscore import audit, score
from csrscore.cli.audit_cmd import SECTIONS, render
from tests.cli.runner import EXAMPLES, ROOT, run_cli

TITLES = {
    "flags": "Flags",
    "coverage": "Coverage",
    "distributions": "Distributions",
    "correlations": "Correlations",
    "reliability": "Reliability",
    "weights": "Effective weights",
}


@pytest.fixture(autouse=True)
def _from_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_the_table_has_every_section() -> None:
    result = run_cli(["audit", EXAMPLES, "--rubric", "citi"])
    assert result.code == 0, result.err
    assert result.out.startswith("Audit of citi: 60 companies, years 2023, 2024\n")
    for title in TITLES.values():
        assert f"\n{title}" in result.out
    assert "nan" not in result.out.lower().replace("financ", "")


def test_json_is_the_library_result() -> None:
    result = run_cli(["audit", EXAMPLES, "--rubric", "citi", "--format", "json"])
    assert result.code == 0, result.err
    expected = audit(score(EXAMPLES, "citi")).to_dict()
    assert json.loads(result.out) == json.loads(json.dumps(expected))


def test_markdown_sections() -> None:
    result = run_cli(
        ["audit", EXAMPLES, "--rubric", "citi", "--format", "markdown", "--section", "weights"]
    )
    assert result.code == 0, result.err
    assert result.out.startswith("# Audit of citi")
    assert "## Effective weights" in result.out
    assert "| kind | id | n | nominal % |" in result.out
    assert "## Coverage" not in result.out


@pytest.mark.parametrize("section", SECTIONS)
def test_one_section(section: str) -> None:
    result = run_cli(["audit", EXAMPLES, "--rubric", "citi", "--section", section])
    assert result.code == 0, result.err
    shown = [title for title in TITLES.values() if f"\n{title}" in result.out]
    assert shown == [TITLES[section]]


def test_options_reach_the_audit() -> None:
    result = run_cli(
        ["audit", EXAMPLES, "--rubric", "citi", "--format", "json", "--year", "2023",
         "--redundancy", "0.5", "--criteria-weights"]
    )  # fmt: skip
    document = json.loads(result.out)
    assert document["years"] == [2023]
    assert document["redundancy_threshold"] == 0.5
    assert {row["kind"] for row in document["effective_weights"]} == {"group", "criterion"}
    assert len([f for f in document["flags"] if f["kind"] == "redundant"]) > 2


def test_output_file_equals_stdout(tmp_path: Path) -> None:
    target = tmp_path / "audit.md"
    written = run_cli(["audit", EXAMPLES, "--format", "markdown", "-o", str(target)])
    printed = run_cli(["audit", EXAMPLES, "--format", "markdown"])
    assert written.code == 0
    assert written.out == ""
    assert target.read_text(encoding="utf-8") == printed.out


def test_a_year_without_reports_is_a_usage_error() -> None:
    result = run_cli(["audit", EXAMPLES, "--year", "1999"])
    assert result.code == 2
    assert result.err_lines == [
        "csrscore audit: error: no scored report of 1999; the years scored: 2023, 2024"
    ]


@pytest.mark.parametrize("value", ["0", "1.5", "x"])
def test_the_redundancy_threshold_is_checked(value: str) -> None:
    result = run_cli(["audit", EXAMPLES, "--redundancy", value])
    assert result.code == 2
    assert "--redundancy" in result.err


def test_untrusted_text_is_shown_inert() -> None:
    result = audit(score(EXAMPLES, "citi"))
    hostile = "\x1b[2J\x1b]0;owned\x07evil\u202e"
    first = dataclasses.replace(result.coverage[0], id=hostile, note=hostile)
    crafted = dataclasses.replace(result, rubric=hostile, coverage=(first, *result.coverage[1:]))
    for markdown in (False, True):
        text = render(crafted, markdown=markdown)
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "\u202e" not in text
        assert "\\x1b[2J" in text
