"""The rubric JSON Schema: committed copy, validity, the shipped files, and its messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from csrscore import RubricError, load_rubric, rubric_schema
from csrscore.cli.main import main
from csrscore.rubric.load import data_dir
from tests.rubric.builders import FIXTURES, group, ladder, level, rubric_data

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "schemas" / "rubric.schema.json"
REGENERATE = "regenerate with `csrscore schema rubric > schemas/rubric.schema.json`"
SHIPPED = sorted(path for path in data_dir("rubrics").glob("*.yaml") if path.stem != "catalog")
GOOD_FIXTURES = sorted([FIXTURES / "small.yaml", *(FIXTURES / "lint").glob("*.yaml")])
GOOD_FIXTURES = [path for path in GOOD_FIXTURES if path.name != "catalog.yaml"]


def _validator() -> Draft202012Validator:
    return Draft202012Validator(rubric_schema(), format_checker=FormatChecker())


def _plain(path: Path) -> Any:
    """A YAML file read without csrscore's loader, as JSON-compatible data."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_committed_schema_is_current() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == rubric_schema(), f"{COMMITTED.name} is out of date; {REGENERATE}"
    expected_text = json.dumps(rubric_schema(), indent=2, ensure_ascii=False) + "\n"
    assert COMMITTED.read_text(encoding="utf-8") == expected_text, REGENERATE


def test_cli_prints_the_committed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "rubric"]) == 0
    assert capsys.readouterr().out == COMMITTED.read_text(encoding="utf-8")


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = rubric_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/rubric.schema.json")


def test_schema_is_fresh_data() -> None:
    first = rubric_schema()
    first["properties"].clear()
    assert rubric_schema()["properties"]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_rubrics_validate(path: Path) -> None:
    errors = [error.message for error in _validator().iter_errors(_plain(path))]
    assert errors == []


def test_there_are_shipped_rubrics() -> None:
    assert {p.stem for p in SHIPPED} >= {"iso26000", "citi"}


@pytest.mark.parametrize("path", GOOD_FIXTURES, ids=[p.name for p in GOOD_FIXTURES])
def test_test_fixtures_validate(path: Path) -> None:
    assert list(_validator().iter_errors(_plain(path))) == []


# Structure and the bounds of each number are the schema's job; types against the
# catalog, regexes and ranges between numbers are the parser's, so those fixtures are
# schema-valid.
SCHEMA_INVALID = [
    "levels_and_value.yaml",
    "two_operators.yaml",
    "unknown_operator.yaml",
    "negative_weight.yaml",
    "top_level_typo.yaml",
    "empty_group.yaml",
]
SCHEMA_VALID = [
    "gt_on_text.yaml",
    "bad_regex.yaml",
    "between_reversed.yaml",
    "value_range.yaml",
    "duplicate_id.yaml",
]


@pytest.mark.parametrize("name", SCHEMA_INVALID)
def test_structural_errors_fail_the_schema(name: str) -> None:
    assert list(_validator().iter_errors(_plain(FIXTURES / "bad" / name)))


@pytest.mark.parametrize("name", SCHEMA_VALID)
def test_semantic_errors_pass_the_schema(name: str) -> None:
    assert list(_validator().iter_errors(_plain(FIXTURES / "bad" / name))) == []


# --- messages rendered from schema errors (validate.py) ----------------------------------


def _criterion(**extra: Any) -> dict[str, Any]:
    return ladder("c", level(1, {"true": "env.ghg.policy"}), **extra)


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        (
            rubric_data(group("g", _criterion(weigth=2))),
            "groups[0].criteria[0].weigth",
            "unknown key 'weigth' in criterion (did you mean 'weight'?)",
        ),
        (
            {k: v for k, v in rubric_data(group("g", _criterion())).items() if k != "title"},
            None,
            "missing required key 'title'",
        ),
        (
            rubric_data(group("g", _criterion(weight="heavy"))),
            "groups[0].criteria[0].weight",
            "expected number, got text",
        ),
        (
            rubric_data(group("G", _criterion())),
            "groups[0].id",
            "'G' does not match the required pattern",
        ),
        (
            rubric_data(group("g", _criterion()), na_policy="skip"),
            "na_policy",
            "'skip' is not one of: exclude, zero",
        ),
        (
            rubric_data(group("g", _criterion()), fields={"Env.X": {"type": "number"}}),
            "fields",
            "'Env.X' does not match the required pattern",
        ),
        (
            rubric_data(
                group("g", _criterion()),
                adjustments=[{"id": "a", "title": "A", "points": 2}],
            ),
            "adjustments[0]",
            "an adjustment needs one of: 'points_each' with 'count', 'points' with 'when', "
            "or 'cap' with 'when'",
        ),
        (
            rubric_data(
                group("g", _criterion(applies_when={"eq": {"company.sector": "a"}, "gt": 1}))
            ),
            "groups[0].criteria[0].applies_when",
            "a condition has exactly one operator, got 2: 'eq', 'gt'",
        ),
        (
            rubric_data(group("g", ladder("c", level(1, {"eq": {"a": 1, "b": 2}})))),
            "groups[0].criteria[0].levels[0].when.eq",
            "expected exactly one 'field: value' pair",
        ),
        (
            rubric_data(group("g", ladder("c", level(1, {"violations": {"status": "pending"}})))),
            "groups[0].criteria[0].levels[0].when.violations.status",
            "'pending' is not one of: open, responded, corrected, closed",
        ),
        (
            rubric_data(group("g", ladder("c", level(1, {"violations": {"from": "2024-13-01"}})))),
            "groups[0].criteria[0].levels[0].when.violations.from",
            "is not a 'date'",
        ),
    ],
    ids=[
        "unknown-key",
        "required",
        "type",
        "pattern",
        "enum",
        "field-name",
        "adjustment-kind",
        "two-operators",
        "one-pair",
        "violation-status",
        "date-format",
    ],
)
def test_schema_messages(data: dict[str, Any], path: str | None, message: str) -> None:
    with pytest.raises(RubricError) as caught:
        load_rubric(data)
    assert caught.value.location.path == path
    assert message in caught.value.message


def test_rubric_data_with_a_boolean_key_is_the_true_operator() -> None:
    # yaml.safe_load reads `{true: env.ghg.policy}` with the boolean key True.
    when: dict[Any, Any] = {True: "env.ghg.policy"}
    rubric = load_rubric(rubric_data(group("g", ladder("c", level(1, when)))))
    named = load_rubric(rubric_data(group("g", ladder("c", level(1, {"true": "env.ghg.policy"})))))
    assert rubric.criteria[0].levels[0].when == named.criteria[0].levels[0].when
    assert rubric.content_hash == named.content_hash
