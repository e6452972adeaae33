"""`csrscore validate` and `csrscore schema` through the real entry point."""

from __future__ import annotations

import json

import pytest

from tests.cli.runner import BAD_REPORTS, EXAMPLES, ROOT, SCHEMAS, Result, cached_run, run_cli

SEVERAL = str(BAD_REPORTS / "several_problems.json")
SEVERAL_REJECTION = (
    "record 1 company 'beta' company.name: must not be blank, got ' ' (and 2 more problems)"
)


def test_validate_all_valid_exits_0() -> None:
    result = cached_run("validate", EXAMPLES)
    assert result == Result(0, f"{EXAMPLES}: 60 valid, 0 rejected\n", "")


def test_validate_lists_each_rejection_and_exits_1() -> None:
    result = run_cli(["validate", SEVERAL])
    assert (result.code, result.err) == (1, "")
    assert result.out.splitlines() == [
        f"{SEVERAL}: 1 valid, 1 rejected",
        f"  {SEVERAL} {SEVERAL_REJECTION}",
    ]


def test_validate_json() -> None:
    result = run_cli(["validate", SEVERAL, "--format", "json"])
    assert result.code == 1
    assert json.loads(result.out) == {
        "source": SEVERAL,
        "rubric": "iso26000",
        "valid": 1,
        "rejected": [
            {
                "index": 1,
                "line": None,
                "company_id": "beta",
                "path": "company.name",
                "message": "must not be blank, got ' ' (and 2 more problems)",
                "source": SEVERAL,
            }
        ],
        "treated_as_missing": [],
        "warnings": [],
    }


def test_validate_json_all_valid() -> None:
    result = run_cli(["validate", EXAMPLES, "--format", "json"])
    assert result.code == 0
    assert json.loads(result.out) == {
        "source": EXAMPLES,
        "rubric": "iso26000",
        "valid": 60,
        "rejected": [],
        "treated_as_missing": [],
        "warnings": [],
    }


def test_validate_stdin() -> None:
    good = run_cli(["validate", "-"], stdin=(ROOT / EXAMPLES).read_bytes())
    assert good == Result(0, "<stdin>: 60 valid, 0 rejected\n", "")
    bad = run_cli(["validate", "-"], stdin=(BAD_REPORTS / "several_problems.json").read_bytes())
    assert bad.code == 1
    assert bad.out.splitlines()[1] == f"  <stdin> {SEVERAL_REJECTION}"


def test_validate_stdin_json_lines_with_a_broken_line() -> None:
    result = run_cli(["validate", "-"], stdin=(BAD_REPORTS / "bad_line.jsonl").read_bytes())
    assert result.code == 1
    assert result.out.splitlines() == [
        "<stdin>: 2 valid, 1 rejected",
        "  <stdin>:2 record 1: invalid JSON: Expecting property name enclosed in double quotes "
        "(column 106)",
    ]


def test_validate_empty_stdin_is_a_one_line_error() -> None:
    result = run_cli(["validate", "-"], stdin=b"")
    assert (result.code, result.out) == (1, "")
    assert result.err_lines == [
        "csrscore: error: <stdin>: the input is empty; expected JSON or JSON Lines"
    ]


@pytest.mark.parametrize("name", ["report", "rubric", "explanation", "scores", "mapping"])
def test_schema_equals_the_committed_file(name: str) -> None:
    result = run_cli(["schema", name])
    assert (result.code, result.err) == (0, "")
    committed = (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")
    assert result.out == committed
    assert json.loads(result.out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_committed_schema_is_printable() -> None:
    committed = sorted(path.name.removesuffix(".schema.json") for path in SCHEMAS.iterdir())
    assert committed == ["explanation", "mapping", "report", "rubric", "scores"]


def test_unknown_schema_is_a_usage_error() -> None:
    result = run_cli(["schema", "ranking"])
    assert (result.code, result.out) == (2, "")
    assert result.err_lines[-1].startswith("csrscore schema: error: argument name: invalid choice")
