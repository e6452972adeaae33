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
from typing import Any, NamedTuple, TypeVar

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.realistic import spread
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


class Measured(NamedTuple):
    scoring: float  # mean CPU seconds of one score()
    explaining: float  # CPU seconds of explaining every company, all slices
    median_ratio: float  # median of the slices' estimates
    best_ratio: float  # fastest slice x slices / fastest scoring


def measure(n: int = COMPANIES, slices: int = 20) -> Measured:
    """CPU seconds of scoring and of explaining every company, and their ratio.

    This machine's speed drifts by tens of percent within a minute, so the two are
    interleaved: the explanations are consumed in `slices` slices, and the whole set is
    scored just before each slice. Each slice gives one estimate of the ratio (the slice's
    time x slices / that scoring time); the median of those is reported, next to the sums.
    The first slice includes the set-wide arrays that explanations share.

    Other machines' load on the same host only ever adds time, and it slows explaining
    (allocation-heavy Python) more than scoring, so a run can land anywhere in a wide
    band. The ratio of the fastest slice to the fastest scoring is the steadiest estimate
    of the cost on a quiet machine; every slice holds the same mix of companies.
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
    best = min(explaining) * slices / min(scoring)
    return Measured(statistics.mean(scoring), sum(explaining), statistics.median(ratios), best)


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


@pytest.fixture(scope="module")
def spread_scores() -> Scores:
    """The realistic variant with spread-out totals (`benchmarks/realistic.py`)."""
    return score(load_reports(spread(COMPANIES)), load_rubric("iso26000"))


def test_explain_all_spread(benchmark: BenchmarkFixture, spread_scores: Scores) -> None:
    explained = benchmark.pedantic(  # type: ignore[no-untyped-call]
        explain_everything, args=(spread_scores,), rounds=2
    )
    assert explained == COMPANIES


def test_single_explain(benchmark: BenchmarkFixture, spread_scores: Scores) -> None:
    """One company's explanation, from a set already explained once (target: under 5 ms)."""
    company = spread_scores.company_ids[COMPANIES // 2]
    spread_scores.explain(company)
    explanation = benchmark.pedantic(  # type: ignore[no-untyped-call]
        spread_scores.explain, args=(company,), rounds=50, iterations=1
    )
    assert explanation.to_dict()["company"]["id"] == company


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else COMPANIES
    scoring, explaining, ratio, best = measure(n)
    verdict = "met" if ratio <= TARGET else f"missed by {ratio / TARGET:.2f}x"
    print(f"{n:,} companies x iso26000 (71 criteria), CPU seconds, interleaved in 20 slices")
    print(f"  score:        {scoring:8.3f} s (mean)")
    print(f"  explain_all:  {explaining:8.3f} s  ({explaining / n * 1e3:.2f} ms per company)")
    print(f"  ratio:        {ratio:8.2f}x the scoring time, median of the slices' estimates")
    print(f"                (sums: {explaining / scoring:.2f}x; target <= {TARGET:g}x: {verdict})")
    print(f"  fastest:      {best:8.2f}x (fastest slice / fastest scoring)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
