"""Points looked up from the levels: N/A reads 0, and long ladders (int16 levels) work."""

from __future__ import annotations

from typing import Any

import numpy as np

from csrscore import load_rubric, score
from csrscore.engine.points import ValuePoints, level_table


def _rubric(ladder: int) -> dict[str, Any]:
    return {
        "rubric": "long-ladder",
        "version": "1",
        "title": "One long ladder that only some sectors answer, and one short one",
        "fields": {"a": {"type": "number"}, "b": {"type": "bool"}},
        "groups": [
            {
                "id": "only",
                "title": "Only",
                "criteria": [
                    {
                        "id": "long",
                        "title": "Long",
                        "applies_when": {"ne": {"company.sector": "finance"}},
                        "levels": [
                            {"points": k, "label": f"L{k}", "when": {"gte": {"a": k}}}
                            for k in range(1, ladder + 1)
                        ],
                    },
                    {
                        "id": "short",
                        "title": "Short",
                        "levels": [{"points": 1, "label": "Yes", "when": {"true": "b"}}],
                    },
                ],
            }
        ],
    }


def _records(values: list[float | None], sectors: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "company": {"id": f"co{i}", "name": f"Company {i}", "sector": sector},
            "year": 2024,
            "disclosures": {"b": True, **({} if value is None else {"a": value})},
        }
        for i, (value, sector) in enumerate(zip(values, sectors, strict=True))
    ]


def test_long_ladders_and_not_applicable() -> None:
    """200 levels need int16; the widest ladder's N/A (-1) must read 0, not its top level."""
    values = [0.0, 150.0, 199.5, 200.0, None, 200.0]
    sectors = ["energy", "energy", "energy", "energy", "energy", "finance"]
    scores = score(_records(values, sectors), load_rubric(_rubric(200)))
    assert scores.levels.dtype == np.int16
    assert scores.levels[:, 0].tolist() == [0, 150, 199, 200, 0, -1]
    assert scores.points[:, 0].tolist() == [0.0, 150.0, 199.0, 200.0, 0.0, 0.0]
    assert scores.points[:, 1].tolist() == [1.0] * 6
    assert not scores.points.flags.writeable
    # Each total is its two fractions, weighted by max points (200 and 1), over 201.
    expected = [(p + 1) / 201 * 100 for p in (0.0, 150.0, 199.0, 200.0, 0.0)] + [100.0]
    np.testing.assert_allclose(scores.totals, expected, rtol=0, atol=1e-12)


def test_applicability_is_read_off_the_levels() -> None:
    """Not stored by the engine: where a level is -1 the criterion is N/A, and only there."""
    data = _rubric(5)
    data["groups"][0]["criteria"].append(
        {
            "id": "value",
            "title": "Value",
            "applies_when": {"eq": {"company.sector": "finance"}},
            "value": {"field": "a", "min": 0, "max": 8, "direction": "higher", "points": 2},
        }
    )
    scores = score(_records([3.0, None, 4.0], ["energy", "finance", "finance"]), load_rubric(data))
    expected = [[True, True, False], [False, True, True], [False, True, True]]
    assert scores.applicable.tolist() == expected
    assert scores.levels[:, 2].tolist() == [-1, 0, 1]
    assert scores.points[:, 2].tolist() == [0.0, 0.0, 1.0]  # 3.0 is N/A; 4/8 of 2 points
    assert not scores.applicable.flags.writeable
    assert scores.applicable is scores.applicable  # built once


def test_short_ladders_use_int8() -> None:
    scores = score(_records([3.0, None], ["energy", "finance"]), load_rubric(_rubric(5)))
    assert scores.levels.dtype == np.int8
    assert scores.points[:, 0].tolist() == [3.0, 0.0]


def test_level_table_reads_zero_at_minus_one() -> None:
    table = level_table(np.array([[0.0, 1.0, 2.0], [0.0, 5.0, 7.0]]))
    assert table[:, -1].tolist() == [0.0, 0.0]
    assert table[1][[0, 1, 2, -1]].tolist() == [0.0, 5.0, 7.0, 0.0]
    assert not table.flags.writeable


def test_value_points_are_computed_from_the_values() -> None:
    data = _rubric(5)
    data["groups"][0]["criteria"].append(
        {
            "id": "value",
            "title": "Value",
            "value": {"field": "a", "min": 0, "max": 8, "direction": "higher", "points": 2},
        }
    )
    scores = score(_records([3.0, None], ["energy", "finance"]), load_rubric(data))
    table = scores.point_table
    assert list(table.continuous) == [2]
    computed = table.continuous[2]
    assert isinstance(computed, ValuePoints)
    assert computed.spec == scores.plan.criteria[2].value
    assert scores.points[:, 2].tolist() == [0.75, 0.0]
    assert scores.levels[:, 2].tolist() == [1, 0]
    assert not table.levels.flags.writeable
    assert not table.table.flags.writeable
    assert not scores.points.flags.writeable
