"""Engine benchmarks: columns to ranks, against the reference, ingestion, end to end.

    .venv/bin/pytest benchmarks/bench_engine.py --benchmark-enable     # pytest-benchmark
    .venv/bin/python -m benchmarks.bench_engine --report [--large]     # the whole table
    .venv/bin/python -m benchmarks.bench_engine --profile engine --n 100000

The cases with 1M companies and with 100k-report files run only with
CSRSCORE_BENCH_LARGE=1 (or `--large` for the script). Data come from benchmarks/engine_data.py: a
250-criterion rubric over 300 declared keys, ~100 disclosures per company. The numbers and
what they mean are in docs/benchmarks.md.
"""

# ruff: noqa: E402
from __future__ import annotations

import os

# Thread pools start when numpy is first imported, so single threading is asked for before.
# (The engine makes no BLAS calls; this only rules out a multi-threaded build surprising us.)
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse
import copy
import cProfile
import gc
import hashlib
import importlib.util
import io
import json
import linecache
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
import types
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.engine_data import (
    DEFAULT_CRITERIA,
    DEFAULT_SEED,
    EngineInput,
    Universe,
    draw_sample,
    engine_input,
    make_rubric,
    make_universe,
    realistic_input,
    records,
    tiled,
    write_reports_json,
)
from benchmarks.realistic import example_records, replicated, spread
from csrscore import load_reports, load_rubric, score
from csrscore.compile.plan import Plan, compile_rubric
from csrscore.engine import levels as levels_module
from csrscore.engine.adjust import apply_adjustments
from csrscore.engine.aggregate import aggregate
from csrscore.engine.columns import FloatArray, IntArray
from csrscore.engine.evaluate import ConditionEvaluator
from csrscore.engine.ingest import build_violations, columns_for, publication_delay
from csrscore.engine.levels import evaluate_levels
from csrscore.engine.score import score_reports
from csrscore.rank import rank_totals
from csrscore.records.model import Report
from csrscore.reference import reference_score
from csrscore.rubric.model import Rubric

LARGE_VARIABLE = "CSRSCORE_BENCH_LARGE"
LARGE = os.environ.get(LARGE_VARIABLE) == "1"
ROOT = Path(__file__).resolve().parents[1]

ENGINE_TARGET_SECONDS = 2.0  # 1M companies x 250 criteria, columns to ranks
SPEEDUP_TARGET = 100.0  # engine over the reference evaluator
END_TO_END_TARGET = 3.0  # load + score + rank, in multiples of json.loads

ENGINE_SIZES = (10_000, 100_000, 1_000_000)
# Realistic data: the shipped rubrics over the shipped examples (benchmarks/realistic.py),
# exact copies ("replicated": 60 distinct reports, two years) or changed at random
# ("spread": SPREAD_BASE distinct reports; larger sets are copies of those).
REALISTIC_RUBRICS = ("iso26000", "citi")
REALISTIC_KINDS = ("replicated", "spread")
SPREAD_BASE = 10_000
# At 1M the first round pays for most of the fresh memory; the others show the engine.
ENGINE_ROUNDS = 5
REFERENCE_SIZE = 2_000
# (4) runs json.loads and end to end alternately, in pairs, so that the host's drift over
# minutes (json.loads of the 100k file took 15-28 s across sessions) hits both alike.
END_TO_END_PAIRS = 2
FILE_SIZES = (10_000, 100_000)
# (6) `csrscore rank` on files: 50k is the case (~0.5 GB of replicated examples).
COMMAND_SIZES = (10_000, 50_000)


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


# ----------------------------------------------------------------------------- setup


@dataclass(frozen=True)
class Setup:
    universe: Universe
    rubric_data: dict[str, Any]
    rubric: Rubric
    plan: Plan
    seed: int

    @property
    def criteria(self) -> int:
        return len(self.plan.criteria)


def make_setup(criteria: int = DEFAULT_CRITERIA, seed: int = DEFAULT_SEED) -> Setup:
    universe = make_universe(seed=seed)
    data = make_rubric(universe, criteria, seed=seed)
    rubric = load_rubric(data)
    return Setup(universe, data, rubric, compile_rubric(rubric), seed)


# ----------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Lap:
    """Wall and CPU seconds. The machine may be shared; CPU time of this single-threaded
    work is then the better estimate of what an idle machine's wall clock would show."""

    wall: float
    cpu: float

    def __add__(self, other: Lap) -> Lap:
        return Lap(self.wall + other.wall, self.cpu + other.cpu)

    def __str__(self) -> str:
        if self.wall - self.cpu < 0.1 * self.cpu:
            return f"{self.cpu:.3f}"
        return f"{self.cpu:.3f} (wall {self.wall:.3f})"


class Stopwatch:
    def __init__(self) -> None:
        self.laps: dict[str, Lap] = {}
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.laps[name] = Lap(wall - self._wall, cpu - self._cpu)
        self._wall, self._cpu = wall, cpu


def total(laps: dict[str, Lap]) -> Lap:
    return sum(laps.values(), Lap(0.0, 0.0))


def stages_text(laps: dict[str, Lap]) -> str:
    return ", ".join(f"{name} {lap}" for name, lap in laps.items())


