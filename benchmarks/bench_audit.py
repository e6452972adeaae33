"""How fast `csrscore.audit` runs, on realistic and on synthetic data.

Run with `pytest benchmarks/bench_audit.py --benchmark-enable -s`. Targets (issue 20):

- 10,000 companies x the shipped iso26000 rubric in at most 2 s, on the realistic data
  of `benchmarks/realistic.py` (`replicated`: the examples copied, most totals tied, and
  `spread`: each copy changed at random);
- 100,000 companies x 250 synthetic criteria (`bench_sensitivity`'s rubric: ladders over
  number fields, one criterion per issue N/A for finance companies) in at most 20 s.

Scoring the records is setting the scene, not timed by the benchmark; it is timed once
with a wall clock so that each line can give the audit's time as a ratio of the scoring
time measured in the same run (the machine is shared, so the ratio travels better than
the seconds). Each audit is timed as the best of 3 rounds after a warm-up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.bench_sensitivity import report_records, rubric_data
from benchmarks.realistic import replicated, spread
from csrscore import Scores, audit, load_rubric, score
from csrscore.records import load_reports

REALISTIC = 10_000
SYNTHETIC = 100_000
# name -> (companies, criteria, audit best seconds, scoring seconds, target seconds)
RESULTS: dict[str, tuple[int, int, float, float, float]] = {}


def _scored(records: list[dict[str, Any]], rubric: Any) -> tuple[Scores, float]:
    reports = load_reports(records)
    start = time.perf_counter()
    scores = score(reports, rubric)
    return scores, time.perf_counter() - start


def _best(benchmark: BenchmarkFixture) -> float:
    stats = getattr(benchmark, "stats", None)
    if stats is None:  # --benchmark-disable: the one call was not timed
        return float("nan")
    return float(stats.stats.min)


def _run(
    benchmark: BenchmarkFixture, name: str, scores: Scores, scoring: float, target: float
) -> None:
    result = benchmark.pedantic(  # type: ignore[no-untyped-call]
        audit, args=(scores,), rounds=3, iterations=1, warmup_rounds=1
    )
    assert result.companies == len(scores)
    RESULTS[name] = (len(scores), len(scores.criterion_ids), _best(benchmark), scoring, target)


REALISTIC_DATA: dict[str, Callable[[int], list[dict[str, Any]]]] = {
    "replicated": replicated,
    "spread": spread,
}


@pytest.mark.parametrize("kind", list(REALISTIC_DATA))
def test_realistic_iso26000(benchmark: BenchmarkFixture, kind: str) -> None:
    scores, scoring = _scored(REALISTIC_DATA[kind](REALISTIC), "iso26000")
    _run(benchmark, f"iso26000 {kind}", scores, scoring, 2.0)


def test_synthetic_250_criteria(benchmark: BenchmarkFixture) -> None:
    data = rubric_data()
    scores, scoring = _scored(report_records(SYNTHETIC, list(data["fields"])), load_rubric(data))
    _run(benchmark, "synthetic 250 criteria", scores, scoring, 20.0)


def test_report(capsys: pytest.CaptureFixture[str]) -> None:
    """Print the figures (run last)."""
    if not RESULTS:
        pytest.skip("run the whole file")
    with capsys.disabled():
        print()
        print("audit (best of 3) and scoring the same reports (once), in one run:")
        for name, (companies, criteria, best, scoring, target) in RESULTS.items():
            print(
                f"  {name:<24} {companies:>7} x {criteria:>3}: audit {best:7.3f} s "
                f"(target {target:g} s), scoring {scoring:7.3f} s, "
                f"audit/scoring {best / scoring:5.2f}"
            )
        print(f"  (measured at {time.strftime('%Y-%m-%d %H:%M')})")
