"""One end-to-end run in a fresh process, so that its peak RSS is its own.

    python -m benchmarks.engine_e2e json  REPORTS.json [--decoder json|orjson]
    python -m benchmarks.engine_e2e score REPORTS.json [--criteria 250] [--seed 2024]
    python -m benchmarks.engine_e2e score REPORTS.json --rubric iso26000
    python -m benchmarks.engine_e2e cli -- rank REPORTS.json --format csv -o out.csv

`json` only parses the file: one `loads` of the whole file, or one per line for JSON Lines
(`.jsonl`), with the standard library or orjson. `score` times `load_reports(path)`,
`score(reports, rubric)` and `Scores.rank()`, with the synthetic rubric of
benchmarks/engine_data.py built (untimed) first, or a shipped rubric with `--rubric`. `cli`
runs the `csrscore` command with the arguments after `--`, as the console script does, and
adds nothing to its wall time but this module's own import (which imports nothing of
csrscore). Each prints one JSON object: wall and CPU seconds per step, the process's peak
RSS and, for `cli`, the exit code. `--profile` adds the top functions by own time
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

T = TypeVar("T")

JSON_LINES = (".jsonl", ".ndjson")


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


def parse(path: Path, decoder: str) -> int:
    """Records in the file, parsed as a program that only reads it would parse it."""
    loads: Callable[[bytes], Any]
    if decoder == "orjson":
        import orjson  # type: ignore[import-not-found, unused-ignore]

        loads = orjson.loads
    else:
        loads = json.loads
    if path.suffix.lower() in JSON_LINES:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip() and loads(line) is not None)
    document = loads(path.read_bytes())
    return len(document["reports"] if isinstance(document, dict) else document)


def run(
    mode: str, path: Path, criteria: int, seed: int, rubric_name: str | None, decoder: str
) -> dict[str, Any]:
    timed = Steps()
    if mode == "json":
        records = timed(f"{decoder}.loads", lambda: parse(path, decoder))
    else:
        from csrscore import load_reports, load_rubric, score

        if rubric_name is None:
            from benchmarks.engine_data import make_rubric, make_universe

            rubric = load_rubric(make_rubric(make_universe(seed=seed), criteria, seed=seed))
        else:
            rubric = load_rubric(rubric_name)
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


def run_cli(argv: Sequence[str]) -> dict[str, Any]:
    from csrscore.cli.main import main

    timed = Steps()
    code = timed("csrscore", lambda: main(list(argv)))
    return {"mode": "cli", "code": code, "wall": timed.wall, "cpu": timed.cpu,
            "peak_rss_kib": peak_rss_kib()}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["cli"]:
        command = argv[2:] if argv[1:2] == ["--"] else argv[1:]
        json.dump(run_cli(command), sys.stdout)
        sys.stdout.write("\n")
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("mode", choices=["json", "score"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--criteria", type=int, default=250)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rubric", help="a shipped rubric instead of the synthetic one")
    parser.add_argument("--decoder", choices=["json", "orjson"], default="json")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    options = (args.mode, args.path, args.criteria, args.seed, args.rubric, args.decoder)
    if not args.profile:
        result = run(*options)
    else:
        profiler = cProfile.Profile()
        result = profiler.runcall(run, *options)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
        result["profile"] = text.getvalue()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
