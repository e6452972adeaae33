"""Safe, bounded YAML loading: limits, refused constructs, plain data and line numbers."""

from __future__ import annotations

import math
import textwrap
import time
from pathlib import Path

import pytest

from csrscore import RubricError, load_rubric
from csrscore.rubric import yamlsafe
from csrscore.rubric.yamlsafe import MAX_BYTES, MAX_DEPTH, MAX_NODES, load_yaml
from tests.rubric.builders import group, ladder, level, rubric_data


def _error(text: str | bytes) -> str:
    with pytest.raises(RubricError) as caught:
        load_yaml(text, "in.yaml")
    return str(caught.value)


# --- plain data and lines ----------------------------------------------------------------


def test_plain_data_with_the_line_of_every_path() -> None:
    document = load_yaml(
        textwrap.dedent(
            """\
            rubric: r
            groups:
              - id: g
                criteria:
                  - id: c
                    levels: [{points: 1}]
            """
        ),
        "in.yaml",
    )
    assert document.data == {
        "rubric": "r",
        "groups": [{"id": "g", "criteria": [{"id": "c", "levels": [{"points": 1}]}]}],
    }
    assert document.source == "in.yaml"
    assert document.line_of(("rubric",)) == 1
    assert document.line_of(("groups", 0)) == 3
    assert document.line_of(("groups", 0, "criteria", 0, "id")) == 5
    assert document.line_of(("groups", 0, "criteria", 0, "levels", 0, "points")) == 6
    # A path that does not exist gets the line of its deepest existing prefix.
    assert document.line_of(("groups", 0, "criteria", 0, "nothing", 3)) == 5


def test_scalars_follow_the_core_schema() -> None:
    document = load_yaml(
        textwrap.dedent(
            """\
            text: hello
            quoted: "1"
            number: 1
            real: 2.5
            flag: false
            nothing: ~
            date: 2024-01-02
            stamp: 2024-01-02T03:04:05
            tagged: !!str 12
            true: env.ghg.policy
            """
        ),
        "in.yaml",
    )
    assert document.data == {
        "text": "hello",
        "quoted": "1",
        "number": 1,
        "real": 2.5,
        "flag": False,
        "nothing": None,
        # Dates stay ISO text, so the data is plain JSON for the schema.
        "date": "2024-01-02",
        "stamp": "2024-01-02T03:04:05",
        "tagged": "12",
        # `true:` is YAML 1.1's boolean key, read as the `true` operator's name.
        "true": "env.ghg.policy",
    }


def test_aliases_expand_to_independent_copies() -> None:
    document = load_yaml("a: &x [1, {b: 2}]\nc: *x\n", "in.yaml")
    assert document.data == {"a": [1, {"b": 2}], "c": [1, {"b": 2}]}
    assert document.data["a"] is not document.data["c"]
    assert document.data["a"][1] is not document.data["c"][1]


def test_utf8_bytes_and_a_bom_are_read() -> None:
    assert load_yaml("title: Überblick\n".encode(), "in.yaml").data == {"title": "Überblick"}
    assert load_yaml(b"\xef\xbb\xbftitle: x\n", "in.yaml").data == {"title": "x"}


# --- limits ------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    """A scalar at path length `depth`: `a` plus depth - 1 nested lists."""
    inner = depth - 1
    return "a: " + "[" * inner + "1" + "]" * inner + "\n"


def test_nesting_up_to_the_limit_is_allowed() -> None:
    document = load_yaml(_nested(MAX_DEPTH), "in.yaml")
    value = document.data["a"]
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == 1


def test_nesting_beyond_the_limit_is_refused() -> None:
    assert _error(_nested(MAX_DEPTH + 1)) == f"in.yaml:1: nesting deeper than {MAX_DEPTH} levels"


def test_very_deep_nesting_is_refused_without_a_crash() -> None:
    started = time.perf_counter()
    message = _error("a: " + "[" * 1000 + "]" * 1000)
    assert "nest" in message
    assert time.perf_counter() - started < 10  # a guard against hanging, not a benchmark


