"""The subcommands. Each parses its arguments and renders what the library returns."""

from __future__ import annotations

import argparse
import importlib
import json
from collections.abc import Callable
from typing import Any

from csrscore.cli import terminal
from csrscore.cli.reports import (
    MAX_LISTED_REJECTIONS,
    REPORTS_HELP,
    add_allow_path,
    add_bad_values,
    add_size_limit,
    read_reports,
)
from csrscore.cli.scores_schema import scores_schema
from csrscore.records.check import UnknownKey
from csrscore.rubric import load_rubric
from csrscore.textsafe import visible


def _schema(module: str, name: str) -> Callable[[], dict[str, Any]]:
    """A schema function imported when called: `validate` and `schema rubric` need
    neither the explainer nor the table readers."""

    def schema() -> dict[str, Any]:
        made: dict[str, Any] = getattr(importlib.import_module(module), name)()
        return made

    return schema


# The formats `csrscore schema NAME` prints; the docs' schema reference is built from it too.
SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "report": _schema("csrscore.records", "report_schema"),
    "rubric": _schema("csrscore.rubric", "rubric_schema"),
    "explanation": _schema("csrscore.explain", "explanation_schema"),
    "scores": scores_schema,
    "mapping": _schema("csrscore.io", "mapping_schema"),
}


def register(subparsers: Any) -> None:
    validate = subparsers.add_parser(
        "validate",
        help="validate report records and list the rejected ones",
        description="Validate report records, with every check `rank` makes: the record "
        "model, and the catalog of the rubric given (types, listed values, ranges). Exit 0 "
        "when all are valid, 1 when any is rejected.",
        epilog="example: csrscore validate examples/reports.json --rubric citi",
    )
    validate.add_argument("reports", metavar="REPORTS", help=REPORTS_HELP)
    validate.add_argument(
        "--rubric",
        help="check against this rubric's catalog, and list the disclosure keys it never reads: "
        "shipped name or YAML path (default: iso26000, without the list)",
    )
    validate.add_argument("--format", choices=("text", "json"), default="text")
    add_bad_values(validate)
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
    rubric = load_rubric(args.rubric or "iso26000", allow_paths=args.allow_path)
    loaded = read_reports(
        args.reports,
        max_bytes=args.max_input_size,
        catalog=rubric.catalog,
        bad_values=args.bad_values,
    )
    treated = loaded.treated_as_missing
    unused = None
    if args.rubric is not None:
        from csrscore.cli.unused import unused_keys  # compiles the rubric: only when asked

        unused = unused_keys(loaded, rubric)
    if args.format == "json":
        document: dict[str, Any] = {
            "source": loaded.source,
            "rubric": rubric.name,
            "valid": len(loaded.reports),
            "rejected": [rejection.to_dict() for rejection in loaded.rejected],
            "treated_as_missing": [value.to_dict() for value in treated],
            "warnings": [str(warning) for warning in loaded.warnings],
        }
        if unused is not None:
            document["unused_keys"] = [key.to_dict() for key in unused]
        print(json.dumps(document, indent=2))
        return 1 if loaded.rejected else 0
    as_missing = f", {len(treated)} value(s) treated as missing" if treated else ""
    print(
        visible(
            f"{loaded.source or '<input>'}: {len(loaded.reports)} valid, "
            f"{len(loaded.rejected)} rejected{as_missing}"
        )
    )
    for rejection in loaded.rejected:
        print(f"  {visible(str(rejection))}")
    for value in treated:
        print(f"  treated as missing: {visible(str(value))}")
    if unused:
        print(f"{len(unused)} disclosure key(s) the rubric never reads:")
        for key in unused:
            print(f"  {visible(str(key))}")
    # With --rubric, keys outside the catalog are in the list above already.
    warnings = [w for w in loaded.warnings if unused is None or not isinstance(w, UnknownKey)]
    for warning in warnings[:MAX_LISTED_REJECTIONS]:
        terminal.warn(str(warning))
    if len(warnings) > MAX_LISTED_REJECTIONS:
        terminal.warn(f"... and {len(warnings) - MAX_LISTED_REJECTIONS} more warning(s)")
    return 1 if loaded.rejected else 0


def run_schema(args: argparse.Namespace) -> int:
    print(json.dumps(SCHEMAS[args.name](), indent=2, ensure_ascii=False))
    return 0
