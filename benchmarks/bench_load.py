"""How fast reports load, against the floor of parsing the same bytes with `json.loads`.

Run with `pytest benchmarks/bench_load.py --benchmark-enable`. The 100k-record case is opt-in
(`CSRSCORE_BENCH_LARGE=1`): it writes a ~500 MB file and holds ten million disclosures.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.synthetic import make_records, write_json, write_jsonl
from csrscore.records import ReportSet, load_reports

Timings = defaultdict[str, dict[str, tuple[int, float]]]

LARGE = os.environ.get("CSRSCORE_BENCH_LARGE") == "1"
SIZES = [
    pytest.param(10_000, id="10k"),
    pytest.param(
        100_000,
        id="100k",
        marks=pytest.mark.skipif(not LARGE, reason="set CSRSCORE_BENCH_LARGE=1 to run"),
    ),
]


class Files:
    """One synthetic data set written in the forms the loader reads."""

    def __init__(self, directory: Path, n: int) -> None:
        self.n = n
        self.label = f"{n // 1000}k"
        records = make_records(n)
        self.json = directory / "reports.json"
        self.jsonl = directory / "reports.jsonl"
        self.one_bad = directory / "reports-one-bad.json"
        write_json(self.json, records)
        write_jsonl(self.jsonl, records)
        # One bad record at the end sends the whole file down the per-record path.
        write_json(self.one_bad, [*records, {"company": {"id": "bad", "name": "Bad"}}])


@pytest.fixture(scope="module")
def files(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Files:
    # Module scope makes pytest run every test of one size before the next size, so each
    # data set is generated once.
    n: int = request.param
    return Files(tmp_path_factory.mktemp(f"bench{n}"), n)


def _run(
    benchmark: BenchmarkFixture,
    timings: Timings,
    files: Files,
    name: str,
    target: Callable[[], Any],
) -> Any:
    rounds = 3 if files.n <= 10_000 else 1
    # pytest-benchmark ships py.typed but leaves `pedantic` unannotated.
    result = benchmark.pedantic(  # type: ignore[no-untyped-call]
        target, rounds=rounds, iterations=1, warmup_rounds=0
    )
    if benchmark.stats is not None:
        seconds = benchmark.stats.stats.min
        timings[files.label][name] = (files.n, seconds)
        benchmark.extra_info["records_per_second"] = files.n / seconds
    return result


@pytest.mark.parametrize("files", SIZES, indirect=True)
def test_json_loads(benchmark: BenchmarkFixture, timings: Timings, files: Files) -> None:
    data = files.json.read_bytes()
    document = _run(benchmark, timings, files, "json.loads", lambda: json.loads(data))
    assert len(document) == files.n


@pytest.mark.parametrize("files", SIZES, indirect=True)
def test_load_reports_json(benchmark: BenchmarkFixture, timings: Timings, files: Files) -> None:
    loaded: ReportSet = _run(
        benchmark, timings, files, "load_reports(json)", lambda: load_reports(files.json)
    )
    assert (len(loaded.reports), len(loaded.rejected)) == (files.n, 0)


@pytest.mark.parametrize("files", SIZES, indirect=True)
def test_load_reports_jsonl(benchmark: BenchmarkFixture, timings: Timings, files: Files) -> None:
    loaded: ReportSet = _run(
        benchmark, timings, files, "load_reports(jsonl)", lambda: load_reports(files.jsonl)
    )
    assert (len(loaded.reports), len(loaded.rejected)) == (files.n, 0)


@pytest.mark.parametrize("files", SIZES, indirect=True)
def test_load_reports_one_bad_record(
    benchmark: BenchmarkFixture, timings: Timings, files: Files
) -> None:
    loaded: ReportSet = _run(
        benchmark,
        timings,
        files,
        "load_reports(json, 1 bad record)",
        lambda: load_reports(files.one_bad),
    )
    assert (len(loaded.reports), len(loaded.rejected)) == (files.n, 1)
