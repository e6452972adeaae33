"""`csrscore explain`: why one company got its score."""

from __future__ import annotations

import argparse
from typing import Any

from csrscore.cli.render import json_text, write_output
from csrscore.cli.reports import add_input_arguments, read_reports
from csrscore.engine import score
from csrscore.rubric import load_rubric


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="explain one company's score and how to raise it",
        description="Explain a company's score: every criterion's level, the condition trace, "
        "adjustments, the path to a higher score and the sector context.",
        epilog="examples:\n  csrscore explain examples/reports.json northwind-textiles\n"
        "  csrscore explain examples/reports.json northwind-textiles --year 2023 --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_input_arguments(parser)
    parser.add_argument("company", metavar="COMPANY", help="company id or name")
    parser.add_argument("--year", type=int, help="reporting year (default: the latest)")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE (atomically)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    scores = score(
        read_reports(args.reports, max_bytes=args.max_input_size),
        load_rubric(args.rubric, allow_paths=args.allow_path),
    )
    explanation = scores.explain(args.company, args.year)
    if args.format == "json":
        text = json_text(explanation.to_dict())
    elif args.format == "markdown":
        text = explanation.to_markdown()
    else:
        text = str(explanation)
    write_output(text, args.output)
    return 0
