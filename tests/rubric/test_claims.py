"""`rubric check` rejects equal grade thresholds and bounds on adjustments they cannot bound,
and warns about a count adjustment whose floor is above 0 (docs/methodology.md §5, §6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from csrscore import RubricError, check_rubric, load_rubric
from tests.rubric.builders import group, ladder, level, rubric_data

POLICY = {"true": "env.ghg.policy"}


def _data(**extra: Any) -> dict[str, Any]:
    data = rubric_data(group("g", ladder("c", level(1, POLICY))))
    data.update(extra)
    return data


def _codes(tmp_path: Path, data: dict[str, Any]) -> list[tuple[str, str]]:
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    # The builders point at the test catalog, outside tmp_path: allowed explicitly, as a
    # user would with --allow-path.
    catalog = Path(data["catalog"]).parent
    return [
        (finding.severity, finding.code)
        for finding in check_rubric(path, allow_paths=[catalog])
    ]


def test_equal_grade_thresholds_are_an_error(tmp_path: Path) -> None:
    data = _data(grades={"A": 50, "A+": 50, "B": 0})
    assert ("error", "grades-tie") in _codes(tmp_path, data)
    with pytest.raises(RubricError, match="share the threshold 50"):
        load_rubric(data)


@pytest.mark.parametrize(
    ("adjustment", "code"),
    [
        ({"id": "bonus", "title": "Bonus", "points": 5, "when": POLICY, "floor": 0}, "bounds"),
        ({"id": "cap", "title": "Cap", "cap": 60, "ceiling": 10}, "schema"),
    ],
)
def test_bounds_on_points_adjustments_and_caps_are_an_error(
    tmp_path: Path, adjustment: dict[str, Any], code: str
) -> None:
    assert ("error", code) in _codes(tmp_path, _data(adjustments=[adjustment]))


def test_a_positive_floor_is_a_warning_and_adds_to_every_company(tmp_path: Path) -> None:
    adjustment = {
        "id": "floor",
        "title": "Floor",
        "points_each": -1,
        "count": {"violations": {}},
        "floor": 2,
    }
    data = _data(adjustments=[adjustment])
    assert _codes(tmp_path, data) == [("warning", "floor-positive")]
    from csrscore import score

    record = {"company": {"id": "clean", "name": "Clean"}, "year": 2024}
    # No disclosure, no violation: base 0, and the floor still adds 2.
    assert score([record], load_rubric(data)).totals.tolist() == [2.0]
