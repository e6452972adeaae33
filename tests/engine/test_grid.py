"""Points grids (`round_to`): hand-worked snapping at .5 boundaries, ties kept as ties."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from csrscore import load_rubric, score
from csrscore.engine.grid import snap_into
from csrscore.explain.schema import explanation_schema
from csrscore.reference import reference_score, snap


def _snap(values: list[float], grid: float) -> list[float]:
    array = np.array(values, dtype=np.float64)
    return [float(v) for v in snap_into(array, grid, array)]


@pytest.mark.parametrize(
    ("grid", "values", "expected"),
    [
        # Halves go away from zero, as a spreadsheet's ROUND does.
        (1.0, [0.5, 1.5, 2.5, -0.5, -2.5, 2.4999], [1.0, 2.0, 3.0, -1.0, -3.0, 2.0]),
        (0.25, [0.125, 0.375, 0.124, 65.4997, 65.38], [0.25, 0.5, 0.0, 65.5, 65.5]),
        # 0.35 / 0.1 is 3.4999999999999996 in binary; read as written it is a half, so up.
        (0.1, [0.35, 0.25, 0.05], [0.4, 0.30000000000000004, 0.1]),
        (0.5, [65.4997, 65.25, 65.2499, 0.0], [65.5, 65.5, 65.0, 0.0]),
    ],
)
def test_hand_worked_boundaries(grid: float, values: list[float], expected: list[float]) -> None:
    assert _snap(values, grid) == expected
    assert [snap(v, grid) for v in values] == expected  # the reference's own reading


@given(
    st.integers(-10_000, 10_000),
    st.sampled_from([0.25, 0.5, 1.0, 0.1, 2.0]),
    st.floats(-0.49, 0.49),
)
def test_noise_within_half_a_step_snaps_to_the_same_float(
    steps: int, grid: float, noise: float
) -> None:
    """Every value within (almost) half a step of one grid point becomes one and the same
    float, so values the publisher shows equal stay exactly equal."""
    on_grid = steps * grid
    assert _snap([on_grid + noise * grid], grid) == _snap([on_grid], grid)


def _rubric(round_to: Any) -> dict[str, Any]:
    value: dict[str, Any] = {"field": "share", "min": 0, "max": 100, "points": 4}
    if round_to is not None:
        value["round_to"] = round_to
    return {
        "rubric": "grid",
        "version": "1",
        "title": "Synthetic grid rubric",
        "fields": {"share": {"type": "number"}},
        "groups": [
            {
                "id": "only",
                "title": "Only",
                "criteria": [
                    {
                        "id": "share",
                        "title": "Share",
                        "value": value,
                    }
                ],
            }
        ],
    }


def _records(values: list[float]) -> list[dict[str, Any]]:
    return [
        {
            "company": {"id": f"co{i}", "name": f"Synthetic {i}"},
            "year": 2024,
            "disclosures": {"share": value},
        }
        for i, value in enumerate(values)
    ]


def test_input_and_points_grids_hand_worked() -> None:
    rubric = load_rubric(_rubric({"input": 0.5, "points": 0.25}))
    scores = score(_records([65.4997, 65.5, 65.2, 15.625]), rubric)
    # 65.4997 -> 65.5 -> 4 x 0.655 = 2.62 -> 2.5; 65.2 -> 65.0 -> 2.6 -> 2.5;
    # 15.625 -> 15.5 -> 0.62 -> 0.5
    assert scores.points[:, 0].tolist() == [2.5, 2.5, 2.5, 0.5]
    for i, report in enumerate(scores.reports):
        assert reference_score(report, rubric).points["share"] == scores.points[i, 0]


def test_grid_ties_stay_ties_in_the_ranking() -> None:
    values = [65.4997, 65.5, 65.5003]  # one published 65.5, exported with noise
    plain = score(_records(values), load_rubric(_rubric(None)))
    assert plain.rank().tolist() == [3, 2, 1]
    gridded = score(_records(values), load_rubric(_rubric(0.5)))  # a bare number: the input
    assert gridded.totals.tolist() == [65.5, 65.5, 65.5]
    assert gridded.rank().tolist() == [1, 1, 1]


def test_explanation_shows_the_value_scored_and_the_grids() -> None:
    scores = score(_records([65.4997]), load_rubric(_rubric({"input": 0.5, "points": 0.25})))
    explanation = scores.explain("co0")
    Draft202012Validator(explanation_schema()).validate(explanation.to_dict())
    value = explanation.to_dict()["criteria"][0]["value"]
    assert value == {
        "field": "share",
        "actual": 65.4997,
        "present": True,
        "input_grid": 0.5,
        "scored_as": 65.5,
        "points_grid": 0.25,
    }
    text = str(explanation)
    assert "scored as 65.5 (on a grid of 0.5)" in text
    assert "points on a grid of 0.25" in text
