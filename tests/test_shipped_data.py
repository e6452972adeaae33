"""The shipped rubrics, the disclosure catalog, its docs page and the synthetic examples agree.

These tests read the files as plain data (yaml.safe_load, json.load), independently of the
rubric loader, so that a mistake in the data is reported as such and not as a loader bug.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from csrscore import load_reports

ROOT = Path(__file__).resolve().parent.parent
CATALOG_PATH = ROOT / "rubrics" / "catalog.yaml"
CATALOG_DOC = ROOT / "docs" / "catalog.md"
GENERATOR_PATH = ROOT / "examples" / "make_reports.py"
REPORTS_PATH = ROOT / "examples" / "reports.json"
RUBRIC_PATHS = {name: ROOT / "rubrics" / f"{name}.yaml" for name in ("iso26000", "citi")}

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
GRI_PATTERN = re.compile(r"^[0-9]{1,3}-[0-9]{1,2}$")
KEY_PREFIXES = (
    "gov.",
    "hr.",
    "labour.",
    "env.",
    "fop.",
    "consumer.",
    "community.",
    "transparency.",
    "supply_chain.",
)
FIELD_TYPES = ("bool", "number", "text", "enum", "list")

# Record fields every rubric may test (docs/rubrics.md, "Fields"), with their types.
BUILTIN_FIELDS: Mapping[str, Mapping[str, Any]] = {
    "company.id": {"type": "text"},
    "company.name": {"type": "text"},
    "company.sector": {"type": "text"},
    "company.country": {"type": "text"},
    "year": {"type": "number"},
    "report.title": {"type": "text"},
    "report.url": {"type": "text"},
    "report.language": {"type": "text"},
    "report.assurance.provider": {"type": "text"},
    "report.assurance.standard": {"type": "text"},
    "report.assurance.level": {"type": "enum", "values": ["none", "limited", "reasonable"]},
    "report.frameworks": {"type": "list"},
    "report.published": {"type": "date"},
    "report.period_end": {"type": "date"},
    "stats.disclosures": {"type": "number"},
    "stats.quantitative_share": {"type": "number"},
    "stats.assured_share": {"type": "number"},
    "stats.evidence_share": {"type": "number"},
}

# Operators of docs/rubrics.md, "Conditions", by the shape of their operand.
FIELD_OPERATORS = frozenset({"exists", "missing", "true", "number", "assured", "has_evidence"})
OPERAND_OPERATORS = frozenset(
    {"eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "not_in", "contains", "matches"}
)
OTHER_OPERATORS = frozenset({"violations", "published_within_days", "all", "any", "not"})

ISO26000_ISSUES: Mapping[str, tuple[str, ...]] = {
    "6.2": ("6.2.3",),  # one issue: decision-making processes and structures
    "6.3": ("6.3.3", "6.3.4", "6.3.5", "6.3.6", "6.3.7", "6.3.8", "6.3.9", "6.3.10"),
    "6.4": ("6.4.3", "6.4.4", "6.4.5", "6.4.6", "6.4.7"),
    "6.5": ("6.5.3", "6.5.4", "6.5.5", "6.5.6"),
    "6.6": ("6.6.3", "6.6.4", "6.6.5", "6.6.6", "6.6.7"),
    "6.7": ("6.7.3", "6.7.4", "6.7.5", "6.7.6", "6.7.7", "6.7.8", "6.7.9"),
    "6.8": ("6.8.3", "6.8.4", "6.8.5", "6.8.6", "6.8.7", "6.8.8", "6.8.9"),
}

# CITI's published item maxima that the citi rubric reproduces.
CITI_ITEM_MAXIMA = {
    "citi-enquiry-response": 6,
    "citi-supply-chain-transparency": 8,
    "citi-supplier-screening": 6,
    "citi-supplier-screening-wet": 10,
    "citi-supplier-correction": 12,
    "citi-wastewater": 12,
    "citi-solid-waste": 12,
    "citi-chemicals": 6,
    "citi-energy-carbon": 20,
    "citi-prtr": 12,
}

CATALOG_INTRO = (
    "When you prepare report records for the shipped rubrics, use these disclosure keys with "
    "the type, unit and range shown (percentages are numbers from 0 to 100). A record that "
    "contradicts the catalog (a value of another type, an enum or list value the catalog "
    "does not list, or a number outside its range) is rejected when it is loaded for "
    "validation or scoring, with the reason, and never scored in part (unless "
    "`--bad-values as-missing` asks to score it without that value); a value that differs "
    "from a listed one only in case, spaces, hyphens or underscores (`Board committee` for "
    "`board_committee`) is taken as the listed value."
)


def range_text(spec: Mapping[str, Any]) -> str:
    low, high = spec.get("minimum"), spec.get("maximum")
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    return f"at most {high}" if high is not None else ""


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def catalog() -> dict[str, dict[str, Any]]:
    fields: dict[str, dict[str, Any]] = load_yaml(CATALOG_PATH)["fields"]
    return fields


@pytest.fixture(scope="module")
def rubrics() -> dict[str, dict[str, Any]]:
    return {name: load_yaml(path) for name, path in RUBRIC_PATHS.items()}


@pytest.fixture(scope="module")
def reports_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(REPORTS_PATH.read_text(encoding="utf-8"))
    return document


# ----------------------------------------------------------------------------- walking rubrics


@dataclass(frozen=True)
class FieldUse:
    """One place where a rubric tests a field."""

    rubric: str
    node: str
    operator: str
    field: str
    operand: Any = None


def nodes(groups: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every group and criterion, parents first."""
    for group in groups:
        yield group
        yield from nodes(group.get("groups", []))
        yield from group.get("criteria", [])


