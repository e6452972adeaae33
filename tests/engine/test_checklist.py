"""Checklist criteria, with hand-worked points: items counted once, per-item points, caps."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from csrscore import load_rubric, score
from csrscore.errors import RubricError
from csrscore.explain.schema import explanation_schema
from csrscore.reference import reference_score

DETAILS = ["names", "addresses", "products", "workers", "audits"]


def _rubric(checklist: dict[str, Any]) -> dict[str, Any]:
    return {
        "rubric": "checklist",
        "version": "1",
        "title": "Synthetic checklist rubric",
        "fields": {
            "supply.details": {"type": "list", "values": DETAILS},
            "supply.notes": {"type": "list"},
        },
        "groups": [
            {
                "id": "supply",
                "title": "Supply chain",
                "criteria": [{"id": "details", "title": "Details", "checklist": checklist}],
            }
        ],
    }


def _disclosures(items: list[str] | None) -> dict[str, Any]:
    if items is None:
        return {}
    # Items outside the catalog's list would reject the record; the open list takes them.
    if set(items) <= set(DETAILS):
        return {"supply.details": items, "supply.notes": items}
    return {"supply.notes": items}


def _records(*lists: list[str] | None) -> list[dict[str, Any]]:
    return [
        {
            "company": {"id": f"co{i}", "name": f"Synthetic {i}"},
            "year": 2024,
            "disclosures": _disclosures(items),
        }
        for i, items in enumerate(lists)
    ]


def _points(checklist: dict[str, Any], *lists: list[str] | None) -> list[float]:
    rubric = load_rubric(_rubric(checklist))
    records = _records(*lists)
    scores = score(records, rubric)
    for i, report in enumerate(scores.reports):  # the reference agrees on every case
        assert reference_score(report, rubric).points["details"] == scores.points[i, 0]
    return [float(p) for p in scores.points[:, 0]]


def test_a_set_one_point_per_item_counted_once() -> None:
    checklist = {"field": "supply.details", "items": ["names", "addresses", "audits"]}
    assert load_rubric(_rubric(checklist)).criteria[0].max_points == 3
    lists = [["names"], ["names", "names", "products"], ["audits", "addresses", "names"], [], None]
    # names; names once (products is not in the set); all three; an empty list; nothing
    assert _points(checklist, *lists) == [1.0, 1.0, 3.0, 0.0, 0.0]


def test_per_item_points_and_a_cap() -> None:
    checklist = {
        "field": "supply.details",
        "items": ["names", "addresses", "products", "audits"],
        "points_each": 0.5,
        "weights": {"audits": 2},
        "cap": 2.5,
    }
    # Uncapped most: 0.5 * 3 + 2 = 3.5, so the cap decides: 2.5.
    assert load_rubric(_rubric(checklist)).criteria[0].max_points == 2.5
    lists = [["names", "addresses"], ["audits"], ["audits", "names"], DETAILS]
    # 0.5 + 0.5; 2; 2 + 0.5; 0.5 * 3 + 2 = 3.5 capped at 2.5
    assert _points(checklist, *lists) == [1.0, 2.0, 2.5, 2.5]


def test_any_item_and_matching_items() -> None:
    # The catalog lists five items, so any item can earn at most five points.
    every = {"field": "supply.details", "any_item": True}
    assert load_rubric(_rubric(every)).criteria[0].max_points == 5
    assert _points(every, ["names", "workers"], DETAILS) == [2.0, 5.0]
    # Items starting with a or p: addresses, audits, products.
    matching = {"field": "supply.details", "matching": "^(a|p)", "cap": 2}
    assert load_rubric(_rubric(matching)).criteria[0].max_points == 2
    lists = [["names", "workers", "products"], ["audits", "addresses", "products"]]
    assert _points(matching, *lists) == [1.0, 2.0]  # products; 3 capped at 2
    open_items = {"field": "supply.notes", "any_item": True, "points_each": 2, "cap": 3}
    assert _points(open_items, ["anything"], ["a", "b", "a"], []) == [2.0, 3.0, 0.0]


@pytest.mark.parametrize(
    ("checklist", "message"),
    [
        ({"field": "supply.notes", "any_item": True}, "give a 'cap'"),
        ({"field": "supply.details", "items": ["nmes"]}, "did you mean 'names'"),
        ({"field": "supply.details", "items": ["names"], "weights": {"audits": 2}}, "'audits'"),
        ({"field": "supply.details", "items": ["names", "names"]}, "listed twice"),
        ({"field": "supply.details", "matching": "("}, "invalid regular expression"),
    ],
)
def test_bad_checklists_are_located_errors(checklist: dict[str, Any], message: str) -> None:
    with pytest.raises(RubricError, match="checklist") as raised:
        load_rubric(_rubric(checklist))
    assert message in str(raised.value)


def test_a_checklist_needs_a_list_field() -> None:
    data = _rubric({"field": "supply.details", "items": ["names"]})
    data["fields"]["supply.details"] = {"type": "number"}
    with pytest.raises(RubricError, match="a checklist needs a list"):
        load_rubric(data)


def test_explanation_lists_items_counted_and_missing() -> None:
    checklist = {
        "field": "supply.details",
        "items": ["names", "addresses", "audits"],
        "weights": {"audits": 3},
        "cap": 3.5,
    }
    scores = score(
        _records(["audits", "names", "workers", "names"]), load_rubric(_rubric(checklist))
    )
    explanation = scores.explain("co0")
    Draft202012Validator(explanation_schema()).validate(explanation.to_dict())
    item = explanation.to_dict()["criteria"][0]
    assert item["kind"] == "checklist"
    assert item["points"] == 3.5
    assert item["checklist"] == {
        "field": "supply.details",
        "present": True,
        "counted": [{"item": "audits", "points": 3.0}, {"item": "names", "points": 1.0}],
        "not_counted": ["workers"],
        "missing": ["addresses"],
        "uncapped_points": 4.0,
        "cap": 3.5,
    }
    text = str(explanation)
    assert 'counted from supply.details: "audits" 3, "names" 1' in text
    assert "4 points capped at 3.5" in text
    assert 'missing: ["addresses"]' in text
