"""Reading tables into scored results, against the plain library read of the same file.

    pytest benchmarks/bench_tables.py --benchmark-enable -s

Each case runs, in fresh interpreters and alternating `PAIRS` times, the baseline (pyarrow's
CSV reader alone for CSV; openpyxl's read-only read of every cell for XLSX) and
`score(read_table(path))` with the iso26000 rubric, and prints the best wall time of each,
their ratio and the peak RSS. Targets from issue 19: 2x for a 100k x 100 CSV, 2x for a
10k x 100 XLSX. The 100k CSV is opt-in (`CSRSCORE_BENCH_LARGE=1`); 10k runs by default.
Data: realistic (the shipped examples replicated) and synthetic (`benchmarks/tables_data.py`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.tables_data import realistic_rows, synthetic_rows, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
LARGE = os.environ.get("CSRSCORE_BENCH_LARGE") == "1"
PAIRS = 2
KINDS: dict[str, Callable[[int], Iterator[list[Any]]]] = {
    "realistic": realistic_rows,
    "synthetic": synthetic_rows,
}
CASES = [
    pytest.param("csv", 10_000, id="csv-10k"),
    pytest.param(
        "csv",
        100_000,
        id="csv-100k",
        marks=pytest.mark.skipif(not LARGE, reason="set CSRSCORE_BENCH_LARGE=1 to run"),
    ),
    pytest.param("xlsx", 10_000, id="xlsx-10k"),
]


def child(mode: str, path: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.tables_child", mode, str(path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("fmt", "n"), CASES)
def test_table_to_scores(
    benchmark: BenchmarkFixture, tmp_path: Path, kind: str, fmt: str, n: int
) -> None:
    writer = write_csv if fmt == "csv" else write_xlsx
    path = writer(tmp_path / f"{kind}.{fmt}", KINDS[kind](n))
    baseline_mode = "arrow-csv" if fmt == "csv" else "openpyxl"
    baselines: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []

    def pairs() -> None:
        for _ in range(PAIRS):
            baselines.append(child(baseline_mode, path))
            runs.append(child("score", path))

    # pytest-benchmark ships py.typed but leaves `pedantic` unannotated.
    benchmark.pedantic(pairs, rounds=1, iterations=1)  # type: ignore[no-untyped-call]
    base = min(result["seconds"] for result in baselines)
    ours = min(result["seconds"] for result in runs)
    assert {result["rows"] for result in runs} == {n}
    benchmark.extra_info.update(
        baseline_seconds=base,
        seconds=ours,
        ratio=ours / base,
        baseline_peak_kib=max(r["peak_rss_kib"] for r in baselines),
        peak_kib=max(r["peak_rss_kib"] for r in runs),
    )
    sys.stdout.write(
        f"\n{kind} {fmt} {n:,} x 100: {baseline_mode} {base:.2f} s "
        f"(peak {max(r['peak_rss_kib'] for r in baselines) / 1024:.0f} MiB), "
        f"read_table + score {ours:.2f} s (peak {max(r['peak_rss_kib'] for r in runs) / 1024:.0f}"
        f" MiB): {ours / base:.1f}x\n"
    )
