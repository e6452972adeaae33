"""How long explaining takes, against the time to score the same set (issue #17: every
company with `explain_all` within 3x the scoring time, one company under 5 ms).

Run with `python -m benchmarks.bench_explain [companies] [data ...]` for the table (10,000
companies and every data set by default), or `pytest benchmarks/bench_explain.py
--benchmark-enable` for pytest-benchmark's timings of the same work at 2,000 companies.

Data sets (`DATA`), each scored with a rubric that suits it:

- `replicated`: the shipped examples copied to N reports (`benchmarks/realistic.py`), most
  totals exact ties, with `iso26000` (71 criteria, 46 groups);
- `spread`: the same, each copy changed at random, with `iso26000`;
- `spread-citi`: the `spread` data with the shipped `citi` rubric;
- `geometric`: the `spread` data with `iso26000` under a geometric mean at the root and in
  two core subjects, where gains are found by aggregating again;
- `synthetic`: `benchmarks/engine_data.py`'s generated reports and a generated 70-criteria
  rubric (as `bench_report.py` uses).

Both sides of each ratio are CPU seconds measured in the same process, alternating (the
host's speed drifts): scoring, then explaining every company (each explanation built in
full and dropped, as an export would), twice, and the faster of each is kept. One company
alone is timed twice: from a set already explained ("warm", mean over 200 companies, wall
and CPU), and with a fresh explainer ("cold": it first computes the set-wide arrays an
explanation reads, the improvement candidates for that company only; wall, mean over 5).
"""

from __future__ import annotations

import marshal
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple, TypeVar

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks import engine_data
from benchmarks.realistic import replicated, spread
from csrscore import ReportSet, Rubric, Scores, load_reports, load_rubric, score
from csrscore.explain import Explainer
from csrscore.gcpause import paused_gc
from csrscore.rubric.yamlsafe import load_yaml

COMPANIES = 10_000
TARGET_RATIO = 3.0
TARGET_SINGLE_MS = 5.0
T = TypeVar("T")


def _geometric_iso26000() -> Rubric:
    from benchmarks.realistic import EXAMPLES

    path = EXAMPLES.parents[1] / "rubrics" / "iso26000.yaml"
    document: dict[str, Any] = load_yaml(path.read_text(encoding="utf-8"), str(path)).data
    document["aggregation"] = "geometric"
    for group in document["groups"]:
        if group["id"] in ("labour", "environment"):
            group["aggregation"] = "geometric"
    return load_rubric(document)


def _synthetic(n: int) -> tuple[ReportSet, Rubric]:
    universe = engine_data.make_universe()
    rubric = load_rubric(engine_data.make_rubric(universe, criteria=70, groups=8))
    return load_reports(engine_data.records(engine_data.draw_sample(universe, n))), rubric


DATA: dict[str, Callable[[int], tuple[ReportSet, Rubric]]] = {
    "replicated": lambda n: (load_reports(replicated(n)), load_rubric("iso26000")),
    "spread": lambda n: (load_reports(spread(n)), load_rubric("iso26000")),
    "spread-citi": lambda n: (load_reports(spread(n)), load_rubric("citi")),
    "geometric": lambda n: (load_reports(spread(n)), _geometric_iso26000()),
    "synthetic": _synthetic,
}


def cpu_seconds(run: Callable[[], T]) -> tuple[float, T]:
    start = time.process_time()
    result = run()
    return time.process_time() - start, result


def explain_everything(scores: Scores) -> int:
    """Explain every company the way a batch export would: one at a time, then let go."""
    return sum(1 for _ in scores.explain_all())


FLOOR_SAMPLE = 1_000


