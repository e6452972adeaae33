"""Run the `csrscore` entry point in-process and capture what a terminal would see.

`run_cli` calls `csrscore.cli.main.main` exactly as the console script does, with stdin,
stdout and stderr swapped for in-memory streams. argparse's `SystemExit` becomes the exit
code, so usage errors (2) are observed the same way as input errors (1).
"""

from __future__ import annotations

import argparse
import functools
import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from csrscore.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = "examples/reports.json"
TINY_REPORTS = "tests/cli/fixtures/tiny-reports.json"
TINY_RUBRIC = "tests/cli/fixtures/tiny-rubric.yaml"
SCHEMAS = ROOT / "schemas"
BAD_REPORTS = ROOT / "tests" / "records" / "fixtures" / "bad"
BAD_RUBRICS = ROOT / "tests" / "rubric" / "fixtures" / "bad"
ANSI_ESCAPE = "\x1b["


class TerminalStream(io.StringIO):
    """An in-memory stream that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def exit_code(error: SystemExit) -> int:
    if error.code is None:
        return 0
    return error.code if isinstance(error.code, int) else 1


@contextmanager
def stdin_bytes(data: bytes | None) -> Iterator[None]:
    """Replace sys.stdin with `data` (a text wrapper with a `.buffer`, as the real one)."""
    if data is None:
        yield
        return
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    try:
        yield
    finally:
        sys.stdin = saved


def run_cli(
    argv: Sequence[str],
    *,
    stdin: bytes | None = None,
    terminal: bool = False,
    merged: bool = False,
) -> Result:
    """Run `csrscore ARGV`. `terminal` makes stdout and stderr claim to be a tty; `merged`
    sends both into `out`, interleaved as on a terminal."""
    stream_type = TerminalStream if terminal else io.StringIO
    out = stream_type()
    err = out if merged else stream_type()
    with stdin_bytes(stdin), redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as error:
            code = exit_code(error)
    return Result(code, out.getvalue(), "" if merged else err.getvalue())


@functools.cache
def cached_run(*argv: str) -> Result:
    """`run_cli` for commands without side effects, run once per test session (the
    conftest runs every test from the repository root, so relative paths are stable)."""
    return run_cli(argv)


def command_paths(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    """Every command and subcommand the parser knows, e.g. ("rubric", "check")."""
    paths = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                paths += command_paths(child, (*prefix, name))
    return paths
