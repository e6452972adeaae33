"""docs/spreadsheets.md: every console block prints what the page shows, and the Python
block prints the `# ` lines that follow its prints. Refresh the console outputs with

    .venv/bin/python -m tests.io.test_docs
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import sys

import openpyxl
import pytest

from tests.cli.runner import ROOT
from tests.cli.test_docs_cli import BLOCK, Session, parse_blocks, sandbox

DOC = ROOT / "docs" / "spreadsheets.md"
TEXT = DOC.read_text(encoding="utf-8")
BLOCKS = parse_blocks(TEXT)
PYTHON = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def replay_page() -> list[list[tuple[str, str]]]:
    """Every block's (command, output) pairs, run in order in one folder, as a reader
    following the page would; the workbook the page ends with is checked there."""
    session = Session()
    outputs = []
    with sandbox():
        for block in BLOCKS:
            outputs.append([(step.command, session.run(step.command)) for step in block.steps])
        workbook = openpyxl.load_workbook("ranking.xlsx")
        assert workbook.sheetnames == ["ranking", "groups", "criteria", "rubric"]
        assert workbook["ranking"]["B2"].value == "alder-looms"
    return outputs


def test_every_console_block_prints_what_the_page_shows() -> None:
    commands = [step.command for block in BLOCKS for step in block.steps]
    assert commands[0].startswith("csrscore mapping init examples/spreadsheet.csv")
    assert any(command.startswith("csrscore import") for command in commands)
    for block, outputs in zip(BLOCKS, replay_page(), strict=True):
        for (command, actual), step in zip(outputs, block.steps, strict=True):
            assert actual == step.expected, f"docs/spreadsheets.md line {block.line}: $ {command}"


@pytest.mark.parametrize("code", PYTHON.findall(TEXT))
def test_python_block_prints_what_the_page_shows(code: str) -> None:
    lines = code.splitlines()
    expected = [
        line.removeprefix("# ")
        for before, line in itertools.pairwise(lines)
        if "print(" in before and line.startswith("# ")
    ]
    output = io.StringIO()
    saved = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(code, str(DOC), "exec"), {})
    finally:
        os.chdir(saved)
    assert output.getvalue().splitlines() == expected


def regenerate(text: str) -> str:
    outputs = iter(replay_page())

    def refresh(match: re.Match[str]) -> str:
        lines = [f"$ {command}\n{output}" for command, output in next(outputs)]
        return "```console\n" + "".join(lines) + "```"

    return BLOCK.sub(refresh, text)


if __name__ == "__main__":
    os.chdir(ROOT)
    DOC.write_text(regenerate(TEXT), encoding="utf-8")
    sys.stdout.write(f"rewrote {DOC.relative_to(ROOT)}\n")
