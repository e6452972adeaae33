"""Explanations read the engine's arrays, add up, agree with the levels, and guide
improvement with gains that re-scoring confirms."""

from __future__ import annotations

import gc
import json
from itertools import islice
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest
from hypothesis import given, settings

from csrscore import UnknownCompanyError, load_reports, load_rubric, score
from csrscore.engine import Scores
from csrscore.explain import apply_patch, build, explanation_schema
from csrscore.rubric.conditions import fields_of
from tests.engine.strategies import report_records, rubrics

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "reports.json"
TOLERANCE = 1e-9


@pytest.fixture(scope="module", params=["iso26000", "citi"])
def example_scores(request: pytest.FixtureRequest) -> Scores:
    return score(EXAMPLES, request.param)


def _check_adds_up(scores: Scores, data: dict[str, Any], row: int) -> None:
    contributions = sum(item["contribution"] for item in data["criteria"])
    adjustments = sum(item["effect"] for item in data["adjustments"])
    assert contributions == pytest.approx(float(scores.base[row]), abs=TOLERANCE)
    assert contributions + adjustments == pytest.approx(float(scores.totals[row]), abs=TOLERANCE)


def _level_from_trace(criterion: dict[str, Any], cumulative: bool) -> int:
    level = 0
    best_points = -1.0
    for entry in criterion["levels"]:
        if cumulative:
            if not entry["holds"]:
                break
            level = entry["level"]
        elif entry["holds"] and entry["points"] >= best_points:
            level, best_points = entry["level"], entry["points"]
    return level


def _check_traces(scores: Scores, data: dict[str, Any], row: int) -> None:
    for c, criterion in enumerate(scores.plan.criteria):
        item = data["criteria"][c]
        assert item["id"] == criterion.id
        assert item["level"] == int(scores.levels[row, c])
        if item["applicable"] and criterion.kind == "levels":
            assert _level_from_trace(item, criterion.cumulative) == item["level"]
            for entry in item["levels"]:
                assert entry["trace"]["passed"] == entry["holds"]
        if not item["applicable"]:
            reason = item["not_applicable_because"]
            if "declared" in reason:  # by the company, for fields the criterion reads
                marked = scores.reports[row].not_applicable
                assert reason["declared"]
                for declared in reason["declared"]:
                    assert declared["field"] in criterion.fields_read
                    assert marked[declared["field"]] == declared["reason"]
                continue
            assert reason["trace"] is not None
            assert reason["trace"]["passed"] is False


def _check_context(scores: Scores, data: dict[str, Any], row: int) -> None:
    """Peer context, group points, ranks' denominators and improvement targets, recomputed
    one company at a time from the engine's arrays (the explainer computes them per set)."""
    year, sector = int(scores.years[row]), scores.sectors[row]
    members = [
        i for i in range(len(scores)) if scores.years[i] == year and scores.sectors[i] == sector
    ]
    others = [i for i in members if i != row]
    assert data["summary"]["of"] == int((scores.years == year).sum())
    assert data["summary"]["sector_of"] == len(members)
    peers = data["peers"]
    assert peers["companies"] == len(members)
    assert peers["median_total"] == float(np.median(scores.totals[members]))
    assert peers["best_total"] == float(scores.totals[members].max())
    behind = []
    for c, criterion_id in enumerate(scores.criterion_ids):
        ahead = sum(1 for i in others if scores.points[i, c] > scores.points[row, c])
        if others and scores.levels[row, c] >= 0 and ahead * 2 > len(others):
            behind.append({"criterion": criterion_id, "peers_ahead": ahead, "peers": len(others)})
    assert peers["behind_most_peers"] == behind

    items = {item["id"]: item for item in data["criteria"]}

    zero_policy = scores.rubric.na_policy == "zero"

    def check_group(node: dict[str, Any]) -> tuple[float, int]:
        """Points possible: the maxima of the criteria the score counts; points earned:
        that many times the score, so that the two agree with the percentage."""
        possible = 0.0
        missing = 0
        for child in node["children"]:
            if "criterion" in child:
                item = items[child["criterion"]]
                if item["applicable"] or zero_policy:
                    possible += item["max_points"]
                missing += not item["applicable"]
            else:
                sub = check_group(child)
                possible, missing = possible + sub[0], missing + sub[1]
        assert node["points_possible"] == pytest.approx(possible, abs=TOLERANCE)
        score = 0.0 if node["score"] is None else node["score"] / 100
        assert node["points_earned"] == pytest.approx(score * possible, abs=TOLERANCE)
        assert node["not_applicable"] == missing
        return possible, missing

    for group in data["groups"]:
        check_group(group)

    for entry in data["improvements"]:
        criterion = scores.plan.criteria[scores.criterion_ids.index(entry["criterion"])]
        expected = None
        if criterion.kind == "levels":
            level = items[criterion.id]["level"]
            expected = next(
                (
                    k
                    for k, lv in enumerate(criterion.levels, start=1)
                    if lv.points == entry["next_points"] and (not criterion.cumulative or k > level)
                ),
                None,
            )
        assert entry["target_level"] == expected


