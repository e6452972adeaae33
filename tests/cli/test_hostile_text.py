"""Untrusted text reaches no output live: company names, sectors, rubric and criterion
titles and labels full of terminal escapes, newlines, HTML and formulas are shown inert in
every text format of every command."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from csrscore.textsafe import FORMULA_PREFIXES
from tests.cli.runner import run_cli

# Clear screen, an OSC 8 hyperlink, a window title, BEL, CR, a newline, bidi override.
EVIL = "\x1b[2J\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\x1b]0;title\x07\r\u202e\n"
EVIL_NAME = f"=HYPERLINK(\"https://evil.example\")<script>x</script>|{EVIL}"
LIVE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    records = [
        {
            "company": {"id": f"c{i}", "name": f"{EVIL_NAME}{i}", "sector": "energy"},
            "year": year,
            "disclosures": {"env.ghg.policy": i % 2 == 0, "env.ghg.scope1": 10 * i},
        }
        for i in range(3)
        for year in (2023, 2024)
    ]
    reports = folder / "reports.json"
    reports.write_text(json.dumps(records), encoding="utf-8")
    level = {"points": 1, "label": f"@label{EVIL}", "when": {"true": "env.ghg.policy"}}
    rubric = {
        "rubric": "hostile",
        "version": "1.0.0",
        "title": f"-title{EVIL}",
        "groups": [
            {
                "id": "g",
                "title": f"<b>group</b>{EVIL}",
                "criteria": [{"id": "c", "title": f"=crit{EVIL}", "levels": [level]}],
            }
        ],
    }
    rubric_path = folder / "rubric.yaml"
    rubric_path.write_text(yaml.safe_dump(rubric), encoding="utf-8")
    return reports, rubric_path


COMMANDS = [
    ("rank", "--format", "table"),
    ("rank", "--format", "markdown"),
    ("rank", "--format", "csv"),
    ("rank", "--by", "sector"),
    ("rank", "--compare-years", "2023", "2024"),
    ("rank", "--compare-years", "2023", "2024", "--format", "markdown"),
    ("rank", "--compare-years", "2023", "2024", "--format", "csv"),
    ("explain", "c0"),
    ("sensitivity", "--samples", "20"),
    ("sensitivity", "--samples", "20", "--format", "csv"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_live_control_characters(hostile: tuple[Path, Path], command: tuple[str, ...]) -> None:
    reports, rubric = hostile
    result = run_cli([command[0], str(reports), "--rubric", str(rubric), *command[1:]])
    assert result.code == 0, result.err
    assert "\\x1b" in result.out  # the names are there, escaped
    assert not LIVE.search(result.out)
    assert not LIVE.search(result.err)
    if "markdown" in command:
        table = [line for line in result.out.splitlines() if line.startswith("|")]
        assert table
        for line in table:
            assert line.endswith("|")
            assert len(re.split(r"(?<!\\)\|", line)) == len(re.split(r"(?<!\\)\|", table[0]))
        assert "<script>" not in result.out
        assert "&lt;script&gt;" in result.out
    if "csv" in command:
        rows = list(csv.reader(io.StringIO(result.out)))
        cells = [cell for row in rows for cell in row]
        assert any("HYPERLINK" in cell for cell in cells)
        for cell in cells:
            assert not cell.startswith(FORMULA_PREFIXES) or _is_number(cell), cell


@pytest.mark.parametrize(
    "command", [("rubric", "show"), ("rubric", "check"), ("validate",)], ids=" ".join
)
def test_rubric_and_validate_output_is_inert(
    hostile: tuple[Path, Path], command: tuple[str, ...]
) -> None:
    reports, rubric = hostile
    target = reports if command == ("validate",) else rubric
    result = run_cli([*command, str(target)])
    assert result.code == 0, result.err
    assert not LIVE.search(result.out + result.err)


def test_error_messages_are_inert(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"company": {"id": "x", "name": "n"}, "year": f"20{EVIL}"}]))
    result = run_cli(["validate", str(bad)])
    assert result.code == 1
    assert "\\x1b" in result.out
    assert not LIVE.search(result.out + result.err)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
