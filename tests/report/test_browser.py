"""The site in a real browser: Debian's headless Chromium through playwright.

Marked `browser`: `pytest -m 'not browser'` skips these locally; CI runs them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import Scores
from csrscore.precision import display_number
from csrscore.report.pages import scorecard_page
from csrscore.report.scorecard import group_rows
from csrscore.report.site import PAGE_ROWS
from tests.cli.runner import EXAMPLES, ROOT, run_cli
from tests.report.browser import Watched, watch
from tests.report.hostile import BIDI_NAME, JAVASCRIPT_URL, LINK_NAME, QUOTE, SAFE_URL, SCRIPT_NAME

pytestmark = pytest.mark.browser

# A full-page screenshot rasterises every chart; on a busy 2-core host that takes seconds.
SCREENSHOT_MS = 60_000


@pytest.fixture
def tab(browser: Any) -> Iterator[Watched]:
    watched = watch(browser)
    yield watched
    watched.page.close()


def _rows(tab: Watched) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = tab.page.eval_on_selector_all(
        "#ranking tbody tr",
        """rows => rows.map(row => ({
            company: row.dataset.company,
            sector: row.dataset.sector,
            hidden: row.hidden,
            rank: row.cells[0].textContent.trim(),
            total: row.cells[4].dataset.value,
            shownTotal: row.cells[4].textContent.trim(),
            grade: row.cells[5].textContent.trim(),
        }))""",
    )
    return rows


def _expected(rank_json: dict[str, Any], year: int) -> list[dict[str, Any]]:
    return [c for c in rank_json["companies"] if c["year"] == year]


def test_pages_load_without_errors_or_outside_requests(
    tab: Watched, example_site: Path, tmp_path: Path
) -> None:
    pages = [
        example_site / "index.html",
        example_site / "year-2023.html",
        example_site / "methodology.html",
        example_site / scorecard_page("northwind-textiles", 2024),
    ]
    for page in pages:
        tab.open(page)
    assert tab.problems == []
    assert tab.outside_requests() == []
    assert tab.dialogs == []
    tab.open(pages[0])
    assert tab.page.locator("#chart-distribution .main-svg").count() >= 1
    assert tab.page.locator("#chart-heatmap .main-svg").count() >= 1
    assert tab.page.locator("#chart-movers .main-svg").count() >= 1
    assert tab.page.locator("#chart-intervals .main-svg").count() >= 1
    tab.page.screenshot(path=str(tmp_path / "index.png"), full_page=True, timeout=SCREENSHOT_MS)
    tab.open(pages[3])
    tab.page.screenshot(path=str(tmp_path / "scorecard.png"), timeout=SCREENSHOT_MS)
    assert (tmp_path / "index.png").stat().st_size > 10_000
    assert (tmp_path / "scorecard.png").stat().st_size > 10_000


def test_index_numbers_equal_rank_json(
    tab: Watched, example_site: Path, rank_json: dict[str, Any]
) -> None:
    for year, page in ((2024, "index.html"), (2023, "year-2023.html")):
        tab.open(example_site / page)
        rows = _rows(tab)
        expected = _expected(rank_json, year)
        assert {r["company"] for r in rows} == {c["company_id"] for c in expected}
        by_id = {c["company_id"]: c for c in expected}
        for row in rows:
            company = by_id[row["company"]]
            assert int(row["rank"]) == company["rank"]
            assert float(row["total"]) == company["total"]
            assert row["shownTotal"] == f"{round(company['total'], 9):.2f}"
            assert row["grade"] == company["grade"]


def test_header_click_sorts(tab: Watched, example_site: Path) -> None:
    tab.open(example_site / "index.html")
    total = tab.page.get_by_role("button", name="Total", exact=True)
    total.click()
    ascending = [float(r["total"]) for r in _rows(tab)]
    assert ascending == sorted(ascending)
    assert tab.page.locator("th:has(button:text-is('Total'))").get_attribute("aria-sort") == (
        "ascending"
    )
    total.press("Enter")  # the same from the keyboard
    descending = [float(r["total"]) for r in _rows(tab)]
    assert descending == sorted(ascending, reverse=True)
    tab.page.get_by_role("button", name="Company", exact=True).click()
    names = tab.page.eval_on_selector_all(
        "#ranking tbody th[scope=row]", "cells => cells.map(c => c.textContent.trim())"
    )
    assert names == sorted(names, key=str.casefold) or names == sorted(names)
    assert tab.problems == []


def test_sector_filter_hides_other_rows(tab: Watched, example_site: Path) -> None:
    tab.open(example_site / "index.html")
    everyone = _rows(tab)
    tab.page.get_by_label("Sector").select_option("textiles")
    rows = _rows(tab)
    shown = [r for r in rows if not r["hidden"]]
    assert shown
    assert all(r["sector"] == "textiles" for r in shown)
    assert len(shown) == sum(r["sector"] == "textiles" for r in everyone)
    assert all(r["hidden"] for r in rows if r["sector"] != "textiles")
    assert tab.page.locator("#ranking tbody tr:visible").count() == len(shown)
    assert tab.page.locator("#shown").text_content() == str(len(shown))
    tab.page.get_by_label("Grade").select_option("A")
    both = [r for r in _rows(tab) if not r["hidden"]]
    assert all(r["sector"] == "textiles" and r["grade"] == "A" for r in both)
    tab.page.get_by_label("Sector").select_option("")
    tab.page.get_by_label("Grade").select_option("")
    assert not any(r["hidden"] for r in _rows(tab))


def test_year_switch(tab: Watched, example_site: Path, rank_json: dict[str, Any]) -> None:
    tab.open(example_site / "index.html")
    assert tab.page.locator("h1").text_content() == "Ranking 2024"
    tab.page.get_by_role("navigation", name="Year").get_by_role("link", name="2023").click()
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("h1").text_content() == "Ranking 2023"
    assert {r["company"] for r in _rows(tab)} == {
        c["company_id"] for c in _expected(rank_json, 2023)
    }
    current = tab.page.locator("nav.years [aria-current=page]")
    assert current.text_content() == "2023"
    tab.page.get_by_role("navigation", name="Year").get_by_role("link", name="2024").click()
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("h1").text_content() == "Ranking 2024"


@pytest.mark.parametrize(
    ("company", "year"), [("northwind-textiles", 2024), ("ironvale-resources", 2023)]
)
def test_scorecard_numbers_equal_explain_json(
    tab: Watched, example_site: Path, company: str, year: int
) -> None:
    result = run_cli(
        ["explain", str(ROOT / EXAMPLES), company, "--year", str(year), "--format", "json"]
    )
    explanation = json.loads(result.out)
    tab.open(example_site / scorecard_page(company, year))
    summary = explanation["summary"]
    page = tab.page
    assert float(page.locator("#total").get_attribute("data-value") or "nan") == summary["total"]
    assert page.locator("#grade").text_content() == summary["grade"]
    assert int(page.locator("#rank").text_content() or 0) == summary["rank"]
    assert int(page.locator("#sector-rank").text_content() or 0) == summary["sector_rank"]
    # The script draws the groups and criteria from the page's data: each number is the
    # explanation's float (data-value) and shows as `display_number` rounds it.
    groups = page.eval_on_selector_all(
        "#group-rows tr",
        """rows => Object.fromEntries(rows.map(row => [row.id.replace('group-', ''),
            [row.cells[1].dataset.value, row.cells[1].textContent]]))""",
    )
    for _, group in group_rows(explanation["groups"]):
        value, text = groups[group["id"]]
        assert (None if value == "" else float(value)) == group["score"]
        assert text == display_number(group["score"], 1)
    points = page.eval_on_selector_all(
        ".criterion",
        """items => Object.fromEntries(items.map(item => {
            const shown = item.querySelector('.points [data-value]');
            return [item.id.replace('criterion-', ''),
                    shown ? [shown.dataset.value, shown.textContent] : null];
        }))""",
    )
    assert len(points) == len(explanation["criteria"])
    for item in explanation["criteria"]:
        shown = points[item["id"]]
        if not item["applicable"]:
            assert shown is None
            continue
        assert float(shown[0]) == item["points"]
        assert shown[1] == display_number(item["points"], 2)
    peers = page.eval_on_selector_all(
        "#peer-rows tr", "rows => rows.map(row => row.cells[1].textContent)"
    )
    assert peers == [display_number(g["score"], 1) for g in explanation["groups"]]
    assert page.locator("#chart-peers .main-svg").count() >= 1
    gains = page.eval_on_selector_all(
        "ol.improvements > li > span[data-value]", "spans => spans.map(s => s.dataset.value)"
    )
    assert [float(g) for g in gains] == [i["gain_next"] for i in explanation["improvements"]]
    assert tab.problems == []


# Exact halves in binary (0.125, 2.675 is not one), negative zeros, rounding into a new
# digit, and the 9-place rounding that keeps float noise from tipping a half.
TRICKY = [
    0.125,
    0.375,
    2.5,
    3.5,
    -0.125,
    2.675,
    1.005,
    -0.001,
    -0.0,
    0.0,
    9.995,
    99.999,
    0.3749999999999999,
    0.37499999999999994,
    1e-10,
    -1e-12,
    12345.6785,
    1 / 3,
    2 / 3,
    73.46938775510205,
    0.0009765625,
    1e20,
    5e-324,
]


@settings(max_examples=1, deadline=None)
@given(
    st.lists(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
        min_size=200,
        max_size=200,
    )
)
def test_script_rounds_as_python(browser: Any, example_site: Path, drawn: list[float]) -> None:
    """scorecard.js formats numbers itself; it must agree with `display_number`."""
    watched = watch(browser)
    try:
        watched.open(example_site / scorecard_page("northwind-textiles", 2024))
        values = TRICKY + drawn
        for places in (0, 1, 2):
            shown = watched.page.evaluate(
                "([values, places]) => values.map(v => window.CSRSCORE_NUMBER(v, places))",
                [values, places],
            )
            assert shown == [display_number(v, places) for v in values]
    finally:
        watched.page.close()


def test_hostile_text_stays_inert(tab: Watched, hostile_site: Path, tmp_path: Path) -> None:
    tab.open(hostile_site / "index.html")
    page = tab.page
    names = page.eval_on_selector_all(
        "#ranking tbody th[scope=row] a", "links => links.map(a => a.textContent)"
    )
    assert SCRIPT_NAME in names
    assert LINK_NAME in names
    # Control and bidi characters are shown as visible escapes, never acted on.
    assert "Evil\\u202eCorp\\x07" in names
    assert BIDI_NAME not in names
    scripts = page.eval_on_selector_all("script[src]", "s => s.map(e => e.src)")
    assets = hostile_site / "assets"
    assert sorted(scripts) == [(assets / "plotly.min.js").as_uri(), (assets / "site.js").as_uri()]
    assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
    assert page.locator("img").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert not [href for href in hrefs if not href.startswith("file://")]
    # plotly shows the names in tick labels as text too, never as a link.
    assert page.locator(".main-svg a").count() == 0
    ticks = page.eval_on_selector_all(
        "#chart-heatmap .ytick text", "texts => texts.map(t => t.textContent)"
    )
    assert SCRIPT_NAME in ticks
    page.screenshot(path=str(tmp_path / "hostile-index.png"), timeout=SCREENSHOT_MS)

    tab.open(hostile_site / scorecard_page("hostile-0", 2024))
    assert page.locator("h1").text_content() == f"{SCRIPT_NAME} 2024"
    inert = page.locator(".evidence-url.inert").all_text_contents()
    assert JAVASCRIPT_URL in inert
    assert page.locator(f"a[href='{JAVASCRIPT_URL}']").count() == 0
    assert QUOTE in page.locator("q").all_text_contents()
    assert page.locator("img").count() == 0
    tab.open(hostile_site / scorecard_page("hostile-1", 2024))
    links = page.locator("a.evidence-url").evaluate_all("links => links.map(a => a.href)")
    assert SAFE_URL in links
    tab.open(hostile_site / scorecard_page("hostile-2", 2024))
    assert page.locator("a.evidence-url[href^='data:']").count() == 0
    assert tab.dialogs == []
    assert tab.problems == []


def _year_rows(scores: Scores, year: int) -> list[dict[str, Any]]:
    ranks = scores.rank(by="year")
    return [
        {
            "company": scores.company_ids[i],
            "sector": scores.sectors[i] or "",
            "rank": int(ranks[i]),
            "total": float(scores.totals[i]),
        }
        for i in range(len(scores))
        if scores.years[i] == year
    ]


def _cells_html(tab: Watched) -> list[str]:
    html: list[str] = tab.page.eval_on_selector_all(
        "#ranking tbody tr", "rows => rows.map(row => row.outerHTML)"
    )
    return html


def test_ranking_pages_sorts_and_filters_every_row(
    tab: Watched, paged_site: Path, paged_scores: Scores
) -> None:
    year = int(paged_scores.years.max())
    everyone = _year_rows(paged_scores, year)
    assert len(everyone) > PAGE_ROWS
    tab.open(paged_site / "index.html")
    page = tab.page
    served = _cells_html(tab)
    assert len(served) == PAGE_ROWS
    assert page.locator("#page-rows").text_content() == f"Rows 1–{PAGE_ROWS} of {len(everyone)}"
    # Rank twice (descending, then ascending again): the script rebuilds the first page
    # from the page's data exactly as the server wrote it.
    rank = page.get_by_role("button", name="Rank", exact=True)
    rank.click()
    assert int(_rows(tab)[0]["rank"]) == max(r["rank"] for r in everyone)
    rank.press("Enter")
    assert _cells_html(tab) == served

    page.get_by_role("button", name="Next rows").click()
    rest = _rows(tab)
    assert len(rest) == len(everyone) - PAGE_ROWS
    assert page.locator("#page-rows").text_content() == (
        f"Rows {PAGE_ROWS + 1}–{len(everyone)} of {len(everyone)}"
    )
    assert page.get_by_role("button", name="Next rows").is_disabled()
    page.get_by_role("button", name="Previous rows").click()

    page.get_by_role("button", name="Total", exact=True).click()
    ascending = [float(r["total"]) for r in _rows(tab)]
    assert ascending == sorted(r["total"] for r in everyone)[:PAGE_ROWS]

    sector = "textiles"
    in_sector = [r for r in everyone if r["sector"] == sector]
    page.get_by_label("Sector").select_option(sector)
    assert page.locator("#shown").text_content() == str(len(in_sector))
    shown = _rows(tab)
    assert {r["sector"] for r in shown} == {sector}
    assert len(shown) == min(len(in_sector), PAGE_ROWS)
    page.get_by_label("Sector").select_option("")
    page.get_by_role("button", name="Show all rows").click()
    assert {r["company"] for r in _rows(tab)} == {r["company"] for r in everyone}
    assert tab.problems == []
    assert tab.outside_requests() == []


def test_ranking_prints_every_row(tab: Watched, paged_site: Path, paged_scores: Scores) -> None:
    year = int(paged_scores.years.max())
    tab.open(paged_site / "index.html")
    tab.page.emulate_media(media="print")
    tab.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert len(_rows(tab)) == len(_year_rows(paged_scores, year))
    assert not tab.page.locator("nav.pager").is_visible()
