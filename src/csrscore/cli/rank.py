"""`csrscore rank`: score reports and show the ranking."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from csrscore import __version__
from csrscore.cli import rank_stream
from csrscore.cli.comparison import render_comparison
from csrscore.cli.progress import Progress
from csrscore.cli.render import (
    GROUP_DECIMALS,
    HEADER_STYLES,
    TOTAL_DECIMALS,
    bold,
    csv_text,
    group_headers,
    json_text,
    markdown_table,
    text_table,
    use_colour,
    write_output,
)
from csrscore.cli.reports import (
    DEFAULT_RUBRIC,
    MAX_LISTED_REJECTIONS,
    add_bad_values,
    add_input_arguments,
    add_year_argument,
    as_missing,
    positive_int,
    read_reports,
    refuse_rejections,
    section_label,
    select_year,
    warn_on_stderr,
)
from csrscore.cli.tables_cmd import TABLE_FORMATS, write_tables
from csrscore.compare import compare
from csrscore.engine import Scores, score
from csrscore.errors import UsageError
from csrscore.io.results import attribute_columns
from csrscore.precision import (
    DEFAULT_ROUNDING,
    ROUNDING_MODES,
    TIE_BASES,
    Rounding,
    display_number,
)
from csrscore.rank import RANK_METHODS
from csrscore.records.load import Rejection, ReportSet
from csrscore.rubric import Rubric, load_rubric
from csrscore.rubric.editions import load_editions
from csrscore.textsafe import markdown_cell, visible


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rank",
        help="score reports against a rubric and rank the companies",
        description="Score every report against a rubric and rank the companies (1 = best). "
        "Reports from several years are ranked within each year.",
        epilog="examples:\n  csrscore rank examples/reports.json\n"
        "  csrscore rank examples/reports.json --rubric citi --by sector --top 3\n"
        "  csrscore rank - --format json < reports.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_input_arguments(parser)
    parser.add_argument(
        "--by", metavar="FIELD", help="rank within groups: sector, country, year or company.<field>"
    )
    parser.add_argument(
        "--top",
        type=positive_int,
        metavar="N",
        help="show only the best N (per year, and per group with --by)",
    )
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv", "markdown", *TABLE_FORMATS),
        default="table",
        help="xlsx: a workbook of ranking, groups, criteria and rubric sheets; parquet: a "
        "folder with those four tables (both need --output)",
    )
    parser.add_argument(
        "--headers",
        choices=HEADER_STYLES,
        default="ids",
        help="table and markdown: head the group columns with their ids (default) or titles",
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write to FILE (atomically) instead of stdout"
    )
    parser.add_argument(
        "--strict", action="store_true", help="fail (exit 1) if any report is rejected"
    )
    parser.add_argument(
        "--ties", choices=RANK_METHODS, default="competition", help="how ties are ranked"
    )
    parser.add_argument(
        "--decimals",
        type=int,
        choices=range(7),
        metavar="D",
        help="publish totals at D decimals (0-6), overriding the rubric's rounding",
    )
    parser.add_argument(
        "--rounding", choices=ROUNDING_MODES, help="rounding mode of --decimals (default half-up)"
    )
    parser.add_argument(
        "--ties-on",
        choices=TIE_BASES,
        help="decide ties on the rounded total (default) or the exact one",
    )
    parser.add_argument(
        "--compare-years",
        nargs=2,
        type=int,
        metavar=("FROM", "TO"),
        help="compare two years: score, rank and grade changes, and the criteria that changed",
    )
    add_bad_values(parser)
    parser.add_argument(
        "--editions",
        metavar="FILE",
        help="with --compare-years, instead of --rubric: a YAML file naming the rubric of each "
        "edition of the index and which criteria stay comparable; changes are then split "
        "into what the company and what the methodology did",
    )
    # None tells an explicit --rubric from the default, which --editions replaces.
    parser.set_defaults(rubric=None)
    add_year_argument(parser)
    rank_stream.add_arguments(parser)
    parser.set_defaults(handler=run)


def with_rounding(rubric: Rubric, args: argparse.Namespace) -> Rubric:
    """The rubric with --decimals, --rounding and --ties-on applied, so that ranks,
    percentiles, grades and every output follow the one rule."""
    if args.decimals is None and args.rounding is None and args.ties_on is None:
        return rubric
    given = rubric.rounding
    rule = Rounding(
        decimals=given.decimals if args.decimals is None else args.decimals,
        mode=args.rounding or (given.mode if given != DEFAULT_ROUNDING else "half-up"),
        ties=args.ties_on or given.ties,
    )
    return replace(rubric, rounding=rule)


def total_text(scores: Scores, row: int) -> str:
    """A total for a table: as published when the rubric rounds totals, else 2 decimals."""
    rule = scores.rubric.rounding
    if rule == DEFAULT_ROUNDING:
        return display_number(float(scores.totals[row]), TOTAL_DECIMALS)
    return f"{rule.round_one(float(scores.totals[row])):.{rule.decimals}f}"


def _rows(scores: Scores, args: argparse.Namespace, ranks: Any) -> list[tuple[Any, list[int]]]:
    """Sections (a grouping value, or None) with their company rows, best first."""
    keys = scores.company_field(args.grouping) if args.grouping else [None] * len(scores)
    sections: dict[Any, list[int]] = {}
    for i in sorted(
        range(len(scores)), key=lambda i: (ranks[i], scores.company_ids[i], int(scores.years[i]))
    ):
        sections.setdefault(keys[i], []).append(i)
    ordered = sorted(sections.items(), key=lambda item: (item[0] is None, str(item[0])))
    return [(key, _top(rows, ranks, args.top)) for key, rows in ordered]


def _top(rows: list[int], ranks: Any, top: int | None) -> list[int]:
    """The best `top` rows, and every row tied with the last of them: a cut inside a tie
    would rank one of two equal companies and drop the other."""
    if not top or len(rows) <= top:
        return rows
    last = ranks[rows[top - 1]]
    return [i for i in rows if ranks[i] <= last]


def run(args: argparse.Namespace) -> int:
    if args.compare_years and (
        args.by or args.top or args.ties != "competition" or args.year is not None
    ):
        raise UsageError(
            "--compare-years ranks within each year; "
            "it cannot be combined with --by, --top, --ties or --year"
        )
    if args.editions:
        return _compare_editions(args)
    args.rubric = args.rubric or DEFAULT_RUBRIC
    if rank_stream.wanted(args):
        return rank_stream.run(args)
    with Progress(["loading", "scoring"]) as progress:
        rubric = with_rounding(load_rubric(args.rubric, allow_paths=args.allow_path), args)
        loaded = read_reports(
            args.reports,
            max_bytes=args.max_input_size,
            catalog=rubric.catalog,
            bad_values=args.bad_values,
        )
        progress.advance("scoring")
        scores = score(loaded, rubric, bad_values=args.bad_values)
    # Rendering starts once the progress bar has been erased, so they never interleave.
    return _finish(scores, args, loaded.source)


def _compare_editions(args: argparse.Namespace) -> int:
    """--compare-years under --editions: each year scored with its own edition's rubric."""
    if not args.compare_years or args.rubric or rank_stream.wanted(args):
        raise UsageError(
            "--editions goes with --compare-years FROM TO, and replaces --rubric "
            "(it needs the whole run in memory: no --chunk-size, --dask or --scheduler)"
        )
    first, second = args.compare_years
    with Progress(["loading", "scoring"]) as progress:
        editions = load_editions(args.editions, allow_paths=args.allow_path)
        loaded = read_reports(args.reports, max_bytes=args.max_input_size)
        progress.advance("scoring")
        # Read-time rejections are listed once, with the earlier year.
        earlier = score(
            _of_year(loaded, first, loaded.rejected),
            with_rounding(editions.rubric_for(first), args),
        )
        later = score(
            _of_year(loaded, second, ()), with_rounding(editions.rubric_for(second), args)
        )
    for scores in (earlier, later):
        refuse_rejections(scores, args.strict, loaded.source)
    comparison = compare(
        earlier, first, second, later=later, comparable=editions.comparable(first, second)
    )
    write_output(render_comparison(comparison, args.format), args.output)
    for scores in (earlier, later):
        warn_on_stderr(scores)
    return 0


