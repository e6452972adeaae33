"""One end-to-end run in a fresh process, so that its peak RSS is its own.

    python -m benchmarks.engine_e2e json  REPORTS.json
    python -m benchmarks.engine_e2e score REPORTS.json [--criteria 250] [--seed 2024]

`json` times `json.loads` of the file's bytes; `score` times `load_reports(path)`,
`score(reports, rubric)` and `Scores.rank()`, with the synthetic rubric of
benchmarks/engine_data.py built (untimed) first. Either prints one JSON object: wall and CPU
seconds per step and the process's peak RSS. `--profile` adds the top functions by own time
(cProfile) under "profile".

Peak RSS is VmHWM from /proc/self/status. `getrusage(RUSAGE_SELF).ru_maxrss` would be wrong
here: Linux carries the peak of the address space that `exec` replaced into the new program,
so a child started from a large parent reports the parent's peak (RUSAGE_CHILDREN likewise).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.engine_data import DEFAULT_CRITERIA, DEFAULT_SEED, make_rubric, make_universe
from csrscore import load_reports, load_rubric, score

T = TypeVar("T")


class Steps:
    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def __call__(self, name: str, step: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        self.wall[name] = time.perf_counter() - wall
        self.cpu[name] = time.process_time() - cpu
        return result


def peak_rss_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run(mode: str, path: Path, criteria: int, seed: int) -> dict[str, Any]:
    timed = Steps()
    if mode == "json":
        data = timed("read", path.read_bytes)
        document = timed("json.loads", lambda: json.loads(data))
        records = len(document)
    else:
        rubric = load_rubric(make_rubric(make_universe(seed=seed), criteria, seed=seed))
        loaded = timed("load_reports", lambda: load_reports(path))
        scores = timed("score", lambda: score(loaded, rubric))
        timed("rank", scores.rank)
        records = len(scores)
    return {
        "mode": mode,
        "records": records,
        "wall": timed.wall,
        "cpu": timed.cpu,
        "peak_rss_kib": peak_rss_kib(),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("mode", choices=["json", "score"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--criteria", type=int, default=DEFAULT_CRITERIA)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    if not args.profile:
        result = run(args.mode, args.path, args.criteria, args.seed)
    else:
        profiler = cProfile.Profile()
        result = profiler.runcall(run, args.mode, args.path, args.criteria, args.seed)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
        result["profile"] = text.getvalue()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
