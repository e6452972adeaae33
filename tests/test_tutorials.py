"""Every tutorial in docs/tutorials/ runs end to end.

Its ```console blocks are replayed like docs/cli.md's (tests/cli/test_docs_cli.py) and must
print what the page shows; its ```python blocks are executed from the repository root, and a
block followed by "which prints `...`" must print that. To refresh the transcripts after a
deliberate change, run from the repository root:

    .venv/bin/python -m tests.test_tutorials
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

from tests.cli.runner import ROOT
from tests.cli.test_docs_cli import Block, parse_blocks, regenerate, replay

PAGES = sorted((ROOT / "docs" / "tutorials").glob("*.md"))
PYTHON = re.compile(r"^```python\n(.*?)^```\n+which prints `([^`]*)`", re.MULTILINE | re.DOTALL)


def console_blocks() -> list[tuple[Path, Block]]:
    return [(page, block) for page in PAGES for block in parse_blocks(page.read_text("utf-8"))]


def python_blocks() -> list[tuple[Path, str, str]]:
    return [
        (page, match.group(1), match.group(2))
        for page in PAGES
        for match in PYTHON.finditer(page.read_text("utf-8"))
    ]


def test_there_are_tutorials_to_run() -> None:
    assert PAGES
    assert console_blocks()
    assert python_blocks()


@pytest.mark.parametrize(
    ("page", "block"),
    console_blocks(),
    ids=lambda value: value.name if isinstance(value, Path) else f"line{value.line}",
)
def test_console_block_output_is_current(page: Path, block: Block) -> None:
    for (command, actual), step in zip(replay(block), block.steps, strict=True):
        assert actual == step.expected, f"{page.name} line {block.line}: $ {command}"


@pytest.mark.parametrize(
    ("page", "code", "expected"),
    python_blocks(),
    ids=lambda value: value.name if isinstance(value, Path) else "",
)
def test_python_block_prints_what_the_page_says(page: Path, code: str, expected: str) -> None:
    saved = Path.cwd()
    os.chdir(ROOT)
    try:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(page), "exec"), {})
    finally:
        os.chdir(saved)
    assert out.getvalue().strip() == expected


if __name__ == "__main__":
    for page in PAGES:
        page.write_text(regenerate(page.read_text("utf-8")), encoding="utf-8")
