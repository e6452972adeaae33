"""No rubric that loads makes the engine produce inf or NaN totals (issue 16 item 10).

Random rubrics have every number pushed to an end of its documented bound (weights of
1e-6 and 1e6, points of 1e6, scale 1e6, thresholds of +-1e15, grids of 1e-6), and
random reports carry values up to the largest finite float.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import load_rubric, score
from csrscore.rubric import bounds
from tests.engine.strategies import report_records, rubrics

# Each number's key -> the extremes it may take (the bounds themselves and neighbours).
_EXTREMES: dict[str, list[float]] = {
    "weight": [bounds.MIN_WEIGHT, bounds.MAX_WEIGHT, 1.0],
    "points": [bounds.MAX_POINTS, 1e-6, 1.0],
    "points_each": [bounds.MAX_POINTS, 0.5],
    "cap": [bounds.MAX_POINTS, 1e-6],
    "scale": [bounds.MAX_SCALE, bounds.MIN_SCALE],
    "min": [-bounds.MAX_VALUE, 0.0],
    "max": [bounds.MAX_VALUE, 1.0],
    "input": [bounds.MIN_GRID, bounds.MAX_VALUE],
}


def _stretch(node: Any, draw: st.DrawFn, key: str = "") -> Any:
    if isinstance(node, dict):
        stretched = {k: _stretch(v, draw, k) for k, v in node.items()}
        if "min" in stretched and stretched["min"] >= stretched["max"]:  # a value criterion
            stretched["min"], stretched["max"] = -bounds.MAX_VALUE, bounds.MAX_VALUE
        if key == "bands":  # thresholds stay distinct
            for i, step in enumerate(stretched["steps"]):
                step["at"] = [-bounds.MAX_VALUE, bounds.MAX_VALUE, float(i)][i]
        return stretched
    if isinstance(node, list):
        return [_stretch(item, draw, key) for item in node]
    if key in _EXTREMES and isinstance(node, (int, float)) and not isinstance(node, bool):
        if key == "points" and node == 0:
            return node
        choice = draw(st.sampled_from(_EXTREMES[key]))
        return -choice if key in ("points", "points_each") and node < 0 else choice
    return node


@st.composite
def extreme_rubrics(draw: st.DrawFn) -> dict[str, Any]:
    stretched: dict[str, Any] = _stretch(copy.deepcopy(draw(rubrics())), draw)
    return stretched


_HUGE = [1.7976931348623157e308, -1.7976931348623157e308, 1e300, -1e15, 5e-324]


@st.composite
def extreme_records(draw: st.DrawFn) -> list[dict[str, Any]]:
    records = draw(report_records())
    for record in records:
        for name in ("t.n1", "t.n2", "t.n3"):
            if draw(st.booleans()):
                record["disclosures"][name] = draw(st.sampled_from(_HUGE))
    return records


@settings(max_examples=150, deadline=None)
@given(rubric_data=extreme_rubrics(), records=extreme_records())
def test_totals_are_finite_at_the_bounds(
    rubric_data: dict[str, Any], records: list[dict[str, Any]]
) -> None:
    rubric = load_rubric(rubric_data)
    scores = score(records, rubric)
    assert np.isfinite(scores.totals).all()
    assert np.isfinite(scores.base).all()
    assert np.isfinite(scores.points).all()
    assert np.all((scores.totals >= 0) & (scores.totals <= rubric.scale))
    groups = scores.group_scores[~np.isnan(scores.group_scores)]
    assert np.all((groups >= 0) & (groups <= 1 + 1e-12))


PEERS_AND_DERIVED = {
    "rubric": "extremes",
    "version": "1",
    "title": "Derived and peer-relative scoring at the float limits (synthetic)",
    "fields": {"a.x": {"type": "number"}, "a.y": {"type": "number"}},
    "derived": {
        "a.ratio": {"ratio": ["a.x", "a.y"]},
        "a.sum": {"sum": ["a.x", "a.y"]},
        "a.gap": {"difference": ["a.x", "a.y"]},
    },
    "groups": [
        {
            "id": "g",
            "title": "G",
            "criteria": [
                {
                    "id": "z",
                    "title": "Z",
                    "value": {"field": "a.x", "min": -2, "max": 2, "points": bounds.MAX_POINTS,
                              "peers": {"method": "z-score"}},
                },
                {
                    "id": "m",
                    "title": "M",
                    "value": {"field": "a.sum", "points": 1, "peers": {"method": "min-max"}},
                },
                {
                    "id": "r",
                    "title": "R",
                    "value": {"field": "a.ratio", "min": -bounds.MAX_VALUE,
                              "max": bounds.MAX_VALUE, "points": 1},
                },
                {
                    "id": "p",
                    "title": "P",
                    "bands": {"field": "a.gap", "steps": [{"at": 50, "points": 1}],
                              "peers": {"method": "percentile"}},
                },
            ],
        }
    ],
}
_VALUES = st.sampled_from([*_HUGE, 0.0, 1.0, -1.0])


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(_VALUES, _VALUES), min_size=1, max_size=6))
def test_derived_and_peer_scores_stay_finite_and_quiet(pairs: list[tuple[float, float]]) -> None:
    records = [
        {"company": {"id": f"c{i}", "name": "C"}, "year": 2024,
         "disclosures": {"a.x": x, "a.y": y}}
        for i, (x, y) in enumerate(pairs)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy overflow warning is a second stderr line
        scores = score(records, load_rubric(PEERS_AND_DERIVED))
    assert np.isfinite(scores.totals).all()
    assert np.isfinite(scores.points).all()
