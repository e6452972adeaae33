"""Numbers in explanations are shown as given or with the catalog's decimals, never with
floating-point noise (60.699999999999996)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csrscore import score
from csrscore.precision import shown_number
from csrscore.rubric import load_rubric


def _rubric(decimals: int | None) -> Any:
    spec: dict[str, Any] = {"type": "number", "unit": "%"}
    if decimals is not None:
        spec["decimals"] = decimals
    return load_rubric(
        {
            "rubric": "shown",
            "version": "1",
            "title": "Shown numbers",
            "fields": {"env.renewable_share": spec},
            "groups": [
                {
                    "id": "energy",
                    "title": "Energy",
                    "criteria": [
                        {
                            "id": "renewables",
                            "title": "Renewables",
                            "levels": [
                                {
                                    "points": 1,
                                    "label": "Half",
                                    "when": {"gte": {"env.renewable_share": 50}},
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )


def _explained(value: float, decimals: int | None) -> str:
    record = {
        "company": {"id": "a", "name": "A"},
        "year": 2024,
        "disclosures": {"env.renewable_share": value},
    }
    return str(score([record], _rubric(decimals)).explain("a"))


@pytest.mark.parametrize(
    ("decimals", "shown"), [(None, "60.7"), (1, "60.7"), (2, "60.70"), (0, "61")]
)
def test_a_noisy_value_is_shown_with_the_catalog_decimals(decimals: int | None, shown: str) -> None:
    text = _explained(0.607 * 100, decimals)
    assert "60.699999999999996" not in text
    assert f"gte env.renewable_share 50: actual {shown} [pass]" in text
    assert f"disclosed env.renewable_share = {shown}" in text


def test_the_data_keeps_the_number_as_computed() -> None:
    record = {
        "company": {"id": "a", "name": "A"},
        "year": 2024,
        "disclosures": {"env.renewable_share": 0.607 * 100},
    }
    data = score([record], _rubric(1)).explain("a").to_dict()
    evidence = data["criteria"][0]["evidence"][0]
    assert evidence["value"] == 60.699999999999996


@given(st.decimals(min_value=-1e9, max_value=1e9, places=3, allow_nan=False))
def test_a_typed_number_is_shown_as_typed(typed: Decimal) -> None:
    value = float(typed)
    assert Decimal(shown_number(value)) == typed.normalize()


@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 6))
def test_catalog_decimals_give_that_many_places(value: float, decimals: int) -> None:
    text = shown_number(value, decimals)
    assert len(text.partition(".")[2]) == decimals
