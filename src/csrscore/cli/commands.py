"""The subcommands. Each parses its arguments and renders what the library returns."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from csrscore.cli.reports import REPORTS_HELP, add_allow_path, add_size_limit, read_reports
from csrscore.cli.scores_schema import scores_schema
from csrscore.cli.unused import unused_keys
from csrscore.explain import explanation_schema
from csrscore.io import mapping_schema
from csrscore.records import report_schema
from csrscore.rubric import load_rubric, rubric_schema
from csrscore.textsafe import visible

# The formats `csrscore schema NAME` prints; the docs' schema reference is built from it too.
SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "report": report_schema,
    "rubric": rubric_schema,
    "explanation": explanation_schema,
    "scores": scores_schema,
    "mapping": mapping_schema,
}


def register(subparsers: Any) -> None:
    validate = subparsers.add_parser(
        "validate",
        help="validate report records and list the rejected ones",
        description="Validate report records. Exit 0 when all are valid, 1 when any is rejected.",
        epilog="example: csrscore validate examples/reports.json",
    )
    validate.add_argument("reports", metavar="REPORTS", help=REPORTS_HELP)
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument(
        "--rubric",
        help="also list the disclosure keys this rubric never reads (shipped name or path)",
    )
    add_allow_path(validate)
    add_size_limit(validate)
    validate.set_defaults(handler=run_validate)

    schema = subparsers.add_parser(
        "schema",
        help="print a JSON Schema",
        description="Print the JSON Schema (draft 2020-12) of one of csrscore's formats.",
        epilog="example: csrscore schema report > report.schema.json",
    )
    schema.add_argument("name", choices=tuple(SCHEMAS))
    schema.set_defaults(handler=run_schema)


def run_validate(args: argparse.Namespace) -> int:
    loaded = read_reports(args.reports, max_bytes=args.max_input_size)
    unused = (
        None
        if args.rubric is None
        else unused_keys(loaded, load_rubric(args.rubric, allow_paths=args.allow_path))
    )
    if args.format == "json":
        document: dict[str, Any] = {
            "source": loaded.source,
            "valid": len(loaded.reports),
            "rejected": [rejection.to_dict() for rejection in loaded.rejected],
        }
        if unused is not None:
            document["unused_keys"] = [key.to_dict() for key in unused]
        print(json.dumps(document, indent=2))
    else:
        print(
            visible(
                f"{loaded.source or '<input>'}: {len(loaded.reports)} valid, "
                f"{len(loaded.rejected)} rejected"
            )
        )
        for rejection in loaded.rejected:
            print(f"  {visible(str(rejection))}")
        if unused:
            print(f"{len(unused)} disclosure key(s) the rubric never reads:")
            for key in unused:
                print(f"  {visible(str(key))}")
    return 1 if loaded.rejected else 0


def run_schema(args: argparse.Namespace) -> int:
    print(json.dumps(SCHEMAS[args.name](), indent=2, ensure_ascii=False))
    return 0
