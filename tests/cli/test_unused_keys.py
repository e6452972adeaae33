"""Keys the rubric never reads: listed once by `validate --rubric`, silent when scoring
unless --warn-unknown-keys."""

from __future__ import annotations

import json

from tests.cli.runner import TINY_RUBRIC, run_cli

EXTRA = "tests/cli/fixtures/extra-keys.json"


def test_validate_lists_each_unused_key_once_with_its_count() -> None:
    result = run_cli(["validate", EXTRA, "--rubric", TINY_RUBRIC, "--format", "json"])
    assert result.code == 0
    document = json.loads(result.out)
    assert document["valid"] == 2
    assert document["unused_keys"] == [
        {"key": "env.ghg.scope2", "records": 1, "first_index": 0, "in_catalog": True},
        {"key": "internal.analyst", "records": 2, "first_index": 0, "in_catalog": False},
    ]


def test_validate_without_a_rubric_says_nothing_of_keys() -> None:
    result = run_cli(["validate", EXTRA, "--format", "json"])
    assert "unused_keys" not in json.loads(result.out)


def test_scoring_is_silent_about_unknown_keys_unless_asked() -> None:
    quiet = run_cli(["rank", EXTRA, "--rubric", TINY_RUBRIC, "--format", "csv"])
    assert (quiet.code, quiet.err) == (0, "")
    loud = run_cli(
        ["rank", EXTRA, "--rubric", TINY_RUBRIC, "--format", "csv", "--warn-unknown-keys"]
    )
    (line,) = loud.err_lines
    assert "'internal.analyst' is not in the catalog" in line
    assert "stats.disclosures" in line