@dataclass(frozen=True)
class EngineRun:
    totals: FloatArray
    ranks: IntArray
    laps: dict[str, Lap]
    # System CPU seconds within the CPU time: on this project's VMs mostly the first touch
    # of fresh memory, which swings from run to run far more than the computation does.
    system: float = 0.0

    @property
    def time(self) -> Lap:
        return total(self.laps)


def columns_to_ranks(data: EngineInput) -> EngineRun:
    """`score_reports` after its columns are built, then ranks: the engine's own work."""
    plan, n = data.plan, data.n
    system = resource.getrusage(resource.RUSAGE_SELF).ru_stime
    clock = Stopwatch()
    evaluate = ConditionEvaluator(data.columns, data.violations, data.publication_delay, n)
    evaluation = evaluate_levels(plan, evaluate, data.columns, n, data.declared)
    clock.lap("evaluate_levels")
    aggregated = aggregate(plan, evaluation.points, None, evaluation.group_applicable)
    clock.lap("aggregate")
    adjusted = apply_adjustments(plan.rubric, aggregated.base, evaluate, data.violations.count)
    clock.lap("apply_adjustments")
    if data.groups is None:
        ranks = rank_totals(adjusted.totals, data.company_ids)
    else:  # within each year, under the rubric's rounding, as `csrscore rank` ranks
        rounding = plan.rubric.rounding
        ranks = rank_totals(
            adjusted.totals, data.company_ids, groups=data.groups, rounding=rounding
        )
    clock.lap("rank_totals")
    system = resource.getrusage(resource.RUSAGE_SELF).ru_stime - system
    return EngineRun(adjusted.totals, ranks, clock.laps, system)


def best_of(rounds: int, run: Callable[[], EngineRun]) -> EngineRun:
    runs = []
    for _ in range(rounds):
        gc.collect()
        runs.append(run())
    return min(runs, key=lambda r: r.time.cpu)


@dataclass(frozen=True)
class EngineResult:
    n: int
    criteria: int
    runs: tuple[EngineRun, ...]  # in the order run; the first pays for fresh memory most
    data: str = "synthetic"  # or "<kind> <rubric>" for realistic data

    @property
    def best(self) -> EngineRun:
        return min(self.runs, key=lambda r: r.time.cpu)


def measure_engine(setup: Setup, n: int, rounds: int) -> EngineResult:
    data = engine_input(draw_sample(setup.universe, n, setup.seed), setup.plan)
    runs = []
    for _ in range(rounds):
        gc.collect()
        runs.append(columns_to_ranks(data))
    return EngineResult(n, setup.criteria, tuple(runs))


@cache
def realistic_base(rubric: str, kind: str) -> EngineInput:
    """The distinct reports of a realistic set, ingested once per process."""
    base = example_records() if kind == "replicated" else spread_records(SPREAD_BASE)
    return realistic_input(compile_rubric(load_rubric(rubric)), base)


def measure_realistic(rubric: str, kind: str, n: int, rounds: int) -> EngineResult:
    base = realistic_base(rubric, kind)
    data = tiled(base, n)
    runs = []
    for _ in range(rounds):
        gc.collect()
        runs.append(columns_to_ranks(data))
    return EngineResult(n, len(base.plan.criteria), tuple(runs), f"{kind} {rubric}")


@dataclass(frozen=True)
class ReferenceResult:
    n: int
    reference: Lap
    engine: Lap  # score_reports + rank, from Report objects like the reference
    core: Lap  # columns to ranks only
    max_total_difference: float
    criteria: int = DEFAULT_CRITERIA
    data: str = "synthetic"


def measure_reference(setup: Setup, n: int = REFERENCE_SIZE, rounds: int = 5) -> ReferenceResult:
    sample = draw_sample(setup.universe, n, setup.seed)
    reports = load_reports(records(sample), strict=True).reports
    return compare_reference(setup.plan, reports, engine_input(sample, setup.plan), rounds)


@cache
def spread_records(n: int) -> list[dict[str, Any]]:
    return spread(n)


def measure_reference_realistic(
    rubric: str, n: int = REFERENCE_SIZE, rounds: int = 5
) -> ReferenceResult:
    """(2) on the spread realistic set: distinct reports, as the reference sees every one."""
    plan = compile_rubric(load_rubric(rubric))
    base = spread_records(SPREAD_BASE)[:n]
    reports = load_reports(base, catalog=plan.rubric.catalog).reports
    result = compare_reference(plan, reports, realistic_input(plan, base), rounds)
    return replace(result, criteria=len(plan.criteria), data=f"spread {rubric}")


def compare_reference(
    plan: Plan, reports: Sequence[Report], data: EngineInput, rounds: int
) -> ReferenceResult:
    ids = [r.company.id for r in reports]
    clock = Stopwatch()
    expected = [reference_score(report, plan.rubric) for report in reports]
    rank_totals(np.array([e.total for e in expected]), ids)
    clock.lap("reference")

    def engine() -> EngineRun:
        watch = Stopwatch()
        scores = score_reports(plan, reports)
        ranks = scores.rank()
        watch.lap("score_reports + rank")
        return EngineRun(scores.totals, ranks, watch.laps)

    full = best_of(rounds, engine)
    core = best_of(rounds, lambda: columns_to_ranks(data))
    difference = max(abs(e.total - float(t)) for e, t in zip(expected, full.totals, strict=True))
    reference = clock.laps["reference"]
    return ReferenceResult(len(reports), reference, full.time, core.time, difference)


