"""Every example in docs/rubrics.md is run.

Each ```yaml block is either a complete rubric (it has `rubric:`), which must load as it
stands, or a fragment (groups, criteria, adjustments, a catalog excerpt), which must load
once wrapped into a minimal rubric. The docs write `[...]`, `...` and `<condition>` for
parts shown elsewhere; those placeholders are filled with minimal valid content. The
operator table is checked the same way, one condition per operator. Blocks are read
with csrscore's own YAML reader, as rubric files are.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from csrscore import Rubric, load_catalog, load_rubric
from csrscore.operators import ALL_OPERATOR_NAMES
from csrscore.rubric.schema import catalog_schema
from csrscore.rubric.yamlsafe import load_yaml

DOC = Path(__file__).resolve().parent.parent / "docs" / "rubrics.md"
TEXT = DOC.read_text(encoding="utf-8")

Data = dict[str, Any]

_ids = itertools.count(1)
PLACEHOLDER_CONDITION: Data = {"exists": "env.ghg.scope1"}


def _level() -> Data:
    return {"points": 1, "label": "Placeholder", "when": dict(PLACEHOLDER_CONDITION)}


def _criterion() -> Data:
    return {"id": f"placeholder-{next(_ids)}", "title": "Placeholder", "levels": [_level()]}


def _group() -> Data:
    return {"id": f"placeholder-{next(_ids)}", "title": "Placeholder", "criteria": [_criterion()]}


def _adjustment() -> Data:
    return {
        "id": f"placeholder-{next(_ids)}",
        "title": "Placeholder",
        "cap": 50,
        "when": {"missing": "report.published"},
    }


FILL: dict[str, Callable[[], Data]] = {
    "groups": _group,
    "criteria": _criterion,
    "levels": _level,
    "adjustments": _adjustment,
}


def fill_placeholders(node: Any, key: str | None = None) -> Any:
    """`[...]` under a known key becomes one minimal item; `<condition>` a condition."""
    if node == ["..."]:
        assert key in FILL, f"no filler for a placeholder list under {key!r}"
        return [FILL[key]()]
    if node == "<condition>":
        return dict(PLACEHOLDER_CONDITION)
    if isinstance(node, dict):
        return {k: fill_placeholders(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [fill_placeholders(item, key) for item in node]
    return node


def read_yaml(text: str) -> Any:
    """YAML as rubric files are read (`true:` stays the operator name, not a boolean)."""
    return load_yaml(text, str(DOC)).data


def yaml_blocks(text: str) -> list[tuple[int, str]]:
    """(line, source) of every ```yaml block."""
    return [
        (text.count("\n", 0, match.start()) + 2, match.group(1))
        for match in re.finditer(r"^```yaml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    ]


def minimal_rubric(**top: Any) -> Data:
    data: Data = {"rubric": "docs-example", "version": "1.0.0", "title": "Docs example"}
    data.update(top)
    data.setdefault("groups", [_group()])
    return data


def kind_of(data: Any) -> str:
    if isinstance(data, dict) and "rubric" in data:
        return "rubric"
    if isinstance(data, dict) and "adjustments" in data:
        return "adjustments"
    if isinstance(data, dict) and "fields" in data:
        return "catalog"
    if isinstance(data, list) and all(isinstance(item, dict) for item in data):
        if all("groups" in item or "criteria" in item for item in data):
            return "groups"
        if all({"levels", "value", "score", "bands", "checklist"} & set(item) for item in data):
            return "criteria"
    return "unknown"


def load_example(kind: str, data: Any) -> Rubric:
    """Load a block, wrapped into a minimal rubric if it is a fragment."""
    if kind == "rubric":
        return load_rubric(data)
    if kind == "groups":
        return load_rubric(minimal_rubric(groups=data))
    if kind == "criteria":
        group = {"id": "docs-group", "title": "Docs group", "criteria": data}
        return load_rubric(minimal_rubric(groups=[group]))
    if kind == "adjustments":
        return load_rubric(minimal_rubric(adjustments=data["adjustments"]))
    if kind == "catalog":
        return load_rubric(minimal_rubric(fields=data["fields"]))
    raise AssertionError(f"unknown kind of example: {data!r}")


BLOCKS = yaml_blocks(TEXT)

# Blocks that cannot load as written, each marked xfail with the reason (none today).
BROKEN: dict[str, pytest.MarkDecorator] = {}


def _block_id(source: str) -> str:
    data = read_yaml(source)
    kind = kind_of(data)
    return f"{kind}:{data['rubric']}" if kind == "rubric" else kind


def _params() -> list[Any]:
    params = []
    for line, source in BLOCKS:
        block_id = _block_id(source)
        marks = [BROKEN[block_id]] if block_id in BROKEN else []
        params.append(pytest.param(source, id=f"line{line}-{block_id}", marks=marks))
    return params


