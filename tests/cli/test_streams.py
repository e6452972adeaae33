"""The process's streams and bounds on the sensitivity options (issue 16 item 11); the
real processes are run by the hostile corpus (tests/hostile)."""

from __future__ import annotations

import argparse
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csrscore.cli import streams
from csrscore.cli.reports import (
    MAX_SAMPLES,
    at_least_two,
    check_sample_memory,
    sample_count,
    seed,
)
from csrscore.errors import UsageError
from tests.cli.runner import EXAMPLES, ROOT, run_cli


def _ascii(text: str) -> str:
    return text.encode("ascii", streams.ERROR_HANDLER).decode("ascii")


def test_typographic_characters_fall_back_to_ascii() -> None:
    assert _ascii("iso26000 · 60 report(s) — 5 ≥ 4 … ×2") == (
        "iso26000 - 60 report(s) - 5 >= 4 ... x2"
    )


@given(st.text())
def test_any_text_degrades_to_ascii_and_keeps_its_ascii(text: str) -> None:
    shown = _ascii(text)
    assert shown.isascii()
    if text.isascii():
        assert shown == text


def test_other_characters_are_escaped_visibly() -> None:
    assert _ascii("Société 東京") == "Soci\\xe9t\\xe9 \\u6771\\u4eac"


class _Full(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def test_a_failed_write_is_an_output_error() -> None:
    guarded = streams._GuardedStdout(_Full())
    with pytest.raises(streams.OutputError, match="No space left on device"):
        guarded.write("x")


def test_a_broken_pipe_stays_a_broken_pipe() -> None:
    class _Gone(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(BrokenPipeError):
        streams._GuardedStdout(_Gone()).write("x")


def test_a_closed_stdout_says_so_on_write_only() -> None:
    closed = streams._GuardedStdout(None)
    closed.flush()  # nothing to flush: no error while nothing is written
    assert not closed.isatty()
    with pytest.raises(streams.OutputError, match="standard output is closed"):
        closed.write("x")


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (sample_count, str(MAX_SAMPLES + 1), f"must be at most {MAX_SAMPLES}"),
        (sample_count, "0", "must be at least 1"),
        (at_least_two, "1", "must be at least 2"),
        (at_least_two, "1000000000", f"must be at most {MAX_SAMPLES}"),
        (seed, "-1", "must be at least 0, got -1"),
        (seed, "x", "must be a whole number"),
    ],
)
def test_sample_and_seed_bounds(parse: object, text: str, message: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=message):
        parse(text)  # type: ignore[operator]


def test_bounds_themselves_are_accepted() -> None:
    assert sample_count(str(MAX_SAMPLES)) == MAX_SAMPLES
    assert seed("0") == 0
    assert seed(str(2**64)) == 2**64  # numpy takes any non-negative integer


def test_a_run_that_cannot_fit_in_memory_is_refused_before_it_starts() -> None:
    with pytest.raises(UsageError, match=r"--samples 100000 for 1000000000 companies needs"):
        check_sample_memory(100_000, 10**9)
    check_sample_memory(1000, 60)  # the examples: about 700 KB


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "1e7"])
def test_concentration_is_finite_and_bounded(value: str) -> None:
    result = run_cli(["sensitivity", EXAMPLES, f"--concentration={value}"])
    assert result.code == 2
    assert result.err_lines[-1].endswith(
        "argument --concentration: must be above 0 and at most 1e+06 (for no perturbation "
        "at all, use --weights fixed)"
    )


def test_the_documented_stdout_messages_are_the_real_ones() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text.split("cannot be written (`> /dev/full`, a full disk)")[1]
    documented = section.split("```text\n")[1].split("```")[0].splitlines()
    real = []
    for stream in (None, _Full()):
        with pytest.raises(streams.OutputError) as caught:
            streams._GuardedStdout(stream).write("x")
        real.append(f"csrscore: error: {caught.value}")
    assert documented == real