def operator_name(key: Any) -> str:
    # yaml.safe_load reads an unquoted `true:` key as the boolean True (YAML 1.1).
    return "true" if key is True else str(key)


def condition_uses(rubric: str, node: str, condition: Any) -> Iterator[FieldUse]:
    assert isinstance(condition, dict), f"{rubric}/{node}: a condition must be a mapping"
    assert len(condition) == 1, f"{rubric}/{node}: a condition has exactly one operator"
    ((key, argument),) = condition.items()
    operator = operator_name(key)
    if operator in FIELD_OPERATORS:
        yield FieldUse(rubric, node, operator, argument)
    elif operator in OPERAND_OPERATORS:
        assert isinstance(argument, dict), f"{rubric}/{node}: {operator} takes {{FIELD: VALUE}}"
        assert len(argument) == 1, f"{rubric}/{node}: {operator} tests exactly one field"
        ((field, operand),) = argument.items()
        yield FieldUse(rubric, node, operator, field, operand)
    elif operator in ("all", "any"):
        assert isinstance(argument, list), f"{rubric}/{node}: {operator} takes a list"
        assert argument, f"{rubric}/{node}: {operator} needs at least one condition"
        for item in argument:
            yield from condition_uses(rubric, node, item)
    elif operator == "not":
        yield from condition_uses(rubric, node, argument)
    else:
        assert operator in OTHER_OPERATORS, f"{rubric}/{node}: unknown operator {operator!r}"


def field_uses(name: str, rubric: dict[str, Any]) -> Iterator[FieldUse]:
    for node in nodes(rubric["groups"]):
        node_id = node["id"]
        if "applies_when" in node:
            yield from condition_uses(name, node_id, node["applies_when"])
        for level in node.get("levels", []):
            yield from condition_uses(name, node_id, level["when"])
        for scoring in ("value", "bands"):
            if scoring in node:
                yield FieldUse(name, node_id, scoring, node[scoring]["field"])
    for adjustment in rubric.get("adjustments", []):
        if "when" in adjustment:
            yield from condition_uses(name, adjustment["id"], adjustment["when"])


def all_field_uses(rubrics: Mapping[str, dict[str, Any]]) -> list[FieldUse]:
    return [use for name, rubric in rubrics.items() for use in field_uses(name, rubric)]


def is_criterion(node: Mapping[str, Any]) -> bool:
    return any(scoring in node for scoring in ("levels", "value", "bands"))


def max_points(criterion: Mapping[str, Any]) -> float:
    if "levels" in criterion:
        return max(float(level["points"]) for level in criterion["levels"])
    if "value" in criterion:
        return float(criterion["value"]["points"])
    return max(float(step["points"]) for step in criterion["bands"]["steps"])


