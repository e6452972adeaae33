"""Every ```console block in docs/cli.md is run, and its output must match exactly.

A block is a terminal transcript: `$ COMMAND` lines, each followed by what the terminal
shows (stdout and stderr interleaved). Commands are `csrscore ...` (run in-process through
`main()`, with `< FILE` and `> FILE` redirections), `cat FILE` and `echo $?`. Each block
runs in its own folder whose `examples`, `rubrics`, `schemas` and `tests` link to the
repository's, so relative paths read as from the repository root while files the examples
write (`--output`) land in a throwaway folder. COLUMNS is 80, as in a default terminal.

To refresh the outputs after a deliberate change, run from the repository root:

    .venv/bin/python -m tests.cli.test_docs_cli

which rewrites each block's outputs from the commands it contains (review the diff).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from csrscore.cli.main import build_parser
from tests.cli.runner import ROOT, command_paths, run_cli

DOC = ROOT / "docs" / "cli.md"
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)
LINKED = ("examples", "rubrics", "schemas", "tests")
COLUMNS = "80"


@dataclass(frozen=True)
class Step:
    command: str
    expected: str


@dataclass(frozen=True)
class Block:
    line: int
    steps: tuple[Step, ...]


def parse_blocks(text: str) -> list[Block]:
    blocks = []
    for match in BLOCK.finditer(text):
        steps: list[list[str]] = []
        for line in match.group(1).splitlines(keepends=True):
            if line.startswith("$ "):
                steps.append([line[2:].rstrip("\n"), ""])
            else:
                assert steps, f"docs/cli.md: a console block must open with `$ `: {line!r}"
                steps[-1][1] += line
        line_number = text.count("\n", 0, match.start()) + 1
        blocks.append(Block(line_number, tuple(Step(cmd, out) for cmd, out in steps)))
    return blocks


class Session:
    """A tiny shell: enough to replay the transcripts in the doc."""

    def __init__(self) -> None:
        self.last_code = 0

    def run(self, command: str) -> str:
        words = shlex.split(command)
        if words == ["echo", "$?"]:
            return f"{self.last_code}\n"
        if words[0] == "cat":
            return "".join(Path(name).read_text(encoding="utf-8") for name in words[1:])
        assert words[0] == "csrscore", f"docs/cli.md: unsupported command {command!r}"
        argv, stdin, stdout_file = [], None, None
        tokens = iter(words[1:])
        for word in tokens:
            if word == "<":
                stdin = Path(next(tokens)).read_bytes()
            elif word == ">":
                stdout_file = Path(next(tokens))
            else:
                argv.append(word)
        if stdout_file is None:
            result = run_cli(argv, stdin=stdin, merged=True)
            self.last_code = result.code
            return result.out
        result = run_cli(argv, stdin=stdin)
        stdout_file.write_text(result.out, encoding="utf-8")
        self.last_code = result.code
        return result.err


@contextmanager
def sandbox() -> Iterator[Path]:
    """A fresh working folder that sees the repository's data, with COLUMNS fixed."""
    saved_cwd, saved_env = Path.cwd(), dict(os.environ)
    with tempfile.TemporaryDirectory() as folder:
        for name in LINKED:
            (Path(folder) / name).symlink_to(ROOT / name, target_is_directory=True)
        os.chdir(folder)
        os.environ["COLUMNS"] = COLUMNS
        os.environ.pop("NO_COLOR", None)
        try:
            yield Path(folder)
        finally:
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)


def replay(block: Block) -> list[tuple[str, str]]:
    """(command, actual output) for each step of a block, run in one session."""
    session = Session()
    with sandbox():
        return [(step.command, session.run(step.command)) for step in block.steps]


TEXT = DOC.read_text(encoding="utf-8")
BLOCKS = parse_blocks(TEXT)


def _block_id(block: Block) -> str:
    return f"line{block.line}-" + block.steps[0].command.removeprefix("csrscore ")[:60]


def test_the_doc_is_made_of_runnable_transcripts() -> None:
    assert len(BLOCKS) >= 20
    for block in BLOCKS:
        assert block.steps[0].command.startswith("csrscore "), block.line


def documented_commands() -> list[str]:
    """`$ csrscore ...` lines of every page in docs/ (a command may have a page of its own)."""
    commands = []
    for page in sorted(DOC.parent.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        commands += re.findall(r"^\$ (csrscore .*)$", text, flags=re.MULTILINE)
    return commands


def test_every_command_is_documented_with_real_output() -> None:
    commands = documented_commands()
    for path in command_paths(build_parser()):
        prefix = " ".join(("csrscore", *path))
        assert any(command.startswith(prefix) for command in commands), prefix


def test_every_option_of_the_commands_shown_here_is_documented() -> None:
    """Commands with examples on this page (a command with a page of its own, such as
    sensitivity, is documented there) mention each of their options."""
    shown = {step.command for block in BLOCKS for step in block.steps}
    parser = build_parser()
    missing = []
    for path in command_paths(parser):
        prefix = " ".join(("csrscore", *path))
        if not path or not any(command.startswith(prefix + " ") for command in shown):
            continue
        command = parser
        for name in path:
            command = subcommand(command, name)
        for action in command._actions:
            long_options = [o for o in action.option_strings if o.startswith("--")]
            if long_options and long_options[0] != "--help" and long_options[0] not in TEXT:
                missing.append(" ".join(("csrscore", *path, long_options[0])))
    assert missing == []


def subcommand(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            child: argparse.ArgumentParser = action.choices[name]
            return child
    raise AssertionError(f"no subcommand {name!r}")


@pytest.mark.parametrize("block", BLOCKS, ids=_block_id)
def test_console_block_output_is_current(block: Block) -> None:
    for (command, actual), step in zip(replay(block), block.steps, strict=True):
        assert actual == step.expected, f"docs/cli.md line {block.line}: $ {command}"
        assert str(ROOT) not in actual, "a machine-specific path"
        assert "/tmp" not in actual, "a machine-specific path"


def regenerate(text: str) -> str:
    """The doc with every console block's outputs replaced by what the commands print."""

    def refresh(match: re.Match[str]) -> str:
        (block,) = parse_blocks(match.group(0))
        lines = [f"$ {command}\n{output}" for command, output in replay(block)]
        return "```console\n" + "".join(lines) + "```"

    return BLOCK.sub(refresh, text)


if __name__ == "__main__":
    os.chdir(ROOT)
    DOC.write_text(regenerate(TEXT), encoding="utf-8")
    sys.stdout.write(f"rewrote {DOC.relative_to(ROOT)} ({len(BLOCKS)} console blocks)\n")
