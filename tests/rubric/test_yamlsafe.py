"""Safe, bounded YAML loading: limits, refused constructs, plain data and line numbers."""

from __future__ import annotations

import datetime as dt
import math
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from csrscore import RubricError, load_rubric
from csrscore.rubric import yamlsafe
from csrscore.rubric.load import data_dir, list_rubrics
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


# Depth is counted while composing, one level per YAML node from the root mapping down, so
# the scalar at path length `depth` sits at composition depth `depth + 1`.
DEEPEST_PATH = MAX_DEPTH - 1


def test_nesting_up_to_the_limit_is_allowed() -> None:
    document = load_yaml(_nested(DEEPEST_PATH), "in.yaml")
    value = document.data["a"]
    for _ in range(DEEPEST_PATH - 1):
        value = value[0]
    assert value == 1


def test_nesting_one_level_beyond_the_limit_is_refused() -> None:
    # The node that crosses the limit is named by its path: `a` and MAX_DEPTH - 1 items.
    path = "a" + "[0]" * (MAX_DEPTH - 1)
    assert _error(_nested(DEEPEST_PATH + 1)) == (
        f"in.yaml:1 {path}: nesting deeper than {MAX_DEPTH} levels"
    )


def test_depth_counts_every_yaml_node_from_the_root() -> None:
    # A top-level list: MAX_DEPTH - 1 lists around a scalar are MAX_DEPTH levels.
    inner = MAX_DEPTH - 1
    assert load_yaml("[" * inner + "1" + "]" * inner, "in.yaml").data is not None
    inner += 1
    assert _error("[" * inner + "1" + "]" * inner) == (
        f"in.yaml:1 {'[0]' * MAX_DEPTH}: nesting deeper than {MAX_DEPTH} levels"
    )


def _block_lists(count: int) -> str:
    """`a:` and `count` nested block lists, list n on line n + 1; the innermost holds null."""
    return "a:\n" + "".join("  " * i + "-\n" for i in range(1, count + 1))


def test_nesting_limit_is_located_at_the_line_that_crosses_it() -> None:
    # The root mapping is level 1 on line 1, the list on line n is level n, and the null
    # in the innermost list is one level deeper.
    assert load_yaml(_block_lists(MAX_DEPTH - 2), "in.yaml").data is not None
    path = "a" + "[0]" * (MAX_DEPTH - 1)
    assert _error(_block_lists(MAX_DEPTH - 1)) == (
        f"in.yaml:{MAX_DEPTH} {path}: nesting deeper than {MAX_DEPTH} levels"
    )
    assert _error(_block_lists(MAX_DEPTH + 5)) == (
        f"in.yaml:{MAX_DEPTH + 1} {path}: nesting deeper than {MAX_DEPTH} levels"
    )


def test_very_deep_nesting_is_refused_without_a_crash() -> None:
    started = time.perf_counter()
    message = _error("a: " + "[" * 1000 + "]" * 1000)
    path = "a" + "[0]" * (MAX_DEPTH - 1)
    assert message == f"in.yaml:1 {path}: nesting deeper than {MAX_DEPTH} levels"
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


def test_size_limit_allows_exactly_max_bytes() -> None:
    text = "a: " + "x" * (MAX_BYTES - 4) + "\n"
    assert len(text.encode()) == MAX_BYTES
    assert load_yaml(text, "in.yaml").data == {"a": "x" * (MAX_BYTES - 4)}
    assert "rubrics are limited to" in _error(text + " ")


def test_node_limit_counts_nodes_after_alias_expansion(monkeypatch: pytest.MonkeyPatch) -> None:
    # Composition sees the alias once (17 nodes, keys included); expansion copies it.
    monkeypatch.setattr(yamlsafe, "MAX_NODES", 30)
    items = ", ".join(["0"] * 10)
    assert load_yaml(f"a: &x [{items}]\nb: *x\n", "in.yaml").data["b"] == [0] * 10  # 23 values
    message = _error(f"a: &x [{items}]\nb: *x\nc: *x\n")  # 34 values
    # Located at the anchored node whose copy crossed the limit, with the copy's path.
    assert message == "in.yaml:1 c[6]: more than 30 YAML nodes after alias expansion (alias bomb?)"


