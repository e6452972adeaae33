"""The output layer: how what a command says reaches the terminal.

Piped or written to a file, every command prints plain text, byte for byte as it always
has, so scripts and diffs keep working. On a terminal, and when the optional `rich` package
is installed (`pip install 'csrscore[cli]'`), tables, colours and the progress bar are drawn
by rich; NO_COLOR (https://no-color.org) turns every colour and style off. `--quiet` keeps
stderr to errors only; `--verbose` adds timings and lists every warning.

Untrusted text reaches rich only as `rich.text.Text` made from `visible(...)`, never as
markup, so a company called "[bold red]x[/]" is shown as exactly those characters.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from csrscore.textsafe import visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichProgress

PROGRAM = "csrscore"
UNLIMITED_WIDTH = 1 << 16
# Rich draws a ranking row in 2 to 4 ms, plain text in under 0.01 ms (200 rows of the
# iso26000 ranking: 0.54 to 0.75 s against 1.4 ms; benchmarks/bench_terminal.py). Past a
# few screens nobody reads a table on the terminal itself, so a longer one is printed plain
# rather than keep the user waiting.
RICH_MAX_ROWS = 200


@dataclass(frozen=True)
class Terminal:
    """What this run may print where. `stdout`/`stderr` are rich consoles when that stream
    is a terminal and rich is installed, else None (plain text)."""

    quiet: bool = False
    verbose: bool = False
    stdout: Console | None = None
    stderr: Console | None = None


# Outside a command (the library, tests calling renderers directly): plain, everything shown.
PLAIN = Terminal()
_CURRENT: ContextVar[Terminal] = ContextVar("csrscore_terminal", default=PLAIN)


def current() -> Terminal:
    return _CURRENT.get()


def no_color() -> bool:
    """NO_COLOR set to a non-empty value (an empty one does not count, per no-color.org)."""
    return bool(os.environ.get("NO_COLOR"))


def _console(stream: TextIO) -> Console | None:
    if not stream.isatty():
        return None
    try:
        from rich.console import Console
    except ImportError:  # the `cli` extra is optional: without it the output stays plain
        return None
    return Console(
        file=stream,
        force_terminal=True,
        # No colour system at all under NO_COLOR: not even bold, the output carries no escapes.
        color_system=None if no_color() else "auto",
        markup=False,
        emoji=False,
        highlight=False,
    )


def add_options(parser: argparse.ArgumentParser) -> None:
    """--quiet and --verbose on every command that takes arguments (the leaves)."""
    children = [
        child
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for child in action.choices.values()
    ]
    for child in children:
        add_options(child)
    if children:
        return
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing on stderr but errors"
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print timings on stderr, and every warning",
    )


def run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command with the terminal its arguments ask for; with --verbose, timed."""
    output = getattr(args, "output", None)
    terminal = Terminal(
        quiet=getattr(args, "quiet", False),
        verbose=getattr(args, "verbose", False),
        # A table written to a file with --output is plain, whatever stdout is.
        stdout=_console(sys.stdout) if output in (None, "-") else None,
        stderr=_console(sys.stderr),
    )
    token = _CURRENT.set(terminal)
    started = time.perf_counter()
    try:
        code = handler(args)
        command = " ".join(filter(None, (args.command, getattr(args, "action", None))))
        note(f"{command} took {time.perf_counter() - started:.2f} s")
        return code
    finally:
        _CURRENT.reset(token)


# --- stderr ---------------------------------------------------------------------------------


def _say(label: str, style: str, message: str) -> None:
    console = current().stderr
    text = visible(message)
    if console is None:
        print(f"{PROGRAM}: {label}: {text}" if label else f"{PROGRAM}: {text}", file=sys.stderr)
        return
    from rich.text import Text

    prefix = f"{PROGRAM}: {label}:" if label else f"{PROGRAM}:"
    console.print(Text.assemble((prefix, style), " ", text), soft_wrap=True)


def warn(message: str, label: str = "warning") -> None:
    """`csrscore: LABEL: MESSAGE` on stderr, unless --quiet."""
    if not current().quiet:
        _say(label, "yellow", message)


def note(message: str) -> None:
    """`csrscore: MESSAGE` on stderr, only with --verbose."""
    if current().verbose:
        _say("", "dim", message)


def summary(message: str) -> None:
    """A line on stderr that tells what was done (files written, records read), unless
    --quiet. It carries no prefix: it is the command's own report, not a diagnostic."""
    if not current().quiet:
        print(visible(message), file=sys.stderr)


# --- stdout ---------------------------------------------------------------------------------


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]
) -> str | None:
    """The table drawn by rich for the terminal (escape codes included), without the final
    newline, as `render.text_table` returns its plain one; None when it is to be plain:
    stdout is no terminal, rich is missing, or the table is longer than RICH_MAX_ROWS."""
    console = current().stdout
    if console is None or len(rows) > RICH_MAX_ROWS:
        return None
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    headers = [visible(header) for header in headers]
    rows = [[visible(cell) for cell in row] for row in rows]

    def grid(body: Sequence[Sequence[str]]) -> Table:
        drawn = Table(
            box=box.SIMPLE_HEAD,
            header_style="bold",
            border_style="dim",
            show_edge=False,
            pad_edge=False,
        )
        for header, right in zip(headers, numeric, strict=True):
            drawn.add_column(Text(header), justify="right" if right else "left")
        for row in body:
            drawn.add_row(*map(Text, row))
        return drawn

    # Never squeeze a column (cut names, "…" in figures): a table wider than the terminal
    # keeps its full width, and the terminal wraps it as it wraps the plain one. The
    # natural width is measured on one row of each column's widest cell, not on them all.
    widest = [max(column, key=cell_len, default="") for column in zip(*rows, strict=True)]
    natural = (
        _console_like(console, UNLIMITED_WIDTH).measure(grid([widest] if rows else [])).maximum
    )
    wide = _console_like(console, max(console.width, natural))
    with wide.capture() as captured:
        wide.print(grid(rows))
    return captured.get().rstrip("\n")


def _console_like(console: Console, width: int) -> Console:
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        width=width,
        force_terminal=True,
        color_system=console.color_system,  # type: ignore[arg-type]
        markup=False,
        emoji=False,
        highlight=False,
    )


# --- progress -------------------------------------------------------------------------------


def progress_bar() -> RichProgress | None:
    """A transient rich progress bar on the stderr terminal, or None (piped, --quiet, or
    rich missing: then `cli.progress` draws a plain line instead, on a terminal)."""
    terminal = current()
    if terminal.stderr is None or terminal.quiet:
        return None
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),  # the share done, where the stage reports one
        TimeElapsedColumn(),
        console=terminal.stderr,
        transient=True,
    )
