"""The engine against the reference evaluator, on random rubrics and random reports."""

from __future__ import annotations

import math
from typing import Any
from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import load_reports, load_rubric, score
from csrscore.engine import aggregate, levels
from csrscore.reference import Others, reference_score
from tests.engine.strategies import (
    FIELDS,
    company_years,
    cross_record_rubrics,
    disclosure_values,
    report_records,
    rubrics,
)

TOLERANCE = 1e-9


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return abs(a - b) <= TOLERANCE


@given(rubric_data=rubrics(), records=report_records())
def test_engine_equals_reference(
    rubric_data: dict[str, Any], records: list[dict[str, Any]]
) -> None:
    rubric = load_rubric(rubric_data)
    reports = load_reports(records, strict=True)
    scores = score(reports, rubric)
    assert len(scores) == len(reports.reports)
    for i, report in enumerate(reports.reports):
        expected = reference_score(report, rubric)
        for c, cid in enumerate(scores.criterion_ids):
            assert scores.levels[i, c] == expected.levels[cid], cid
            assert abs(scores.points[i, c] - expected.points[cid]) <= TOLERANCE, cid
        for g, gid in enumerate(scores.group_ids[:-1]):  # the root has no parent
            assert abs(scores.group_weights[i, g] - expected.group_weights[gid]) <= TOLERANCE
        for g, gid in enumerate(scores.group_ids):
            engine_value = float(scores.group_scores[i, g])
            assert _close(engine_value, expected.group_scores[gid]), (
                gid,
                engine_value,
                expected.group_scores[gid],
            )
        for a, aid in enumerate(scores.adjustment_ids):
            assert abs(scores.adjustments[i, a] - expected.adjustments[aid]) <= TOLERANCE, aid
        assert abs(scores.base[i] - expected.base) <= TOLERANCE
        assert abs(scores.totals[i] - expected.total) <= TOLERANCE
        assert scores.grades[i] == expected.grade


@given(rubric_data=rubrics(), records=report_records())
def test_totals_within_scale(rubric_data: dict[str, Any], records: list[dict[str, Any]]) -> None:
    scores = score(records, load_rubric(rubric_data))
    assert np.all(scores.totals >= 0)
    assert np.all(scores.totals <= scores.rubric.scale)
    total = scores.base + scores.adjustments.sum(axis=1) + scores.clamp
    np.testing.assert_allclose(total, scores.totals, atol=TOLERANCE)


@given(rubric_data=rubrics(), records=report_records(), seed=st.randoms(use_true_random=False))
def test_shuffling_changes_only_order(
    rubric_data: dict[str, Any], records: list[dict[str, Any]], seed: Any
) -> None:
    rubric = load_rubric(rubric_data)
    first = score(records, rubric)
    shuffled = list(records)
    seed.shuffle(shuffled)
    second = score(shuffled, rubric)
    by_key = {
        (cid, int(y)): i
        for i, (cid, y) in enumerate(zip(second.company_ids, second.years, strict=True))
    }
    ranks_first, ranks_second = first.rank(), second.rank()
    for i, key in enumerate(zip(first.company_ids, (int(y) for y in first.years), strict=True)):
        j = by_key[key]
        assert first.totals[i] == second.totals[j]
        assert np.array_equal(first.levels[i], second.levels[j])
        assert ranks_first[i] == ranks_second[j]


def _monotone(node: Any) -> Any:
    """The same rubric data with every way of rewarding absence removed.

    Only `missing` and `not` are true for an absent value; `applies_when` can turn a
    criterion from N/A to a scored 0; and `stats.*` shares can fall when a non-numeric
    disclosure is added. A cumulative ladder whose points fall from one level to the next
    loses points when a disclosure lets it climb, so its points become a running maximum.
    Everything else is false on a missing field.
    """
    if isinstance(node, list):
        return [_monotone(item) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"missing"}:
        return {"exists": node["missing"]}
    if set(node) == {"not"}:
        return _monotone(node["not"])
    share = "stats.quantitative_share"
    result = {
        "t.n1" if key == share else key: _monotone("t.n1" if value == share else value)
        for key, value in node.items()
        if key not in ("applies_when", "adjustments")
    }
    if result.get("cumulative"):
        highest = 0
        for level in result["levels"]:
            highest = level["points"] = max(highest, level["points"])
    return result


@given(rubric_data=rubrics(penalties=False), records=report_records(max_size=4), data=st.data())
def test_adding_a_disclosure_never_lowers_a_score_without_penalties(
    rubric_data: dict[str, Any], records: list[dict[str, Any]], data: st.DataObject
) -> None:
    rubric = load_rubric(_monotone(rubric_data))
    before = score(records, rubric)
    extended = []
    for record in records:
        taken = record["disclosures"].keys() | record.get("not_applicable", {}).keys()
        absent = [key for key in FIELDS if key not in taken]
        if absent:
            key = data.draw(st.sampled_from(absent))
            value = data.draw(disclosure_values(FIELDS[key]))
            record = {**record, "disclosures": {**record["disclosures"], key: value}}
        extended.append(record)
    after = score(extended, rubric)
    assert np.all(after.totals >= before.totals - TOLERANCE)


@given(rubric_data=rubrics(), records=report_records(max_size=12))
def test_row_blocks_change_nothing(
    rubric_data: dict[str, Any], records: list[dict[str, Any]]
) -> None:
    """The engine works in row blocks (256k rows for levels, 128k for aggregation), so the
    examples here fit one block. Blocks of 3 and 2 rows, which split these sets unevenly
    and differently, must give bit-identical arrays."""
    rubric = load_rubric(rubric_data)
    reports = load_reports(records, strict=True)
    whole = score(reports, rubric)
    with patch.object(levels, "BLOCK_ROWS", 3), patch.object(aggregate, "BLOCK_ROWS", 2):
        blocked = score(reports, rubric)
    for name in (
        "levels",
        "points",
        "applicable",
        "group_applicable",
        "group_scores",
        "base",
        "adjustments",
        "totals",
        "grades",
    ):
        np.testing.assert_array_equal(getattr(blocked, name), getattr(whole, name), name)
    assert blocked.levels.dtype == whole.levels.dtype
    assert list(blocked.condition_results) == list(whole.condition_results)
    for condition, result in whole.condition_results.items():
        np.testing.assert_array_equal(blocked.condition_results[condition], result)


@settings(max_examples=150, deadline=None)
@given(rubric_data=cross_record_rubrics(), records=company_years())
def test_engine_equals_reference_with_derived_fields_and_peers(
    rubric_data: dict[str, Any], records: list[dict[str, Any]]
) -> None:
    rubric = load_rubric(rubric_data)
    reports = load_reports(records, strict=True)
    scores = score(reports, rubric)
    others = Others(rubric, reports.reports)
    for i, report in enumerate(reports.reports):
        expected = reference_score(report, rubric, others)
        for c, cid in enumerate(scores.criterion_ids):
            assert scores.levels[i, c] == expected.levels[cid], cid
            assert abs(scores.points[i, c] - expected.points[cid]) <= TOLERANCE, cid
        for a, aid in enumerate(scores.adjustment_ids):
            assert abs(scores.adjustments[i, a] - expected.adjustments[aid]) <= TOLERANCE, aid
        assert abs(scores.totals[i] - expected.total) <= TOLERANCE
