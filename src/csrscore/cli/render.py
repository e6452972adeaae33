"""Rendering of library results as text tables, Markdown, CSV and JSON.

Display precision: totals and adjustments with 2 decimals, group scores (percent of the
group's possible score) with 1 decimal. JSON keeps full float64 precision.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from csrscore.cli import terminal
from csrscore.cli.safewrite import write_file
from csrscore.rubric import Rubric
from csrscore.textsafe import markdown_cell, spreadsheet_cell, visible

TOTAL_DECIMALS = 2
GROUP_DECIMALS = 1


HEADER_STYLES = ("ids", "titles")


def group_headers(rubric: Rubric, style: str) -> list[str]:
    """Column headers of the top-level groups: their ids, or (`--headers titles`) their
    titles, which read better in a published table."""
    children = rubric.root.children
    return [child.title if style == "titles" else child.id for child in children]


def use_colour(output: str | None) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if output not in (None, "-") or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def bold(text: str, enabled: bool) -> str:
    return f"\033[1m{text}\033[0m" if enabled else text


def text_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]
) -> str:
    """A plain aligned table: stable, diffable, no colour; cells shown by `visible`. On a
    terminal with rich installed, rich draws it instead (see `cli.terminal`)."""
    drawn = terminal.table(headers, rows, numeric)
    if drawn is not None:
        return drawn
    headers = [visible(h) for h in headers]
    rows = [[visible(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def markdown_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]
) -> str:
    align = ["---:" if right else "---" for right in numeric]
    lines = [
        "| " + " | ".join(map(markdown_cell, headers)) + " |",
        "| " + " | ".join(align) + " |",
    ]
    lines += ["| " + " | ".join(map(markdown_cell, row)) + " |" for row in rows]
    return "\n".join(lines)


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV with every text cell made inert by `spreadsheet_cell` (no formulas, no controls)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_cell(h) for h in headers])
    writer.writerows(
        [spreadsheet_cell(cell) if isinstance(cell, str) else cell for cell in row] for row in rows
    )
    return buffer.getvalue()


def json_text(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_output(text: str, output: str | None) -> None:
    """Print, or write FILE safely (see `cli.safewrite`: devices in place, symbolic links
    followed, regular files replaced atomically, inputs and read-only files refused)."""
    if output is None or output == "-":
        print(text, end="" if text.endswith("\n") else "\n")
        return
    write_file(text if text.endswith("\n") else text + "\n", output)
