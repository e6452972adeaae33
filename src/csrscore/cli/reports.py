"""Reading REPORTS arguments, including `-` for stdin."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from csrscore.engine import Scores
from csrscore.errors import ReportError
from csrscore.records import ReportSet, load_reports
from csrscore.textsafe import visible


class _NamedStream:
    """A stdin wrapper with a readable name for error locations."""

    def __init__(self, handle: Any, name: str) -> None:
        self._handle = handle
        self.name = name

    def read(self) -> bytes:
        data: bytes = self._handle.read()
        return data


def read_reports(name: str, *, strict: bool = False) -> ReportSet:
    if name == "-":
        stdin: Any = _NamedStream(sys.stdin.buffer, "<stdin>")
        return load_reports(stdin, strict=strict)
    return load_reports(name, strict=strict)


# How many rejected reports or warnings to list before pointing to `csrscore validate`.
MAX_LISTED_REJECTIONS = 10


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """The REPORTS argument and --rubric option that every scoring command takes."""
    parser.add_argument("reports", metavar="REPORTS", help="JSON or JSON Lines file; - reads stdin")
    parser.add_argument(
        "--rubric", default="iso26000", help="shipped rubric name or YAML path (default: iso26000)"
    )


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def warn_on_stderr(scores: Scores, rejections_listed: bool = False) -> None:
    """Rejected reports (unless the output already lists them) and catalog warnings."""
    if scores.rejected and not rejections_listed:
        print(
            f"csrscore: warning: {len(scores.rejected)} report(s) rejected; see csrscore validate",
            file=sys.stderr,
        )
    for warning in scores.warnings[:MAX_LISTED_REJECTIONS]:
        print(f"csrscore: warning: {visible(str(warning))}", file=sys.stderr)
    left_out = len(scores.warnings) - MAX_LISTED_REJECTIONS
    if left_out > 0:
        print(
            f"csrscore: warning: ... and {left_out} more catalog warning(s); "
            "the JSON output (--format json) lists them all",
            file=sys.stderr,
        )


def refuse_rejections(scores: Scores, strict: bool) -> None:
    """Under --strict, any rejected report is an error (the first one located)."""
    if strict and scores.rejected:
        first = scores.rejected[0]
        raise ReportError(
            f"{len(scores.rejected)} report(s) rejected under --strict; first: {first.message}",
            first.location,
        )
