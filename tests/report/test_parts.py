"""The site's parts without a browser: page names, links, words, and the written files."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from csrscore import Scores, load_reports, load_rubric, score, sensitivity_analysis
from csrscore.errors import UsageError
from csrscore.report import build
from csrscore.report.fragments import lines_html, number, raw
from csrscore.report.inertjson import inert_dumps
from csrscore.report.pages import company_stem, scorecard_page
from csrscore.report.ranking import cells, year_views
from csrscore.report.scorecard import safe_link
from csrscore.report.site import PAGE_ROWS
from csrscore.report.words import trace_lines, value_text
from csrscore.textsafe import visible
from tests.cli.runner import EXAMPLES, ROOT
from tests.report.hostile import SCRIPT_NAME


@given(st.text(min_size=1, max_size=200))
def test_page_names_are_safe(company_id: str) -> None:
    stem = company_stem(company_id)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", stem)
    assert len(stem) <= 80 + 11


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_different_ids_get_different_pages(first: str, second: str) -> None:
    if first != second:
        assert company_stem(first) != company_stem(second)


def test_plain_ids_keep_their_name() -> None:
    assert scorecard_page("northwind-textiles", 2024) == "companies/northwind-textiles-2024.html"
    assert company_stem("../etc/passwd").startswith("___etc_passwd-")


@given(st.text(max_size=100))
def test_only_http_links_survive(url: str) -> None:
    link = safe_link(url)
    assert link is None or re.match(r"(?i)https?://[^/?#\s]", link)


def test_links() -> None:
    assert safe_link("https://example.com/a.pdf#page=3") == "https://example.com/a.pdf#page=3"
    assert safe_link("HTTP://example.com") == "HTTP://example.com"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "/etc/x",
        "//example.com",
        "http:///nohost",
        "vbscript:x",
        None,
        3,
    ):
        assert safe_link(bad) is None


def test_trace_in_words() -> None:
    trace = {
        "kind": "all",
        "passed": False,
        "items": [
            {
                "kind": "test",
                "test": "true",
                "field": "gov.csr_policy",
                "expected": None,
                "actual": True,
                "present": True,
                "passed": True,
            },
            {
                "kind": "test",
                "test": "gte",
                "field": "env.ghg.scope1",
                "expected": 3,
                "actual": None,
                "present": False,
                "passed": False,
            },
        ],
    }
    assert trace_lines(trace) == [
        (0, "all of these hold:", False),
        (1, "gov.csr_policy is true; disclosed: true", True),
        (1, "env.ghg.scope1 is at least 3; disclosed: not disclosed", False),
    ]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, Any]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_site_files(example_site: Path) -> None:
    cards = sorted((example_site / "companies").glob("*.html"))
    assert len(cards) == 60  # one per company-year of the shipped examples
    for name in (
        "index.html",
        "year-2023.html",
        "methodology.html",
        "assets/site.js",
        "assets/site.css",
        "assets/plotly.min.js",
    ):
        assert (example_site / name).is_file()


def test_hostile_markup_is_text(hostile_site: Path) -> None:
    for page in [hostile_site / "index.html", *hostile_site.glob("companies/*.html")]:
        html = page.read_text(encoding="utf-8")
        parser = _Elements()
        parser.feed(html)
        scripts = [attrs.get("src") for tag, attrs in parser.tags if tag == "script"]
        if page.parent == hostile_site:
            assert [src for src in scripts if src] == ["assets/site.js"]
        else:  # a scorecard: the rubric's shared part, the scorecard's drawing, the site's
            assert [src for src in scripts if src] == [
                f"../assets/{name}" for name in ("rubric.js", "scorecard.js", "site.js")
            ]
        assert not [t for t, _ in parser.tags if t in ("img", "iframe", "object")]
        assert not [a for t, a in parser.tags if t == "a" and "javascript" in (a.get("href") or "")]
        assert SCRIPT_NAME not in html
        assert "\u202e" not in html


def test_rank_intervals_and_indistinguishable_ranks() -> None:
    scores = score(load_reports(str(ROOT / EXAMPLES)), load_rubric("iso26000"))
    analysis = sensitivity_analysis(scores, samples=50, seed=0, indices=False)
    for view in year_views(scores, analysis):
        rows = {row.position: row for row in view.rows}
        for position, row in rows.items():
            interval = row.interval
            assert interval is not None
            assert interval.low == analysis.rank_low[position]
            assert interval.high == analysis.rank_high[position]
            assert interval.alike_low <= row.rank <= interval.alike_high
            # Exactly the companies whose intervals overlap this one's are within the range.
            overlapping = [
                other.rank
                for other in rows.values()
                if other.interval
                and other.interval.low <= interval.high
                and other.interval.high >= interval.low
            ]
            assert (interval.alike_low, interval.alike_high) == (
                min(overlapping),
                max(overlapping),
            )


def test_sensitivity_of_other_grouping_is_refused(tmp_path: Path) -> None:
    scores = score(load_reports(str(ROOT / EXAMPLES)), load_rubric("iso26000"))
    analysis = sensitivity_analysis(scores, samples=10, seed=0, indices=False, by=None)
    with pytest.raises(UsageError, match="ranks within each year"):
        build(scores, tmp_path, sensitivity=analysis)


def test_checklist_criteria_and_applicable_point_weights(tmp_path: Path) -> None:
    details = ["names", "addresses", "audits"]
    rubric = load_rubric(
        {
            "rubric": "checklist-site",
            "version": "1",
            "title": "Synthetic checklist rubric",
            "weights": "applicable-points",
            "fields": {"supply.details": {"type": "list", "values": details}},
            "groups": [
                {
                    "id": "supply",
                    "title": "Supply chain",
                    "criteria": [
                        {
                            "id": "details",
                            "title": "Supplier details",
                            "checklist": {
                                "field": "supply.details",
                                "items": details,
                                "points_each": 1,
                                "cap": 2,
                            },
                        }
                    ],
                }
            ],
        }
    )
    records = [
        {
            "company": {"id": f"co{i}", "name": f"Synthetic {i}"},
            "year": 2024,
            "disclosures": {"supply.details": details[:i]},
        }
        for i in range(3)
    ]
    scores = score(records, rubric)
    site = build(scores, tmp_path)
    assert site.pages == 3 + 3  # scorecards, the index, methodology and audit pages
    methodology = (tmp_path / "methodology.html").read_text(encoding="utf-8")
    assert "1.00 points for each item that counts, at most 2.00 in all" in methodology
    assert "Items that count: names, addresses, audits." in methodology
    assert "weigh the points of the criteria that apply to each" in methodology
    card = (tmp_path / scorecard_page("co2", 2024)).read_text(encoding="utf-8")
    assert f'id="total" data-value="{float(scores.totals[2])!r}"' in card


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.items: list[str] = []
        self.in_item = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "li":
            self.items.append("")
            self.in_item = True

    def handle_endtag(self, tag: str) -> None:
        self.in_item = self.in_item and tag != "li"

    def handle_data(self, data: str) -> None:
        if self.in_item:
            self.items[-1] += data


@given(st.lists(st.tuples(st.integers(0, 12), st.text(), st.sampled_from([True, False, None]))))
def test_condition_lines_are_text(lines: list[tuple[int, str, bool | None]]) -> None:
    parser = _Text()
    parser.feed(str(lines_html(lines)))
    assert parser.tags <= {"ul", "li", "span"}
    marks = {True: "met ", False: "not met ", None: ""}
    assert parser.items == [marks[passed] + visible(text) for _, text, passed in lines]


def test_numbers_only_as_numbers() -> None:
    assert number(2.5, 1) == "2.5"
    assert number(None, 2) == "—"
    assert raw(0.1) == "0.1"
    assert raw(None) == ""
    for value in ("<b>1</b>", Markup("<b>1</b>")):
        with pytest.raises(TypeError):
            number(value, 2)
        with pytest.raises(TypeError):
            raw(value)  # type: ignore[arg-type]


def test_workers_write_the_same_site(
    paged_site: Path, paged_scores: Scores, tmp_path: Path
) -> None:
    site = build(paged_scores, tmp_path, workers=1)
    assert site.pages == len(paged_scores) + 2 + 2  # two years, methodology and audit
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(
        p.relative_to(paged_site) for p in paged_site.rglob("*") if p.is_file()
    )
    for path in written:
        assert (tmp_path / path).read_bytes() == (paged_site / path).read_bytes(), path


def test_ranking_data_holds_every_row(paged_site: Path, paged_scores: Scores) -> None:
    view = year_views(paged_scores)[0]
    assert len(view.rows) > PAGE_ROWS
    html = (paged_site / "index.html").read_text(encoding="utf-8")
    parser = _Elements()
    parser.feed(html)
    assert sum(1 for tag, attrs in parser.tags if tag == "tr" and "data-company" in attrs) == (
        PAGE_ROWS
    )
    island = re.search(r'<script type="application/json" id="ranking-data">(.*?)</script>', html)
    assert island is not None
    data = json.loads(island.group(1))
    assert [row[0] for row in data] == [row.company_id for row in view.rows]
    for listed, row in zip(data, view.rows, strict=True):
        expected = [value if value == shown else [value, shown] for value, shown in cells(row)]
        assert listed[5] == expected
        assert float(expected[4][0]) == paged_scores.totals[row.position]


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(_JSON_VALUES)
def test_value_text_is_json_dumps(value: Any) -> None:
    assert value_text(value) == json.dumps(value, ensure_ascii=False, default=str)


def _deep_inert(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [_deep_inert(item) for item in value]
    if isinstance(value, dict):
        return {visible(key): _deep_inert(item) for key, item in value.items()}
    return value


_TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\\\x7f\x07\u202e\n"))
_STRINGY = st.recursive(
    st.none() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=16,
)


@given(_STRINGY)
def test_inert_json_is_json_of_inert_strings(value: Any) -> None:
    text = inert_dumps(value, separators=(",", ":"))
    assert json.loads(text) == _deep_inert(value)
    assert text.isascii()
    assert text.isprintable()
