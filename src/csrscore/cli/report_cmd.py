"""`csrscore report`: write the index as a static HTML site."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from csrscore.cli.progress import Progress
from csrscore.cli.reports import (
    add_input_arguments,
    positive_int,
    read_reports,
    refuse_rejections,
    warn_on_stderr,
)
from csrscore.engine import score
from csrscore.rubric import load_rubric


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the ranking, scorecards and methodology as a static HTML site",
        description="Write a static HTML site into DIR: the ranking of each year with charts, "
        "one scorecard per company and year, and the methodology. It opens from the file "
        "system or any static host and loads nothing from other hosts. "
        "Needs the report extra: pip install 'csrscore[report]'.",
        epilog="examples:\n  csrscore report examples/reports.json -o site/\n"
        "  csrscore report examples/reports.json -o site/ --samples 500",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_input_arguments(parser)
    parser.add_argument(
        "--output", "-o", metavar="DIR", required=True, help="folder to write (created)"
    )
    parser.add_argument(
        "--samples",
        type=positive_int,
        metavar="N",
        help="also run a sensitivity analysis with N samples and show rank intervals",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the sensitivity run")
    parser.add_argument("--title", help="the site's title (default: the rubric's title)")
    parser.add_argument(
        "--strict", action="store_true", help="fail (exit 1) if any report is rejected"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the command needs the optional extra, the rest of the CLI does not.
    from csrscore.report import build
    from csrscore.sensitivity import sensitivity

    steps = ["loading", "scoring", *(["sensitivity"] if args.samples else []), "writing"]
    with Progress(steps) as progress:
        rubric = load_rubric(args.rubric, allow_paths=args.allow_path)
        loaded = read_reports(args.reports, max_bytes=args.max_input_size)
        progress.advance("scoring")
        scores = score(loaded, rubric)
        refuse_rejections(scores, args.strict)
        analysis = None
        if args.samples:
            progress.advance("sensitivity")
            analysis = sensitivity(scores, samples=args.samples, seed=args.seed, indices=False)
        progress.advance("writing")
        site = build(scores, args.output, sensitivity=analysis, title=args.title)
    print(
        f"wrote {site.pages} pages to {site.root}; open {site.root / 'index.html'}", file=sys.stderr
    )
    warn_on_stderr(scores, unknown_keys=args.warn_unknown_keys)
    return 0
