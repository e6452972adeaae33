"""`Scores.take` and `Scores.of_year`: a selection keeps every row's scores as computed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import Scores, score
from csrscore.engine.select import ROW_FIELDS, SHARED_FIELDS
from csrscore.errors import UsageError

EXAMPLES = Path(__file__).parents[2] / "examples" / "reports.json"
_CACHE: dict[str, Scores] = {}


def _scores(rubric: str) -> Scores:
    if rubric not in _CACHE:
        _CACHE[rubric] = score(EXAMPLES, rubric)
    return _CACHE[rubric]


def test_every_field_is_either_per_company_or_shared() -> None:
    names = {f.name for f in dataclasses.fields(Scores)}
    assert names == ROW_FIELDS | SHARED_FIELDS
    assert not ROW_FIELDS & SHARED_FIELDS


@pytest.mark.parametrize("rubric", ["iso26000", "citi"])
def test_one_year_is_scored_and_explained_as_in_the_whole_run(rubric: str) -> None:
    whole = _scores(rubric)
    edition = whole.of_year(2024)
    rows = np.flatnonzero(whole.years == 2024)
    assert len(edition) == len(rows) == 30
    assert set(edition.years.tolist()) == {2024}
    for name in ("totals", "base", "levels", "group_scores", "adjustments", "points"):
        np.testing.assert_array_equal(getattr(edition, name), getattr(whole, name)[rows])
    np.testing.assert_array_equal(edition.group_weights, whole.group_weights[rows])
    for condition, result in whole.condition_results.items():
        np.testing.assert_array_equal(edition.condition_results[condition], result[rows])
    assert edition.grades == tuple(whole.grades[i] for i in rows)
    np.testing.assert_array_equal(edition.rank(), whole.rank(by="year")[rows])
    for company_id in edition.company_ids:
        assert str(edition.explain(company_id)) == str(whole.explain(company_id, 2024))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 59), max_size=12))
def test_take_keeps_the_rows_asked_for_in_order(rows: list[int]) -> None:
    whole = _scores("iso26000")
    taken = whole.take(rows)
    assert taken.company_ids == tuple(whole.company_ids[i] for i in rows)
    np.testing.assert_array_equal(taken.totals, whole.totals[rows])
    np.testing.assert_array_equal(taken.points, whole.points[rows])
    assert taken.rejected == whole.rejected


def test_an_unknown_year_lists_the_years_there_are() -> None:
    with pytest.raises(UsageError, match=r"no report scored in 2030; years scored: 2023, 2024"):
        _scores("citi").of_year(2030)
