"""`csrscore import` and `csrscore mapping init`: spreadsheets in; XLSX and Parquet out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from csrscore.cli import terminal
from csrscore.cli.render import write_output
from csrscore.cli.reports import add_size_limit
from csrscore.cli.safewrite import protect_input, write_binary, write_folder
from csrscore.engine import Scores
from csrscore.errors import UsageError
from csrscore.io.draft import draft_mapping
from csrscore.io.mapping import load_mapping
from csrscore.io.results import result_tables, write_parquet, write_xlsx
from csrscore.io.sheets import open_sheets
from csrscore.io.tables import read_table
from csrscore.rubric.load import DEFAULT_CATALOG, load_catalog
from csrscore.textsafe import visible

TABLE_FORMATS = ("xlsx", "parquet")


def register(subparsers: Any) -> None:
    importer = subparsers.add_parser(
        "import",
        help="convert a CSV, TSV, XLSX or Parquet table to report records (JSON Lines)",
        description="Read a table (wide: a row per company-year; long: a row per company, "
        "year and key) and write report records as JSON Lines. Rejected rows are listed "
        "with their cell; exit 1 when any is rejected.",
        epilog="example: csrscore import data.csv --mapping mapping.yaml -o reports.jsonl",
    )
    importer.add_argument("table", metavar="FILE", help="CSV, TSV, XLSX, Parquet or Arrow file")
    _table_options(importer)
    importer.add_argument("--layout", choices=("auto", "wide", "long"), default=None)
    importer.add_argument("--mapping", metavar="M", help="mapping YAML (csrscore schema mapping)")
    importer.add_argument("--output", "-o", metavar="FILE", help="write to FILE, not stdout")
    importer.set_defaults(handler=run_import)

    mapping = subparsers.add_parser(
        "mapping",
        help="draft a mapping file from a table's header row",
        description="Mapping files tell csrscore import which column holds what.",
        epilog="example: csrscore mapping init data.xlsx -o mapping.yaml",
    )
    actions = mapping.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="draft a mapping: match each header to a record field or catalog key",
        description="Draft a mapping from the header row, matching columns to catalog keys. "
        "What could not be matched is printed and listed under 'ignore'.",
        epilog="example: csrscore mapping init data.xlsx -o mapping.yaml",
    )
    init.add_argument("table", metavar="FILE")
    _table_options(init)
    init.add_argument("--catalog", default=DEFAULT_CATALOG, help="catalog YAML (default: shipped)")
    init.add_argument("--output", "-o", metavar="FILE", help="write to FILE, not stdout")
    init.set_defaults(handler=run_mapping_init)


def _table_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sheet",
        action="append",
        metavar="NAME",
        help="read this sheet (repeatable); default: every sheet",
    )
    add_size_limit(parser)


def run_import(args: argparse.Namespace) -> int:
    protect_input(args.table)
    loaded = read_table(
        args.table,
        args.mapping,
        sheets=args.sheet,
        layout=args.layout,
        max_bytes=args.max_input_size,
    )
    lines = [
        json.dumps(report.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)
        for report in loaded.reports
    ]
    write_output("\n".join(lines), args.output)
    terminal.summary(
        f"{loaded.source}: {len(loaded.reports)} record(s), {len(loaded.rejected)} rejected"
    )
    # The rejections make the exit code 1: they are errors, and --quiet keeps them.
    for rejection in loaded.rejected:
        print(f"  {visible(str(rejection))}", file=sys.stderr)
    return 1 if loaded.rejected else 0


def run_mapping_init(args: argparse.Namespace) -> int:
    protect_input(args.table)
    sheet = open_sheets(args.table, args.sheet, None, args.max_input_size)[0]
    command = f"csrscore mapping init {Path(args.table).name}"
    text, unmatched = draft_mapping(sheet, load_catalog(args.catalog), command)
    load_mapping(_parsed(text))  # the draft must itself be a valid mapping
    write_output(text, args.output)
    if unmatched:
        terminal.summary(
            f"csrscore: could not match {len(unmatched)} column(s), listed under ignore: "
            + ", ".join(json.dumps(header, ensure_ascii=False) for header in unmatched)
        )
    return 0


def _parsed(text: str) -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load(text)
    return data


def write_tables(scores: Scores, ranks: Any, by: Any, fmt: str, output: str | None) -> None:
    """`--format xlsx|parquet`: the ranking, group, criteria and rubric tables to a file."""
    if output in (None, "-"):
        raise UsageError(f"--format {fmt} writes a binary file: give --output FILE")
    tables = result_tables(scores, ranks, by)
    if fmt == "xlsx":
        write_binary(output, lambda path: write_xlsx(tables, path))
    else:
        write_folder(output, lambda folder: _ignore(write_parquet(tables, folder)))


def _ignore(_result: object) -> None:
    """For a writer whose result (the files written, in a temporary folder) is not used."""