# ----------------------------------------------------------------------------- typing values


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def value_fits(spec: Mapping[str, Any], value: Any) -> bool:
    """Does a disclosed value have the catalog type (and allowed values) of its key?"""
    kind = spec["type"]
    allowed = spec.get("values")
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "number":
        return is_number(value) and value == value and abs(value) != float("inf")
    if kind == "text":
        return isinstance(value, str)
    if kind == "enum":
        return isinstance(value, str) and value in spec["values"]
    return (
        isinstance(value, list)
        and all(isinstance(item, str) for item in value)
        and (allowed is None or all(item in allowed for item in value))
    )


def operand_fits(spec: Mapping[str, Any], operand: Any) -> bool:
    """Can a value of this field ever equal `operand`?"""
    kind = spec["type"]
    if kind == "bool":
        return isinstance(operand, bool)
    if kind == "number":
        return is_number(operand)
    if kind == "enum":
        return operand in spec["values"]
    return isinstance(operand, str) and kind == "text"


def use_problem(use: FieldUse, spec: Mapping[str, Any]) -> str | None:
    """What is wrong with testing this field this way, if anything."""
    kind = spec["type"]
    operator, operand = use.operator, use.operand
    comparable = ("number", "date")
    if operator in ("exists", "missing"):
        return None
    if operator in ("assured", "has_evidence"):
        builtin = use.field in BUILTIN_FIELDS
        return "only disclosures carry assurance and evidence" if builtin else None
    if operator == "true":
        return None if kind == "bool" else f"`true` needs a bool field, not {kind}"
    if operator in ("number", "value", "bands"):
        return None if kind == "number" else f"`{operator}` needs a number field, not {kind}"
    if operator in ("gt", "gte", "lt", "lte"):
        fits = kind in comparable and (is_number(operand) or kind == "date")
        return None if fits else f"`{operator}` needs a number or date field, not {kind}"
    if operator == "between":
        fits = kind in comparable and isinstance(operand, list) and len(operand) == 2
        return None if fits else "`between` needs a number or date field and [LOW, HIGH]"
    if operator in ("eq", "ne"):
        return (
            None if operand_fits(spec, operand) else f"{operand!r} is not a possible {kind} value"
        )
    if operator in ("in", "not_in"):
        if not isinstance(operand, list) or not operand:
            return f"`{operator}` needs a non-empty list"
        wrong = [item for item in operand if not operand_fits(spec, item)]
        return f"{wrong!r} are not possible {kind} values" if wrong else None
    if operator == "contains":
        if kind == "text":
            return None if isinstance(operand, str) else "`contains` on text needs text"
        allowed = spec.get("values")
        if kind != "list":
            return f"`contains` needs a list or text field, not {kind}"
        fits = isinstance(operand, str) and (allowed is None or operand in allowed)
        return None if fits else f"{operand!r} is not an allowed value of the list"
    if operator == "matches":
        if kind not in ("text", "enum", "list"):
            return f"`matches` needs a text or list field, not {kind}"
        try:
            re.compile(operand)
        except re.error as exc:
            return f"invalid regular expression {operand!r}: {exc}"
        return None
    return f"unexpected operator {operator!r}"


# ----------------------------------------------------------------------------- rendering the docs