def test_every_example_explanation_adds_up_and_matches_levels(example_scores: Scores) -> None:
    for row, explanation in enumerate(example_scores.explain_all()):
        data = explanation.to_dict()
        _check_adds_up(example_scores, data, row)
        _check_traces(example_scores, data, row)
        _check_context(example_scores, data, row)


def test_explain_all_restores_the_garbage_collector(example_scores: Scores) -> None:
    assert gc.isenabled()
    for _ in example_scores.explain_all():
        pass
    assert gc.isenabled()
    explanations = example_scores.explain_all()
    next(explanations)
    assert gc.isenabled()  # paused only while a batch is built, not while the caller holds it


def test_an_abandoned_iterator_in_a_cycle_leaves_the_collector_on(
    example_scores: Scores, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "EXPLAIN_BATCH", 7)
    holder: dict[str, Any] = {}
    holder["self"] = holder  # only the collector can free this, and the iterator with it
    holder["explanations"] = example_scores.explain_all()
    for _ in range(10):  # into the second batch
        next(holder["explanations"])
    assert gc.isenabled()
    del holder
    assert gc.isenabled()
    assert sum(1 for _ in example_scores.explain_all()) == len(example_scores)


def test_explanations_validate_and_render_everything(example_scores: Scores) -> None:
    validator = jsonschema.Draft202012Validator(explanation_schema())
    for explanation in example_scores.explain_all():
        data = explanation.to_dict()
        validator.validate(json.loads(json.dumps(data)))
        text = str(explanation)
        assert "..." not in text
        for criterion_id in example_scores.criterion_ids:
            assert criterion_id in text


def test_committed_schema_matches() -> None:
    committed = json.loads((ROOT / "schemas" / "explanation.schema.json").read_text())
    assert committed == explanation_schema(), (
        "schemas/explanation.schema.json is stale; regenerate with "
        "`csrscore schema explanation > schemas/explanation.schema.json`"
    )


def _shared_fields(scores: Scores, criterion_id: str) -> set[str]:
    """Fields the criterion tests that some other condition also tests."""
    mine: set[str] = set()
    others: set[str] = set()
    for criterion in scores.plan.criteria:
        conditions = [lv.when for lv in criterion.levels]
        if criterion.applies_when is not None:
            conditions.append(criterion.applies_when)
        found = set().union(*(fields_of(c) for c in conditions)) if conditions else set()
        (mine if criterion.id == criterion_id else others).update(found)
    for node in scores.rubric.groups:
        if node.applies_when is not None:
            others |= fields_of(node.applies_when)
    for adjustment in scores.rubric.adjustments:
        if adjustment.when is not None:
            others |= fields_of(adjustment.when)
    return mine & (
        others | {"stats.quantitative_share", "stats.assured_share", "stats.evidence_share"}
    )