@dataclass(frozen=True)
class IngestResult:
    n: int
    disclosures: float  # mean per report
    laps: dict[str, Lap]
    data: str = "synthetic"


def ingest(plan: Plan, reports: Sequence[Report]) -> dict[str, Lap]:
    clock = Stopwatch()
    columns_for(reports, plan.fields, set(plan.provenance))
    clock.lap("columns_for")
    build_violations(reports)
    clock.lap("build_violations")
    publication_delay(reports)
    clock.lap("publication_delay")
    return clock.laps


def best_ingest(
    plan: Plan, reports: Sequence[Report], rounds: int, data: str = "synthetic"
) -> IngestResult:
    runs = []
    for _ in range(rounds):
        gc.collect()
        runs.append(ingest(plan, reports))
    best = min(runs, key=lambda laps: total(laps).cpu)
    mean = sum(len(r.disclosures) for r in reports) / max(1, len(reports))
    return IngestResult(len(reports), mean, best, data)


def measure_ingest_realistic(rubric: str, rounds: int = 3) -> IngestResult:
    """(3) on the spread realistic set (SPREAD_BASE distinct reports)."""
    plan = compile_rubric(load_rubric(rubric))
    reports = load_reports(spread_records(SPREAD_BASE), catalog=plan.rubric.catalog).reports
    return best_ingest(plan, reports, rounds, f"spread {rubric}")


@dataclass(frozen=True)
class EndToEndResult:
    n: int
    file_bytes: int
    json_loads: Lap
    json_peak_kib: int
    steps: dict[str, Lap]  # load_reports, score, rank
    peak_kib: int
    pair_ratios: tuple[float, ...] = ()  # end to end / json.loads, pair by pair
    data: str = "synthetic"


def run_child(mode: str, path: Path, setup: Setup, *extra: str) -> dict[str, Any]:
    """`benchmarks.engine_e2e` in a fresh interpreter; its JSON result."""
    command = [sys.executable, "-m", "benchmarks.engine_e2e", mode, str(path)]
    command += ["--criteria", str(setup.criteria), "--seed", str(setup.seed), *extra]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _laps(result: dict[str, Any]) -> dict[str, Lap]:
    return {name: Lap(wall, result["cpu"][name]) for name, wall in result["wall"].items()}


def measure_end_to_end(
    setup: Setup, path: Path, pairs: int = END_TO_END_PAIRS, rubric: str | None = None
) -> EndToEndResult:
    """The fastest `json.loads` and the fastest end-to-end run of `pairs` alternating
    pairs (peak RSS: the highest seen). With `rubric` (a shipped one), scored with it
    instead of the synthetic rubric."""
    baselines, scored_runs = [], []
    extra = () if rubric is None else ("--rubric", rubric)
    for _ in range(pairs):
        baselines.append(run_child("json", path, setup))
        scored_runs.append(run_child("score", path, setup, *extra))
    loads = [_laps(b)["json.loads"] for b in baselines]
    steps = [_laps(s) for s in scored_runs]
    ratios = tuple(total(st).cpu / lap.cpu for lap, st in zip(loads, steps, strict=True))
    return EndToEndResult(
        n=scored_runs[0]["records"],
        file_bytes=path.stat().st_size,
        json_loads=min(loads, key=lambda lap: lap.cpu),
        json_peak_kib=max(b["peak_rss_kib"] for b in baselines),
        steps=min(steps, key=lambda st: total(st).cpu),
        peak_kib=max(s["peak_rss_kib"] for s in scored_runs),
        pair_ratios=ratios,
        data="synthetic" if rubric is None else f"{path.stem.split('-')[0]} {rubric}",
    )


def decoder() -> str:
    """The parser a process that only reads the file would use: orjson when installed."""
    return "orjson" if importlib.util.find_spec("orjson") is not None else "json"


@dataclass(frozen=True)
class CommandResult:
    """`csrscore rank FILE --format csv -o out.csv` against a process that only parses
    FILE, both timed from outside as whole processes (interpreter start and imports
    included), alternately, in pairs."""

    data: str  # "synthetic", "replicated iso26000", ...
    n: int
    file_bytes: int
    decoder: str
    parse: tuple[Lap, ...]
    rank: tuple[Lap, ...]
    parse_peak_kib: int
    rank_peak_kib: int

    @property
    def ratios(self) -> tuple[float, ...]:
        return tuple(r.wall / p.wall for p, r in zip(self.parse, self.rank, strict=True))


def _timed_child(command: list[str]) -> tuple[Lap, dict[str, Any]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    if result.get("code", 0) != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result['code']}:\n{done.stderr}")
    return Lap(wall, cpu), result


