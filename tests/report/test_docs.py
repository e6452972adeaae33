"""Every example in docs/report.md runs: `console` blocks print exactly what the page shows
and `python` blocks print their `# ` lines. Both run in a throwaway folder that sees the
repository's examples, so the sites they write are discarded."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from tests.cli.runner import ROOT
from tests.cli.test_docs_cli import Block, parse_blocks, replay, sandbox

DOC = ROOT / "docs" / "report.md"
TEXT = DOC.read_text(encoding="utf-8")
PYTHON = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("block", parse_blocks(TEXT), ids=lambda block: f"line{block.line}")
def test_console_blocks(block: Block) -> None:
    assert [output for _, output in replay(block)] == [step.expected for step in block.steps]


@pytest.mark.parametrize("code", PYTHON.findall(TEXT))
def test_python_blocks(code: str) -> None:
    expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    printed = io.StringIO()
    with sandbox() as folder, contextlib.redirect_stdout(printed):
        exec(compile(code, str(DOC), "exec"), {})
        assert (Path(folder) / "site" / "index.html").is_file()
    assert printed.getvalue().splitlines() == expected
