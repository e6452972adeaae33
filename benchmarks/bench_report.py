"""How long `csrscore.report.build` takes for 10,000 company-years, how big the site is,
and how long its index page takes to open (load event) in headless Chromium.

Targets from issue 18: build in at most 15 s, index loaded in at most 2 s. Two data sets,
both synthetic: the shipped examples replicated (`benchmarks.realistic.replicated`, scored
with the shipped `iso26000` rubric: 71 criteria, two years) and generated records with a
generated rubric of the same size (`benchmarks.engine_data`, 70 criteria, nine years).

    .venv/bin/python -m benchmarks.bench_report [company-years]   # one table, both sets
    .venv/bin/pytest benchmarks/bench_report.py --benchmark-enable
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks import engine_data
from benchmarks.realistic import replicated
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


def synthetic_scores(n: int) -> Scores:
    universe = engine_data.make_universe()
    rubric = load_rubric(engine_data.make_rubric(universe, criteria=70, groups=8))
    records = engine_data.records(engine_data.draw_sample(universe, n))
    return score(load_reports(records), rubric)


DATA: dict[str, Callable[[int], Scores]] = {
    "realistic": realistic_scores,
    "synthetic": synthetic_scores,
}


def site_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())


def index_load_seconds(index: Path, loads: int = LOADS) -> list[float]:
    """Seconds from navigation start to the load event, one fresh page per load."""
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(loads):
            page = browser.new_page()
            page.goto(index.as_uri(), wait_until="load", timeout=120_000)
            end = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            timings.append(float(end) / 1000.0)
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
    assert site.pages == len(scores) + len({int(y) for y in scores.years}) + 1


def test_index_load(
    benchmark: BenchmarkFixture, scored: tuple[str, Scores], tmp_path: Path
) -> None:
    _, scores = scored
    build(scores, tmp_path / "site")
    timings: list[float] = benchmark.pedantic(  # type: ignore[no-untyped-call]
        index_load_seconds, args=(tmp_path / "site" / "index.html", 1), rounds=LOADS
    )
    assert timings


def main(n: int) -> None:
    print(
        f"{'data':<10} {'build s':>8} {'ms/page':>8} {'site MB':>8} {'index MB':>9} "
        f"{'load s (median of 3)':>21}"
    )
    for name, make in DATA.items():
        scores = make(n)
        folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
        try:
            start = time.perf_counter()
            site = build(scores, folder)
            seconds = time.perf_counter() - start
            loads = index_load_seconds(folder / "index.html")
            index_mb = (folder / "index.html").stat().st_size / 1e6
            print(
                f"{name:<10} {seconds:8.1f} {seconds / site.pages * 1000:8.1f} "
                f"{site_bytes(folder) / 1e6:8.0f} {index_mb:9.1f} "
                f"{statistics.median(loads):21.2f}",
                flush=True,
            )
        finally:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else COMPANY_YEARS)
