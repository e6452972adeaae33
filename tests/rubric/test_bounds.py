"""Every number in a rubric has documented bounds, enforced alike by the loader and by the
published JSON Schema, each violation one located error (issue 16 item 10)."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from csrscore import check_rubric, load_rubric
from csrscore.errors import RubricError
from csrscore.rubric import bounds
from csrscore.rubric.yamlsafe import load_yaml
from tests.rubric.builders import group, ladder, level, rubric_data, single

PUBLISHED = json.loads(
    (Path(__file__).parents[2] / "schemas" / "rubric.schema.json").read_text(encoding="utf-8")
)
POLICY = {"exists": "env.ghg.policy"}

Setter = Callable[[dict[str, Any], float], None]


def _base() -> dict[str, Any]:
    return rubric_data(
        group(
            "g",
            single("c", POLICY),
            {
                "id": "v",
                "title": "V",
                "value": {
                    "field": "env.ghg.scope1",
                    "min": 0,
                    "max": 10,
                    "points": 2,
                    "round_to": {"input": 1, "points": 1},
                },
            },
            {
                "id": "b",
                "title": "B",
                "bands": {"field": "env.ghg.scope1", "steps": [{"at": 5, "points": 1}]},
            },
            {
                "id": "k",
                "title": "K",
                "checklist": {"field": "sc.suppliers", "items": ["tier1"], "points_each": 1},
            },
            ladder("t", level(1, {"gt": {"env.ghg.scope1": 3}})),
        ),
        group("h", single("d", POLICY)),
        adjustments=[
            {"id": "p", "title": "P", "points": -1, "when": POLICY},
            {
                "id": "n",
                "title": "N",
                "points_each": -1,
                "floor": -5,
                "ceiling": 0,
                "count": {"violations": {}},
            },
        ],
        grades={"A": 50, "B": 0},
    )


def _at(*path: str | int) -> Setter:
    def setter(data: dict[str, Any], number: float) -> None:
        node: Any = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = number

    return setter


# (name, setter, low, high, whether low itself is excluded), as documented.
NUMBERS: list[tuple[str, Setter, float, float, bool]] = [
    ("scale", _at("scale"), bounds.MIN_SCALE, bounds.MAX_SCALE, False),
    ("group weight", _at("groups", 0, "weight"), bounds.MIN_WEIGHT, bounds.MAX_WEIGHT, False),
    (
        "criterion weight",
        _at("groups", 0, "criteria", 0, "weight"),
        bounds.MIN_WEIGHT,
        bounds.MAX_WEIGHT,
        False,
    ),
    (
        "level points",
        _at("groups", 0, "criteria", 0, "levels", 0, "points"),
        0,
        bounds.MAX_POINTS,
        False,
    ),
    (
        "value min",
        _at("groups", 0, "criteria", 1, "value", "min"),
        -bounds.MAX_VALUE,
        bounds.MAX_VALUE,
        False,
    ),
    (
        "value max",
        _at("groups", 0, "criteria", 1, "value", "max"),
        -bounds.MAX_VALUE,
        bounds.MAX_VALUE,
        False,
    ),
    (
        "value points",
        _at("groups", 0, "criteria", 1, "value", "points"),
        0,
        bounds.MAX_POINTS,
        True,
    ),
    (
        "input grid",
        _at("groups", 0, "criteria", 1, "value", "round_to", "input"),
        bounds.MIN_GRID,
        bounds.MAX_VALUE,
        False,
    ),
    (
        "points grid",
        _at("groups", 0, "criteria", 1, "value", "round_to", "points"),
        bounds.MIN_GRID,
        bounds.MAX_POINTS,
        False,
    ),
    (
        "band at",
        _at("groups", 0, "criteria", 2, "bands", "steps", 0, "at"),
        -bounds.MAX_VALUE,
        bounds.MAX_VALUE,
        False,
    ),
    (
        "band points",
        _at("groups", 0, "criteria", 2, "bands", "steps", 0, "points"),
        0,
        bounds.MAX_POINTS,
        False,
    ),
    (
        "checklist points",
        _at("groups", 0, "criteria", 3, "checklist", "points_each"),
        0,
        bounds.MAX_POINTS,
        True,
    ),
    (
        "threshold",
        _at("groups", 0, "criteria", 4, "levels", 0, "when", "gt", "env.ghg.scope1"),
        -bounds.MAX_VALUE,
        bounds.MAX_VALUE,
        False,
    ),
    (
        "adjustment points",
        _at("adjustments", 0, "points"),
        -bounds.MAX_POINTS,
        bounds.MAX_POINTS,
        False,
    ),
    (
        "points each",
        _at("adjustments", 1, "points_each"),
        -bounds.MAX_POINTS,
        bounds.MAX_POINTS,
        False,
    ),
    ("floor", _at("adjustments", 1, "floor"), -bounds.MAX_POINTS, bounds.MAX_POINTS, False),
    ("ceiling", _at("adjustments", 1, "ceiling"), -bounds.MAX_POINTS, bounds.MAX_POINTS, False),
    ("grade", _at("grades", "A"), 0, bounds.MAX_POINTS, False),
]
IDS = [entry[0] for entry in NUMBERS]


def _outcome(data: dict[str, Any]) -> tuple[bool, bool]:
    """(the loader accepts it, the published schema accepts it)."""
    try:
        load_rubric(data)
        loaded = True
    except RubricError as exc:
        message = str(exc)
        loaded = False
    else:
        message = ""
    assert "\n" not in message
    return loaded, Draft202012Validator(PUBLISHED).is_valid(data)


def _within(number: float, low: float, high: float, exclusive: bool) -> bool:
    if low == bounds.MIN_WEIGHT and number == 0:
        return True  # a weight of 0: the node is shown and counts nothing
    return (number > low if exclusive else number >= low) and number <= high


def test_the_base_rubric_loads() -> None:
    assert _outcome(_base()) == (True, True)


@pytest.mark.parametrize(("name", "setter", "low", "high", "exclusive"), NUMBERS, ids=IDS)
def test_bounds_are_the_documented_ones(
    name: str, setter: Setter, low: float, high: float, exclusive: bool
) -> None:
    for number in (low, high, high * 1.5 + 1, low * 1.5 - 1, 1e308, -1e308):
        data = _base()
        setter(data, number)
        loaded, valid = _outcome(data)
        assert valid == _within(number, low, high, exclusive), (name, number)
        assert valid or not loaded, (name, number)


@given(
    index=st.integers(0, len(NUMBERS) - 1),
    number=st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**30), 10**30),
)
def test_loader_and_schema_agree_on_any_number(index: int, number: float) -> None:
    """The schema accepts exactly the documented range; the loader never accepts more."""
    name, setter, low, high, exclusive = NUMBERS[index]
    data = _base()
    setter(data, number)
    loaded, valid = _outcome(data)
    assert valid == _within(number, low, high, exclusive), (name, number)
    assert valid or not loaded, (name, number)


@pytest.mark.parametrize(("name", "setter", "low", "high", "exclusive"), NUMBERS, ids=IDS)
def test_huge_integers_are_a_located_error(
    name: str, setter: Setter, low: float, high: float, exclusive: bool
) -> None:
    data = _base()
    setter(data, 10**400)
    with pytest.raises(RubricError, match="a 401-digit number is out of bounds") as caught:
        load_rubric(data)
    assert caught.value.location.path is not None


def test_the_weight_message_names_the_bound() -> None:
    data = _base()
    data["groups"][0]["weight"] = 1e308
    with pytest.raises(RubricError) as caught:
        load_rubric(data)
    assert str(caught.value).startswith(
        "<rubric data> groups[0].weight: 1e+308 is out of bounds: must be at most 1000000"
    )


def test_a_speck_of_weight_is_refused() -> None:
    data = _base()
    data["groups"][1]["weight"] = 1e-300
    with pytest.raises(RubricError, match=r"weight 1e-300 is too small: a weight is 0 \(shown"):
        load_rubric(data)


def test_negative_weights_keep_their_own_message_and_zero_loads() -> None:
    data = _base()
    data["groups"][1]["weight"] = -1
    with pytest.raises(RubricError, match="weight must be 0 or more, got -1"):
        load_rubric(data)
    data["groups"][1]["weight"] = 0
    assert load_rubric(data).nodes[data["groups"][1]["id"]].weight == 0


def test_a_5000_digit_yaml_number_is_one_located_line() -> None:
    with pytest.raises(RubricError) as caught:
        load_yaml("groups:\n  - points: " + "9" * 5000 + "\n", "r.yaml")
    assert str(caught.value) == (
        "r.yaml:2 groups[0].points: a 5000-digit number is out of bounds "
        "(see 'Number bounds' in the rubric reference)"
    )


def test_an_impossible_date_is_not_called_a_number() -> None:
    with pytest.raises(RubricError, match=r"'2024-13-45' is not a valid date: month"):
        load_yaml("from: 2024-13-45\n", "r.yaml")


@pytest.mark.parametrize(
    ("text", "fixed"), [("1e308", "1.0e+308"), ("1.0e308", "1.0e+308"), ("-2E-3", "-2.0E-3")]
)
def test_a_yaml11_exponent_is_explained(text: str, fixed: str, tmp_path: Path) -> None:
    data = copy.deepcopy(_base())
    data["groups"][0]["weight"] = text
    with pytest.raises(RubricError) as caught:
        load_rubric(data)
    message = str(caught.value)
    assert f"expected number, got text {text!r}" in message
    assert f"write {fixed.replace('E', 'e')}" in message


DOC = Path(__file__).parents[2] / "docs" / "rubrics.md"


def test_the_documented_example_is_what_rubric_check_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = DOC.read_text(encoding="utf-8").split("## Number bounds")[1].split("\n## ")[0]
    command, expected = section.split("```text\n")[1].split("```")[0].splitlines()
    assert command == "$ csrscore rubric check heavy.yaml"
    monkeypatch.chdir(tmp_path)
    Path("heavy.yaml").write_text(
        "rubric: heavy\nversion: 1.0.0\ntitle: Heavy\ngroups:\n  - id: g\n    title: G\n"
        "    weight: 1.0e+308\n    criteria:\n      - id: c\n        title: C\n"
        "        levels: [{points: 1, label: L, when: {exists: env.ghg.policy}}]\n",
        encoding="utf-8",
    )
    (finding,) = check_rubric("heavy.yaml")
    assert str(finding) == expected
    for bound in (bounds.MAX_POINTS, bounds.MAX_WEIGHT, bounds.MAX_SCALE, bounds.MAX_COUNT):
        assert f"{bound:,}" in section
    assert f"{bounds.MIN_WEIGHT:f}".rstrip("0") in section
    assert f"{bounds.MIN_GRID:f}".rstrip("0") in section
    assert f"10^{round(math.log10(bounds.MAX_VALUE))}" in section
