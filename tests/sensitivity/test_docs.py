"""Every example in docs/sensitivity.md runs and prints what the page shows.

`console` blocks are `$ csrscore ...` commands followed by their exact output; `python`
blocks are executed, and a `# ` comment line after a `print` is a line it must print;
`text compare=RUBRIC:FROM:TO` blocks are excerpts of the year-over-year table of the shipped
examples: every line must appear in it. All run from the repository root.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from csrscore import score
from csrscore.cli import sensitivity_cmd
from csrscore.cli.comparison import render_comparison
from csrscore.cli.main import build_parser
from csrscore.compare import compare

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "sensitivity.md"
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    language: str
    attributes: tuple[str, ...]
    body: str
    line: int


def _blocks() -> list[Block]:
    text = DOC.read_text(encoding="utf-8")
    return [
        Block(
            match["info"].split()[0],
            tuple(match["info"].split()[1:]),
            match["body"],
            text.count("\n", 0, match.start()) + 1,
        )
        for match in FENCE.finditer(text)
    ]


BLOCKS = _blocks()


def _parser() -> argparse.ArgumentParser:
    """csrscore's parser, with `sensitivity` added if cli/main.py does not register it yet."""
    parser = build_parser()
    commands = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    if "sensitivity" not in commands.choices:
        sensitivity_cmd.register(commands)
    return parser


def test_the_page_has_examples_of_every_kind() -> None:
    assert {"console", "python", "text"} <= {block.language for block in BLOCKS}


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.language == "console"], ids=lambda b: f"line {b.line}"
)
def test_console_examples_print_what_the_page_shows(
    block: Block, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    commands = re.split(r"^\$ ", block.body, flags=re.MULTILINE)[1:]
    assert commands
    for command in commands:
        command_line, _, expected = command.partition("\n")
        program, *args = shlex.split(command_line)
        assert program == "csrscore"
        namespace = _parser().parse_args(args)
        assert namespace.handler(namespace) == 0
        out, err = capsys.readouterr()
        assert out + err == expected


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.language == "python"], ids=lambda b: f"line {b.line}"
)
def test_python_examples_run(block: Block, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block.body, f"{DOC}:{block.line}", "exec"), {})
    expected = re.findall(r"^ *print\(.*\)\n *# (.*)$", block.body, flags=re.MULTILINE)
    assert expected
    for line in expected:
        assert line in printed.getvalue().splitlines()


@pytest.mark.parametrize(
    "block",
    [b for b in BLOCKS if b.language == "text" and b.attributes],
    ids=lambda b: f"line {b.line}",
)
def test_comparison_excerpts_are_what_it_prints(block: Block) -> None:
    (attribute,) = block.attributes
    rubric, first, second = attribute.removeprefix("compare=").split(":")
    scores = score(ROOT / "examples" / "reports.json", rubric)
    lines = render_comparison(compare(scores, int(first), int(second)), "table").splitlines()
    for line in block.body.splitlines():
        assert line in lines
