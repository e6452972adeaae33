"""`csrscore rank --chunk-size N` and `--dask local` / `--scheduler ADDRESS`: scoring a
chunk or a partition at a time, and rendering the per-company table that results.

The output holds what a `ScoreTable` holds (no per-criterion points): `-o FILE.parquet`
or `-o FILE.jsonl` write one row per company; otherwise the chosen format is rendered.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from csrscore.chunked import ScoreTable, score_chunks, write_table
from csrscore.cli import terminal
from csrscore.cli.render import (
    GROUP_DECIMALS,
    TOTAL_DECIMALS,
    csv_text,
    group_headers,
    markdown_table,
    text_table,
    write_output,
)
from csrscore.cli.reports import MAX_LISTED_REJECTIONS, positive_int
from csrscore.errors import CsrscoreError, ReportError, UsageError
from csrscore.precision import display_number
from csrscore.records.check import UnknownKey
from csrscore.records.stream import DEFAULT_CHUNK_SIZE
from csrscore.rubric import Rubric, load_rubric
from csrscore.textsafe import spreadsheet_cell, visible

_TABLE_FILES = (".parquet", ".pq", ".jsonl", ".ndjson")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--chunk-size",
        type=positive_int,
        metavar="N",
        help="stream: score N records at a time with bounded memory (REPORTS may be a JSON "
        "Lines or Parquet file, a folder or a quoted glob)",
    )
    parser.add_argument(
        "--dask",
        choices=("local",),
        help="score on a local Dask cluster, one task per file (needs csrscore[dask])",
    )
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="score on the Dask scheduler at ADDRESS"
    )


def wanted(args: argparse.Namespace) -> bool:
    return bool(args.chunk_size or args.dask or args.scheduler)


def run(args: argparse.Namespace) -> int:
    if args.compare_years:
        raise UsageError("--compare-years needs the whole run in memory; drop --chunk-size")
    if args.year is not None:
        raise UsageError("--year selects from the whole run in memory; drop --chunk-size")
    if args.reports == "-":
        raise UsageError("streaming reads files; give a path, folder or glob instead of -")
    rubric = load_rubric(args.rubric, allow_paths=args.allow_path)
    chunk_size = args.chunk_size or DEFAULT_CHUNK_SIZE
    if (args.dask or args.scheduler) and args.bad_values != "reject":
        raise UsageError("--bad-values as-missing does not work with --dask yet")
    if args.dask or args.scheduler:
        with _dask_client(args.scheduler):
            from csrscore.dask import score_dask

            table = score_dask(args.reports, rubric, chunk_size=chunk_size)
    else:
        table = score_chunks(
            args.reports, rubric, chunk_size=chunk_size, bad_values=args.bad_values
        )
    if args.strict and table.rejected:
        first = table.rejected[0]
        raise ReportError(
            f"{len(table.rejected)} report(s) rejected under --strict; first: {first.message}",
            first.location,
        )
    grouping: tuple[str, ...] = () if args.by is None else (args.by,)
    if "year" not in grouping and len(set(table.years.tolist())) > 1:
        grouping = ("year", *grouping)
    table.company_field(grouping)  # fail early, before any output, on a bad field
    if args.output and Path(args.output).suffix.lower() in _TABLE_FILES:
        write_table(table, args.output, args.ties, grouping or None)
    else:
        write_output(_render(table, args, grouping, rubric), args.output)
    _warn(table, args.warn_unknown_keys)
    return 0


@contextmanager
def _dask_client(address: str | None) -> Iterator[None]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise CsrscoreError(
            "scoring on Dask needs the dask extra: pip install 'csrscore[dask]'"
        ) from None
    cluster = None if address else LocalCluster(dashboard_address=None)  # type: ignore[no-untyped-call]
    try:
        with Client(address or cluster):  # type: ignore[no-untyped-call]
            yield
    finally:
        if cluster is not None:
            cluster.close()


def _render(
    table: ScoreTable, args: argparse.Namespace, grouping: tuple[str, ...], rubric: Rubric
) -> str:
    """The one-shot `rank` layout: sections per grouping value, best first; JSON becomes
    JSON Lines, one company a line, so that no document of a million entries is built."""
    ranks = table.rank(args.ties, grouping or None).tolist()
    keys = table.company_field(grouping) if grouping else [None] * len(table)
    sections: dict[Any, list[int]] = {}
    for i in sorted(range(len(table)), key=lambda i: (ranks[i], table.company_ids[i])):
        sections.setdefault(keys[i], []).append(i)
    ordered = sorted(sections.items(), key=lambda item: (item[0] is None, str(item[0])))
    shown = [(key, rows[: args.top] if args.top else rows) for key, rows in ordered]
    if args.format == "json":
        records = list(table.records(args.ties, grouping or None))
        return "".join(
            json.dumps(records[i], ensure_ascii=False, allow_nan=False) + "\n"
            for _, rows in shown
            for i in rows
        )
    if args.format == "csv":
        return _csv(table, [i for _, rows in shown for i in rows], ranks)
    top = [table.group_ids.index(child.id) for child in rubric.root.children]
    headers = ["rank", "company", "sector", "year", "total", "grade"]
    headers += group_headers(rubric, args.headers)
    numeric = [True, False, False, True, True, False, *([True] * len(top))]
    short_hash = rubric.content_hash.removeprefix("sha256:")[:12]
    head = (
        f"rubric {rubric.name} {rubric.version} (sha256:{short_hash}) · "
        f"{len(table)} report(s) scored, {len(table.rejected)} rejected"
        + (
            f", {len(table.treated_as_missing)} value(s) treated as missing"
            if table.treated_as_missing
            else ""
        )
    )
    markdown = args.format == "markdown"
    parts = [f"_{head}_" if markdown else head, ""]
    for key, rows in shown:
        if grouping:
            label = " · ".join(
                f"{field}: {value if value is not None else '(none)'}"
                for field, value in zip(grouping, key, strict=True)
            )
            parts += [f"### {label}", ""] if markdown else [label]
        body = [
            [
                str(ranks[i]),
                visible(table.names[i] or table.company_ids[i]),
                visible(table.sectors[i] or "—"),
                str(table.years[i]),
                display_number(float(table.totals[i]), TOTAL_DECIMALS),
                table.grades[i] or "—",
                *(
                    display_number(None if v != v else v * 100, GROUP_DECIMALS)
                    for v in table.group_scores[i, top].tolist()
                ),
            ]
            for i in rows
        ]
        parts += [(markdown_table if markdown else text_table)(headers, body, numeric), ""]
    return "\n".join(parts).rstrip() + "\n"


def _csv(table: ScoreTable, rows: list[int], ranks: list[int]) -> str:
    """The one-shot CSV's columns, full precision, text made safe for spreadsheets."""
    headers = ["rank", "company_id", "name", "sector", "country", "year", "total", "grade"]
    body = [
        [
            ranks[i],
            spreadsheet_cell(table.company_ids[i]),
            spreadsheet_cell(table.names[i] or ""),
            spreadsheet_cell(table.sectors[i] or ""),
            spreadsheet_cell(table.countries[i] or ""),
            int(table.years[i]),
            repr(float(table.totals[i])),
            table.grades[i],
            *("" if v != v else repr(v * 100) for v in table.group_scores[i].tolist()),
        ]
        for i in rows
    ]
    return csv_text([*headers, *table.group_ids], body)


def _warn(table: ScoreTable, unknown_keys: bool) -> None:
    shown = None if terminal.current().verbose else MAX_LISTED_REJECTIONS
    for rejection in table.rejected[:shown]:
        terminal.warn(str(rejection), label="rejected")
    if shown is not None and len(table.rejected) > shown:
        terminal.warn(f"{len(table.rejected)} report(s) rejected")
    warnings = [w for w in table.warnings if unknown_keys or not isinstance(w, UnknownKey)]
    for warning in warnings[:shown]:
        terminal.warn(str(warning))
    for value in table.treated_as_missing[:shown]:
        terminal.warn(str(value), label="treated as missing")
    if shown is not None and len(table.treated_as_missing) > shown:
        terminal.warn(f"{len(table.treated_as_missing)} value(s) treated as missing")
