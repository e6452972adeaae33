"""Every example in docs/reports.md runs.

Fenced blocks are read by their info string: `json` and `jsonl` blocks are loaded and must
be valid, unless marked `rejected`, in which case at least one record must be rejected; a
`file=NAME` attribute saves the block under that name for later blocks. `console` blocks are
`$ csrscore ...` commands, each followed by its exact output. `python` blocks are executed,
and a trailing `# ` comment after a `print` is the line it must print.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from csrscore import list_rubrics, score
from csrscore.cli.main import main
from csrscore.records import load_reports

DOC = Path(__file__).parents[2] / "docs" / "reports.md"
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    language: str
    attributes: frozenset[str]
    file: str | None
    body: str
    line: int


def _blocks() -> list[Block]:
    text = DOC.read_text(encoding="utf-8")
    blocks = []
    for match in FENCE.finditer(text):
        language, *words = match["info"].split()
        files = [word.removeprefix("file=") for word in words if word.startswith("file=")]
        blocks.append(
            Block(
                language,
                frozenset(words),
                files[0] if files else None,
                match["body"],
                text.count("\n", 0, match.start()) + 1,
            )
        )
    return blocks


BLOCKS = _blocks()


def _write_files(directory: Path) -> None:
    for block in BLOCKS:
        if block.file:
            (directory / block.file).write_text(block.body, encoding="utf-8")


def test_the_page_has_examples_of_every_kind() -> None:
    languages = {block.language for block in BLOCKS}
    assert {"json", "jsonl", "console", "python"} <= languages


@pytest.mark.parametrize(
    "block",
    [b for b in BLOCKS if b.language in ("json", "jsonl")],
    ids=lambda b: f"line {b.line}",
)
def test_record_examples_load(block: Block, tmp_path: Path) -> None:
    path = tmp_path / f"example.{block.language}"
    path.write_text(block.body, encoding="utf-8")
    loaded = load_reports(path)
    if "rejected" in block.attributes:
        assert loaded.rejected
    else:
        assert loaded.rejected == ()
        assert loaded.reports


@pytest.mark.parametrize("rubric", list_rubrics())
@pytest.mark.parametrize(
    "block",
    [b for b in BLOCKS if b.language in ("json", "jsonl") and "rejected" not in b.attributes],
    ids=lambda b: f"line {b.line}",
)
def test_record_examples_score_under_every_shipped_rubric(
    block: Block, rubric: str, tmp_path: Path
) -> None:
    """A valid example is also valid for scoring: nothing contradicts the catalog."""
    path = tmp_path / f"example.{block.language}"
    path.write_text(block.body, encoding="utf-8")
    scores = score(path, rubric)
    assert scores.rejected == ()
    assert len(scores) == len(load_reports(path).reports)


def test_both_disclosure_forms_in_the_example_are_identical() -> None:
    (block,) = [b for b in BLOCKS if '"short"' in b.body and '"long"' in b.body]
    short, long = load_reports(block.body.encode(), strict=True).reports
    assert short.disclosures == long.disclosures


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.language == "console"], ids=lambda b: f"line {b.line}"
)
def test_console_examples_print_what_the_page_shows(
    block: Block,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _write_files(tmp_path)
    (tmp_path / "empty.json").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    commands = re.split(r"^\$ ", block.body, flags=re.MULTILINE)[1:]
    assert commands
    for command in commands:
        command_line, _, expected = command.partition("\n")
        program, *args = shlex.split(command_line)
        assert program == "csrscore"
        main(args)
        out, err = capsys.readouterr()
        assert out + err == expected


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.language == "python"], ids=lambda b: f"line {b.line}"
)
def test_python_examples_run(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block.body, f"{DOC}:{block.line}", "exec"), {})
    expected = re.findall(r"^ *print\(.*\)\n *# (.*)$", block.body, flags=re.MULTILINE)
    for line in expected:
        assert line in printed.getvalue().splitlines()