def _of_year(loaded: ReportSet, year: int, rejected: tuple[Rejection, ...]) -> ReportSet:
    rows = [i for i, report in enumerate(loaded.reports) if report.year == year]
    if not rows:
        years = ", ".join(map(str, sorted({report.year for report in loaded.reports}))) or "none"
        raise UsageError(f"no report for year {year}; years in {loaded.source}: {years}")
    return replace(
        loaded,
        reports=tuple(loaded.reports[i] for i in rows),
        rejected=rejected,
        positions=tuple(loaded.position(i) for i in rows),
    )


def _finish(scores: Scores, args: argparse.Namespace, source: str | None) -> int:
    scores = select_year(scores, args.year)
    if args.by:
        scores.company_field(args.by)  # fail early, before any output, on a bad field
    refuse_rejections(scores, args.strict, source)
    if args.compare_years:
        comparison = compare(scores, *args.compare_years)
        write_output(render_comparison(comparison, args.format), args.output)
        return 0
    args.grouping = scores.ranking_fields(args.by)
    ranks = scores.rank(args.ties, args.grouping or None)
    if args.format in TABLE_FORMATS:
        write_tables(scores, ranks, args.grouping or None, args.format, args.output)
        warn_on_stderr(scores, unknown_keys=args.warn_unknown_keys)
        return 0
    sections = _rows(scores, args, ranks)
    renderer = {"table": _table, "markdown": _markdown, "csv": _csv, "json": _json}[args.format]
    args.source = source
    write_output(renderer(scores, sections, ranks, args), args.output)
    warn_on_stderr(scores, unknown_keys=args.warn_unknown_keys)
    return 0