def measure_command(
    path: Path, rubric: str, data: str, n: int, pairs: int = END_TO_END_PAIRS
) -> CommandResult:
    child = [sys.executable, "-m", "benchmarks.engine_e2e"]
    out = path.with_suffix(".out.csv")
    rank_command = [*child, "cli", "--", "rank", str(path), "--rubric", rubric]
    rank_command += ["--format", "csv", "-o", str(out), "--quiet"]
    parse_command = [*child, "json", str(path), "--decoder", decoder()]
    parses, ranks = [], []
    for _ in range(pairs):
        parses.append(_timed_child(parse_command))
        ranks.append(_timed_child(rank_command))
    out.unlink(missing_ok=True)
    return CommandResult(
        data=data,
        n=n,
        file_bytes=path.stat().st_size,
        decoder=decoder(),
        parse=tuple(lap for lap, _ in parses),
        rank=tuple(lap for lap, _ in ranks),
        parse_peak_kib=max(result["peak_rss_kib"] for _, result in parses),
        rank_peak_kib=max(result["peak_rss_kib"] for _, result in ranks),
    )


def write_file(setup: Setup, directory: Path, n: int) -> Path:
    path = directory / f"reports-{label(n)}.json"
    if not path.exists():
        write_reports_json(path, draw_sample(setup.universe, n, setup.seed))
    return path


# Data sets of (4) and (6): synthetic (benchmarks/engine_data.py, its own rubric) and the
# two realistic sets scored with the shipped iso26000 rubric, as a new user would.
FILE_DATA = ("synthetic", "replicated", "spread")
FILE_FORMATS = ("json", "jsonl")


def write_data_file(setup: Setup, directory: Path, data: str, n: int, form: str) -> Path:
    """`n` records of `data` as a compact JSON array or JSON Lines (written once)."""
    path = directory / f"{data}-{label(n)}.{form}"
    if path.exists():
        return path
    if data == "synthetic":
        sample = draw_sample(setup.universe, n, setup.seed)
        chunks: Iterable[list[dict[str, Any]]] = (
            records(sample, start, min(start + 10_000, n)) for start in range(0, n, 10_000)
        )
    else:
        chunks = [replicated(n) if data == "replicated" else spread(n)]
    with path.open("w", encoding="utf-8") as handle:
        first = True
        if form == "json":
            handle.write("[")
        for chunk in chunks:
            for record in chunk:
                text = json.dumps(record, separators=(",", ":"))
                if form == "jsonl":
                    handle.write(text + "\n")
                else:
                    handle.write(text if first else "," + text)
                first = False
        if form == "json":
            handle.write("]")
    return path


def rubric_file(setup: Setup, directory: Path) -> Path:
    """The synthetic rubric as YAML, for the command line."""
    path = directory / f"synthetic-rubric-{setup.criteria}.yaml"
    if not path.exists():
        path.write_text(yaml.safe_dump(setup.rubric_data, sort_keys=False), encoding="utf-8")
    return path


def measure_commands(
    setup: Setup,
    directory: Path,
    n: int,
    data_sets: Sequence[str] = FILE_DATA,
    pairs: int = END_TO_END_PAIRS,
) -> list[CommandResult]:
    results = []
    for data in data_sets:
        rubric = str(rubric_file(setup, directory)) if data == "synthetic" else "iso26000"
        for form in FILE_FORMATS:
            path = write_data_file(setup, directory, data, n, form)
            name = data if data == "synthetic" else f"{data} iso26000"
            results.append(measure_command(path, rubric, f"{name}, {form.upper()}", n, pairs))
            gc.collect()
    return results


# ----------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Row:
    measure: str
    size: str
    result: str
    ratio: str = ""
    target: str = ""


def _verdict(met: bool, factor: float) -> str:
    return "met" if met else f"MISSED ({factor:.1f}x off)"