def test_suggested_disclosures_raise_the_score_by_the_claimed_gain() -> None:
    raw = json.loads(EXAMPLES.read_text())["reports"]
    checked = 0
    for rubric_name in ("iso26000", "citi"):
        rubric = load_rubric(rubric_name)
        scores = score(raw, rubric)
        uses_stats = "stats." in json.dumps(scores.rubric.document)
        for row in range(0, len(scores), 3):
            data = scores.explain(scores.company_ids[row], int(scores.years[row])).to_dict()
            record = raw[scores.positions[row]]
            for item in data["improvements"][:6]:
                patch = item["suggestion"]
                if not patch or _shared_fields(scores, item["criterion"]):
                    continue
                after = score([apply_patch(record, patch)], rubric)
                c = scores.criterion_ids.index(item["criterion"])
                reached = float(after.points[0, c])
                # A suggestion may overshoot (the patched value can also satisfy a higher
                # level); it must never fall short of the claimed level.
                assert reached >= item["next_points"] - TOLERANCE
                if uses_stats:
                    # stats.* shares move with any new disclosure; check the criterion alone.
                    continue
                gain = float(after.base[0] - scores.base[row])
                if reached == pytest.approx(item["next_points"]):
                    assert gain == pytest.approx(item["gain_next"], abs=1e-9)
                    checked += 1
                else:
                    assert gain > item["gain_next"]
    assert checked >= 20


def test_improvements_are_ordered_by_gain(example_scores: Scores) -> None:
    data = example_scores.explain(example_scores.company_ids[0]).to_dict()
    gains = [item["gain_next"] for item in data["improvements"]]
    assert gains == sorted(gains, reverse=True)
    assert all(gain > 0 for gain in gains)


def test_unknown_company_lists_close_matches(example_scores: Scores) -> None:
    known = example_scores.company_ids[0]
    with pytest.raises(UnknownCompanyError, match="did you mean"):
        example_scores.explain(known[:-1])


def test_explain_defaults_to_the_latest_year(example_scores: Scores) -> None:
    company = example_scores.company_ids[0]
    years = [
        int(y)
        for cid, y in zip(example_scores.company_ids, example_scores.years, strict=True)
        if cid == company
    ]
    assert example_scores.explain(company).to_dict()["company"]["year"] == max(years)


@settings(max_examples=100)
@given(rubric_data=rubrics(), records=report_records())
def test_contributions_add_up_on_generated_rubrics(
    rubric_data: dict[str, Any], records: list[dict[str, Any]]
) -> None:
    scores = score(load_reports(records, strict=True), load_rubric(rubric_data))
    for row, explanation in enumerate(scores.explain_all()):
        data = explanation.to_dict()
        _check_adds_up(scores, data, row)
        _check_traces(scores, data, row)
        _check_context(scores, data, row)
        assert np.isfinite(data["summary"]["total"])


def test_explanations_share_no_mutable_parts(example_scores: Scores) -> None:
    """Editing one exported explanation never changes another, nor the rubric."""
    first, second = (e.to_dict() for e in islice(example_scores.explain_all(), 2))
    before = json.dumps(second, sort_keys=True)
    rubric_before = json.dumps(example_scores.rubric.document, sort_keys=True, default=str)

    def scramble(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                scramble(value)
            node["scrambled"] = True
        elif isinstance(node, list):
            for value in node:
                scramble(value)
            node.append("scrambled")

    scramble(first)
    assert json.dumps(second, sort_keys=True) == before
    assert json.dumps(example_scores.rubric.document, sort_keys=True, default=str) == rubric_before
    again = example_scores.explain(example_scores.company_ids[0], int(example_scores.years[0]))
    assert "scrambled" not in json.dumps(again.to_dict())
