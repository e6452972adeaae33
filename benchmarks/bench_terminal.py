"""How long a ranking table takes to draw on a terminal: rich against plain text.

Run with `pytest benchmarks/bench_terminal.py --benchmark-enable -s`. It backs the choice
of `csrscore.cli.terminal.RICH_MAX_ROWS`: rich draws tables up to that many rows, and the
slowest such table should stay well under a second (target: 1 s for RICH_MAX_ROWS rows).
Each table is the `rank` command's own, built from scored reports:

- realistic: `benchmarks/realistic.py`'s `replicated` and `spread` copies of the examples,
  scored with the shipped iso26000 rubric;
- synthetic: `bench_sensitivity`'s 250-criterion rubric and its synthetic companies.

Rich's time is given as a ratio of the plain table's, measured in the same run.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from rich.console import Console

from benchmarks.bench_sensitivity import report_records, rubric_data
from benchmarks.realistic import replicated, spread
from csrscore import load_rubric, score
from csrscore.cli import terminal
from csrscore.cli.rank import _display_rows
from csrscore.cli.render import text_table

ROWS = terminal.RICH_MAX_ROWS
TARGET_SECONDS = 1.0
# name -> (rows, plain best seconds, rich best seconds)
RESULTS: dict[str, tuple[int, float, float]] = {}

DATA: dict[str, Callable[[], tuple[list[dict[str, Any]], Any]]] = {
    "realistic replicated": lambda: (replicated(ROWS), "iso26000"),
    "realistic spread": lambda: (spread(ROWS), "iso26000"),
    "synthetic 250 criteria": lambda: (
        report_records(ROWS, list(rubric_data()["fields"])),
        load_rubric(rubric_data()),
    ),
}


def _table(records: list[dict[str, Any]], rubric: Any) -> tuple[Any, ...]:
    scores = score(records, rubric)
    ranks = scores.rank()
    order = sorted(range(len(scores)), key=lambda i: (ranks[i], scores.company_ids[i]))
    return _display_rows(scores, order, ranks)


def _best(benchmark: BenchmarkFixture) -> float:
    stats = getattr(benchmark, "stats", None)
    return float("nan") if stats is None else float(stats.stats.min)


def _draw(benchmark: BenchmarkFixture, table: tuple[Any, ...], stdout: Any) -> str:
    token = terminal._CURRENT.set(terminal.Terminal(stdout=stdout))
    try:
        text: str = benchmark.pedantic(  # type: ignore[no-untyped-call]
            text_table, args=table, rounds=3, iterations=1, warmup_rounds=1
        )
    finally:
        terminal._CURRENT.reset(token)
    return text


@pytest.mark.parametrize("kind", list(DATA))
@pytest.mark.parametrize("drawn_by", ["plain", "rich"])
def test_rank_table(benchmark: BenchmarkFixture, kind: str, drawn_by: str) -> None:
    table = _table(*DATA[kind]())
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    text = _draw(benchmark, table, console if drawn_by == "rich" else None)
    assert len(text.splitlines()) == ROWS + 2  # the header, its rule and every row
    rows, plain, rich = RESULTS.get(kind, (ROWS, float("nan"), float("nan")))
    best = _best(benchmark)
    RESULTS[kind] = (rows, best, rich) if drawn_by == "plain" else (rows, plain, best)


def test_report(capsys: pytest.CaptureFixture[str]) -> None:
    """Print the figures (run last)."""
    if not RESULTS:
        pytest.skip("run the whole file")
    with capsys.disabled():
        print()
        print(f"the rank table of {ROWS} rows, best of 3, in one run:")
        for name, (rows, plain, rich) in RESULTS.items():
            print(
                f"  {name:<24} {rows:>4} rows: plain {plain * 1000:8.2f} ms, "
                f"rich {rich * 1000:8.2f} ms (target {TARGET_SECONDS:g} s), "
                f"rich/plain {rich / plain:6.0f}"
            )
