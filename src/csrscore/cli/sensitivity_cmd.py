"""`csrscore sensitivity`."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from csrscore import __version__
from csrscore.cli.progress import Progress
from csrscore.cli.render import (
    TOTAL_DECIMALS,
    csv_text,
    json_text,
    text_table,
    write_output,
)
from csrscore.cli.reports import (
    add_input_arguments,
    add_year_argument,
    at_least_two,
    check_sample_memory,
    positive_int,
    read_reports,
    refuse_rejections,
    section_label,
    seed,
    select_year,
    warn_on_stderr,
)
from csrscore.engine import score
from csrscore.errors import CsrscoreError, UsageError
from csrscore.precision import display_number
from csrscore.rubric import load_rubric
from csrscore.sensitivity import (
    RANK_INTERVAL,
    SCORE_QUANTILES,
    Dirichlet,
    Sensitivity,
    Uniform,
    sensitivity,
)
from csrscore.sensitivity.analysis import quantile_name
from csrscore.sensitivity.design import WeightSpec
from csrscore.sensitivity.indices import (
    MEANINGFUL_WIDTH,
    MINIMUM_SAMPLES,
    SensitivityIndices,
)
from csrscore.textsafe import visible

DEFAULT_FLAG_PLACES = 2
PLOT_WIDTH = 30  # characters of the rank axis, at most
INDEX_DECIMALS = 2
NOISE_MARK = "~"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sensitivity",
        help="how far ranks move when the weights, aggregation or N/A policy move",
        description=(
            "Monte-Carlo uncertainty analysis of the ranks: perturb each group's weights "
            "(and optionally switch the aggregation and the N/A policy), re-score, and show "
            "each company's nominal rank with its 5th-95th percentile rank interval, plus "
            "which inputs the rank shifts depend on (Saltelli/Jansen sensitivity indices)."
        ),
        epilog="examples:\n  csrscore sensitivity examples/reports.json\n"
        "  csrscore sensitivity examples/reports.json --rubric citi --samples 500 --top 5\n"
        "  csrscore sensitivity examples/reports.json --weights dirichlet --switch-aggregation",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_input_arguments(parser)
    parser.add_argument(
        "--samples", type=at_least_two, default=1000, metavar="N", help="Monte-Carlo samples"
    )
    parser.add_argument(
        "--seed", type=seed, default=0, metavar="S", help="random seed, 0 or more (default 0)"
    )
    parser.add_argument(
        "--weights",
        choices=("uniform", "dirichlet", "fixed"),
        default="uniform",
        help="how every group's weights are perturbed (default: uniform)",
    )
    parser.add_argument(
        "--spread",
        type=_spread,
        default=0.2,
        metavar="X",
        help="uniform: each weight times U(1-X, 1+X) (default 0.2)",
    )
    parser.add_argument(
        "--concentration",
        type=_concentration,
        default=100.0,
        metavar="A",
        help="dirichlet: shares ~ Dirichlet(A x nominal shares) (default 100)",
    )
    parser.add_argument(
        "--switch-aggregation",
        action="store_true",
        help="switch every group's aggregation (arithmetic/geometric) in half the samples",
    )
    parser.add_argument(
        "--switch-na-policy",
        action="store_true",
        help="switch the N/A policy (exclude/zero) in half the samples",
    )
    parser.add_argument(
        "--by",
        default="year",
        metavar="FIELD",
        help="rank within groups: year (default), sector, country or company.<field>",
    )
    add_year_argument(parser)
    parser.add_argument(
        "--flag",
        type=_non_negative,
        default=DEFAULT_FLAG_PLACES,
        metavar="K",
        help=f"flag rank intervals wider than K places (default {DEFAULT_FLAG_PLACES})",
    )
    parser.add_argument(
        "--top", type=positive_int, metavar="N", help="show only the best N (per group)"
    )
    parser.add_argument(
        "--no-indices",
        dest="indices",
        action="store_false",
        help="skip the sensitivity indices (they cost samples x (inputs + 1) more runs)",
    )
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.add_argument(
        "--rows",
        choices=("companies", "indices"),
        default="companies",
        help="csv: a row per company (default) or per sensitivity index input",
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write to FILE (atomically) instead of stdout"
    )
    parser.add_argument(
        "--strict", action="store_true", help="fail (exit 1) if any report is rejected"
    )
    parser.add_argument(
        "--dask",
        choices=("local",),
        help="evaluate the samples on a local Dask cluster (needs csrscore[dask]); "
        "the same results as in one process",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="evaluate the samples on the Dask scheduler at ADDRESS",
    )
    parser.set_defaults(handler=run)


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be at least 0")
    return value


def _spread(text: str) -> float:
    value = float(text)
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError("must be at least 0 and below 1")
    return value


# Above this, Dirichlet draws stay within a millionth of the nominal shares: the same as
# --weights fixed, at the cost of gamma draws near the float limits.
MAX_CONCENTRATION = 1e6


def _concentration(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= MAX_CONCENTRATION:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(
            f"must be above 0 and at most {MAX_CONCENTRATION:g} (for no perturbation at all, "
            "use --weights fixed)"
        )
    return value


def weight_spec(args: argparse.Namespace) -> WeightSpec:
    if args.weights == "fixed":
        return None
    if args.weights == "dirichlet":
        return Dirichlet(args.concentration)
    return Uniform(args.spread)


def run(args: argparse.Namespace) -> int:
    if args.rows == "indices" and (args.format != "csv" or not args.indices):
        raise UsageError(
            "--rows indices is a CSV of the indices: use --format csv, not --no-indices"
        )
    with Progress(["loading", "scoring", *SAMPLING_STAGES]) as progress:
        rubric = load_rubric(args.rubric, allow_paths=args.allow_path)
        loaded = read_reports(args.reports, max_bytes=args.max_input_size)
        progress.advance("scoring")
        scores = select_year(score(loaded, rubric), args.year)
        scores.company_field(args.by)  # fail early, before any work, on a bad field
        # Within each year as well, as `rank --by` ranks: one edition at a time.
        args.grouping = scores.ranking_fields(args.by)
        refuse_rejections(scores, args.strict)
        check_sample_memory(args.samples, len(scores))
        on_progress = _sampling_progress(progress)
        options: dict[str, Any] = {
            "weights": weight_spec(args),
            "aggregation": args.switch_aggregation,
            "na_policy": args.switch_na_policy,
            "indices": args.indices,
            "by": args.grouping[0] if len(args.grouping) == 1 else args.grouping,
        }
        if args.dask or args.scheduler:
            with _dask_client(args.scheduler):
                from csrscore.dask_sensitivity import sensitivity_dask

                result = sensitivity_dask(scores, args.samples, args.seed, **options)
        else:
            result = sensitivity(scores, args.samples, args.seed, progress=on_progress, **options)
    # Output starts once the progress bar has been erased, so they never interleave.
    renderer = {"table": render_table, "csv": render_csv, "json": render_json}[args.format]
    if args.rows == "indices":
        renderer = render_indices_csv
    write_output(renderer(result, args), args.output)
    warn_on_stderr(
        scores,
        rejections_listed=args.format == "table",
        unknown_keys=args.warn_unknown_keys,
    )
    return 0


@contextmanager
def _dask_client(address: str | None) -> Iterator[None]:
    """A client of the scheduler at `address`, or of a local cluster made for the run."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise CsrscoreError(
            "sensitivity on Dask needs the dask extra: pip install 'csrscore[dask]'"
        ) from None
    cluster = None if address else LocalCluster(dashboard_address=None)  # type: ignore[no-untyped-call]
    try:
        with Client(address or cluster):  # type: ignore[no-untyped-call]
            yield
    finally:
        if cluster is not None:
            cluster.close()


