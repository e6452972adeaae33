"""The fast disclosure check against pydantic's validation of the same typed forms.

The fast check may only ever say "valid, and here is the result" when pydantic would
accept the input and give that same result; everything else it must leave to pydantic.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from csrscore.records import disclosure, load_reports
from csrscore.records.disclosure import (
    Disclosure,
    DisclosureKey,
    DisclosureValue,
    LongDisclosure,
    checked,
    normalize,
)
from csrscore.records.model import Report
from tests.records.strategies import disclosure_keys, long_values, short_values


class _Text(str):
    pass


_PYDANTIC = TypeAdapter(dict[DisclosureKey, DisclosureValue | LongDisclosure])


def by_pydantic(raw: Any) -> dict[str, Disclosure] | None:
    try:
        return normalize(_PYDANTIC.validate_python(raw))
    except ValidationError:
        return None


def agree(raw: Any) -> dict[str, Disclosure] | None:
    """The fast result, after checking it against pydantic's (evidence key order too)."""
    fast = checked(raw)
    if fast is not None:
        slow = by_pydantic(raw)
        assert slow is not None, f"fast check accepted what pydantic rejects: {raw!r}"
        assert list(fast.items()) == list(slow.items())
        for mine, theirs in zip(fast.values(), slow.values(), strict=True):
            assert type(mine.value) is type(theirs.value)
            assert list((mine.evidence or {}).items()) == list((theirs.evidence or {}).items())
    return fast


# Values near every rule's edge, valid and not, in the places a value may appear.
odd_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**53, 2**53 + 1, -(2**53) - 1, 10**400, -1, 0, 100_000, 100_001]),
    st.floats(),
    st.text(max_size=3),
    st.sampled_from(["x" * 64, "x" * 65, "x" * 2_000, "x" * 2_001, "x" * 10_000, "x" * 10_001]),
    st.tuples(st.text(max_size=2)),
    st.binary(max_size=2),
)
odd_values = st.one_of(
    odd_scalars,
    st.lists(odd_scalars, max_size=3),
    st.dictionaries(
        st.sampled_from(["value", "unit", "evidence", "assured", "note", "extra"]),
        st.one_of(
            odd_scalars,
            st.lists(odd_scalars, max_size=2),
            st.dictionaries(st.sampled_from(["page", "url", "quote", "other"]), odd_scalars),
        ),
        max_size=5,
    ),
)
odd_keys = st.one_of(
    disclosure_keys,
    st.text(max_size=6),
    st.sampled_from(["a\n", "a.", ".a", "A.b", "a..b", "a" * 128, "a" * 129, "a.b_1"]),
    st.integers(),
)


def has_wide_int(value: Any) -> bool:
    if isinstance(value, dict):
        return any(has_wide_int(v) for v in value.values())
    return type(value) is int and abs(value) > 2**53


@given(st.dictionaries(disclosure_keys, short_values | long_values, max_size=8))
def test_valid_disclosures_take_the_fast_path_with_pydantics_result(raw: dict[str, Any]) -> None:
    # Integers beyond 2**53 are valid but left to pydantic, which rounds them to floats.
    assert agree(raw) is not None or has_wide_int(raw)


@given(st.dictionaries(odd_keys, odd_values | short_values | long_values, max_size=4))
def test_the_fast_path_never_accepts_what_pydantic_rejects(raw: dict[Any, Any]) -> None:
    agree(raw)


@pytest.mark.parametrize(
    "raw",
    [
        {"a": float("inf")},
        {"a": float("nan")},
        {"a": 10**400},
        {"a": "x" * 10_001},
        {"a": ["x", 1]},
        {"a\n": 1.0},
        {"a" * 129: 1.0},
        {"a": {"value": 1.0, "unit": None}},
        {"a": {"value": 1.0, "unit": "u" * 65}},
        {"a": {"value": 1.0, "assured": 1}},
        {"a": {"value": 1.0, "evidence": {"page": True}}},
        {"a": {"value": 1.0, "evidence": {"page": 100_001}}},
        {"a": {"value": 1.0, "evidence": {"page": 1, "line": 2}}},
        {"a": {"value": {"value": 1.0}}},
        {"a": {"unit": "t"}},
        {"a": {"value": 1.0, "other": 1}},
    ],
)
def test_invalid_disclosures_are_left_to_pydantic(raw: dict[str, Any]) -> None:
    assert checked(raw) is None
    assert by_pydantic(raw) is None


@pytest.mark.parametrize("raw", [{"a": 2**53 + 1}, {"a": ("x",)}, {"a": [_Text("x")]}])
def test_valid_but_unusual_disclosures_are_left_to_pydantic(raw: dict[str, Any]) -> None:
    assert checked(raw) is None
    assert by_pydantic(raw) is not None


def test_integers_within_2_53_become_exact_floats() -> None:
    fast = agree({"a": 2**53, "b": -(2**53), "c": 0})
    assert fast is not None
    assert [d.value for d in fast.values()] == [2.0**53, -(2.0**53), 0.0]
    assert all(type(d.value) is float for d in fast.values())


def test_a_result_shares_no_container_with_the_input() -> None:
    raw = {"a": ["x"], "b": {"value": ["y"], "evidence": {"page": 1}}}
    fast = checked(raw)
    assert fast is not None
    raw["b"]["evidence"]["page"] = 2  # type: ignore[index]
    assert fast["a"].value == ("x",)
    assert fast["b"].evidence == {"page": 1}


def test_an_invalid_key_is_not_remembered_as_valid() -> None:
    assert checked({"Bad.Key": 1.0}) is None
    assert "Bad.Key" not in disclosure._valid_keys


def test_json_and_python_input_load_the_same_report() -> None:
    record = {
        "company": {"id": "c1", "name": "C"},
        "year": 2024,
        "disclosures": {
            "e.ghg": 12,
            "e.policy": {"value": True, "evidence": {"quote": "q", "page": 3}, "assured": True},
            "e.scope": ["a", "b"],
        },
    }
    from_json = Report.model_validate_json(json.dumps(record))
    from_python = Report.model_validate(record)
    assert from_json == from_python
    assert from_json.disclosures["e.ghg"] == Disclosure(12.0)
    assert list(from_json.disclosures["e.policy"].evidence or {}) == ["page", "quote"]


def test_a_bad_disclosure_still_gets_pydantics_located_error() -> None:
    record = {"company": {"id": "c1", "name": "C"}, "year": 2024, "disclosures": {"e.x": {}}}
    with pytest.raises(ValidationError) as raised:
        Report.model_validate(record)
    assert any(error["loc"][:2] == ("disclosures", "e.x") for error in raised.value.errors())


def test_reports_read_from_json_share_their_keys_and_short_texts() -> None:
    record = {
        "company": {"id": "c1", "name": "C"},
        "year": 2024,
        "disclosures": {"e.stage": "planned", "e.scope": {"value": ["tier1"], "unit": "t"}},
    }
    text = json.dumps([record, {**record, "year": 2025}])
    first, second = (report.disclosures for report in load_reports(text.encode()).reports)
    assert all(a is b for a, b in zip(first, second, strict=True))
    assert first["e.stage"].value is second["e.stage"].value
    assert first["e.scope"].value == ("tier1",)
    assert first["e.scope"].value[0] is second["e.scope"].value[0]  # type: ignore[index]
    assert first["e.scope"].unit is second["e.scope"].unit
