"""`csrscore audit`: the statistical audit of an index as tables, Markdown or JSON."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

from csrscore.cli.render import json_text, markdown_table, text_table, write_output
from csrscore.cli.reports import (
    add_input_arguments,
    read_reports,
    refuse_rejections,
    warn_on_stderr,
)
from csrscore.engine import score
from csrscore.indexaudit import Audit, NotComputable, audit
from csrscore.indexaudit.numeric import Figure
from csrscore.indexaudit.result import DEFAULT_REDUNDANCY
from csrscore.rubric import load_rubric
from csrscore.textsafe import visible

SECTIONS = ("flags", "coverage", "distributions", "correlations", "reliability", "weights")
NOT_COMPUTABLE = "n/c"

Table = tuple[str, list[str], list[list[str]], list[bool]]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="coverage, distributions, correlations, reliability and effective weights",
        description=(
            "The statistical audit of an index (after the JRC's guide for composite "
            "indicators): per criterion and group the coverage and floor/ceiling effects, "
            "distributions per year with outlier flags, Pearson and Spearman correlations, "
            "Cronbach's alpha and principal components per group, and each top-level "
            "group's effective weight next to its nominal weight, with suggested weights."
        ),
        epilog="examples:\n  csrscore audit examples/reports.json\n"
        "  csrscore audit examples/reports.json --rubric citi --section weights\n"
        "  csrscore audit examples/reports.json --format json -o audit.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_input_arguments(parser)
    parser.add_argument("--year", type=int, metavar="Y", help="audit one reporting year only")
    parser.add_argument(
        "--redundancy",
        type=_threshold,
        default=DEFAULT_REDUNDANCY,
        metavar="R",
        help=f"flag parts of a group correlated above R (default {DEFAULT_REDUNDANCY})",
    )
    parser.add_argument(
        "--criteria-weights",
        action="store_true",
        help="also give every criterion's effective weight",
    )
    parser.add_argument(
        "--section",
        action="append",
        choices=SECTIONS,
        help="show only this section (repeatable; default: all)",
    )
    parser.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write to FILE (atomically) instead of stdout"
    )
    parser.add_argument(
        "--strict", action="store_true", help="fail (exit 1) if any report is rejected"
    )
    parser.set_defaults(handler=run)


def _threshold(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError("must be above 0 and at most 1")
    return value


def run(args: argparse.Namespace) -> int:
    rubric = load_rubric(args.rubric, allow_paths=args.allow_path)
    scores = score(read_reports(args.reports, max_bytes=args.max_input_size), rubric)
    refuse_rejections(scores, args.strict)
    result = audit(
        scores,
        year=args.year,
        redundancy=args.redundancy,
        criteria_weights=args.criteria_weights,
    )
    sections = tuple(args.section or SECTIONS)
    if args.format == "json":
        text = json_text(result.to_dict())
    else:
        text = render(result, sections, markdown=args.format == "markdown")
    write_output(text, args.output)
    warn_on_stderr(scores, unknown_keys=args.warn_unknown_keys)
    return 0


# --- rendering ----------------------------------------------------------------------------


def render(result: Audit, sections: Sequence[str] = SECTIONS, *, markdown: bool = False) -> str:
    """The audit's tables as aligned text, or as Markdown."""
    years = ", ".join(map(str, result.years))
    head = (
        f"Audit of {visible(result.rubric)}: {result.companies} companies, "
        f"year{'s' if len(result.years) != 1 else ''} {years}"
    )
    parts = [f"# {head}" if markdown else head]
    builders: dict[str, Callable[[Audit], list[Table]]] = {
        "flags": _flags,
        "coverage": _coverage,
        "distributions": _distributions,
        "correlations": _correlations,
        "reliability": _reliability,
        "weights": _weights,
    }
    for section in sections:
        for title, headers, rows, numeric in builders[section](result):
            if markdown:
                parts.append(f"## {title}\n\n" + markdown_table(headers, rows, numeric))
            else:
                table = text_table(headers, rows, numeric) if rows else "(none)"
                parts.append(f"{title}\n\n{table}")
    return "\n\n".join(parts) + "\n"


def _text(value: str | None) -> str:
    return "" if value is None else visible(value)


def _percent(value: Figure | None) -> str:
    if value is None:
        return ""
    return NOT_COMPUTABLE if isinstance(value, NotComputable) else f"{value * 100:.1f}"


def _number(value: Figure | None, decimals: int = 2) -> str:
    if value is None:
        return ""
    return NOT_COMPUTABLE if isinstance(value, NotComputable) else f"{value:.{decimals}f}"


