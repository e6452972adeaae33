"""One site of the shipped examples (with a small sensitivity run) and one of hostile
records, each built once per session through the CLI; one with more companies a year than
the ranking shows at once, built in Python with two workers; and, for tests marked `browser`,
Debian's headless Chromium driven by playwright."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.realistic import replicated

from csrscore import Scores, load_reports, load_rubric, score
from csrscore.report import build
from tests.cli.runner import EXAMPLES, ROOT, run_cli
from tests.report.hostile import hostile_records

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SAMPLES = "50"


def _build(out: Path, reports: str, *extra: str) -> Path:
    result = run_cli(["report", reports, "-o", str(out), *extra])
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("site"), str(ROOT / EXAMPLES), "--samples", SAMPLES)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    reports = folder / "hostile.json"
    reports.write_text(json.dumps({"reports": hostile_records()}), encoding="utf-8")
    return _build(folder / "site", str(reports))


@pytest.fixture(scope="session")
def rank_json() -> dict[str, Any]:
    result = run_cli(["rank", str(ROOT / EXAMPLES), "--format", "json"])
    assert result.code == 0
    document: dict[str, Any] = json.loads(result.out)
    return document


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (or run -m 'not browser')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# More company-years per year than the ranking shows at once (`PAGE_ROWS`, 100).
PAGED_RECORDS = 260


@pytest.fixture(scope="session")
def paged_scores() -> Scores:
    return score(load_reports(replicated(PAGED_RECORDS)), load_rubric("iso26000"))


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory: pytest.TempPathFactory, paged_scores: Scores) -> Path:
    folder = tmp_path_factory.mktemp("paged")
    build(paged_scores, folder, workers=2)
    return folder
