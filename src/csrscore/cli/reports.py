"""Reading REPORTS arguments, including `-` for stdin."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from csrscore.boundedread import describe_size
from csrscore.cli import terminal
from csrscore.cli.progress import loading
from csrscore.cli.safewrite import protect_input
from csrscore.errors import Location, ReportError, UsageError
from csrscore.records import ReportSet, load_reports
from csrscore.records.check import BAD_VALUE_POLICIES, BadValues, UnknownKey
from csrscore.records.load import MAX_INPUT_BYTES
from csrscore.rubric import Catalog

if TYPE_CHECKING:  # `validate` reads reports without the engine
    from csrscore.engine import Scores


class _NamedStream:
    """A stdin wrapper with a readable name for error locations."""

    def __init__(self, handle: Any, name: str) -> None:
        self._handle = handle
        self.name = name

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._handle.read(size)
        return data

    def fileno(self) -> int:
        descriptor: int = self._handle.fileno()
        return descriptor

    def isatty(self) -> bool:
        return bool(self._handle.isatty())


def read_reports(
    name: str,
    *,
    strict: bool = False,
    max_bytes: int = MAX_INPUT_BYTES,
    catalog: Catalog | None = None,
    bad_values: BadValues = "reject",
) -> ReportSet:
    """The reports in file `name` (or stdin for `-`), checked against `catalog` if given."""
    options: dict[str, Any] = {
        "strict": strict, "max_bytes": max_bytes, "catalog": catalog, "bad_values": bad_values
    }  # fmt: skip
    with loading():  # the progress bar, for commands that draw none of their own
        if name == "-":
            stdin: Any = _NamedStream(sys.stdin.buffer, "<stdin>")
            return load_reports(stdin, **options)
        protect_input(name)
        return load_reports(name, **options)


def add_bad_values(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bad-values",
        choices=BAD_VALUE_POLICIES,
        default="reject",
        help="a disclosed value of the wrong type or out of the catalog's range rejects its "
        "record (reject, the default), or is scored as not disclosed and listed (as-missing)",
    )


_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def byte_size(text: str) -> int:
    """A size such as 1500000, 800M or 4G (binary units, an optional trailing B or iB)."""
    cleaned = text.strip().upper().removesuffix("B").removesuffix("I")
    number, unit = (cleaned[:-1], cleaned[-1]) if cleaned[-1:] in _UNITS else (cleaned, "")
    try:
        value = int(float(number) * _UNITS[unit])
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(
            f"must be a size such as 800M or 4G, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return value


def add_size_limit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-input-size",
        type=byte_size,
        default=MAX_INPUT_BYTES,
        metavar="SIZE",
        help="refuse report input larger than SIZE (default 1G; e.g. 4G)",
    )


REPORTS_HELP = "JSON, JSON Lines, CSV, TSV, XLSX, Parquet or Arrow file; - reads stdin"

# How many rejected reports or warnings to list before pointing to `csrscore validate`.
MAX_LISTED_REJECTIONS = 10


DEFAULT_RUBRIC = "iso26000"


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """The REPORTS argument and --rubric option that every scoring command takes."""
    parser.add_argument(
        "reports",
        metavar="REPORTS",
        help=REPORTS_HELP,
    )
    parser.add_argument(
        "--rubric",
        default=DEFAULT_RUBRIC,
        help=f"shipped rubric name or YAML path (default: {DEFAULT_RUBRIC})",
    )
    add_allow_path(parser)
    add_size_limit(parser)
    parser.add_argument(
        "--warn-unknown-keys",
        action="store_true",
        help="warn about disclosure keys the catalog does not know (off by default: "
        "`csrscore validate --rubric` lists them once)",
    )


def add_allow_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-path",
        action="append",
        default=[],
        metavar="DIR",
        help="let the rubric's 'extends' and 'catalog' read files below DIR "
        "(default: only the rubric's own folder); may be repeated",
    )


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def as_missing(scores: Scores) -> str:
    """The run summary's note of values scored as not disclosed, if there are any."""
    count = len(scores.treated_as_missing)
    return f", {count} value(s) treated as missing" if count else ""


