"""What derived fields and peer-relative scoring cost: the engine (`score_reports`, from
checked records to totals) with a rubric that computes an intensity, a sum, a share and a
percent change and scores them against sector peers, against the same rubric scoring the
raw fields on fixed scales. Both read the same disclosures; reading and checking the
records, the same for both, is left out.

    .venv/bin/pytest benchmarks/bench_relative.py --benchmark-enable
    .venv/bin/python -m benchmarks.bench_relative [--n 100000]

Realistic data (`benchmarks/realistic.py`, the shipped examples spread out: several years
per company, seven sectors) and synthetic data (`benchmarks/synthetic.py`, nine years,
seven sectors, with the two quantities made numeric). All of it is synthetic.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.realistic import spread
from benchmarks.synthetic import make_records
from csrscore import load_catalog, load_reports, load_rubric
from csrscore.compile.plan import Plan, compile_rubric
from csrscore.engine.score import score_reports
from csrscore.records.check import check_reports
from csrscore.records.model import Report
from csrscore.rubric.model import Rubric

SIZE = 20_000
# The shipped catalog's keys on realistic data; two of the synthetic pool's keys otherwise.
KEYS = {
    "realistic": ("env.ghg.scope1", "labour.employees.total"),
    "synthetic": ("env.ghg.total", "lab.wages.total"),
}


def _rubric(first: str, second: str, relative: bool) -> Rubric:
    """Four criteria; `relative` scores derived fields against peers, else raw fields."""
    peers = {"peers": {"method": "percentile", "within": ["company.sector"]}}
    if relative:
        scored = [
            {"field": "x.intensity", "direction": "lower", "points": 4, **peers},
            {"field": "x.sum", "points": 2, "peers": {"method": "min-max"}},
            {"field": "x.change", "min": -50, "max": 50, "direction": "lower", "points": 2},
            {"field": "x.share", "min": -2, "max": 2, "points": 1, "peers": {"method": "z-score"}},
        ]
    else:
        scored = [
            {"field": first, "min": 0, "max": 1e6, "direction": "lower", "points": 4},
            {"field": second, "min": 0, "max": 1e6, "points": 2},
            {"field": first, "min": 0, "max": 1e5, "direction": "lower", "points": 2},
            {"field": second, "min": 0, "max": 1e5, "points": 1},
        ]
    data: dict[str, Any] = {
        "rubric": f"bench-{'relative' if relative else 'fixed'}",
        "version": "1",
        "title": "Benchmark (synthetic)",
        "fields": {first: {"type": "number"}, second: {"type": "number"}},
        "groups": [
            {
                "id": "g",
                "title": "G",
                "criteria": [
                    {"id": f"c{i}", "title": "C", "value": value} for i, value in enumerate(scored)
                ],
            }
        ],
    }
    if relative:
        data["derived"] = {
            "x.intensity": {"ratio": [first, second]},
            "x.sum": {"sum": [first, second]},
            "x.change": {"change": first, "as": "percent"},
            "x.share": {"share": [first, "x.sum"]},
        }
    return load_rubric(data)


Data = tuple[list[Report], Plan, Plan]


def dataset(kind: str, n: int) -> Data:
    first, second = KEYS[kind]
    if kind == "realistic":
        records = spread(n)
    else:
        rng = random.Random(1)
        records = make_records(n, disclosures=60)
        shipped = load_catalog().fields
        for record in records:  # the two quantities as numbers, in most records
            disclosures = record["disclosures"]
            # Keys the shipped catalog types otherwise would reject the record.
            for key in [key for key in disclosures if key in shipped]:
                del disclosures[key]
            for key in (first, second):
                if rng.random() < 0.9:
                    record["disclosures"][key] = round(rng.uniform(1, 50_000), 1)
                else:
                    record["disclosures"].pop(key, None)
    relative = _rubric(first, second, True)
    conformed = check_reports(load_reports(records), relative.catalog)
    fixed = compile_rubric(_rubric(first, second, False))
    return list(conformed.reports), compile_rubric(relative), fixed


@pytest.fixture(scope="module", params=["realistic", "synthetic"])
def data(request: pytest.FixtureRequest) -> Data:
    return dataset(request.param, SIZE)


def test_relative(benchmark: BenchmarkFixture, data: Data) -> None:
    reports, relative, _ = data
    scores = benchmark(score_reports, relative, reports)
    assert scores.peers
    assert scores.derived


def test_fixed(benchmark: BenchmarkFixture, data: Data) -> None:
    reports, _, fixed = data
    benchmark(score_reports, fixed, reports)


def _once(reports: list[Report], plan: Plan) -> float:
    start = time.perf_counter()
    score_reports(plan, reports)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for kind in ("realistic", "synthetic"):
        reports, relative, fixed = dataset(kind, args.n)
        # Interleaved best-of rounds, so both see the same machine load.
        fixed_s = relative_s = float("inf")
        for _ in range(args.rounds):
            fixed_s = min(fixed_s, _once(reports, fixed))
            relative_s = min(relative_s, _once(reports, relative))
        print(
            f"{kind:9} n={len(reports):,}: fixed {fixed_s:.3f} s, derived + peers "
            f"{relative_s:.3f} s, ratio {relative_s / fixed_s:.2f}"
        )


if __name__ == "__main__":
    main()
