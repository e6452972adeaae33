"""How long `csrscore.report.build` takes for 10,000 company-years, how big the site is,
and how long its index page takes to open (load event) in headless Chromium.

Targets from issue 18: build in at most 15 s, index loaded in at most 2 s. Three data
sets, all synthetic: the shipped examples replicated (`benchmarks.realistic.replicated`,
scored with the shipped `iso26000` rubric: 71 criteria, two years), the same with each copy
changed at random (`benchmarks.realistic.spread`), and generated records with a generated
rubric of the same size (`benchmarks.engine_data`, 70 criteria, nine years).

Besides the wall time, the table gives the CPU seconds of the build (its own process and
the scorecard workers together): on a shared host the wall time says more about the other
jobs than about the build.

    .venv/bin/python -m benchmarks.bench_report [company-years]     # one table, all sets
    .venv/bin/python -m benchmarks.bench_report 2000 --profile      # cProfile, one process
    .venv/bin/python -m benchmarks.bench_report 2000 --parts        # explanation's share
    .venv/bin/pytest benchmarks/bench_report.py --benchmark-enable
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks import engine_data
from benchmarks.realistic import replicated, spread
from csrscore import Scores, load_reports, load_rubric, score
from csrscore.report import build

COMPANY_YEARS = 10_000
LOADS = 3
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def realistic_scores(n: int) -> Scores:
    return score(load_reports(replicated(n)), load_rubric("iso26000"))


def spread_scores(n: int) -> Scores:
    return score(load_reports(spread(n)), load_rubric("iso26000"))


def synthetic_scores(n: int) -> Scores:
    universe = engine_data.make_universe()
    rubric = load_rubric(engine_data.make_rubric(universe, criteria=70, groups=8))
    records = engine_data.records(engine_data.draw_sample(universe, n))
    return score(load_reports(records), rubric)


DATA: dict[str, Callable[[int], Scores]] = {
    "replicated": realistic_scores,
    "spread": spread_scores,
    "synthetic": synthetic_scores,
}


def site_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())


def index_load_seconds(index: Path, loads: int = LOADS) -> list[tuple[float, float]]:
    """Seconds from navigation start to the load event, and to the last chart drawn (the
    page loads plotly.js after its load event), one fresh page per load."""
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(loads):
            page = browser.new_page()
            page.goto(index.as_uri(), wait_until="load", timeout=120_000)
            page.wait_for_selector("html[data-charts=drawn]", state="attached", timeout=120_000)
            load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            drawn = page.evaluate("performance.now()")
            timings.append((float(load) / 1000.0, float(drawn) / 1000.0))
            page.close()
        browser.close()
    return timings


@pytest.fixture(scope="module", params=list(DATA))
def scored(request: pytest.FixtureRequest) -> tuple[str, Scores]:
    name: str = request.param
    return name, DATA[name](COMPANY_YEARS)


def test_build(benchmark: BenchmarkFixture, scored: tuple[str, Scores], tmp_path: Path) -> None:
    _, scores = scored
    # pytest-benchmark ships py.typed but leaves `pedantic` unannotated.
    site = benchmark.pedantic(  # type: ignore[no-untyped-call]
        build, args=(scores, tmp_path / "site"), rounds=1, iterations=1
    )
    # Scorecards, one ranking per year, the methodology and the audit page.
    assert site.pages == len(scores) + len({int(y) for y in scores.years}) + 2


def test_index_load(
    benchmark: BenchmarkFixture, scored: tuple[str, Scores], tmp_path: Path
) -> None:
    _, scores = scored
    build(scores, tmp_path / "site")
    timings: list[tuple[float, float]] = benchmark.pedantic(  # type: ignore[no-untyped-call]
        index_load_seconds, args=(tmp_path / "site" / "index.html", 1), rounds=LOADS
    )
    assert timings


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the scorecard workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(n: int) -> None:
    print(
        f"{'data':<10} {'build s':>8} {'cpu s':>7} {'cpu ms/page':>11} {'site MB':>8} "
        f"{'index MB':>9} {'load s':>7} {'charts s':>9}   (load and charts: median of {LOADS})"
    )
    for name, make in DATA.items():
        scores = make(n)
        folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
        try:
            cpu = cpu_seconds()
            start = time.perf_counter()
            site = build(scores, folder)
            seconds = time.perf_counter() - start
            cpu = cpu_seconds() - cpu
            loads = index_load_seconds(folder / "index.html")
            index_mb = (folder / "index.html").stat().st_size / 1e6
            print(
                f"{name:<10} {seconds:8.1f} {cpu:7.1f} {cpu / site.pages * 1000:11.2f} "
                f"{site_bytes(folder) / 1e6:8.0f} {index_mb:9.1f} "
                f"{statistics.median(t[0] for t in loads):7.2f} "
                f"{statistics.median(t[1] for t in loads):9.2f}",
                flush=True,
            )
        finally:
            shutil.rmtree(folder)


def parts(n: int) -> None:
    """CPU per scorecard of the explanation alone (`Explainer.explain` for every
    company-year, as the build calls it) and of a whole one-process build, in one process:
    what the build spends beyond the explanation is the site's own cost. Also the size of a
    scorecard. It runs the csrscore on the path, so the same command with `PYTHONPATH` set
    to an older checkout's `src` measures that one (the comparison in docs/benchmarks.md)."""
    import csrscore
    from csrscore.explain import Explainer
    from csrscore.gcpause import paused_gc

    print(f"csrscore from {Path(csrscore.__file__).parent}")
    print(
        f"{'data':<10} {'explain ms/card':>15} {'build ms/card':>13} {'explain share':>13} "
        f"{'kB/card':>8} {'site MB':>8}"
    )
    for name, make in DATA.items():
        scores = make(n)
        folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
        try:
            start = time.process_time()
            explainer = Explainer(scores)
            with paused_gc():
                for row in range(len(scores)):
                    explainer.explain(row).to_dict()
            explained = time.process_time() - start
            del explainer
            start = time.process_time()
            build(scores, folder, workers=1)
            built = time.process_time() - start
            cards = site_bytes(folder / "companies") / len(scores)
            print(
                f"{name:<10} {explained / n * 1000:15.2f} {built / n * 1000:13.2f} "
                f"{explained / built:13.0%} {cards / 1000:8.1f} {site_bytes(folder) / 1e6:8.1f}",
                flush=True,
            )
        finally:
            shutil.rmtree(folder)


def profile(n: int) -> None:
    """Where a one-process build of the replicated examples spends its time."""
    scores = realistic_scores(n)
    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        profiler = cProfile.Profile()
        profiler.runcall(build, scores, folder, workers=1)
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("company_years", nargs="?", type=int, default=COMPANY_YEARS)
    parser.add_argument("--profile", action="store_true", help="cProfile one build instead")
    parser.add_argument(
        "--parts", action="store_true", help="the explanation's share of a one-process build"
    )
    options = parser.parse_args()
    run = profile if options.profile else parts if options.parts else main
    run(options.company_years)
