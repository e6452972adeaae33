"""A scorecard is the rubric's shared part (`assets/rubric.js`) and its company's data (the
page's JSON); put back together as `assets/scorecard.js` does, they say exactly what the
explanation says: every number the same float, every line of every trace the same words."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from benchmarks.realistic import spread

from csrscore import Scores, load_reports, load_rubric, score
from csrscore.explain import Explainer
from csrscore.report import build
from csrscore.report.carddata import card_data
from csrscore.report.cardshared import GLOBAL, RUBRIC_SCRIPT, shared_data
from csrscore.report.fragments import inert
from csrscore.report.inertjson import inert_dumps
from csrscore.report.pages import scorecard_page
from csrscore.report.scorecard import group_rows, sector_stats
from csrscore.report.words import trace_lines
from tests.cli.runner import EXAMPLES, ROOT

Line = tuple[int, str, bool]


def _lines(heads: list[list[Any]], nodes: list[int], tails: list[str]) -> list[Line]:
    return [
        (head[0], head[1] + tails[node >> 1], bool(node & 1))
        for head, node in zip(heads, nodes, strict=True)
    ]


def _missing(
    heads: list[list[Any]], nodes: list[int], tails: list[str], ref: list[int]
) -> list[Line]:
    """As scorecard.js draws a missing test: the node and its subtree, from depth 0."""
    level_lines = _lines(heads, nodes, tails)
    start, negated = ref[1], ref[2]
    top = heads[start][0]
    out = []
    for k in range(start, len(heads)):
        if k > start and heads[k][0] <= top:
            break
        depth, text, passed = level_lines[k]
        if k == start and negated and heads[k][2]:
            text = f"not: {text}"
        out.append((depth - top, text, passed))
    return out


def _inert_lines(lines: list[tuple[int, str, bool | None]]) -> list[Line]:
    return [(depth, inert(text), bool(passed)) for depth, text, passed in lines]


def check_card(shared: dict[str, Any], data: dict[str, Any], explanation: dict[str, Any]) -> None:
    tails = data["tails"]
    groups = group_rows(explanation["groups"])
    assert [g[0] for g in shared["groups"]] == [g["id"] for _, g in groups]
    assert [g[2] for g in shared["groups"]] == [depth for depth, _ in groups]
    for row, (_, group) in zip(data["groups"], groups, strict=True):
        assert row == [
            group["score"],
            group["points_earned"],
            group["points_possible"],
            group["weight_in_total"],
            group["contribution"],
            group["not_applicable"],
        ]
    for common, row, item in zip(
        shared["criteria"], data["criteria"], explanation["criteria"], strict=True
    ):
        assert common["id"] == item["id"]
        assert row[:3] == [item["level"], item["points"], item["contribution"]]
        if not item["applicable"]:
            because = item["not_applicable_because"]
            assert row[6][0] == because["node"]
            expected = trace_lines(because["trace"]) if because["trace"] else []
            assert [tuple(line) for line in row[6][1]] == _inert_lines(expected)
            continue
        level = item["level"]
        label = common["labels"][level] if level < len(common["labels"]) else None
        assert (label or [None, None]) == [item["label"], item["level_description"]]
        assert row[3] == "".join("1" if lv["holds"] else "0" for lv in item["levels"])
        traces = row[4] if len(row) > 4 else None
        for k, traced in enumerate(item["levels"]):
            if k in (level - 1, level):  # the page shows these two
                assert traces is not None
                assert traces[k] is not None
            if traces is not None and traces[k] is not None:
                assert _lines(common["heads"][k], traces[k], tails) == _inert_lines(
                    trace_lines(traced["trace"])
                )
        shown = [field for field in common["fields"] if field in data["disclosures"]]
        assert shown == [entry["field"] for entry in item["evidence"]]
        value = item.get("value")
        if value is not None and item["kind"] != "levels":
            assert row[5] is not None
    criteria = {item["id"]: c for c, item in enumerate(explanation["criteria"])}
    assert len(data["improvements"]) == len(explanation["improvements"])
    for step, expected in zip(data["improvements"], explanation["improvements"], strict=True):
        c = criteria[expected["criterion"]]
        assert step[:3] == [c, expected["gain_next"], expected["gain_top"]]
        if step[3] == "value":
            assert [m["kind"] for m in expected["missing"]] == ["value"]
            continue
        common, row = shared["criteria"][c], data["criteria"][c]
        drawn = [_missing(common["heads"][r[0]], row[4][r[0]], tails, r) for r in step[3]]
        assert drawn == [_inert_lines(trace_lines(m)) for m in expected["missing"]]
    assert [a[3] for a in data["adjustments"]] == [a["effect"] for a in explanation["adjustments"]]
    assert data["behind"] == [
        [b["criterion"], b["peers_ahead"], b["peers"]]
        for b in explanation["peers"]["behind_most_peers"]
    ]


@pytest.fixture(scope="module")
def spread_scores() -> Scores:
    return score(load_reports(spread(300, seed=3)), load_rubric("iso26000"))


def test_every_card_says_what_its_explanation_says(spread_scores: Scores) -> None:
    shared = shared_data(spread_scores)
    cumulative = [criterion.cumulative for criterion in spread_scores.plan.criteria]
    explainer = Explainer(spread_scores)
    kinds = set()
    for row in range(len(spread_scores)):
        explanation = explainer.explain(row).to_dict()
        data = json.loads(inert_dumps(card_data(explanation, cumulative)))
        check_card(shared, data, explanation)
        kinds |= {item["applicable"] for item in explanation["criteria"]}
    assert kinds == {True, False}  # the spread data has N/A criteria as well


def _island(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="scorecard-data">(.*?)</script>', html)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def _shared(site: Path) -> dict[str, Any]:
    script = (site / "assets" / RUBRIC_SCRIPT).read_text(encoding="utf-8")
    found = re.search(rf"window\.{GLOBAL} = (.*);\n$", script, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_written_cards_say_what_explain_says(example_site: Path) -> None:
    scores = score(load_reports(str(ROOT / EXAMPLES)), load_rubric("iso26000"))
    shared = _shared(example_site)
    stats = sector_stats(scores)
    explainer = Explainer(scores)
    for row in range(len(scores)):
        explanation = explainer.explain(row).to_dict()
        company = explanation["company"]
        page = example_site / scorecard_page(company["id"], company["year"])
        data = _island(page.read_text(encoding="utf-8"))
        check_card(shared, data, explanation)
        # The peer chart: the sector's median and best of each top-level group.
        cohort = stats[(company["year"], company["sector"])]
        assert data["peers"]["median"] == [None if v != v else v for v in cohort.median.tolist()]
        assert data["peers"]["best"] == [None if v != v else v for v in cohort.best.tolist()]
        assert company["sector"] in data["peers"]["title"]


def test_card_data_is_not_markup(hostile_site: Path) -> None:
    for page in hostile_site.glob("companies/*.html"):
        html = page.read_text(encoding="utf-8")
        island = re.search(r'id="scorecard-data">(.*?)</script>', html, re.S)
        assert island is not None
        assert not set(island.group(1)) & set("<>&")


def test_one_and_two_workers_write_the_same_cards(spread_scores: Scores, tmp_path: Path) -> None:
    one = build(spread_scores, tmp_path / "one", workers=1)
    two = build(spread_scores, tmp_path / "two", workers=2)
    assert one.pages == two.pages
    for path in sorted((tmp_path / "one").rglob("*.html")):
        twin = tmp_path / "two" / path.relative_to(tmp_path / "one")
        assert path.read_bytes() == twin.read_bytes()
