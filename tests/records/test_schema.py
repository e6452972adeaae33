"""The published JSON Schema: no drift from the model, valid draft 2020-12, same verdicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from jsonschema import Draft202012Validator, FormatChecker

from csrscore.records import load_reports, report_schema
from tests.records.strategies import records

ROOT = Path(__file__).parents[2]
COMMITTED = ROOT / "schemas" / "report.schema.json"
EXAMPLES = ROOT / "examples" / "reports.json"
BAD = Path(__file__).parent / "fixtures" / "bad"

# Fixtures whose bad record only the loader can catch: duplicates span records, and NaN,
# infinities, integers beyond the float range and lone surrogates are not JSON values a
# schema can describe.
LOADER_ONLY = {
    "duplicate.json",
    "huge_int.json",
    "huge_number.json",
    "infinity.json",
    "lone_surrogate.json",
    "nan.json",
}


def _validator() -> Draft202012Validator:
    return Draft202012Validator(report_schema(), format_checker=FormatChecker())


def test_the_committed_schema_matches_the_model() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == report_schema(), (
        "schemas/report.schema.json is out of date with the report model; regenerate it with "
        "`csrscore schema report > schemas/report.schema.json`"
    )


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = report_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_schema_validates_every_example_record() -> None:
    if not EXAMPLES.exists():
        pytest.skip("examples/reports.json does not exist yet")
    document = json.loads(EXAMPLES.read_bytes())
    examples: list[Any] = document["reports"] if isinstance(document, dict) else document
    assert examples
    validator = _validator()
    for index, example in enumerate(examples):
        errors = [error.message for error in validator.iter_errors(example)]
        assert errors == [], f"examples/reports.json record {index}: {errors}"
    assert load_reports(EXAMPLES).rejected == ()


@given(records)
def test_the_schema_accepts_every_valid_record(raw: dict[str, Any]) -> None:
    assert list(_validator().iter_errors(raw)) == []


def _per_record_fixtures() -> list[str]:
    table = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
    return [
        row["file"] for row in table if row["records"] is not None and row["file"].endswith(".json")
    ]


@pytest.mark.parametrize("name", _per_record_fixtures())
def test_the_schema_and_the_loader_agree_on_bad_fixtures(name: str) -> None:
    path = BAD / name
    document = json.loads(path.read_bytes())
    raw_records = document["reports"] if isinstance(document, dict) else document
    rejected = {rejection.index for rejection in load_reports(path).rejected}
    validator = _validator()
    verdicts = [not validator.is_valid(raw) for raw in raw_records]
    if name in LOADER_ONLY:
        assert not any(verdicts[i] for i in range(len(raw_records)) if i not in rejected)
    else:
        assert verdicts == [i in rejected for i in range(len(raw_records))]