# The sampling is one call, which reports how much of its work is done: the bar moves
# through these stages a tenth at a time.
SAMPLING_STAGES = [f"sampling {percent}%" for percent in range(0, 100, 10)]


def _sampling_progress(progress: Progress) -> Callable[[int, int], None]:
    progress.advance(SAMPLING_STAGES[0])
    reached = 0

    def advance(done: int, total: int) -> None:
        nonlocal reached
        tenth = min(len(SAMPLING_STAGES) - 1, len(SAMPLING_STAGES) * done // max(total, 1))
        if tenth > reached:
            reached = tenth
            progress.advance(SAMPLING_STAGES[tenth])

    return advance


# --- sensitivity -----------------------------------------------------------------------------


def _sections(result: Sensitivity, args: argparse.Namespace) -> list[tuple[Any, list[int]]]:
    """Ranking groups (by value) with their companies, best nominal rank first."""
    scores = result.scores
    keys = scores.company_field(args.grouping)
    rows = sorted(
        range(len(result)),
        key=lambda i: (result.nominal_rank[i], scores.company_ids[i], int(scores.years[i])),
    )
    sections: dict[Any, list[int]] = {}
    for i in rows:
        sections.setdefault(keys[i], []).append(i)
    ordered = sorted(sections.items(), key=lambda item: (item[0] is None, str(item[0])))
    return [(key, found[: args.top] if args.top else found) for key, found in ordered]


def _describe(result: Sensitivity, args: argparse.Namespace) -> list[str]:
    scores = result.scores
    rubric = scores.rubric
    short_hash = rubric.content_hash.removeprefix("sha256:")[:12]
    weights = {
        "uniform": f"uniform ±{args.spread * 100:g}%",
        "dirichlet": f"Dirichlet, concentration {args.concentration:g}",
        "fixed": "fixed",
    }[args.weights]
    switches = [
        name
        for name, on in (
            ("aggregation", args.switch_aggregation),
            ("N/A policy", args.switch_na_policy),
        )
        if on
    ]
    low, high = (round(q * 100) for q in RANK_INTERVAL)
    return [
        f"rubric {rubric.name} {rubric.version} (sha256:{short_hash}) · "
        f"{len(scores)} report(s) scored, {len(scores.rejected)} rejected",
        f"{result.samples} samples, seed {result.seed} · weights {weights} · "
        f"switched: {', '.join(switches) or 'nothing'} · ranks by {', '.join(args.grouping)}",
        f"interval: {low}th to {high}th percentile rank · ● nominal rank · "
        f"! interval wider than {args.flag} places",
    ]


def _plot(low: int, high: int, nominal: int, size: int) -> str:
    """The rank axis 1..size as text: a bar for the interval, a dot for the nominal rank."""
    width = max(1, min(PLOT_WIDTH, size))

    def column(rank: int) -> int:
        return 0 if size <= 1 else round((rank - 1) * (width - 1) / (size - 1))

    cells = [" "] * width
    for position in range(column(low), column(high) + 1):
        cells[position] = "━"
    cells[column(nominal)] = "●"
    return "│" + "".join(cells) + "│"


def render_table(result: Sensitivity, args: argparse.Namespace) -> str:
    scores = result.scores
    parts = [*map(visible, _describe(result, args)), ""]
    flags = result.flagged(args.flag)
    for key, rows in _sections(result, args):
        size = int(result.group_sizes[rows[0]]) if rows else 0
        parts.append(visible(f"{section_label(args.grouping, key)} · {size} ranked"))
        width = max(1, min(PLOT_WIDTH, size))
        axis = "1".ljust(width - len(str(size))) + str(size) if width > len(str(size)) else ""
        headers = ["rank", "company", "total", "median", "interval", "!", f" {axis}"]
        body = [
            [
                str(result.nominal_rank[i]),
                scores.names[i],
                display_number(float(scores.totals[i]), TOTAL_DECIMALS),
                str(result.median_rank[i]),
                f"{result.rank_low[i]}–{result.rank_high[i]}",
                "!" if flags[i] else "",
                _plot(
                    int(result.rank_low[i]),
                    int(result.rank_high[i]),
                    int(result.nominal_rank[i]),
                    size,
                ),
            ]
            for i in rows
        ]
        parts += [text_table(headers, body, [True, False, True, True, True, False, False]), ""]
    flagged = int(flags.sum())
    parts.append(
        f"{flagged} of {len(result)} companies have a rank interval wider than {args.flag} "
        f"places; mean absolute rank shift {_mean_shift(result)} places."
    )
    parts += _indices_lines(result)
    if scores.rejected:
        parts += ["", f"{len(scores.rejected)} report(s) rejected; see csrscore validate."]
    return "\n".join(parts).rstrip() + "\n"


def _mean_shift(result: Sensitivity) -> str:
    shifts = result.mean_rank_shift
    return display_number(float(shifts.mean()) if len(shifts) else 0.0, 2)


def _indices_lines(result: Sensitivity) -> list[str]:
    indices = result.indices
    if indices is None:
        return []
    lines = [
        "",
        "what the rank shifts depend on: first-order and total-effect indices of the mean",
        f"absolute rank shift, from {indices.evaluations} runs, with 95% bootstrap intervals",
    ]
    if not indices.factors:
        return [*lines, "nothing is uncertain: no input to rank."]
    if not indices.output_variance > 0.0:
        return [
            *lines,
            "no rank moved in any sample: the indices are undefined.",
            *_too_few(indices),
        ]

    def cell(value: float, interval: Any) -> str:
        low, high = (_index(float(v)) for v in interval)
        return f"{_index(float(value))} [{low}, {high}]"

    order = sorted(
        range(len(indices.factors)), key=lambda k: (-indices.total_effect[k], indices.factors[k])
    )
    shown = [k for k in order if round(float(indices.total_effect[k]), INDEX_DECIMALS) > 0]
    body = [
        [
            indices.factors[k],
            cell(indices.first_order[k], indices.first_order_interval[k]),
            cell(indices.total_effect[k], indices.total_effect_interval[k]),
            NOISE_MARK if indices.noise(k) else "",
        ]
        for k in shown or order[:1]
    ]
    headers = ["input", "first-order S", "total effect ST", NOISE_MARK]
    lines += [text_table(headers, body, [False, True, True, False])]
    hidden = len(order) - len(body)
    if hidden:
        lines.append(f"{hidden} more input(s), each with a total effect below 0.005")
    if any(row[-1] for row in body):
        lines += [
            f"{NOISE_MARK} estimator noise: an estimate or interval end outside [0, 1], or S "
            "above ST;",
            "  the true indices satisfy 0 <= S <= ST <= 1, so read it as the nearest bound",
        ]
    return lines + _too_few(indices)


def _too_few(indices: SensitivityIndices) -> list[str]:
    """The warning that the sample count is too small for the indices to be read."""
    suggested = indices.suggested_samples
    if suggested is None:
        return []
    n = indices.base_samples
    if n < MINIMUM_SAMPLES:
        why = f"below {MINIMUM_SAMPLES}, bootstrap intervals are unreliable"
    else:
        width, most = _index(indices.widest_interval), f"{MEANINGFUL_WIDTH:.2f}"
        why = f"an interval spans {width} (readable: {most} at most)"
    return [
        f"too few samples ({n}) for meaningful indices: {why};",
        f"  rerun with --samples {suggested} or more",
    ]


def _index(value: float) -> str:
    """An index to INDEX_DECIMALS places; estimates that round to zero read 0.00, not -0.00."""
    text = display_number(value, INDEX_DECIMALS)
    return text.removeprefix("-") if float(text) == 0.0 else text


def render_csv(result: Sensitivity, args: argparse.Namespace) -> str:
    scores = result.scores
    flags = result.flagged(args.flag)
    quantiles = [f"score_{quantile_name(q)}" for q in SCORE_QUANTILES]
    headers = [
        "company_id",
        "name",
        "sector",
        "country",
        "year",
        "total",
        "nominal_rank",
        "median_rank",
        "rank_low",
        "rank_high",
        "ranked_among",
        "flagged",
        "score_mean",
        "score_std",
        *quantiles,
    ]
    body = [
        [
            scores.company_ids[i],
            scores.names[i],
            scores.sectors[i] or "",
            scores.countries[i] or "",
            int(scores.years[i]),
            repr(float(scores.totals[i])),
            int(result.nominal_rank[i]),
            int(result.median_rank[i]),
            int(result.rank_low[i]),
            int(result.rank_high[i]),
            int(result.group_sizes[i]),
            "true" if flags[i] else "false",
            repr(float(result.score_mean[i])),
            repr(float(result.score_std[i])),
            *(repr(float(v)) for v in result.score_quantiles[i]),
        ]
        for _, rows in _sections(result, args)
        for i in rows
    ]
    return csv_text(headers, body)


def render_indices_csv(result: Sensitivity, args: argparse.Namespace) -> str:
    """`--format csv --rows indices`: a row per input, with its estimator-noise codes and
    the run's suggested sample count (empty when the count was enough)."""
    indices = result.indices
    headers = [
        "input",
        "first_order",
        "first_order_low",
        "first_order_high",
        "total_effect",
        "total_effect_low",
        "total_effect_high",
        "estimator_noise",
        "base_samples",
        "suggested_samples",
    ]
    if indices is None:
        return csv_text(headers, [])

    def number(value: Any) -> str:
        return "" if value != value else repr(float(value))

    suggested = indices.suggested_samples
    body = [
        [
            name,
            number(indices.first_order[k]),
            *map(number, indices.first_order_interval[k]),
            number(indices.total_effect[k]),
            *map(number, indices.total_effect_interval[k]),
            ";".join(indices.noise(k)),
            indices.base_samples,
            "" if suggested is None else suggested,
        ]
        for k, name in enumerate(indices.factors)
    ]
    return csv_text(headers, body)


def render_json(result: Sensitivity, args: argparse.Namespace) -> str:
    document = result.to_dict(args.flag)
    shown = {i for _, rows in _sections(result, args) for i in rows}
    document["companies"] = [record for i, record in enumerate(document["companies"]) if i in shown]
    return json_text({"csrscore": __version__, "source": args.reports, **document})
