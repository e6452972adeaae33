"""How fast `csrscore.sensitivity` runs: 1,000 samples x 10,000 companies.

Targets (issue 17 item 2): the realistic case, the shipped `iso26000` rubric over the
examples replicated to 10,000 reports (many exact ties, two year segments) with the
indices, at most 1.0 s wall on a 2-core machine; the synthetic 250-criterion case without
them at most 0.6 s; memory bounded.

Two ways to run it:

- `python -m benchmarks.bench_sensitivity [--rounds 3] [--profile] [CASE ...]`: each case
  in a fresh process (so its peak RSS is its own) scores its data, then runs the analysis
  `rounds` times, and prints wall and CPU seconds (best round), the ratio to scoring the
  same reports in the same process, the peak RSS before and after the analysis, and with
  `--profile` the functions the analysis spends its CPU in. Cases: `replicated` (the
  issue's case, with indices), `replicated-plain` (without), `spread` (the realistic
  spread variant, without), `synthetic` (250 criteria, without).
- `pytest benchmarks/bench_sensitivity.py --benchmark-enable`: pytest-benchmark timings of
  the same cases, and of the naive loop the batched analysis replaces: for each sample,
  `aggregate` with that sample's weights, the adjustments, and `rank_totals` by year, over
  the same level matrix (timed on NAIVE_SAMPLES samples and scaled to 1,000), and of the
  indices on 1,000 synthetic companies. The figures and the ratio are printed at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from typing import Any

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.realistic import replicated, spread
from csrscore import Scores, load_reports, load_rubric, score
from csrscore.engine.aggregate import aggregate
from csrscore.rank import rank_totals
from csrscore.sensitivity import Uniform, sensitivity
from csrscore.sensitivity.design import draw, factors_for

SAMPLES = 1000
COMPANIES = 10_000
NAIVE_SAMPLES = 20
TOPICS, ISSUES, PER_ISSUE = 5, 5, 10  # 250 criteria in 25 issues under 5 topics
SECTORS = ["energy", "mining", "textiles", "chemicals", "food", "electronics", "finance"]
RESULTS: dict[str, float] = {}


def rubric_data() -> dict[str, Any]:
    """Ladders over number fields; one criterion per issue is N/A for finance companies."""
    fields: dict[str, Any] = {}
    topics = []
    for t in range(TOPICS):
        issues = []
        for i in range(ISSUES):
            criteria = []
            for c in range(PER_ISSUE):
                name = f"x.t{t}.i{i}.c{c}"
                fields[name] = {"type": "number"}
                criterion: dict[str, Any] = {
                    "id": f"t{t}-i{i}-c{c}",
                    "title": f"Criterion {t}.{i}.{c}",
                    "levels": [
                        {"points": 1, "label": "Some", "when": {"gte": {name: 0.25}}},
                        {"points": 2, "label": "More", "when": {"gte": {name: 0.5}}},
                        {"points": 4, "label": "Most", "when": {"gte": {name: 0.75}}},
                    ],
                }
                if c == PER_ISSUE - 1:
                    criterion["applies_when"] = {"ne": {"company.sector": "finance"}}
                criteria.append(criterion)
            issues.append({"id": f"t{t}-i{i}", "title": f"Issue {t}.{i}", "criteria": criteria})
        topics.append({"id": f"t{t}", "title": f"Topic {t}", "weight": 10 + t, "groups": issues})
    return {
        "rubric": "bench",
        "version": "1",
        "title": "Benchmark rubric",
        "fields": fields,
        "grades": {"A": 75, "B": 50, "C": 25, "D": 0},
        "groups": topics,
        "adjustments": [
            {
                "id": "open",
                "title": "Open violations",
                "points_each": -2,
                "count": {"violations": {"status": "open"}},
                "floor": -10,
            },
            {
                "id": "no-report",
                "title": "No report",
                "cap": 20,
                "when": {"missing": "report.published"},
            },
        ],
    }


def report_records(n: int, fields: list[str], seed: int = 0) -> list[dict[str, Any]]:
    """Half the companies in 2023, half in 2024; 80% of the fields disclosed."""
    rng = random.Random(seed)
    records = []
    for k in range(n):
        year = 2023 + k % 2
        record: dict[str, Any] = {
            "company": {
                "id": f"c{k // 2:06d}",
                "name": f"Company {k // 2}",
                "sector": rng.choice(SECTORS),
            },
            "year": year,
            "disclosures": {f: round(rng.random(), 3) for f in fields if rng.random() < 0.8},
        }
        if rng.random() < 0.9:
            record["report"] = {"published": f"{year + 1}-04-15"}
        if rng.random() < 0.2:
            record["violations"] = [{"id": f"v{k}", "date": f"{year}-03-01", "status": "open"}]
        records.append(record)
    return records


def _scores(n: int) -> Scores:
    data = rubric_data()
    return score(report_records(n, list(data["fields"])), load_rubric(data))


@pytest.fixture(scope="module")
def large() -> Scores:
    scores = _scores(COMPANIES)
    assert scores.rejected == ()
    assert len(scores.criterion_ids) == TOPICS * ISSUES * PER_ISSUE
    return scores


def naive(scores: Scores, samples: int) -> np.ndarray:
    """Re-score every sample on its own, with the engine's per-run functions."""
    plan = scores.plan
    draws = draw(
        plan, factors_for(plan, Uniform(0.2), False, False), samples, np.random.default_rng(0)
    )
    years = scores.company_field("year")
    point_columns = [i for i, a in enumerate(plan.rubric.adjustments) if a.kind != "cap"]
    offset = scores.adjustments[:, point_columns].sum(axis=1)
    ranks = np.empty((samples, len(scores)), dtype=np.int64)
    for row in range(samples):
        base = aggregate(
            plan,
            scores.points,
            scores.applicable,
            scores.group_applicable,
            criterion_weights=draws.criterion_weights[row],
            group_weights=draws.group_weights[row],
        ).base
        totals = np.clip(base + offset, 0.0, plan.rubric.scale)
        ranks[row] = rank_totals(totals, scores.company_ids, "competition", years)
    return np.quantile(ranks, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")


def _best(benchmark: BenchmarkFixture) -> float:
    stats = getattr(benchmark, "stats", None)
    if stats is None:  # --benchmark-disable: the one call was not timed
        return float("nan")
    return float(stats.stats.min)


def test_batched_uncertainty(benchmark: BenchmarkFixture, large: Scores) -> None:
    result = benchmark.pedantic(  # type: ignore[no-untyped-call]
        sensitivity,
        args=(large, SAMPLES, 0),
        kwargs={"indices": False},
        rounds=5,
        iterations=1,
        warmup_rounds=1,
    )
    assert result.rank_samples.shape == (SAMPLES, COMPANIES)
    RESULTS["batched"] = _best(benchmark)


def test_naive_loop(benchmark: BenchmarkFixture, large: Scores) -> None:
    benchmark.pedantic(  # type: ignore[no-untyped-call]
        naive, args=(large, NAIVE_SAMPLES), rounds=2, iterations=1
    )
    RESULTS["naive"] = _best(benchmark) * SAMPLES / NAIVE_SAMPLES


def test_indices_on_1000_companies(benchmark: BenchmarkFixture) -> None:
    scores = _scores(1000)
    result = benchmark.pedantic(  # type: ignore[no-untyped-call]
        sensitivity, args=(scores, SAMPLES, 0), rounds=2, iterations=1
    )
    assert result.indices is not None
    RESULTS["indices"] = _best(benchmark)
    RESULTS["evaluations"] = float(result.indices.evaluations)


@pytest.fixture(scope="module")
def realistic() -> dict[str, Scores]:
    rubric = load_rubric("iso26000")
    return {
        "replicated": score(load_reports(replicated(COMPANIES)), rubric),
        "spread": score(load_reports(spread(COMPANIES)), rubric),
    }


@pytest.mark.parametrize(
    ("data", "indices"), [("replicated", True), ("replicated", False), ("spread", False)]
)
def test_realistic(
    benchmark: BenchmarkFixture, realistic: dict[str, Scores], data: str, indices: bool
) -> None:
    result = benchmark.pedantic(  # type: ignore[no-untyped-call]
        sensitivity,
        args=(realistic[data], SAMPLES, 1),
        kwargs={"indices": indices},
        rounds=3,
        iterations=1,
        warmup_rounds=1,
    )
    assert result.rank_samples.shape == (SAMPLES, COMPANIES)
    RESULTS[f"{data}, indices" if indices else data] = _best(benchmark)


def test_report(capsys: pytest.CaptureFixture[str]) -> None:
    """Print the figures (run last)."""
    if "batched" not in RESULTS or "naive" not in RESULTS:
        pytest.skip("run the whole file")
    batched, loop = RESULTS["batched"], RESULTS["naive"]
    with capsys.disabled():
        print()
        print(f"sensitivity, {SAMPLES} samples x {COMPANIES} companies x 250 criteria:")
        print(f"  batched       {batched:8.3f} s (best of 5)")
        print(f"  naive loop    {loop:8.3f} s ({NAIVE_SAMPLES} samples timed, scaled)")
        print(f"  ratio         {loop / batched:8.1f}x")
        if "indices" in RESULTS:
            print(
                f"  with indices, 1000 companies: {RESULTS['indices']:.3f} s "
                f"for {RESULTS['evaluations']:.0f} runs"
            )
        for name in ("replicated, indices", "replicated", "spread"):
            if name in RESULTS:
                print(f"  realistic, iso26000, {name:20s} {RESULTS[name]:8.3f} s (best of 3)")
        print(f"  (measured at {time.strftime('%Y-%m-%d %H:%M')})")


# --- the script: one process per case ------------------------------------------------------

CASES = {
    # name: (data, indices)
    "replicated": ("replicated", True),
    "replicated-plain": ("replicated", False),
    "spread": ("spread", False),
    "synthetic": ("synthetic", False),
}


def _records(data: str) -> tuple[list[dict[str, Any]], Any]:
    if data == "synthetic":
        rubric = rubric_data()
        return report_records(COMPANIES, list(rubric["fields"])), load_rubric(rubric)
    records = replicated(COMPANIES) if data == "replicated" else spread(COMPANIES)
    return records, load_rubric("iso26000")


def _timed(work: Any) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_case(name: str, rounds: int, profile: bool) -> dict[str, Any]:
    """Scoring and the analysis of one case, interleaved `rounds` times in this process."""
    data, indices = CASES[name]
    records, rubric = _records(data)
    reports = load_reports(records)
    del records
    scoring: list[tuple[float, float]] = []
    analysis: list[tuple[float, float]] = []
    scores: Scores | None = None
    peak_scored = 0.0
    for _ in range(rounds):
        wall, cpu, scores = _timed(lambda: score(reports, rubric))
        scoring.append((wall, cpu))
        peak_scored = max(peak_scored, _peak_mib())
        assert scores is not None
        wall, cpu, result = _timed(
            lambda: sensitivity(scores, SAMPLES, 1, indices=indices)  # noqa: B023
        )
        analysis.append((wall, cpu))
        distinct = int(result.working_totals.shape[1])
        del result
    out: dict[str, Any] = {
        "case": name,
        "companies": COMPANIES,
        "distinct": distinct,
        "criteria": len(scores.criterion_ids) if scores is not None else 0,
        "indices": indices,
        "score_wall": min(w for w, _ in scoring),
        "score_cpu": min(c for _, c in scoring),
        "wall": min(w for w, _ in analysis),
        "cpu": min(c for _, c in analysis),
        "peak_before_mib": peak_scored,
        "peak_after_mib": _peak_mib(),
    }
    if scores is not None:
        # The analysis's own peak: numpy reports its buffers to tracemalloc.
        tracemalloc.start()
        kept = sensitivity(scores, SAMPLES, 1, indices=indices)
        out["analysis_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        out["result_mib"] = (kept.working_ranks.nbytes + kept.working_totals.nbytes) / 2**20
        del kept
    if profile and scores is not None:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        sensitivity(scores, SAMPLES, 1, indices=indices, threads=1)
        profiler.disable()
        lines = _profile_lines(profiler)
        out["profile"] = lines
    return out


def _profile_lines(profiler: cProfile.Profile, top: int = 12) -> list[str]:
    """The functions with the most CPU time of their own, one thread."""
    stats = pstats.Stats(profiler)
    entries = sorted(
        stats.stats.items(),  # type: ignore[attr-defined]
        key=lambda item: item[1][2],
        reverse=True,
    )
    total = sum(value[2] for _, value in entries)
    lines = []
    for (path, line, function), (_, calls, own, cumulative, _) in entries[:top]:
        where = function if path == "~" else f"{path.split('/src/')[-1]}:{line} {function}"
        lines.append(
            f"{own:7.3f} s own {own / total:6.1%} {cumulative:7.3f} s cum {calls:6d} calls  {where}"
        )
    return lines


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", default=list(CASES), help=", ".join(CASES))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile one more run, 1 thread")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = [name for name in args.cases if name not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}: the cases are {', '.join(CASES)}")
    if args.child:
        print(json.dumps(measure_case(args.cases[0], args.rounds, args.profile)))
        return
    print(f"sensitivity, {SAMPLES} samples x {COMPANIES} companies, seed 1, best of {args.rounds}")
    print(f"load: {_load()}")
    print(
        f"{'case':18} {'distinct':>8} {'indices':>7} {'wall s':>7} {'cpu s':>6} "
        f"{'score wall':>10} {'score cpu':>9} {'cpu/score':>9} {'peak RSS MiB':>14} "
        f"{'analysis MiB':>12} {'kept MiB':>8}"
    )
    for name in args.cases:
        command = [sys.executable, "-m", "benchmarks.bench_sensitivity", "--child", name]
        command += ["--rounds", str(args.rounds)] + (["--profile"] if args.profile else [])
        found = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
        print(
            f"{name:18} {found['distinct']:8d} {'yes' if found['indices'] else 'no':>7} "
            f"{found['wall']:7.3f} {found['cpu']:6.3f} {found['score_wall']:10.3f} "
            f"{found['score_cpu']:9.3f} {found['cpu'] / found['score_cpu']:9.2f} "
            f"{found['peak_before_mib']:6.0f} -> {found['peak_after_mib']:5.0f} "
            f"{found['analysis_peak_mib']:12.0f} {found['result_mib']:8.0f}",
            flush=True,
        )
        for line in found.get("profile", []):
            print("    " + line)
    print(f"load: {_load()}")


if __name__ == "__main__":
    main()