def test_node_limit_is_large_enough_for_the_shipped_rubrics() -> None:
    assert MAX_NODES == 50_000
    assert MAX_BYTES == 1024 * 1024
    assert MAX_DEPTH == 64
    for name in list_rubrics():
        path = data_dir("rubrics") / f"{name}.yaml"
        document = load_yaml(path.read_bytes(), str(path))
        # Every key and value is a node; leave at least a factor of four of headroom.
        assert len(document.lines) * 2 < MAX_NODES // 4, name
        assert path.stat().st_size < MAX_BYTES // 4, name


def test_node_limit_stops_composition_early(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_NODES", 1_000)
    text = "[" + ", ".join(["0"] * 20_000) + "]"
    # PyYAML scans tokens lazily; counting the scans (not timing) shows that the other
    # 19,000 items are never read.
    fetch = yamlsafe._BoundedLoader.fetch_more_tokens
    fetches = 0

    def counting(self: yamlsafe._BoundedLoader) -> None:
        nonlocal fetches
        fetches += 1
        fetch(self)

    monkeypatch.setattr(yamlsafe._BoundedLoader, "fetch_more_tokens", counting)
    # The root list is node 1, so item 999 is node 1,001.
    assert _error(text) == "in.yaml:1 [999]: more than 1000 YAML nodes"
    assert 1_000 < fetches < 2 * 1_000 + 100  # a value and a comma per item, not 40,000


def test_node_limit_counts_keys_and_values_while_composing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_NODES", 7)
    # The root mapping and three key/value pairs: 7 nodes.
    assert load_yaml("a: 1\nb: 2\nc: 3\n", "in.yaml").data == {"a": 1, "b": 2, "c": 3}
    # The eighth node, key `d`, is on line 4.
    assert _error("a: 1\nb: 2\nc: 3\nd: 4\n") == "in.yaml:4: more than 7 YAML nodes"


# --- refused constructs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: !!python/object/apply:os.system [ls]",
            "in.yaml:1 a: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
        (
            "a: !!python/name:os.system",
            "in.yaml:1 a: unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system'",
        ),
        ("a: !!binary aGVsbG8=", "in.yaml:1 a: unsupported YAML tag 'tag:yaml.org,2002:binary'"),
        ("a: !!set {x, y}", "in.yaml:1 a: unsupported YAML tag 'tag:yaml.org,2002:set'"),
        ("a: !custom value", "in.yaml:1 a: unsupported YAML tag '!custom'"),
        ("b:\n  c: !custom value\n", "in.yaml:2 b.c: unsupported YAML tag '!custom'"),
        ("b: [1, !custom value]\n", "in.yaml:1 b[1]: unsupported YAML tag '!custom'"),
        (
            "base: &b {x: 1}\nc:\n  <<: *b\n",
            "in.yaml:3 c: YAML merge keys ('<<') are not supported",
        ),
        ("a: 1\na: 2\n", "in.yaml:2 a: duplicate key 'a'"),
        ("b:\n  - 1\n  - x: 1\n    x: 2\n", "in.yaml:4 b[1].x: duplicate key 'x'"),
        ("1: a\n", "in.yaml:1: mapping keys must be text, got 1"),
        ("b: {1: a}\n", "in.yaml:1 b: mapping keys must be text, got 1"),
        ("yes: a\n", "in.yaml:1: mapping keys must be text, got True"),
        ("? [a, b]\n: c\n", "in.yaml:1: mapping keys must be plain text"),
        ("a: .nan\n", "in.yaml:1 a: '.nan': numbers in a rubric must be finite"),
        ("a: [.NaN]\n", "in.yaml:1 a[0]: '.NaN': numbers in a rubric must be finite"),
        ("a: .inf\n", "in.yaml:1 a: '.inf': numbers in a rubric must be finite"),
        ("a: -.Inf\n", "in.yaml:1 a: '-.Inf': numbers in a rubric must be finite"),
        # A self-referencing alias expands forever; it stops at the depth limit.
        ("a: &x [*x]\n", f"in.yaml:1 a{'[0]' * MAX_DEPTH}: nesting deeper than {MAX_DEPTH} levels"),
        ("a: 1\n---\nb: 2\n", "in.yaml:2: invalid YAML: but found another document"),
        ("a: [1, 2\n", "in.yaml:2: invalid YAML"),
        (b"a: \xff\n", "in.yaml: invalid YAML: unacceptable character"),
        ("", "in.yaml: the file is empty"),
        ("# only a comment\n", "in.yaml: the file is empty"),
    ],
)
def test_refused(text: str | bytes, message: str) -> None:
    assert message in _error(text)