def floor_seconds(scores: Scores) -> float:
    """CPU seconds that building every explanation's objects alone would take, estimated
    from `FLOOR_SAMPLE` companies: `marshal.loads` rebuilds the same dicts, lists and
    numbers in C from bytes serialized beforehand (not timed), with the collector paused
    as `explain_all` pauses it. No Python code that returns these objects can be faster,
    so this bounds the ratio from below."""
    step = max(1, len(scores) // FLOOR_SAMPLE)
    rows = range(0, len(scores), step)
    explainer = Explainer(scores)
    blobs = [marshal.dumps(explainer.explain(row).to_dict()) for row in rows]
    with paused_gc(promote=True):
        seconds, _ = cpu_seconds(lambda: sum(1 for blob in blobs if marshal.loads(blob)))
    return seconds * len(scores) / len(blobs)


class Measured(NamedTuple):
    scoring: float  # CPU seconds of one score(), the faster of 2
    explaining: float  # CPU seconds of explain_all over every company, the faster of 2
    warm_ms: float  # one explain from a set already explained, mean, wall
    warm_cpu_ms: float  # the same in CPU time, which the host's load affects less
    cold_ms: float  # one explain on a fresh set, mean, wall
    floor: float  # CPU seconds of building the same objects in C (see `floor_seconds`)

    @property
    def ratio(self) -> float:
        return self.explaining / self.scoring


def measure(reports: ReportSet, rubric: Rubric, rounds: int = 2) -> Measured:
    scoring: list[float] = []
    explaining: list[float] = []
    for _ in range(rounds):
        seconds, scores = cpu_seconds(lambda: score(reports, rubric))
        scoring.append(seconds)
        explaining.append(cpu_seconds(partial(explain_everything, scores))[0])
    n = len(scores)
    picks = range(0, n, max(1, n // 200))
    start, start_cpu = time.perf_counter(), time.process_time()
    for row in picks:
        scores.explain(scores.company_ids[row], int(scores.years[row]))
    warm = (time.perf_counter() - start) / len(picks)
    warm_cpu = (time.process_time() - start_cpu) / len(picks)
    cold = []
    for row in range(n // 7, n, n // 5)[:5]:
        explainer = Explainer(scores)
        start = time.perf_counter()
        explainer.explain(row)
        cold.append(time.perf_counter() - start)
    return Measured(
        min(scoring),
        min(explaining),
        warm * 1e3,
        warm_cpu * 1e3,
        sum(cold) / len(cold) * 1e3,
        floor_seconds(scores),
    )


# --- pytest-benchmark ----------------------------------------------------------------------

BENCH_COMPANIES = 2_000


@pytest.fixture(scope="module", params=list(DATA))
def workload(request: pytest.FixtureRequest) -> tuple[ReportSet, Rubric]:
    return DATA[request.param](BENCH_COMPANIES)


def test_score(benchmark: BenchmarkFixture, workload: tuple[ReportSet, Rubric]) -> None:
    reports, rubric = workload
    scores = benchmark.pedantic(  # type: ignore[no-untyped-call]
        score, args=(reports, rubric), rounds=3
    )
    assert len(scores) == BENCH_COMPANIES


def test_explain_all(benchmark: BenchmarkFixture, workload: tuple[ReportSet, Rubric]) -> None:
    reports, rubric = workload

    def fresh() -> tuple[tuple[Scores], dict[str, Any]]:
        return (score(reports, rubric),), {}

    explained = benchmark.pedantic(  # type: ignore[no-untyped-call]
        explain_everything, setup=fresh, rounds=3
    )
    assert explained == BENCH_COMPANIES


def test_single_explain(benchmark: BenchmarkFixture, workload: tuple[ReportSet, Rubric]) -> None:
    """One company's explanation, from a set already explained once."""
    scores = score(*workload)
    row = BENCH_COMPANIES // 2
    company, year = scores.company_ids[row], int(scores.years[row])
    scores.explain(company, year)
    explanation = benchmark.pedantic(  # type: ignore[no-untyped-call]
        scores.explain, args=(company, year), rounds=50, iterations=1
    )
    assert explanation.to_dict()["company"]["id"] == company


def test_single_explain_cold(
    benchmark: BenchmarkFixture, workload: tuple[ReportSet, Rubric]
) -> None:
    """One company's explanation on a set nothing was explained from."""
    scores = score(*workload)
    row = BENCH_COMPANIES // 3

    def fresh() -> tuple[tuple[Explainer, int], dict[str, Any]]:
        return (Explainer(scores), row), {}

    explanation = benchmark.pedantic(  # type: ignore[no-untyped-call]
        Explainer.explain, setup=fresh, rounds=10
    )
    assert explanation.to_dict()["company"]["id"] == scores.company_ids[row]


# --- the table -----------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else COMPANIES
    names = argv[1:] or list(DATA)
    unknown = [name for name in names if name not in DATA]
    if unknown:
        print(f"unknown data set {unknown[0]!r}; the data sets: {', '.join(DATA)}")
        return 2
    print(f"{n:,} companies; CPU seconds, faster of 2 alternating rounds; single explain wall")
    header = (
        "data",
        "score s",
        "explain_all s",
        "ratio",
        "floor",
        "warm ms",
        "warm CPU",
        "cold ms",
    )
    print("{:<12} {:>8} {:>14} {:>7} {:>7} {:>8} {:>8} {:>8}".format(*header))
    for name in names:
        measured = measure(*DATA[name](n))
        print(
            f"{name:<12} {measured.scoring:8.3f} {measured.explaining:14.3f} "
            f"{measured.ratio:6.2f}x {measured.floor / measured.scoring:6.2f}x "
            f"{measured.warm_ms:8.2f} {measured.warm_cpu_ms:8.2f} "
            f"{measured.cold_ms:8.2f}",
            flush=True,
        )
    print(f"targets: ratio <= {TARGET_RATIO:g}x, one explain < {TARGET_SINGLE_MS:g} ms")
    print("floor: building the same objects from bytes in C (marshal.loads), / scoring")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