def render_catalog_markdown(catalog_document: Mapping[str, Any] | None = None) -> str:
    """docs/catalog.md, rendered from rubrics/catalog.yaml."""
    document = catalog_document if catalog_document is not None else load_yaml(CATALOG_PATH)

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        "# Disclosure catalog",
        "",
        "<!-- Rendered from rubrics/catalog.yaml; tests/test_shipped_data.py keeps it in step. -->",
        "",
        CATALOG_INTRO,
        "",
        "| Key | Type | Unit or values | Range | GRI | Description |",
        "|---|---|---|---|---|---|",
    ]
    for key, spec in document["fields"].items():
        values = spec.get("values")
        unit_or_values = (
            ", ".join(f"`{value}`" for value in values) if values else spec.get("unit", "")
        )
        lines.append(
            "| "
            + " | ".join(
                cell(text)
                for text in (
                    f"`{key}`",
                    spec["type"],
                    unit_or_values,
                    range_text(spec),
                    ", ".join(spec.get("gri", [])),
                    spec.get("description", ""),
                )
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- the examples


def test_generator_reproduces_the_committed_examples(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("_csrscore_make_reports", GENERATOR_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    try:
        spec.loader.exec_module(module)
        main: Callable[[list[str]], int] = module.main
        output = tmp_path / "reports.json"
        assert main([str(output)]) == 0
    finally:
        del sys.modules[spec.name]
    assert output.read_bytes() == REPORTS_PATH.read_bytes(), (
        "examples/reports.json is stale; regenerate it with: python examples/make_reports.py"
    )


def test_examples_are_marked_synthetic(reports_document: dict[str, Any]) -> None:
    assert reports_document["synthetic"] is True
    assert "SYNTHETIC" in reports_document["note"]
    assert reports_document["generator"] == "examples/make_reports.py"
    for record in reports_document["reports"]:
        assert record["company"]["name"].endswith("(synthetic)")


def test_examples_validate() -> None:
    loaded = load_reports(REPORTS_PATH, strict=True)
    assert len(loaded) == len(json.loads(REPORTS_PATH.read_text(encoding="utf-8"))["reports"])


def test_examples_use_catalog_keys_with_catalog_types(
    reports_document: dict[str, Any], catalog: dict[str, dict[str, Any]]
) -> None:
    problems = []
    for record in reports_document["reports"]:
        where = f"{record['company']['id']} {record['year']}"
        for key, disclosed in record["disclosures"].items():
            spec = catalog.get(key)
            if spec is None:
                problems.append(f"{where}: {key} is not in the catalog")
                continue
            long_form = isinstance(disclosed, dict)
            value = disclosed["value"] if long_form else disclosed
            if not value_fits(spec, value):
                problems.append(f"{where}: {key} = {value!r} is not a valid {spec['type']}")
            if long_form and "unit" in disclosed and disclosed["unit"] != spec.get("unit"):
                problems.append(
                    f"{where}: {key} unit {disclosed['unit']!r} != {spec.get('unit')!r}"
                )
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------- the catalog


def test_catalog_entries_are_well_formed(catalog: dict[str, dict[str, Any]]) -> None:
    for key, spec in catalog.items():
        assert KEY_PATTERN.match(key), key
        assert key.startswith(KEY_PREFIXES), f"{key}: unexpected prefix"
        assert spec["type"] in FIELD_TYPES, key
        assert spec.get("description", "").endswith("."), f"{key}: needs a one-sentence description"
        if spec["type"] == "enum":
            assert spec.get("values"), f"{key}: an enum needs values"
        if spec["type"] == "number":
            assert spec.get("unit"), f"{key}: a number needs a unit"
        if "values" in spec:
            assert spec["type"] in ("enum", "list"), f"{key}: only enum and list take values"
            assert len(set(spec["values"])) == len(spec["values"]), f"{key}: repeated values"
        for code in spec.get("gri", []):
            assert GRI_PATTERN.match(code), f"{key}: {code!r} is not a GRI disclosure code"


def test_no_catalog_key_is_a_prefix_of_another(catalog: dict[str, dict[str, Any]]) -> None:
    keys = sorted(catalog)
    clashes = [(a, b) for a, b in itertools.pairwise(keys) if b.startswith(a + ".")]
    assert not clashes


def test_catalog_doc_is_current() -> None:
    assert CATALOG_DOC.read_text(encoding="utf-8") == render_catalog_markdown(), (
        "docs/catalog.md is stale; regenerate it with: python -c 'from tests.test_shipped_data "
        "import CATALOG_DOC, render_catalog_markdown as r; CATALOG_DOC.write_text(r())'"
    )


# ----------------------------------------------------------------------------- the rubrics


def test_rubric_fields_are_catalogued_or_builtin(
    rubrics: dict[str, dict[str, Any]], catalog: dict[str, dict[str, Any]]
) -> None:
    unknown = [
        f"{use.rubric}/{use.node}: {use.field}"
        for use in all_field_uses(rubrics)
        if use.field not in catalog and use.field not in BUILTIN_FIELDS
    ]
    assert not unknown, "\n".join(unknown)


def test_rubric_operators_fit_field_types(
    rubrics: dict[str, dict[str, Any]], catalog: dict[str, dict[str, Any]]
) -> None:
    problems = []
    for use in all_field_uses(rubrics):
        spec = catalog.get(use.field) or BUILTIN_FIELDS.get(use.field)
        if spec is None:
            continue
        problem = use_problem(use, spec)
        if problem:
            problems.append(f"{use.rubric}/{use.node}: {use.operator} {use.field}: {problem}")
    assert not problems, "\n".join(problems)


def test_every_catalog_key_is_used_by_a_shipped_rubric(
    rubrics: dict[str, dict[str, Any]], catalog: dict[str, dict[str, Any]]
) -> None:
    used = {use.field for use in all_field_uses(rubrics)}
    assert not sorted(set(catalog) - used)


@pytest.mark.parametrize("name", sorted(RUBRIC_PATHS))
def test_rubric_ids_are_unique(name: str, rubrics: dict[str, dict[str, Any]]) -> None:
    rubric = rubrics[name]
    ids = [node["id"] for node in nodes(rubric["groups"])]
    ids += [adjustment["id"] for adjustment in rubric.get("adjustments", [])]
    repeated = sorted({node_id for node_id in ids if ids.count(node_id) > 1})
    assert not repeated


@pytest.mark.parametrize("name", sorted(RUBRIC_PATHS))
def test_every_level_is_described(name: str, rubrics: dict[str, dict[str, Any]]) -> None:
    for node in nodes(rubrics[name]["groups"]):
        for level in node.get("levels", []):
            assert {"points", "label", "description", "when"} <= set(level), node["id"]
        if "levels" in node:
            points = [level["points"] for level in node["levels"]]
            assert points == sorted(set(points)), f"{node['id']}: levels should climb"


def test_iso26000_covers_all_core_subjects_and_issues(rubrics: dict[str, dict[str, Any]]) -> None:
    rubric = rubrics["iso26000"]
    assert rubric["rubric"] == "iso26000"
    assert rubric["scale"] == 100
    assert rubric["grades"] == {"A": 80, "B": 60, "C": 40, "D": 20, "E": 0}
    subjects = {
        group["references"]["iso26000"]: group
        for group in rubric["groups"]
        if group["id"] != "transparency"
    }
    assert sorted(subjects) == sorted(ISO26000_ISSUES)
    issue_clauses = []
    for clause, subject in subjects.items():
        issues = [group["references"]["iso26000"] for group in subject["groups"]]
        assert issues == list(ISO26000_ISSUES[clause]), clause
        assert "criteria" not in subject, f"{clause}: criteria belong in the issue groups"
        for issue in subject["groups"]:
            assert issue.get("criteria"), issue["id"]
            assert "groups" not in issue, issue["id"]
        issue_clauses += issues
    assert len(issue_clauses) == 37


def test_iso26000_references_and_weights(rubrics: dict[str, dict[str, Any]]) -> None:
    rubric = rubrics["iso26000"]
    for node in nodes(rubric["groups"]):
        assert node.get("references", {}).get("iso26000"), f"{node['id']}: no ISO 26000 clause"
    weights = [group["weight"] for group in rubric["groups"]]
    assert len(weights) == 8
    assert sum(weights) == 100


def test_citi_item_maxima(rubrics: dict[str, dict[str, Any]]) -> None:
    rubric = rubrics["citi"]
    assert len(rubric["groups"]) == 5
    assert all("weight" not in group for group in rubric["groups"]), "CITI is points-based"
    criteria = {node["id"]: node for node in nodes(rubric["groups"]) if is_criterion(node)}
    for criterion_id, maximum in CITI_ITEM_MAXIMA.items():
        assert max_points(criteria[criterion_id]) == maximum, criterion_id


def test_citi_screening_variants_are_complementary(rubrics: dict[str, dict[str, Any]]) -> None:
    criteria = {node["id"]: node for node in nodes(rubrics["citi"]["groups"])}
    general = criteria["citi-supplier-screening"]["applies_when"]
    wet = criteria["citi-supplier-screening-wet"]["applies_when"]
    assert general == {"not": wet}
