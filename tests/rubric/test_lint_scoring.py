"""`rubric check` warnings on how points become a total: percent weights that do not add
up, geometric means, and share tests that reward an empty record."""

from __future__ import annotations

from typing import Any

import pytest

from csrscore import load_rubric, score
from csrscore.rubric.lint import lint_rubric


def _rubric(weights: list[float], **top: Any) -> dict[str, Any]:
    return {
        "rubric": "lint",
        "version": "1",
        "title": "Lint (synthetic)",
        "criterion_defaults": {"score": {"scale": 100}},
        "groups": [
            {
                "id": "all",
                "title": "All",
                "criteria": [
                    {"id": f"i{k}", "title": f"I{k}", "weight": w, "score": {"field": f"ind.i{k}"}}
                    for k, w in enumerate(weights)
                ],
            }
        ],
        **top,
    }


def _codes(data: dict[str, Any], code: str) -> list[str]:
    return [f.message for f in lint_rubric(load_rubric(data)) if f.code == code]


def test_percent_weights_that_miss_100_are_flagged_with_effective_shares() -> None:
    (message,) = _codes(_rubric([8.18] * 11 + [10]), "percent-weights")
    # 11 x 8.18 + 10 = 99.98: each 8.18 counts 8.18 / 99.98 = 8.1816%, the 10 counts 10.002%.
    assert "sum to 99.98%, not 100%" in message
    assert "i0 8.182%" in message
    assert "i11 10%" in message  # 10.002% shown to 4 significant digits
    assert "and 0 more" not in message


def test_weights_that_sum_to_100_or_are_plainly_relative_are_not_flagged() -> None:
    assert _codes(_rubric([50, 30, 20]), "percent-weights") == []
    assert _codes(_rubric([3, 2, 1]), "percent-weights") == []
    assert _codes(_rubric([0.5, 0.3, 0.2]), "percent-weights") == []
    (fraction,) = _codes(_rubric([0.333, 0.333, 0.333]), "percent-weights")
    assert "sum to 0.999, not 1" in fraction


def test_the_effective_shares_are_what_the_engine_scores() -> None:
    data = _rubric([33.33, 33.33, 33.33, 0])
    records = [
        {
            "company": {"id": "a", "name": "A"},
            "year": 2024,
            "disclosures": {"ind.i0": 100, "ind.i1": 0, "ind.i2": 0, "ind.i3": 100},
        }
    ]
    # 33.33 / 99.99 of 100: exactly a third, whatever i3 (weight 0) scores.
    assert score(records, load_rubric(data)).totals[0] == pytest.approx(100 / 3)


def test_a_geometric_rubric_is_warned_once_and_a_zero_child_zeroes_it() -> None:
    data = _rubric([1, 1], aggregation="geometric")
    (message,) = _codes(data, "geometric-zero")
    assert "gets 0 for the whole group" in message
    records = [
        {"company": {"id": "a", "name": "A"}, "year": 2024, "disclosures": {"ind.i0": 100}},
        {
            "company": {"id": "b", "name": "B"},
            "year": 2024,
            "disclosures": {"ind.i0": 25, "ind.i1": 100},
        },
    ]
    scores = score(records, load_rubric(data))
    # a: sqrt(1 x 0) = 0 despite a full score on i0; b: sqrt(0.25 x 1) = 0.5.
    assert scores.totals.tolist() == pytest.approx([0.0, 50.0])
    assert scores.rank().tolist() == [2, 1]
    assert _codes(_rubric([1, 1]), "geometric-zero") == []


def _share_rubric(when: dict[str, Any]) -> dict[str, Any]:
    return {
        "rubric": "share",
        "version": "1",
        "title": "Share (synthetic)",
        "groups": [
            {
                "id": "g",
                "title": "G",
                "criteria": [
                    {
                        "id": "few-estimates",
                        "title": "Few unassured disclosures",
                        "levels": [{"points": 1, "label": "Yes", "when": when}],
                    }
                ],
            }
        ],
    }


def test_a_share_capped_from_above_rewards_an_empty_record_and_is_flagged() -> None:
    data = _share_rubric({"lte": {"stats.assured_share": 0.2}})
    (message,) = _codes(data, "empty-share")
    assert "rewards a company that discloses nothing" in message
    empty = [{"company": {"id": "e", "name": "E"}, "year": 2024, "disclosures": {}}]
    assert score(empty, load_rubric(data)).totals[0] == 100.0  # the behaviour warned of
    guarded = _share_rubric(
        {"all": [{"lte": {"stats.assured_share": 0.2}}, {"gte": {"stats.disclosures": 1}}]}
    )
    assert _codes(guarded, "empty-share") == []
    assert score(empty, load_rubric(guarded)).totals[0] == 0.0
    assert _codes(_share_rubric({"gte": {"stats.assured_share": 0.5}}), "empty-share") == []
