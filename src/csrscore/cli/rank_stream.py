"""`csrscore rank --chunk-size N` and `--dask local` / `--scheduler ADDRESS`: scoring a
chunk or a partition at a time, and rendering the per-company table that results.

The output holds what a `ScoreTable` holds (no per-criterion points): `-o FILE.parquet`
or `-o FILE.jsonl` write one row per company; otherwise the chosen format is rendered.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from csrscore.chunked import ScoreTable, score_chunks, write_table
from csrscore.cli.render import (
    GROUP_DECIMALS,
    TOTAL_DECIMALS,
    csv_text,
    markdown_table,
    text_table,
    write_output,
)
from csrscore.cli.reports import MAX_LISTED_REJECTIONS, positive_int
from csrscore.errors import CsrscoreError, ReportError, UsageError
from csrscore.precision import display_number
from csrscore.rubric import load_rubric
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
    if args.reports == "-":
        raise UsageError("streaming reads files; give a path, folder or glob instead of -")
    rubric = load_rubric(args.rubric)
    chunk_size = args.chunk_size or 50_000
    if args.dask or args.scheduler:
        with _dask_client(args.scheduler):
            from csrscore.dask import score_dask

            table = score_dask(args.reports, rubric, chunk_size=chunk_size)
    else:
        table = score_chunks(args.reports, rubric, chunk_size=chunk_size)
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
        top = tuple(child.id for child in rubric.root.children)
        write_output(_render(table, args, grouping, top), args.output)
    _warn(table)
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
    table: ScoreTable, args: argparse.Namespace, grouping: tuple[str, ...], top: tuple[str, ...]
) -> str:
    """The rows best first in each section; every group for CSV, the top-level groups in a
    table (as the one-shot `rank` shows them)."""
    ranks = table.rank(args.ties, grouping or None).tolist()
    keys = table.company_field(grouping) if grouping else [None] * len(table)
    sections: dict[Any, list[int]] = {}
    for i in sorted(range(len(table)), key=lambda i: (ranks[i], table.company_ids[i])):
        sections.setdefault(keys[i], []).append(i)
    ordered = sorted(sections.items(), key=lambda item: (item[0] is None, str(item[0])))
    rows = [i for _, members in ordered for i in members[: args.top or None]]
    if args.format == "json":
        records = list(table.records(args.ties, grouping or None))
        return "".join(json.dumps(records[i], allow_nan=False) + "\n" for i in rows)
    groups = top if args.format != "csv" else table.group_ids
    shown = [table.group_ids.index(g) for g in groups]
    headers = ["rank", "company_id", "name", "sector", "country", "year", "total", "grade"]
    body = [
        [
            str(ranks[i]),
            table.company_ids[i],
            table.names[i] or "",
            table.sectors[i] or "",
            table.countries[i] or "",
            str(table.years[i]),
            display_number(float(table.totals[i]), TOTAL_DECIMALS),
            table.grades[i],
            *(
                display_number(None if v != v else v * 100, GROUP_DECIMALS)
                for v in table.group_scores[i, shown].tolist()
            ),
        ]
        for i in rows
    ]
    headers += [table.group_ids[g] for g in shown]
    if args.format == "csv":
        return csv_text(headers, [[spreadsheet_cell(cell) for cell in row] for row in body])
    safe = [[visible(cell) for cell in row] for row in body]
    numeric = [True, False, False, False, False, True, True, False] + [True] * len(shown)
    if args.format == "markdown":
        return markdown_table(headers, safe, numeric) + "\n"
    return text_table(headers, safe, numeric) + "\n"


def _warn(table: ScoreTable) -> None:
    for rejection in table.rejected[:MAX_LISTED_REJECTIONS]:
        print(f"csrscore: rejected: {visible(str(rejection))}", file=sys.stderr)
    if len(table.rejected) > MAX_LISTED_REJECTIONS:
        print(f"csrscore: warning: {len(table.rejected)} report(s) rejected", file=sys.stderr)
    for warning in table.warnings[:MAX_LISTED_REJECTIONS]:
        print(f"csrscore: warning: {warning}", file=sys.stderr)
