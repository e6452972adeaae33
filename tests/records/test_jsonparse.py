"""`parse_json`: what `json.loads` gives, except that a repeated key is found and located."""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csrscore.records.jsonparse import (
    DuplicateKey,
    DuplicateKeyError,
    parse_json,
    record_rejection,
    split_by_record,
)

# --- documents without repeats: exactly json.loads ----------------------------------------

json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=False),  # NaN is never equal to itself; it has a test of its own
    st.text(max_size=8),
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=25,
)


@given(json_values, st.booleans())
def test_a_document_without_repeats_parses_as_json_loads_does(value: Any, as_bytes: bool) -> None:
    text = json.dumps(value)
    parsed = parse_json(text.encode() if as_bytes else text)
    # repr compares floats bit for bit (and keeps 1 apart from 1.0) and dicts in order.
    assert repr(parsed) == repr(json.loads(text))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # What jiter refuses and json.loads accepts goes to the standard library.
        pytest.param(b'\xef\xbb\xbf{"a": 1}', {"a": 1}, id="byte-order-mark"),
        pytest.param('["\\ud800"]', ["\ud800"], id="lone-surrogate-escape"),
        pytest.param('{"a": 1}'.encode("utf-16"), {"a": 1}, id="utf-16"),
        pytest.param(b"[NaN, Infinity, -Infinity]", [math.nan, math.inf, -math.inf], id="nan"),
        pytest.param(b"[" + b"9" * 5000 + b"]", [math.inf], id="5000-digit-integer"),
    ],
)
def test_what_json_loads_accepts_is_accepted(data: bytes | str, expected: list[Any]) -> None:
    assert repr(parse_json(data)) == repr(expected)


@pytest.mark.parametrize(
    "text",
    ["[1, 2", '{"a": 1,}', '"abc', "[1] x", '{"a": 1}\n{"b": 2}', "01", '"\x01"', ""],
)
def test_errors_are_those_of_json_loads(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as got:
        parse_json(text)
    assert (got.value.msg, got.value.lineno, got.value.colno) == (
        expected.value.msg,
        expected.value.lineno,
        expected.value.colno,
    )


def test_bytes_that_are_not_text_are_a_unicode_error() -> None:
    with pytest.raises(UnicodeDecodeError):
        parse_json(b'["\xff"]')


def test_nesting_beyond_the_parser_is_a_recursion_error() -> None:
    with pytest.raises(RecursionError):
        parse_json("[" * 100_000 + "]" * 100_000)


# --- repeats ------------------------------------------------------------------------------

# A key as decoded, and as written: an escape is the same key as its character.
KEYS = [("a", '"a"'), ("a", '"\\u0061"'), ("b", '"b"'), ("é", '"é"'), ("é", '"\\u00e9"')]

# A document as written: ("object", [(key index, child), ...]) may repeat a key.
trees = st.recursive(
    st.integers(-5, 5),
    lambda children: (
        st.lists(children, max_size=3).map(lambda items: ("array", items))
        | st.lists(st.tuples(st.integers(0, len(KEYS) - 1), children), max_size=4).map(
            lambda pairs: ("object", pairs)
        )
    ),
    max_leaves=20,
)


def _text(tree: Any) -> str:
    if isinstance(tree, int):
        return str(tree)
    kind, body = tree
    if kind == "array":
        return "[" + ", ".join(_text(item) for item in body) + "]"
    return "{" + ", ".join(f"{KEYS[key][1]}: {_text(child)}" for key, child in body) + "}"


def _expected(tree: Any, path: tuple[str | int, ...] = ()) -> list[tuple[Any, int]]:
    """Every repeat as (path, count): in an object that survives the parse (a repeated
    key's earlier values are dropped, and whatever they held with them)."""
    if isinstance(tree, int):
        return []
    kind, body = tree
    if kind == "array":
        return [found for i, item in enumerate(body) for found in _expected(item, (*path, i))]
    counts = Counter(KEYS[key][0] for key, _ in body)
    found = [((*path, key), n) for key, n in counts.items() if n > 1]
    kept = {KEYS[key][0]: child for key, child in body}
    return found + [item for key, child in kept.items() for item in _expected(child, (*path, key))]


@given(trees)
def test_every_repeat_is_found_with_its_path_and_count(tree: Any) -> None:
    text = _text(tree)
    expected = _expected(tree)
    if not expected:
        assert parse_json(text) == json.loads(text)
        return
    with pytest.raises(DuplicateKeyError) as caught:
        parse_json(text)
    assert [(d.path, d.count) for d in caught.value.duplicates] == expected
    # The document is still there, as json.loads reads it (the last value of each key).
    assert caught.value.document == json.loads(text)


def test_a_repeat_written_with_an_escape_is_found() -> None:
    with pytest.raises(DuplicateKeyError) as caught:
        parse_json(b'{"year": 2023, "y\\u0065ar": 2024}')
    assert caught.value.duplicates == (DuplicateKey(("year",), 2),)


def test_a_repeat_beside_what_only_the_standard_library_reads_is_found() -> None:
    with pytest.raises(DuplicateKeyError) as caught:
        parse_json('[{"n": 1' + "0" * 5000 + ', "t": "\\ud800", "n": 2}]')
    assert caught.value.duplicates == (DuplicateKey((0, "n"), 2),)
    assert caught.value.document == [{"n": 2, "t": "\ud800"}]


def test_the_message_names_the_path_and_how_often() -> None:
    with pytest.raises(DuplicateKeyError) as caught:
        parse_json('{"reports": [], "reports": [], "reports": []}')
    assert str(caught.value).startswith("reports: key appears 3 times in its object;")
    assert DuplicateKey((0, "disclosures", "env.ghg.scope1"), 2).located() == (
        '[0].disclosures["env.ghg.scope1"]',
        "key appears twice in its object; give each key once"
        " (a JSON reader would silently keep only the last value)",
    )


def test_repeats_split_into_the_file_and_its_records() -> None:
    duplicates = [
        DuplicateKey(("reports", 2, "year"), 2),
        DuplicateKey(("source",), 2),
        DuplicateKey(("reports", 2, "disclosures", "a.b"), 3),
        DuplicateKey(("reports",), 2),
        DuplicateKey(("meta", 0, "x"), 2),  # an array that is not the records
    ]
    outside, inside = split_by_record(duplicates, ("reports",))
    assert outside == [duplicates[1], duplicates[3], duplicates[4]]
    assert inside == {2: [DuplicateKey(("year",), 2), DuplicateKey(("disclosures", "a.b"), 3)]}
    path, message = record_rejection(inside[2])
    assert path == "year"
    assert message.endswith("(and 1 more repeated key)")
    assert split_by_record([DuplicateKey((4, "company", "id"), 2)], ()) == (
        [],
        {4: [DuplicateKey(("company", "id"), 2)]},
    )