def test_a_node_path_follows_the_line() -> None:
    # `FILE:LINE PATH: MESSAGE`, with the path in the error's location.
    with pytest.raises(RubricError) as caught:
        load_yaml("groups:\n  - id: g\n    id: h\n", "in.yaml")
    assert caught.value.location.line == 3
    assert caught.value.location.path == "groups[0].id"
    assert str(caught.value) == "in.yaml:3 groups[0].id: duplicate key 'id'"


@pytest.mark.parametrize("text", ["~\n", "---\n", "- a\n", "just text\n"])
def test_a_rubric_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    # load_yaml accepts any single document; the rubric loader then wants a mapping.
    load_yaml(text, "in.yaml")
    path = tmp_path / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError, match="a rubric is a YAML mapping at the top level"):
        load_rubric(path)


@pytest.mark.parametrize("text", ["1.0e+400", "-1.0e+400", ".inf", "+.inf"])
def test_infinity_is_refused_like_nan(text: str) -> None:
    assert _error(f"weight: {text}\n") == (
        f"in.yaml:1 weight: {text!r}: numbers in a rubric must be finite"
    )


def test_large_finite_numbers_are_kept() -> None:
    assert load_yaml("weight: 1.0e+300\n", "in.yaml").data == {"weight": 1e300}


@pytest.mark.parametrize(
    ("number", "shown"), [(math.nan, "nan"), (math.inf, "inf"), (-math.inf, "-inf")]
)
def test_non_finite_numbers_in_rubric_data_are_refused(number: float, shown: str) -> None:
    data = rubric_data(group("g", ladder("c", level(1, {"true": "env.ghg.policy"}), weight=number)))
    with pytest.raises(RubricError) as caught:
        load_rubric(data)
    assert caught.value.location.path == "groups[0].criteria[0].weight"
    assert str(caught.value) == (
        f"<rubric data> groups[0].criteria[0].weight: {shown}: numbers in a rubric must be finite"
    )


@pytest.mark.parametrize("key", [1, 2.5, None, False, ("a",)])
def test_rubric_data_refuses_other_non_text_keys(key: object) -> None:
    when: dict[Any, Any] = {key: "env.ghg.policy"}
    with pytest.raises(RubricError) as caught:
        load_rubric(rubric_data(group("g", ladder("c", level(1, when)))))
    assert caught.value.location.path == "groups[0].criteria[0].levels[0].when"
    assert caught.value.message == f"mapping keys must be text, got {key!r}"


def test_rubric_data_dates_become_iso_text() -> None:
    references = {"published": dt.date(2024, 1, 2), "at": dt.datetime(2024, 1, 2, 3, 4, 5)}
    data = rubric_data(
        group("g", ladder("c", level(1, {"true": "env.ghg.policy"}))), references=references
    )
    rubric = load_rubric(data)
    expected = {"published": "2024-01-02", "at": "2024-01-02T03:04:05"}
    assert rubric.references == expected
    assert rubric.document["references"] == expected
    # The caller's data is left as it was.
    assert data["references"]["published"] == dt.date(2024, 1, 2)