@dataclass
class Table:
    """Seconds are CPU seconds; wall seconds follow where they differ by more than 10%."""

    rows: list[Row] = field(default_factory=list)

    def add(self, *rows: Row) -> None:
        self.rows.extend(rows)

    def engine(self, r: EngineResult) -> None:
        spent = r.best.time
        per_cell = spent.cpu / (r.n * r.criteria) * 1e9
        target = ""
        if r.n == 1_000_000 and r.data == "synthetic":
            factor = spent.cpu / ENGINE_TARGET_SECONDS
            target = f"<= {ENGINE_TARGET_SECONDS:g} s: {_verdict(factor <= 1, factor)}"
        rounds = ", ".join(f"{run.time.cpu:.3f} (system {run.system:.3f})" for run in r.runs)
        median = sorted(run.time.cpu for run in r.runs)[len(r.runs) // 2]
        rounds += f"; median {median:.3f}"
        self.add(
            Row(
                "(1) columns -> ranks" + ("" if r.data == "synthetic" else f", {r.data}"),
                f"{label(r.n)} x {r.criteria}",
                f"{spent} s (best of {len(r.runs)})",
                f"{per_cell:.0f} ns/cell; {r.n / spent.cpu:,.0f} companies/s",
                target,
            ),
            Row("    stages (s)", "", stages_text(r.best.laps)),
            Row("    every round (s)", "", rounds),
        )

    def reference(self, r: ReferenceResult) -> None:
        speedup = r.reference.cpu / r.engine.cpu
        core = r.reference.cpu / r.core.cpu
        verdict = _verdict(speedup >= SPEEDUP_TARGET, SPEEDUP_TARGET / speedup)
        self.add(
            Row(
                "(2) reference / engine" + ("" if r.data == "synthetic" else f", {r.data}"),
                f"{label(r.n)} x {r.criteria}",
                f"reference {r.reference} s; score_reports+rank {r.engine} s; "
                f"columns->ranks {r.core} s",
                f"{speedup:.0f}x from Reports; {core:.0f}x from columns",
                f">= {SPEEDUP_TARGET:g}x: {verdict} (from Reports); "
                f"max |total diff| {r.max_total_difference:.0e}",
            )
        )

    def ingest(self, r: IngestResult) -> None:
        spent = total(r.laps)
        self.add(
            Row(
                "(3) ingest Reports -> columns" + ("" if r.data == "synthetic" else f", {r.data}"),
                f"{label(r.n)} reports, {r.disclosures:.0f} discl.",
                f"{spent} s",
                f"{r.n / spent.cpu:,.0f} records/s",
            ),
            Row("    stages (s)", "", stages_text(r.laps)),
        )

    def end_to_end(self, r: EndToEndResult) -> None:
        spent = total(r.steps)
        ratio = spent.cpu / r.json_loads.cpu
        mib = 1024 * 1024
        peak, json_peak = r.peak_kib * 1024, r.json_peak_kib * 1024
        self.add(
            Row(
                "(4) load + score + rank" + ("" if r.data == "synthetic" else f", {r.data}"),
                f"{label(r.n)} reports, {r.file_bytes / mib:.0f} MiB",
                f"{stages_text(r.steps)}; total {spent} s; json.loads {r.json_loads} s "
                f"(fastest of {len(r.pair_ratios)} each)",
                f"{ratio:.2f}x json.loads (pair by pair: "
                + ", ".join(f"{x:.2f}x" for x in r.pair_ratios)
                + ")",
                f"<= {END_TO_END_TARGET:g}x: "
                f"{_verdict(ratio <= END_TO_END_TARGET, ratio / END_TO_END_TARGET)}",
            ),
            Row(
                "(5) peak RSS of (4)" + ("" if r.data == "synthetic" else f", {r.data}"),
                f"{label(r.n)} reports",
                f"{peak / mib:,.0f} MiB; json.loads alone {json_peak / mib:,.0f} MiB",
                f"{peak / r.file_bytes:.1f}x file size "
                f"(json.loads alone {json_peak / r.file_bytes:.1f}x)",
            ),
        )

    def command(self, r: CommandResult) -> None:
        mib = 1024 * 1024
        best_parse = min(r.parse, key=lambda lap: lap.wall)
        best_rank = min(r.rank, key=lambda lap: lap.wall)
        ratio = best_rank.wall / best_parse.wall
        peak = r.rank_peak_kib * 1024
        self.add(
            Row(
                f"(6) csrscore rank, {r.data}",
                f"{label(r.n)} reports, {r.file_bytes / mib:.0f} MiB",
                f"rank {best_rank.wall:.3f} s wall (CPU {best_rank.cpu:.3f}); "
                f"{r.decoder} parse {best_parse.wall:.3f} s wall (CPU {best_parse.cpu:.3f}); "
                f"fastest of {len(r.rank)} each",
                f"{ratio:.2f}x the parse, wall (pair by pair: "
                + ", ".join(f"{x:.2f}x" for x in r.ratios)
                + f"); CPU {best_rank.cpu / best_parse.cpu:.2f}x",
                f"peak RSS {peak / mib:,.0f} MiB ({peak / r.file_bytes:.1f}x the file; "
                f"parse alone {r.parse_peak_kib / 1024:,.0f} MiB)",
            )
        )

    def render(self) -> str:
        headers = Row("measure", "size", "result (CPU s)", "ratio", "target")
        names = list(vars(headers))
        rows = [headers, *self.rows]
        widths = [max(len(getattr(row, name)) for row in rows) for name in names]
        lines = []
        for row in rows:
            cells = [getattr(row, name).ljust(w) for name, w in zip(names, widths, strict=True)]
            lines.append(" | ".join(cells).rstrip())
            if row is headers:
                lines.append("-+-".join("-" * w for w in widths))
        return "\n".join(lines)


def source_state() -> str:
    """The commit measured, and whether src/ had uncommitted changes (others may edit it)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else "?"

    changes = git("diff", "HEAD", "--", "src") + git("status", "--porcelain", "--", "src")
    commit, tree = git("rev-parse", "--short", "HEAD"), git("rev-parse", "--short", "HEAD:src")
    state = f"commit {commit}, src tree {tree}"
    if changes:
        state += f", src modified (diff hash {hashlib.sha256(changes.encode()).hexdigest()[:8]})"
    return state


def yardstick() -> float:
    """CPU seconds of a 10-million-step Python loop: how fast the shared host is right now,
    to read the other figures against (0.35-0.49 s in the fifth session's report)."""
    start, total = time.process_time(), 0
    for step in range(10_000_000):
        total += step
    return time.process_time() - start


def machine() -> str:
    cores = os.cpu_count()
    return (
        f"{platform.processor() or platform.machine()}, {cores} cores; "
        f"10M-step Python loop {yardstick():.2f} s CPU now; "
        f"Python {platform.python_version()}, numpy {np.__version__}; "
        f"OMP/OPENBLAS/MKL threads {os.environ.get('OMP_NUM_THREADS')}/"
        f"{os.environ.get('OPENBLAS_NUM_THREADS')}/{os.environ.get('MKL_NUM_THREADS')}; "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


MEASURES = ("engine", "reference", "files", "commands", "ingest")


def report(
    large: bool,
    directory: Path,
    only: Sequence[str] = MEASURES,
    data_sets: Sequence[str] = FILE_DATA,
    pairs: int = END_TO_END_PAIRS,
) -> Table:
    """The measures in `only` once each, in one process (end to end and commands in child
    processes); the table."""
    table = Table()
    setup = make_setup()
    if "engine" in only:
        for n in ENGINE_SIZES:
            if n < 1_000_000 or large:
                table.engine(measure_engine(setup, n, ENGINE_ROUNDS))
                gc.collect()
                for rubric in REALISTIC_RUBRICS:
                    for kind in REALISTIC_KINDS:
                        table.engine(measure_realistic(rubric, kind, n, ENGINE_ROUNDS))
                        gc.collect()
    if "reference" in only:
        table.reference(measure_reference(setup))
        for rubric in REALISTIC_RUBRICS:
            table.reference(measure_reference_realistic(rubric))
    n = FILE_SIZES[1] if large else FILE_SIZES[0]
    if "files" in only:
        path = write_file(setup, directory, n)
        table.end_to_end(measure_end_to_end(setup, path))
        for data in ("replicated", "spread"):
            realistic_file = write_data_file(setup, directory, data, n, "json")
            table.end_to_end(measure_end_to_end(setup, realistic_file, rubric="iso26000"))
    if "commands" in only:
        size = COMMAND_SIZES[1] if large else COMMAND_SIZES[0]
        for result in measure_commands(setup, directory, size, data_sets, pairs):
            table.command(result)
    if "ingest" in only:
        reports = load_reports(write_file(setup, directory, n)).reports
        table.ingest(best_ingest(setup.plan, reports, rounds=2 if n >= 100_000 else 3))
        for rubric in REALISTIC_RUBRICS:
            table.ingest(measure_ingest_realistic(rubric))
    return table


# ----------------------------------------------------------------------------- profiles


class LineTimer:
    """CPU seconds per source line of chosen functions (and functions nested in them).

    A line's time runs from its `line` trace event to the next event of the same frame,
    so it includes every call made from that line. CPU rather than wall time, so that other
    processes on a shared machine do not land on whichever line was running.
    """

    def __init__(self, *functions: Callable[..., Any]) -> None:
        self.codes: set[types.CodeType] = set()
        for function in functions:
            self._add(function.__code__)
        self.seconds: defaultdict[tuple[types.CodeType, int], float] = defaultdict(float)
        self._current: dict[int, tuple[int, float]] = {}

    def _add(self, code: types.CodeType) -> None:
        self.codes.add(code)
        for constant in code.co_consts:
            if isinstance(constant, types.CodeType):
                self._add(constant)

    def _global(self, frame: types.FrameType, event: str, arg: Any) -> Any:
        return self._local if event == "call" and frame.f_code in self.codes else None

    def _local(self, frame: types.FrameType, event: str, arg: Any) -> Any:
        now = time.process_time()
        previous = self._current.pop(id(frame), None)
        if previous is not None:
            self.seconds[(frame.f_code, previous[0])] += now - previous[1]
        if event == "line":
            self._current[id(frame)] = (frame.f_lineno, time.process_time())
        return self._local

    def run(self, target: Callable[[], Any]) -> float:
        start = time.process_time()
        sys.settrace(self._global)
        try:
            target()
        finally:
            sys.settrace(None)
        return time.process_time() - start

    def top(self, total: float, count: int = 20) -> str:
        lines = []
        ranked = sorted(self.seconds.items(), key=lambda item: -item[1])[:count]
        for (code, line), seconds in ranked:
            source = linecache.getline(code.co_filename, line).strip()
            where = f"{Path(code.co_filename).name}:{line} {code.co_name}"
            lines.append(f"{seconds:8.3f} s {seconds / total:6.1%}  {where:<36} {source[:70]}")
        return "\n".join(lines)


def profile_engine(n: int) -> str:
    setup = make_setup()
    data = engine_input(draw_sample(setup.universe, n, setup.seed), setup.plan)
    plain = best_of(2, lambda: columns_to_ranks(data))
    timer = LineTimer(
        evaluate_levels,
        levels_module._criterion_levels,
        levels_module._best_rank,
        aggregate,
        apply_adjustments,
        rank_totals,
    )
    traced = timer.run(lambda: columns_to_ranks(data))
    return (
        f"columns -> ranks, {label(n)} x {setup.criteria}: {plain.time} s untraced, CPU "
        f"({stages_text(plain.laps)}); {traced:.3f} s traced, CPU\n"
        f"lines by inclusive time (share of the traced run):\n{timer.top(traced)}"
    )


def profile_ingest(n: int, directory: Path) -> str:
    setup = make_setup()
    reports = load_reports(write_file(setup, directory, n)).reports
    profiler = cProfile.Profile()
    profiler.runcall(ingest, setup.plan, reports)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(20)
    return text.getvalue()


def profile_end_to_end(n: int, directory: Path) -> str:
    setup = make_setup()
    result = run_child("score", write_file(setup, directory, n), setup, "--profile")
    return f"steps (CPU s, under cProfile): {stages_text(_laps(result))}\n{result['profile']}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="csrscore engine benchmarks")
    parser.add_argument("--report", action="store_true", help="run every measure; print a table")
    parser.add_argument("--large", action="store_true", help=f"as {LARGE_VARIABLE}=1")
    parser.add_argument("--profile", choices=["engine", "ingest", "e2e"])
    parser.add_argument("--n", type=int, default=100_000, help="companies for --profile")
    parser.add_argument("--dir", type=Path, help="where data files go (default: a temp dir)")
    parser.add_argument(
        "--only", nargs="+", choices=MEASURES, default=MEASURES, help="with --report: these only"
    )
    parser.add_argument(
        "--data", nargs="+", choices=FILE_DATA, default=FILE_DATA, help="the data sets of (6)"
    )
    parser.add_argument("--pairs", type=int, default=END_TO_END_PAIRS, help="runs of (6)")
    args = parser.parse_args(argv)
    large = args.large or LARGE
    with tempfile.TemporaryDirectory(prefix="csrscore-bench-") as temporary:
        directory = args.dir or Path(temporary)
        if args.profile == "engine":
            print(profile_engine(args.n))
        elif args.profile == "ingest":
            print(profile_ingest(args.n, directory))
        elif args.profile == "e2e":
            print(profile_end_to_end(args.n, directory))
        else:
            started, source, loop = time.perf_counter(), source_state(), yardstick()
            table = report(large, directory, args.only, args.data, args.pairs)
            print(f"machine: {machine()}, {loop:.2f} s before the run")
            print(f"source: {source}")
            if source_state().split(", ", 1)[1] != source.split(", ", 1)[1]:
                print(f"WARNING: src changed during the run; now {source_state()}")
            print(table.render())
            print(f"({time.perf_counter() - started:.0f} s in all)")


# ----------------------------------------------------------------------------- pytest

TABLE = Table()


class _Summary:
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if TABLE.rows:
            terminalreporter.section("csrscore engine benchmarks")
            terminalreporter.write_line(f"machine: {machine()}")
            terminalreporter.write_line(f"source: {source_state()}")
            for line in TABLE.render().splitlines():
                terminalreporter.write_line(line)


@pytest.fixture(scope="session", autouse=True)
def _summary(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin("csrscore-engine-summary"):
        manager.register(_Summary(), "csrscore-engine-summary")


@pytest.fixture(scope="session")
def bench_setup() -> Setup:
    return make_setup()


def _sizes(sizes: Sequence[int], large_from: int) -> list[Any]:
    skip = pytest.mark.skipif(not LARGE, reason=f"set {LARGE_VARIABLE}=1 to run")
    return [pytest.param(n, id=label(n), marks=[skip] if n >= large_from else []) for n in sizes]


_FILES: dict[int, Path] = {}


@pytest.fixture
def report_file(
    request: pytest.FixtureRequest, bench_setup: Setup, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    n: int = request.param
    if n not in _FILES:
        for old in _FILES.values():
            old.unlink(missing_ok=True)
        _FILES.clear()
        _FILES[n] = write_file(bench_setup, tmp_path_factory.mktemp(f"engine{label(n)}"), n)
    return _FILES[n]


def _pedantic(benchmark: BenchmarkFixture, target: Callable[[], Any], rounds: int) -> Any:
    # pytest-benchmark ships py.typed but leaves `pedantic` unannotated.
    return benchmark.pedantic(  # type: ignore[no-untyped-call]
        target, rounds=rounds, iterations=1, warmup_rounds=0
    )


def test_direct_columns_match_ingest(bench_setup: Setup) -> None:
    """Columns built from the draws score exactly like columns ingested from the records."""
    sample = draw_sample(bench_setup.universe, 400, bench_setup.seed)
    reports = load_reports(records(sample), strict=True).reports
    scores = score_reports(bench_setup.plan, reports)
    direct = columns_to_ranks(engine_input(sample, bench_setup.plan))
    np.testing.assert_array_equal(direct.totals, scores.totals)
    np.testing.assert_array_equal(direct.ranks, scores.rank())


def test_realistic_tiles_score_like_the_records() -> None:
    """Tiled columns score exactly like `score()` on the records copied under new ids,
    the last copy cut short, ranked within each year."""
    for kind, base in (("replicated", example_records()), ("spread", spread(90, seed=3))):
        n = 2 * len(base) + 37
        copies = []
        for row in range(n):
            record = copy.deepcopy(base[row % len(base)])
            record["company"]["id"] += f":{row // len(base)}"
            copies.append(record)
        for rubric in REALISTIC_RUBRICS:
            plan = compile_rubric(load_rubric(rubric))
            expected = score(copies, plan.rubric)
            assert not expected.rejected, kind
            data = tiled(realistic_input(plan, base), n)
            assert data.company_ids == list(expected.company_ids)
            run = columns_to_ranks(data)
            np.testing.assert_array_equal(run.totals, expected.totals)
            np.testing.assert_array_equal(run.ranks, expected.rank(by="year"))
            assert len(set(expected.totals.tolist())) > (10 if kind == "spread" else 2)


@pytest.mark.parametrize("rubric", REALISTIC_RUBRICS)
@pytest.mark.parametrize("kind", REALISTIC_KINDS)
@pytest.mark.parametrize("n", _sizes(ENGINE_SIZES, 1_000_000))
def test_realistic_columns_to_ranks(
    benchmark: BenchmarkFixture, n: int, kind: str, rubric: str
) -> None:
    runs: list[EngineRun] = []
    data = tiled(realistic_base(rubric, kind), n)
    _pedantic(benchmark, lambda: runs.append(columns_to_ranks(data)), ENGINE_ROUNDS)
    result = EngineResult(n, len(data.plan.criteria), tuple(runs), f"{kind} {rubric}")
    benchmark.extra_info.update({name: lap.cpu for name, lap in result.best.laps.items()})
    TABLE.engine(result)
    assert len(result.best.ranks) == n


@pytest.mark.parametrize("n", _sizes(ENGINE_SIZES, 1_000_000))
def test_columns_to_ranks(benchmark: BenchmarkFixture, bench_setup: Setup, n: int) -> None:
    data = engine_input(draw_sample(bench_setup.universe, n, bench_setup.seed), bench_setup.plan)
    runs: list[EngineRun] = []
    _pedantic(benchmark, lambda: runs.append(columns_to_ranks(data)), ENGINE_ROUNDS)
    result = EngineResult(n, bench_setup.criteria, tuple(runs))
    benchmark.extra_info.update({name: lap.cpu for name, lap in result.best.laps.items()})
    TABLE.engine(result)
    assert len(result.best.ranks) == n


def test_reference_speedup(benchmark: BenchmarkFixture, bench_setup: Setup) -> None:
    result = _pedantic(benchmark, lambda: measure_reference(bench_setup), 1)
    TABLE.reference(result)
    assert result.max_total_difference <= 1e-9


@pytest.mark.parametrize("rubric", REALISTIC_RUBRICS)
def test_reference_speedup_realistic(benchmark: BenchmarkFixture, rubric: str) -> None:
    result = _pedantic(benchmark, lambda: measure_reference_realistic(rubric), 1)
    TABLE.reference(result)
    assert result.max_total_difference <= 1e-9


@pytest.mark.parametrize("rubric", REALISTIC_RUBRICS)
def test_ingest_realistic(benchmark: BenchmarkFixture, rubric: str) -> None:
    result = _pedantic(benchmark, lambda: measure_ingest_realistic(rubric), 1)
    TABLE.ingest(result)


@pytest.mark.parametrize("report_file", _sizes(FILE_SIZES, 100_000), indirect=True)
def test_end_to_end(benchmark: BenchmarkFixture, bench_setup: Setup, report_file: Path) -> None:
    result = _pedantic(benchmark, lambda: measure_end_to_end(bench_setup, report_file), 1)
    benchmark.extra_info["ratio_to_json_loads"] = total(result.steps).cpu / result.json_loads.cpu
    benchmark.extra_info["peak_rss_mib"] = result.peak_kib / 1024
    TABLE.end_to_end(result)


@pytest.mark.parametrize("data", ["replicated", "spread"])
def test_end_to_end_realistic(
    benchmark: BenchmarkFixture,
    bench_setup: Setup,
    tmp_path_factory: pytest.TempPathFactory,
    data: str,
) -> None:
    directory = tmp_path_factory.mktemp(f"e2e-{data}")
    path = write_data_file(bench_setup, directory, data, FILE_SIZES[0], "json")
    result = _pedantic(
        benchmark, lambda: measure_end_to_end(bench_setup, path, rubric="iso26000"), 1
    )
    TABLE.end_to_end(result)
    path.unlink()


@pytest.mark.parametrize("form", FILE_FORMATS)
@pytest.mark.parametrize("data", FILE_DATA)
@pytest.mark.parametrize("n", _sizes(COMMAND_SIZES, 50_000))
def test_rank_command(
    benchmark: BenchmarkFixture,
    bench_setup: Setup,
    tmp_path_factory: pytest.TempPathFactory,
    n: int,
    data: str,
    form: str,
) -> None:
    """(6): `csrscore rank FILE --format csv -o out.csv` against parsing FILE alone."""
    directory = tmp_path_factory.mktemp(f"rank-{data}")
    path = write_data_file(bench_setup, directory, data, n, form)
    rubric = str(rubric_file(bench_setup, directory)) if data == "synthetic" else "iso26000"
    name = data if data == "synthetic" else f"{data} iso26000"
    result = _pedantic(
        benchmark, lambda: measure_command(path, rubric, f"{name}, {form.upper()}", n), 1
    )
    benchmark.extra_info["ratio_to_parse"] = min(result.ratios)
    TABLE.command(result)
    path.unlink()


@pytest.mark.parametrize("report_file", _sizes(FILE_SIZES, 100_000), indirect=True)
def test_ingest(benchmark: BenchmarkFixture, bench_setup: Setup, report_file: Path) -> None:
    reports = load_reports(report_file).reports
    runs: list[dict[str, Lap]] = []
    rounds = 2 if len(reports) >= 100_000 else 3
    _pedantic(benchmark, lambda: runs.append(ingest(bench_setup.plan, reports)), rounds)
    best = min(runs, key=lambda laps: total(laps).cpu)
    mean = sum(len(r.disclosures) for r in reports) / len(reports)
    benchmark.extra_info["records_per_second"] = len(reports) / total(best).cpu
    TABLE.ingest(IngestResult(len(reports), mean, best))


if __name__ == "__main__":
    main()