def _notes(*values: Figure | None) -> str:
    """The distinct reasons of a row's figures that cannot be computed."""
    reasons: list[str] = []
    for value in values:
        if isinstance(value, NotComputable) and str(value) not in reasons:
            reasons.append(str(value))
    return "; ".join(reasons)


def _flags(result: Audit) -> list[Table]:
    rows = [[flag.kind, _text(flag.subject), _text(flag.detail)] for flag in result.flags]
    return [("Flags", ["flag", "subject", "detail"], rows, [False, False, False])]


def _coverage(result: Audit) -> list[Table]:
    headers = [
        "kind", "id", "applies", "N/A %", "at 0 %", "at max %", "disclosed %", "assured %",
        "evidenced %", "flags", "note",
    ]  # fmt: skip
    rows = [
        [
            row.kind,
            _text(row.id),
            str(row.applicable),
            _percent(row.na_share),
            _percent(row.zero_share),
            _percent(row.max_share),
            _percent(row.disclosed_share),
            _percent(row.assured_share),
            _percent(row.evidenced_share),
            " ".join(row.flags),
            _text(row.note) or _notes(row.zero_share),
        ]
        for row in result.coverage
    ]
    numeric = [False, False] + [True] * 7 + [False, False]
    return [("Coverage (shares of the companies each applies to)", headers, rows, numeric)]


def _distributions(result: Audit) -> list[Table]:
    headers = ["year", "kind", "id", "n", "mean", "sd", "skewness", "kurtosis", "flags", "note"]
    rows = [
        [
            str(row.year),
            row.kind,
            _text(row.id),
            str(row.n),
            _number(row.mean, 3),
            _number(row.sd, 3),
            _number(row.skewness),
            _number(row.kurtosis),
            " ".join(row.flags),
            _notes(row.mean, row.sd, row.skewness, row.kurtosis),
        ]
        for row in result.distributions
    ]
    numeric = [True, False, False, True, True, True, True, True, False, False]
    return [("Distributions (fractions of the maximum, per year)", headers, rows, numeric)]


def _correlations(result: Audit) -> list[Table]:
    headers = ["relation", "group", "first", "second", "n", "pearson", "spearman", "flags", "note"]
    rows = [
        [
            row.relation,
            _text(row.group),
            _text(row.first),
            _text(row.second),
            str(row.n),
            _number(row.pearson),
            _number(row.spearman),
            " ".join(row.flags),
            _notes(row.pearson, row.spearman),
        ]
        for row in result.correlations
    ]
    numeric = [False, False, False, False, True, True, True, False, False]
    return [("Correlations (pairwise complete companies)", headers, rows, numeric)]


def _reliability(result: Audit) -> list[Table]:
    groups = [
        [
            _text(row.group),
            str(len(row.items)),
            str(row.n),
            _number(row.alpha),
            _percent(row.first_component_share),
            _notes(row.alpha, row.first_component_share),
        ]
        for row in result.reliability
    ]
    items = [
        [
            _text(row.group),
            _text(item),
            _number(dropped),
            _number(loading),
            _notes(dropped, loading),
        ]
        for row in result.reliability
        for item, dropped, loading in zip(
            row.items, row.alpha_if_dropped, row.loadings, strict=True
        )
        if len(row.items) > 1
    ]
    return [
        (
            "Reliability (companies with every item)",
            ["group", "items", "n", "alpha", "PC1 %", "note"],
            groups,
            [False, True, True, True, True, False],
        ),
        (
            "Items",
            ["group", "item", "alpha if dropped", "PC1 loading", "note"],
            items,
            [False, False, True, True, False],
        ),
    ]


def _weights(result: Audit) -> list[Table]:
    headers = [
        "kind", "id", "n", "nominal %", "S (eta^2)", "effective %", "ratio", "suggested %", "note",
    ]  # fmt: skip
    rows = [
        [
            row.kind,
            _text(row.id),
            str(row.n),
            _percent(row.nominal_share),
            _number(row.first_order, 3),
            _percent(row.effective_share),
            _number(row.ratio),
            _percent(row.suggested_share),
            # A suggestion that missed its target is explained once, in the title.
            _notes(row.first_order, row.effective_share, row.ratio)
            or (_notes(row.suggested_share) if result.suggestion.converged else ""),
        ]
        for row in result.effective_weights
    ]
    numeric = [False, False, True, True, True, True, True, True, False]
    suggestion = result.suggestion
    title = "Effective weights (importance in the total vs nominal weight)"
    if suggestion.note:
        title += f"\nsuggested weights: {suggestion.note}"
    return [(title, headers, rows, numeric)]