def _header(scores: Scores) -> str:
    rubric = scores.rubric
    short_hash = rubric.content_hash.removeprefix("sha256:")[:12]
    return (
        f"rubric {rubric.name} {rubric.version} (sha256:{short_hash}) · "
        f"{len(scores)} report(s) scored, {len(scores.rejected)} rejected{as_missing(scores)}"
    )


def _display_rows(
    scores: Scores, rows: list[int], ranks: Any, headers_style: str = "ids"
) -> tuple[list[str], list[list[str]], list[bool]]:
    top = scores.top_group_ids
    columns = [scores.group_column(g) for g in top]
    groups = group_headers(scores.rubric, headers_style)
    headers = ["rank", "company", "sector", "year", "total", "grade", *groups]
    numeric = [True, False, False, True, True, False, *([True] * len(top))]
    body = []
    for i in rows:
        group_cells = []
        for c in columns:
            value = scores.group_scores[i, c]
            group_cells.append(
                display_number(None if value != value else value * 100, GROUP_DECIMALS)
            )
        body.append(
            [
                str(ranks[i]),
                scores.names[i],
                scores.sectors[i] or "—",
                str(scores.years[i]),
                total_text(scores, i),
                scores.grades[i] or "—",
                *group_cells,
            ]
        )
    return headers, body, numeric


def _rejection_lines(scores: Scores) -> list[str]:
    lines = []
    if len(scores.rejected) > MAX_LISTED_REJECTIONS:
        lines = [f"{len(scores.rejected)} reports rejected; run `csrscore validate` to list them."]
    elif scores.rejected:
        lines = ["rejected:", *(f"  {visible(str(rejection))}" for rejection in scores.rejected)]
    treated = scores.treated_as_missing
    if len(treated) > MAX_LISTED_REJECTIONS:
        lines.append(
            f"{len(treated)} values treated as missing; run `csrscore validate --bad-values "
            "as-missing` to list them."
        )
    elif treated:
        lines += ["treated as missing:", *(f"  {visible(str(value))}" for value in treated)]
    return lines


def _table(
    scores: Scores, sections: list[tuple[Any, list[int]]], ranks: Any, args: argparse.Namespace
) -> str:
    parts = [bold(visible(_header(scores)), use_colour(args.output)), ""]
    for key, rows in sections:
        if args.grouping:
            parts.append(visible(section_label(args.grouping, key)))
        parts.append(text_table(*_display_rows(scores, rows, ranks, args.headers)))
        parts.append("")
    parts += _rejection_lines(scores)
    return "\n".join(parts).rstrip() + "\n"


def _markdown(
    scores: Scores, sections: list[tuple[Any, list[int]]], ranks: Any, args: argparse.Namespace
) -> str:
    parts = [f"_{markdown_cell(_header(scores))}_", ""]
    for key, rows in sections:
        if args.grouping:
            parts += [f"### {markdown_cell(section_label(args.grouping, key))}", ""]
        parts += [markdown_table(*_display_rows(scores, rows, ranks, args.headers)), ""]
    return "\n".join(parts).rstrip() + "\n"


def _csv(
    scores: Scores, sections: list[tuple[Any, list[int]]], ranks: Any, args: argparse.Namespace
) -> str:
    group_ids = [g for g in scores.group_ids if g != scores.plan.groups[-1].group.id]
    shown = [i for _, rows in sections for i in rows]
    attributes = attribute_columns(scores, shown)
    headers = [
        "rank",
        "company_id",
        "name",
        "sector",
        "country",
        *attributes,
        "year",
        "total",
        "published_total",
        "grade",
        *group_ids,
    ]
    published = scores.rubric.rounding.round(scores.totals).tolist()
    body = []
    for k, i in enumerate(shown):
        groups = [scores.group_scores[i, scores.group_column(g)] * 100 for g in group_ids]
        body.append(
            [
                int(ranks[i]),
                scores.company_ids[i],
                scores.names[i],
                scores.sectors[i] or "",
                scores.countries[i] or "",
                *(_csv_cell(values[k]) for values in attributes.values()),
                int(scores.years[i]),
                repr(float(scores.totals[i])),
                repr(published[i]),
                scores.grades[i],
                *("" if value != value else repr(float(value)) for value in groups),
            ]
        )
    return csv_text(headers, body)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else value


def _json(
    scores: Scores, sections: list[tuple[Any, list[int]]], ranks: Any, args: argparse.Namespace
) -> str:
    records = scores.to_records(args.ties, args.grouping or None)
    shown = [records[i] for _, rows in sections for i in rows]
    rubric = scores.rubric
    return json_text(
        {
            "csrscore": __version__,
            "rubric": {"name": rubric.name, "version": rubric.version, "hash": rubric.content_hash},
            "source": args.source,
            "scored": len(scores),
            "rejected": [rejection.to_dict() for rejection in scores.rejected],
            "treated_as_missing": [value.to_dict() for value in scores.treated_as_missing],
            "warnings": [str(warning) for warning in scores.warnings],
            "ranking": {
                "ties": args.ties,
                "by": args.by,
                "per_year": "year" in args.grouping,
                "top": args.top,
            },
            "companies": shown,
        }
    )