def warn_on_stderr(
    scores: Scores, rejections_listed: bool = False, unknown_keys: bool = False
) -> None:
    """Rejected reports and values treated as missing (unless the output already lists
    them) and data warnings; with
    --verbose every rejection and every warning, located. Keys outside the catalog only
    with `unknown_keys`: data shared between indices carries keys for other rubrics, and a
    warning on every run about them hides the others."""
    verbose = terminal.current().verbose
    if scores.rejected and not rejections_listed:
        if verbose:
            for rejection in scores.rejected:
                terminal.warn(f"rejected: {rejection}")
        else:
            terminal.warn(f"{len(scores.rejected)} report(s) rejected; see csrscore validate")
    if scores.treated_as_missing and not rejections_listed:
        if verbose:
            for value in scores.treated_as_missing:
                terminal.warn(f"treated as missing: {value}")
        else:
            count = len(scores.treated_as_missing)
            terminal.warn(
                f"{count} value(s) treated as missing; "
                "see csrscore validate --bad-values as-missing"
            )
    warnings = [w for w in scores.warnings if unknown_keys or not isinstance(w, UnknownKey)]
    shown = len(warnings) if verbose else MAX_LISTED_REJECTIONS
    for warning in warnings[:shown]:
        terminal.warn(str(warning))
    left_out = len(warnings) - shown
    if left_out > 0:
        terminal.warn(
            f"... and {left_out} more warning(s); the JSON output (--format json) lists them all"
        )


# Rank intervals settle within a few thousand samples; 100,000 already takes minutes and a
# billion would never end (or fail to allocate its draws).
MAX_SAMPLES = 100_000
# What one sample costs per company: its rank (int32) and its total (float64).
SAMPLE_BYTES_PER_COMPANY = 12


def at_least_two(text: str) -> int:
    """A sensitivity sample count: 2 to MAX_SAMPLES."""
    value = sample_count(text)
    if value < 2:
        raise argparse.ArgumentTypeError("must be at least 2 (spreads need two samples)")
    return value


def sample_count(text: str) -> int:
    """A sample count: 1 to MAX_SAMPLES."""
    value = positive_int(text)
    if value > MAX_SAMPLES:
        raise argparse.ArgumentTypeError(
            f"must be at most {MAX_SAMPLES} (rank intervals settle within a few thousand)"
        )
    return value


def seed(text: str) -> int:
    """A random seed: a whole number of at least 0 (numpy's seeds are non-negative)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {value}")
    return value


def check_sample_memory(samples: int, companies: int) -> None:
    """Refuse, before any work, a sensitivity run that would not fit in memory: its rank
    and total arrays take samples x companies x 12 bytes; allow half the machine's RAM."""
    needed = samples * companies * SAMPLE_BYTES_PER_COMPANY
    try:
        budget = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (AttributeError, ValueError, OSError):  # not a POSIX system
        return
    if needed > budget:
        raise UsageError(
            f"--samples {samples} for {companies} companies needs about "
            f"{describe_size(_round_up(needed))} of memory, more than half of this machine's "
            f"{describe_size(_round_up(budget * 2))}; lower --samples"
        )


def _round_up(size: int) -> int:
    """To whole GiB (or MiB below one GiB), as a message shows a size."""
    unit = 1 << 30 if size >= 1 << 30 else 1 << 20
    return -(-size // unit) * unit


def refuse_rejections(scores: Scores, strict: bool, source: str | None = None) -> None:
    """Under --strict any rejected report is an error (the first one located); so is a run
    that leaves nothing to show, since a ranking of nobody is not a result."""
    if scores.rejected and strict:
        first = scores.rejected[0]
        raise ReportError(
            f"{len(scores.rejected)} report(s) rejected under --strict; first: {first.message}",
            first.location,
        )
    if len(scores):
        return
    if not scores.rejected:
        raise ReportError("no report records to score", Location(source))
    first = scores.rejected[0]
    raise ReportError(
        f"no record could be scored: all {len(scores.rejected)} rejected; first: {first.message}",
        first.location,
    )


def add_year_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=int, metavar="YEAR", help="only the reports of YEAR (one edition)"
    )


def select_year(scores: Scores, year: int | None) -> Scores:
    """One edition, selected after scoring so that every score is the whole run's; an
    unknown year is an error that lists the years scored."""
    return scores if year is None else scores.of_year(year)


def section_label(fields: tuple[str, ...], key: tuple[Any, ...]) -> str:
    return " · ".join(
        f"{field}: {value if value is not None else '(none)'}"
        for field, value in zip(fields, key, strict=True)
    )