def test_size_limit_counts_bytes() -> None:
    # Within the limit in characters, beyond it in UTF-8 bytes.
    text = "a: " + "é" * (MAX_BYTES // 2)
    assert len(text) < MAX_BYTES < len(text.encode())
    message = _error(text)
    assert message == (
        f"in.yaml: file is {len(text.encode())} bytes; rubrics are limited to {MAX_BYTES} bytes"
    )
    assert _error(text.encode()) == message


def test_node_limit_counts_nodes_after_alias_expansion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_NODES", 30)
    items = ", ".join(["0"] * 10)
    assert load_yaml(f"a: &x [{items}]\nb: *x\n", "in.yaml").data["b"] == [0] * 10  # 24 nodes
    message = _error(f"a: &x [{items}]\nb: *x\nc: *x\n")  # 36 nodes
    # Located at the anchored node whose copy crossed the limit.
    assert message == "in.yaml:1: more than 30 YAML nodes after alias expansion (alias bomb?)"


def test_node_limit_is_large_enough_for_the_shipped_rubrics() -> None:
    assert MAX_NODES >= 100_000
    assert MAX_BYTES >= 1_000_000


@pytest.mark.xfail(
    strict=True,
    reason="the node and depth limits are checked only after yaml.compose has built the "
    "whole node graph (pure-Python PyYAML: about 100 µs per node), so a file within "
    "MAX_BYTES with many nodes takes seconds to minutes before it is refused",
)
def test_node_limit_stops_composition_early(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_NODES", 1_000)
    text = "[" + ", ".join(["0"] * 20_000) + "]"
    started = time.perf_counter()
    with pytest.raises(RubricError, match="more than 1000 YAML nodes"):
        load_yaml(text, "in.yaml")
    assert time.perf_counter() - started < 0.5


# --- refused constructs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!python/object/apply:os.system [ls]", "unsupported YAML tag"),
        ("a: !!python/name:os.system", "unsupported YAML tag"),
        ("a: !!binary aGVsbG8=", "unsupported YAML tag 'tag:yaml.org,2002:binary'"),
        ("a: !!set {x, y}", "unsupported YAML tag 'tag:yaml.org,2002:set'"),
        ("a: !custom value", "unsupported YAML tag '!custom'"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "in.yaml:3: YAML merge keys ('<<') are not supported"),
        ("a: 1\na: 2\n", "in.yaml:2: duplicate key 'a'"),
        ("1: a\n", "in.yaml:1: mapping keys must be text, got 1"),
        ("yes: a\n", "in.yaml:1: mapping keys must be text, got True"),
        ("? [a, b]\n: c\n", "in.yaml:1: mapping keys must be plain text"),
        ("a: .nan\n", "in.yaml:1: NaN is not allowed in a rubric"),
        ("a: &x [*x]\n", "in.yaml:1:"),
        ("a: 1\n---\nb: 2\n", "in.yaml:2: invalid YAML: but found another document"),
        ("a: [1, 2\n", "in.yaml:2: invalid YAML"),
        (b"a: \xff\n", "in.yaml: invalid YAML: unacceptable character"),
        ("", "in.yaml: the file is empty"),
        ("# only a comment\n", "in.yaml: the file is empty"),
    ],
)
def test_refused(text: str | bytes, message: str) -> None:
    assert message in _error(text)


@pytest.mark.parametrize("text", ["~\n", "---\n", "- a\n", "just text\n"])
def test_a_rubric_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    # load_yaml accepts any single document; the rubric loader then wants a mapping.
    load_yaml(text, "in.yaml")
    path = tmp_path / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError, match="a rubric is a YAML mapping at the top level"):
        load_rubric(path)


@pytest.mark.xfail(
    strict=True,
    reason="yamlsafe refuses NaN but not .inf: an infinite weight or points turns every "
    "score into NaN and the total into 0",
)
def test_infinity_is_refused_like_nan() -> None:
    assert "not allowed" in _error("weight: .inf\n")


@pytest.mark.xfail(
    strict=True,
    reason="rubric data passed as a mapping skips yamlsafe, and neither the schema nor the "
    "parser rejects NaN or infinite numbers",
)
@pytest.mark.parametrize("number", [math.nan, math.inf])
def test_non_finite_numbers_in_rubric_data_are_refused(number: float) -> None:
    data = rubric_data(group("g", ladder("c", level(1, {"true": "env.ghg.policy"}), weight=number)))
    with pytest.raises(RubricError):
        load_rubric(data)
