"""`weights: applicable-points` against `max-points`, on a rubric made for the test and on the
worked example of docs/methodology.md, with the expected totals worked out by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from csrscore import load_rubric, score
from csrscore.reference import reference_score
from tests.cli.runner import ROOT


def _rubric(weights: str, na_policy: str = "exclude") -> dict[str, Any]:
    """Two groups: `a` (criteria a1 max 4, a2 max 6, a2 N/A outside textiles) and `b`
    (criterion b1 max 10)."""

    def ladder(cid: str, points: int, key: str) -> dict[str, Any]:
        return {
            "id": cid,
            "title": cid,
            "levels": [{"points": points, "label": "yes", "when": {"true": key}}],
        }

    a2 = ladder("a2", 6, "t.two")
    a2["applies_when"] = {"eq": {"company.sector": "textiles"}}
    return {
        "rubric": "applicable",
        "version": "1",
        "title": "Applicable points",
        "na_policy": na_policy,
        "weights": weights,
        "fields": {f"t.{k}": {"type": "bool"} for k in ("one", "two", "three")},
        "groups": [
            {"id": "a", "title": "A", "criteria": [ladder("a1", 4, "t.one"), a2]},
            {"id": "b", "title": "B", "criteria": [ladder("b1", 10, "t.three")]},
        ],
    }


def _records() -> list[dict[str, Any]]:
    everything = {"t.one": True, "t.two": True, "t.three": True}
    return [
        # a2 applies: every item counts.
        {"company": {"id": "tex", "name": "T", "sector": "textiles"}, "year": 2024,
         "disclosures": {"t.one": True, "t.three": False}},
        # a2 is N/A: group a has 4 applicable points of its 10.
        {"company": {"id": "min", "name": "M", "sector": "mining"}, "year": 2024,
         "disclosures": {"t.one": True, "t.three": False}},
        {"company": {"id": "all", "name": "A", "sector": "mining"}, "year": 2024,
         "disclosures": everything},
    ]  # fmt: skip


def test_applicable_points_is_points_earned_over_points_applicable() -> None:
    scores = score(_records(), load_rubric(_rubric("applicable-points")))
    # tex: 4 of 20 points; min: 4 of 14 applicable (a: 4/4, weight 4; b: 0/10, weight 10).
    np.testing.assert_allclose(scores.base, [100 * 4 / 20, 100 * 4 / 14, 100.0])
    a, b = scores.group_column("a"), scores.group_column("b")
    np.testing.assert_array_equal(scores.group_weights[:, a], [10.0, 4.0, 4.0])
    np.testing.assert_array_equal(scores.group_weights[:, b], [10.0, 10.0, 10.0])


def test_max_points_keeps_static_group_weights() -> None:
    scores = score(_records(), load_rubric(_rubric("max-points")))
    # min: a scores 4/4 = 1 but weighs its static 10: (10 x 1 + 10 x 0) / 20 = 50.
    np.testing.assert_allclose(scores.base, [100 * 4 / 20, 50.0, 100.0])
    np.testing.assert_array_equal(scores.group_weights[:, scores.group_column("a")], [10.0] * 3)
    assert list(scores.rank()) == [3, 2, 1]


def test_zero_policy_keeps_na_items_in_the_denominator_under_both_settings() -> None:
    applicable = score(_records(), load_rubric(_rubric("applicable-points", "zero")))
    static = score(_records(), load_rubric(_rubric("max-points", "zero")))
    # min: a = 4/10 (a2 counts as 0), b = 0: 4/20. all (mining): (4 + 0 + 10) / 20.
    np.testing.assert_allclose(applicable.base, [20.0, 20.0, 70.0])
    np.testing.assert_array_equal(applicable.base, static.base)


def test_an_explicit_weight_is_kept_and_the_reference_agrees() -> None:
    data = _rubric("applicable-points")
    data["groups"][1]["weight"] = 4
    rubric = load_rubric(data)
    scores = score(_records(), rubric)
    # min: a weighs 4 (applicable), b its explicit 4: (4 x 1 + 4 x 0) / 8 = 50.
    assert scores.base[1] == pytest.approx(50.0)
    # tex: a weighs 10: (10 x 0.4 + 4 x 0) / 14.
    assert scores.base[0] == pytest.approx(100 * 4 / 14)
    for i, report in enumerate(scores.reports):
        expected = reference_score(report, rubric)
        assert scores.base[i] == pytest.approx(expected.base, abs=1e-9)
        assert expected.group_weights["b"] == 4.0


def test_explain_shows_the_effective_weight() -> None:
    scores = score(_records(), load_rubric(_rubric("applicable-points")))
    groups = {g["id"]: g for g in scores.explain("min").to_dict()["groups"]}
    assert groups["a"]["weight"] == 4.0
    assert groups["a"]["weight_in_total"] == pytest.approx(4 / 14)
    assert "weight 4," in str(scores.explain("min"))


@pytest.mark.parametrize(
    ("weights", "base"),
    [
        ("applicable-points", 100 * 89 / 106),
        ("max-points", 100 * (12 + 15 + 28 * 18 / 22 + 20 + 24) / 112),
    ],
)
def test_methodology_worked_example(weights: str, base: float) -> None:
    """docs/methodology.md: Northwind Textiles 2023 under citi and under its max-points twin."""
    import yaml

    data = yaml.safe_load((ROOT / "rubrics" / "citi.yaml").read_text(encoding="utf-8"))
    data["weights"] = weights
    scores = score(ROOT / "examples" / "reports.json", load_rubric(data))
    row = scores.index_of("northwind-textiles", 2023)
    assert scores.base[row] == pytest.approx(base, abs=1e-9)
    assert round(float(scores.base[row]), 3) == {"applicable-points": 83.962}.get(weights, 83.847)
    assert scores.totals[row] == pytest.approx(base - 2, abs=1e-9)
