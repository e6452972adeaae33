"""`csrscore report`: write the index as a static HTML site."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from csrscore.cli import terminal
from csrscore.cli.progress import Progress
from csrscore.cli.reports import (
    add_input_arguments,
    check_sample_memory,
    read_reports,
    refuse_rejections,
    sample_count,
    seed,
    warn_on_stderr,
)
from csrscore.cli.safewrite import write_folder
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
        type=sample_count,
        metavar="N",
        help="also run a sensitivity analysis with N samples and show rank intervals",
    )
    parser.add_argument(
        "--seed", type=seed, default=0, help="seed of the sensitivity run (0 or more)"
    )
    parser.add_argument("--title", help="the site's title (default: the rubric's title)")
    parser.add_argument(
        "--strict", action="store_true", help="fail (exit 1) if any report is rejected"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the command needs the optional extra, the rest of the CLI does not.
    from csrscore.report import Site, build
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
            check_sample_memory(args.samples, len(scores))
            progress.advance("sensitivity")
            analysis = sensitivity(scores, samples=args.samples, seed=args.seed, indices=False)
        progress.advance("writing")
        built: list[Site] = []
        write_folder(
            args.output,
            lambda folder: built.append(
                build(scores, folder, sensitivity=analysis, title=args.title)
            ),
        )
    root = Path(args.output)
    terminal.summary(f"wrote {built[0].pages} pages to {root}; open {root / 'index.html'}")
    warn_on_stderr(scores, unknown_keys=args.warn_unknown_keys)
    return 0
