"""How long explaining every company takes, against the time to score them (target: 10x).

Run with `pytest benchmarks/bench_explain.py --benchmark-enable`, or for the ratio alone
`python -m benchmarks.bench_explain [companies]`. The set is the shipped synthetic examples
copied under new company ids up to 10,000 reports, scored with the shipped `iso26000`
rubric, so every explanation has the full depth a real one has (71 criteria, ladders with
traces, evidence, adjustments, improvement paths).

Scoring and explaining are interleaved in one process (see `measure`), because this
machine's speed drifts during a run; the ratio is what to compare.
"""

from __future__ import annotations

import copy
import json
import statistics
import sys
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from csrscore import ReportSet, Rubric, Scores, load_reports, load_rubric, score

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "reports.json"
COMPANIES = 10_000
TARGET = 10.0
T = TypeVar("T")


def replicated_reports(n: int) -> ReportSet:
    """`n` reports: the examples again and again, each copy under new company ids."""
    originals = json.loads(EXAMPLES.read_text())["reports"]
    records: list[dict[str, Any]] = []
    copy_number = 0
    while len(records) < n:
        for original in originals[: n - len(records)]:
            record = copy.deepcopy(original)
            record["company"]["id"] = f"{original['company']['id']}-{copy_number}"
            records.append(record)
        copy_number += 1
    reports = load_reports(records)
    assert not reports.rejected
    return reports


def explain_everything(scores: Scores) -> int:
    """Explain every company the way a batch export would: one at a time, then let go."""
    return sum(1 for _ in scores.explain_all())


def cpu_seconds(run: Callable[[], T]) -> tuple[float, T]:
    start = time.process_time()
    result = run()
    return time.process_time() - start, result


def measure(n: int = COMPANIES, slices: int = 20) -> tuple[float, float, float]:
    """CPU seconds of (scoring, explaining every company), and their ratio.

    This machine's speed drifts by tens of percent within a minute, so the two are
    interleaved: the explanations are consumed in `slices` slices, and the whole set is
    scored just before each slice. Each slice gives one estimate of the ratio (the slice's
    time x slices / that scoring time); the median of those is reported, next to the sums.
    The first slice includes the set-wide arrays that explanations share.
    """
    reports, rubric = replicated_reports(n), load_rubric("iso26000")
    scores = score(reports, rubric)
    explanations = scores.explain_all()
    size = -(-n // slices)
    scoring: list[float] = []
    explaining: list[float] = []
    for _ in range(slices):
        scoring.append(cpu_seconds(lambda: score(reports, rubric))[0])
        explaining.append(cpu_seconds(lambda: sum(1 for _ in islice(explanations, size)))[0])
    ratios = [e * slices / s for e, s in zip(explaining, scoring, strict=True)]
    return statistics.mean(scoring), sum(explaining), statistics.median(ratios)

@pytest.fixture(scope="module")
def workload() -> tuple[ReportSet, Rubric]:
    return replicated_reports(COMPANIES), load_rubric("iso26000")


def test_score(benchmark: BenchmarkFixture, workload: tuple[ReportSet, Rubric]) -> None:
    reports, rubric = workload
    scores = benchmark.pedantic(  # type: ignore[no-untyped-call]
        score, args=(reports, rubric), rounds=3
    )
    assert len(scores) == COMPANIES


def test_explain_all(benchmark: BenchmarkFixture, workload: tuple[ReportSet, Rubric]) -> None:
    reports, rubric = workload

    def fresh() -> tuple[tuple[Scores], dict[str, Any]]:
        return (score(reports, rubric),), {}

    explained = benchmark.pedantic(  # type: ignore[no-untyped-call]
        explain_everything, setup=fresh, rounds=3
    )
    assert explained == COMPANIES


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else COMPANIES
    scoring, explaining, ratio = measure(n)
    verdict = "met" if ratio <= TARGET else f"missed by {ratio / TARGET:.2f}x"
    print(f"{n:,} companies x iso26000 (71 criteria), CPU seconds, interleaved in 20 slices")
    print(f"  score:        {scoring:8.3f} s (mean)")
    print(f"  explain_all:  {explaining:8.3f} s  ({explaining / n * 1e3:.2f} ms per company)")
    print(f"  ratio:        {ratio:8.2f}x the scoring time, median of the slices' estimates")
    print(f"                (sums: {explaining / scoring:.2f}x; target <= {TARGET:g}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
