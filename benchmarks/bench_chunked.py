"""Chunked and distributed scoring: throughput, peak memory and scaling.

    python -m benchmarks.bench_chunked --n 1000000 --fits 100000 --dask-n 1000000

measures, each in a fresh process (peak RSS is the process's own):

1. chunked scoring of `--n` records from JSON Lines (`score_chunks`, chunks of 10k, then
   ranks): time and peak RSS;
2. on `--fits` records, one-shot `score` + `rank` against `score_chunks` + `rank` on the
   same file: the throughput ratio;
3. `--dask-n` records as Parquet (20 files) on a LocalCluster of 1 and of 2 worker
   processes (one thread each): the scaling, and, from 20 against 100 files of the same
   records, the overhead of each partition.

Every measure runs on realistic data (`benchmarks.realistic`: the shipped examples
replicated, with ties) and on synthetic data (`benchmarks.synthetic`, whose keys the
shipped catalog does not know: only record-level criteria score, so it shows the cost of
reading and validating). All records are synthetic. `pytest benchmarks/bench_chunked.py
--benchmark-enable` runs the small pytest-benchmark form.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.realistic import example_records
from benchmarks.synthetic import make_records

RUBRIC = "iso26000"
CHUNK = 10_000
BLOCK = 2_000  # synthetic records made per seed
KINDS = ("realistic", "synthetic")


def records(kind: str, start: int, stop: int) -> list[dict[str, Any]]:
    """Records [start, stop) of a data set, built a slice at a time (unique ids)."""
    if kind == "realistic":
        base = example_records()
        out = []
        for index in range(start, stop):
            record = dict(base[index % len(base)])
            record["company"] = {
                **record["company"],
                "id": f"{record['company']['id']}-{index // len(base)}",
            }
            out.append(record)
        return out
    # Made in fixed blocks, so the data never depends on how it is split into files.
    made = []
    for block in range(start // BLOCK, -(-stop // BLOCK)):
        first = block * BLOCK
        for offset, record in enumerate(make_records(BLOCK, seed=block)):
            if start <= first + offset < stop:
                record["company"]["id"] = f"s{first + offset}"
                made.append(record)
    return made


def write_jsonl(kind: str, n: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for start in range(0, n, 10_000):
            for record in records(kind, start, min(n, start + 10_000)):
                stream.write(json.dumps(record) + "\n")


def write_parquet_files(kind: str, n: int, folder: Path, files: int) -> None:
    from csrscore.records.stream import write_parquet

    folder.mkdir(parents=True, exist_ok=True)
    per_file = -(-n // files)
    for number, start in enumerate(range(0, n, per_file)):
        write_parquet(
            records(kind, start, min(n, start + per_file)), folder / f"{number:04d}.parquet"
        )


def measure(mode: str, source: str, workers: int = 0) -> dict[str, Any]:
    """One run in this process: seconds (scoring and ranking only) and peak RSS."""
    from csrscore import score, score_chunks

    cluster = client = None
    if workers:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, dashboard_address=None
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
    started = time.perf_counter()
    if mode == "one-shot":
        result: Any = score(source, RUBRIC)
    elif mode == "chunked":
        result = score_chunks(source, RUBRIC, chunk_size=CHUNK)
    else:
        from csrscore.dask import score_dask

        result = score_dask(source, RUBRIC, chunk_size=CHUNK)
    result.rank(by="year")
    seconds = time.perf_counter() - started
    if client is not None and cluster is not None:
        client.close()  # type: ignore[no-untyped-call]
        cluster.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "n": len(result), "seconds": seconds, "peak_rss_mb": peak}


def fresh(mode: str, source: Path | str, workers: int = 0) -> dict[str, Any]:
    code = (
        "import json, sys; from benchmarks.bench_chunked import measure; "
        f"print(json.dumps(measure({mode!r}, {str(source)!r}, {workers})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--fits", type=int, default=100_000)
    parser.add_argument("--dask-n", type=int, default=1_000_000)
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--skip", nargs="*", default=[], choices=["large", "fits", "dask"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for kind in args.kinds:
            if "large" not in args.skip:
                path = folder / f"{kind}-large.jsonl"
                write_jsonl(kind, args.n, path)
                size = path.stat().st_size / 2**20
                result = fresh("chunked", path)
                print(f"{kind}: chunked {args.n:,} from JSON Lines ({size:,.0f} MiB): {result}")
                path.unlink()
            if "fits" not in args.skip:
                path = folder / f"{kind}-fits.jsonl"
                write_jsonl(kind, args.fits, path)
                one = fresh("one-shot", path)
                chunked = fresh("chunked", path)
                ratio = chunked["seconds"] / one["seconds"]
                print(f"{kind}: {args.fits:,} one-shot {one}")
                print(f"{kind}: {args.fits:,} chunked  {chunked}  time ratio {ratio:.2f}")
                path.unlink()
            if "dask" not in args.skip:
                few, many = folder / f"{kind}-20", folder / f"{kind}-100"
                write_parquet_files(kind, args.dask_n, few, 20)
                write_parquet_files(kind, args.dask_n, many, 100)
                one = fresh("dask", few / "*.parquet", 1)
                two = fresh("dask", few / "*.parquet", 2)
                two_many = fresh("dask", many / "*.parquet", 2)
                scaling = one["seconds"] / two["seconds"]
                overhead = (two_many["seconds"] - two["seconds"]) / 80 * 2  # 2 workers
                print(f"{kind}: dask 1 worker  {one}")
                print(f"{kind}: dask 2 workers {two}  scaling {scaling:.2f}x")
                print(
                    f"{kind}: dask 2 workers, 100 files {two_many}  "
                    f"overhead per partition {overhead * 1000:.0f} ms of worker time"
                )


def test_chunked_against_one_shot(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    """pytest-benchmark form: 5k realistic records, chunked (chunks of 1k) then ranked."""
    from csrscore import score, score_chunks

    path = tmp_path / "reports.jsonl"
    write_jsonl("realistic", 5_000, path)
    table = benchmark(lambda: score_chunks(path, RUBRIC, chunk_size=1_000))
    assert table.totals.tobytes() == score(path, RUBRIC).totals.tobytes()


if __name__ == "__main__":
    main()
