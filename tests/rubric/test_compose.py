"""`extends`: overrides, drop, replace and add, addressed by node id.

fixtures/compose/parent.yaml has two groups of weight 1: environment (env-policy, max 1;
env-data, max 2) and social (soc-process, max 1), and a -5 per open violation penalty.
The two records below are scored against it and against each child.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from csrscore import Rubric, RubricError, load_rubric
from tests.rubric.builders import FIXTURES, Data, company, run

COMPOSE = FIXTURES / "compose"
PARENT = COMPOSE / "parent.yaml"

RECORDS: list[Data] = [
    company(
        "policy",
        {"env.ghg.policy": True, "hr.process": "documented"},
        violations=[{"id": "v1", "date": "2023-02-01", "status": "open"}],
    ),
    company("no-policy", {"hr.process": "documented"}),
]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # env 1/3, social 1, root (1/3 + 1) / 2; -5 for the open violation
        ("parent.yaml", [200 / 3 - 5, 50.0]),
        # environment weight 3: (3 × 1/3 + 1 × 1) / 4 = 1/2; (3 × 0 + 1) / 4
        ("child_overrides.yaml", [45.0, 25.0]),
        # env-data dropped: env = 1/1
        ("child_drop.yaml", [95.0, 50.0]),
        # env-data replaced by a 2-point policy level: env = 3/3
        ("child_replace.yaml", [95.0, 50.0]),
        # soc-ltifr (max 3) added to social: social = 1/4; (1/3 + 1/4) / 2 = 7/24
        ("child_add.yaml", [700 / 24 - 5, 12.5]),
        # scale 10 and no adjustments: 2/3 × 10; 1/2 × 10
        ("child_top_level.yaml", [20 / 3, 5.0]),
        # a chain: drop (from child_drop) then weight 3: (3 × 1 + 1) / 4; (3 × 0 + 1) / 4
        ("grandchild.yaml", [95.0, 25.0]),
    ],
)
def test_children_score_as_computed_by_hand(fixture: str, expected: list[float]) -> None:
    scores = run(load_rubric(COMPOSE / fixture), RECORDS)
    assert scores.totals.tolist() == pytest.approx(expected)


def test_overrides_change_fields_in_place() -> None:
    rubric = load_rubric(COMPOSE / "child_overrides.yaml")
    assert rubric.nodes["environment"].weight == 3
    assert rubric.nodes["env-policy"].title == "Published climate policy"
    assert [node.id for node in rubric.root.walk()] == [
        node.id for node in load_rubric(PARENT).root.walk()
    ]


def test_drop_removes_the_node() -> None:
    rubric = load_rubric(COMPOSE / "child_drop.yaml")
    assert "env-data" not in rubric.nodes
    assert rubric.criteria[0].id == "env-policy"
    assert len(rubric.criteria) == 2


def test_replace_swaps_the_node_and_keeps_its_id_and_place() -> None:
    rubric = load_rubric(COMPOSE / "child_replace.yaml")
    assert [c.id for c in rubric.criteria] == ["env-policy", "env-data", "soc-process"]
    replaced = rubric.nodes["env-data"]
    assert replaced.title == "Policy, counted twice"
    assert replaced.max_points == 2


def test_add_appends_children() -> None:
    rubric = load_rubric(COMPOSE / "child_add.yaml")
    assert [c.id for c in rubric.nodes["social"].children] == ["soc-process", "soc-ltifr"]  # type: ignore[union-attr]


def test_child_top_level_keys_replace_the_parents() -> None:
    parent = load_rubric(PARENT)
    child = load_rubric(COMPOSE / "child_top_level.yaml")
    assert (parent.name, parent.version, parent.scale) == ("parent", "1.0.0", 100.0)
    assert (child.name, child.version, child.title) == (
        "child-top-level",
        "2.0.0",
        "Same tree, other top-level settings",
    )
    assert child.scale == 10.0
    assert child.na_policy == "zero"
    assert child.grades == (("pass", 5.0), ("fail", 0.0))
    assert child.adjustments == ()
    assert len(parent.adjustments) == 1
    # The catalog is inherited: the parent's path is resolved against the parent's file.
    assert child.catalog.name == parent.catalog.name == "test"
    assert child.content_hash != parent.content_hash


def _load(path: Path) -> Rubric:
    """A child in a temporary folder may extend the fixture parent (outside its folder)."""
    return load_rubric(path, allow_paths=[COMPOSE])


def _child(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "child.yaml"
    head = f"rubric: child\nextends: {PARENT}\nversion: 1.0.0\ntitle: Child\n"
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "line", "node_path", "suggestion"),
    [
        ("overrides:\n  environmnet: {weight: 2}\n", 6, "overrides.environmnet", "environment"),
        ("drop:\n  - env-policy\n  - env-dta\n", 7, "drop[1]", "env-data"),
        (
            "replace:\n  soc-proces:\n    title: T\n    levels:\n"
            "      - {points: 1, label: L, when: {true: env.ghg.policy}}\n",
            6,
            "replace.soc-proces",
            "soc-process",
        ),
        (
            "add:\n  socail:\n    criteria:\n      - id: new\n        title: New\n"
            "        levels: [{points: 1, label: L, when: {true: env.ghg.policy}}]\n",
            6,
            "add.socail",
            "social",
        ),
    ],
    ids=["overrides", "drop", "replace", "add"],
)
def test_unknown_ids_are_located_with_a_suggestion(
    tmp_path: Path, body: str, line: int, node_path: str, suggestion: str
) -> None:
    path = _child(tmp_path, body)
    with pytest.raises(RubricError) as caught:
        _load(path)
    message = str(caught.value)
    assert f"{path}:{line} {node_path}: no node with id" in message
    assert f"in the parent rubric (did you mean {suggestion!r}?)" in message
    assert caught.value.location.path == node_path


def test_error_in_an_added_node_is_located_in_the_child(tmp_path: Path) -> None:
    path = _child(
        tmp_path,
        """\
        add:
          social:
            criteria:
              - id: new
                title: New
                levels: [{points: 1, label: L, when: {number: env.ghg.scope9}}]
        """,
    )
    with pytest.raises(RubricError, match=r"unknown disclosure key 'env\.ghg\.scope9'") as caught:
        _load(path)
    assert caught.value.location.source == str(path)
    assert caught.value.location.line is not None
    assert caught.value.location.path == "groups[1].criteria[1].levels[0].when.number"


def test_error_written_in_an_override_is_located_at_the_override(tmp_path: Path) -> None:
    path = _child(
        tmp_path,
        """\
        overrides:
          env-data: {weight: -1}
        """,
    )
    with pytest.raises(RubricError, match="weight must be 0 or more") as caught:
        _load(path)
    assert caught.value.location.source == str(path)
    assert caught.value.location.line == 6
    # The bound is checked where the override is written, before the merge.
    assert caught.value.location.path == "overrides.env-data.weight"


def test_error_in_an_inherited_node_is_located_in_the_parent(tmp_path: Path) -> None:
    # The child swaps in a catalog without hr.process, so the parent's soc-process, valid
    # on its own, no longer type-checks; the error belongs to the parent's line.
    (tmp_path / "catalog.yaml").write_text(
        "fields:\n  env.ghg.policy: {type: bool}\n  env.ghg.scope1: {type: number}\n",
        encoding="utf-8",
    )
    path = _child(tmp_path, "catalog: catalog.yaml\n")
    with pytest.raises(RubricError, match=r"unknown disclosure key 'hr\.process'") as caught:
        _load(path)
    assert Path(caught.value.location.source or "").resolve() == PARENT
    assert caught.value.location.line == 24  # `- id: soc-process`
    assert caught.value.location.path == "groups[1].criteria[0].levels[0].when.in"


def test_extends_a_shipped_rubric_by_name(tmp_path: Path) -> None:
    path = tmp_path / "heavy.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            rubric: iso26000-heavy-environment
            extends: iso26000
            version: 1.0.0
            title: ISO 26000 with environment weighted 40
            overrides:
              environment: {weight: 40}
            """
        ),
        encoding="utf-8",
    )
    parent = load_rubric("iso26000")
    child = _load(path)
    assert parent.nodes["environment"].weight == 12
    assert child.nodes["environment"].weight == 40
    assert child.name == "iso26000-heavy-environment"
    assert child.content_hash.startswith("sha256:")
    assert child.content_hash != parent.content_hash
    assert len(child.criteria) == len(parent.criteria)
    assert child.catalog.name == parent.catalog.name


def test_extends_of_a_mapping_resolves_against_the_working_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(COMPOSE)
    data = {
        "rubric": "child",
        "version": "1.0.0",
        "title": "Child",
        "extends": "parent.yaml",
        "drop": ["env-data"],
    }
    rubric = load_rubric(data)
    assert "env-data" not in rubric.nodes
