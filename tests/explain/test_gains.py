"""Gains under geometric means, found for many candidates in one `aggregate` call, are the
same, bit for bit, as re-aggregating each company alone with the one criterion changed."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings

from csrscore import load_reports, load_rubric, score
from csrscore.engine.aggregate import aggregate
from csrscore.engine.scores import Scores
from csrscore.explain import gains
from csrscore.explain.gains import exact_gains
from tests.engine.strategies import report_records, rubrics


def _alone(scores: Scores, row: int, c: int, points: float) -> float:
    changed = scores.points[row : row + 1].copy()
    changed[0, c] = points
    one = slice(row, row + 1)
    after = aggregate(scores.plan, changed, scores.applicable[one], scores.group_applicable[one])
    return float(after.base[0] - scores.base[row])


def _check(scores: Scores) -> None:
    """Every company and criterion, to the top and to half the maximum."""
    n, c = scores.points.shape
    rows, cols = np.divmod(np.arange(2 * n * c), c)
    rows %= n
    maxima = scores.plan.max_points[cols]
    targets = np.where(np.arange(2 * n * c) < n * c, maxima, maxima / 2)
    found = exact_gains(scores, rows, cols, targets)
    expected = [
        _alone(scores, row, col, points)
        for row, col, points in zip(rows.tolist(), cols.tolist(), targets.tolist(), strict=True)
    ]
    assert found.tolist() == expected


@settings(max_examples=60)
@given(rubric_data=rubrics(), records=report_records())
def test_batched_gains_equal_one_company_at_a_time(
    rubric_data: dict[str, Any], records: list[dict[str, Any]]
) -> None:
    scores = score(load_reports(records, strict=True), load_rubric(rubric_data))
    _check(scores)


def test_batches_split_across_calls(monkeypatch: Any) -> None:
    """Candidates cut into several `aggregate` calls give the same gains."""
    from benchmarks.realistic import spread

    from tests.explain.pinned import _shipped_document

    document = _shipped_document("iso26000")
    document["aggregation"] = "geometric"
    scores = score(spread(12), load_rubric(document))
    monkeypatch.setattr(gains, "CANDIDATES_PER_CALL", 37)
    _check(scores)