def test_every_block_is_recognized() -> None:
    kinds = [kind_of(read_yaml(source)) for _, source in BLOCKS]
    assert "unknown" not in kinds
    assert sorted(set(kinds)) == ["adjustments", "catalog", "criteria", "groups", "rubric"]
    assert len(BLOCKS) >= 8


@pytest.mark.parametrize("source", _params())
def test_yaml_block_loads(source: str) -> None:
    raw = read_yaml(source)
    kind = kind_of(raw)
    rubric = load_example(kind, fill_placeholders(copy.deepcopy(raw)))
    # Every node a fragment defines is in the loaded rubric.
    defined = {
        "groups": lambda: [item["id"] for item in raw],
        "criteria": lambda: [item["id"] for item in raw],
        "adjustments": lambda: [item["id"] for item in raw["adjustments"]],
    }.get(kind, list)()
    assert set(defined) <= {*rubric.nodes, *(a.id for a in rubric.adjustments)}


def test_top_level_example_keeps_its_settings() -> None:
    (source,) = [s for _, s in BLOCKS if "rubric: my-index" in s]
    rubric = load_rubric(fill_placeholders(read_yaml(source)))
    assert (rubric.name, rubric.scale, rubric.na_policy) == ("my-index", 100.0, "exclude")
    assert rubric.grades == (("A", 80.0), ("B", 60.0), ("C", 40.0), ("D", 20.0), ("E", 0.0))


def test_catalog_example_is_a_valid_catalog_excerpt() -> None:
    (source,) = [s for _, s in BLOCKS if kind_of(read_yaml(s)) == "catalog"]
    data = read_yaml(source)
    assert list(Draft202012Validator(catalog_schema()).iter_errors(data)) == []


def test_catalog_example_matches_the_shipped_catalog() -> None:
    (source,) = [s for _, s in BLOCKS if kind_of(read_yaml(s)) == "catalog"]
    shipped = load_catalog()
    for name, spec in read_yaml(source)["fields"].items():
        found = shipped.fields.get(name)
        assert found is not None, name
        assert found.type == spec["type"], name
        if "values" in spec:
            assert list(found.values or ()) == spec["values"], name


# --- the operator table ------------------------------------------------------------------

# Concrete stand-ins for the table's placeholders, per operator.
FIELD_FOR = {
    "true": "env.ghg.policy",
    "eq": "company.sector",
    "ne": "company.sector",
    "in": "company.sector",
    "not_in": "company.sector",
    "contains": "report.frameworks",
    "matches": "company.name",
}
TOKENS = {
    "VALUE": "mining",
    "NUMBER": "1",
    "LOW": "0",
    "HIGH": "10",
    "V1": "textiles",
    "V2": "leather",
    "ITEM": "GRI",
    "REGEX": '"^A"',
    "C1": "{exists: env.ghg.scope1}",
    "C2": "{true: env.ghg.policy}",
    "C": "{exists: env.ghg.scope1}",
}


def operator_rows() -> list[tuple[str, str]]:
    """(operator, form) for each operator named in the table's first column."""
    rows = []
    for line in TEXT.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[1].startswith("`{"):
            continue
        form = cells[1].strip("`")
        names = re.findall(r"`([a-z_]+)`", cells[0])
        first = re.match(r"\{([a-z_]+):", form)
        assert first is not None
        rows += [(name, form.replace(first.group(1), name, 1)) for name in names]
    return rows


def concrete(operator: str, form: str) -> Data:
    text = form.replace("FIELD", FIELD_FOR.get(operator, "env.ghg.scope1"))
    text = re.sub(r"\b(" + "|".join(TOKENS) + r")\b", lambda m: TOKENS[m.group(1)], text)
    condition = read_yaml(text)
    assert isinstance(condition, dict)
    return condition


ROWS = operator_rows()


def test_table_lists_every_operator_once() -> None:
    names = [name for name, _ in ROWS]
    assert len(names) == len(set(names))
    assert set(names) == set(ALL_OPERATOR_NAMES)


@pytest.mark.parametrize(("operator", "form"), ROWS, ids=[name for name, _ in ROWS])
def test_table_form_is_a_valid_condition(operator: str, form: str) -> None:
    condition = concrete(operator, form)
    criterion = {
        "id": "c",
        "title": "C",
        "levels": [{"points": 1, "label": "L", "when": condition}],
    }
    load_rubric(minimal_rubric(groups=[{"id": "g", "title": "G", "criteria": [criterion]}]))


def test_inline_applies_when_example_loads() -> None:
    match = re.search(r"`applies_when: (\{in: \{company\.sector: \[[^`]*\]\}\})`", TEXT)
    assert match is not None
    group = _group()
    group["applies_when"] = read_yaml(match.group(1))
    load_rubric(minimal_rubric(groups=[group]))
