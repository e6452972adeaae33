"""`csrscore rubric list|show|check` through the real entry point."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.runner import BAD_RUBRICS, ROOT, TINY_RUBRIC, Result, cached_run, run_cli

SHIPPED = ["citi", "iso26000"]
LOCATED = re.compile(
    r"(?P<file>\S+\.yaml)(?::(?P<line>\d+))?(?: (?P<path>\S+))?: (?P<message>\S.*)"
)
BAD_FILES = sorted(BAD_RUBRICS.glob("*.yaml"))
LINT_WARNINGS = ROOT / "tests" / "rubric" / "fixtures" / "lint" / "level_order.yaml"


def test_list_names_every_shipped_rubric() -> None:
    result = cached_run("rubric", "list")
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert [line.split()[0] for line in lines] == SHIPPED
    for line, name in zip(lines, SHIPPED, strict=True):
        criteria = int(line.split()[2])
        show = cached_run("rubric", "show", name).out.splitlines()
        assert f", {criteria} criteria, " in show[2]


@pytest.mark.parametrize("name", SHIPPED)
def test_show_by_name_and_by_path_agree(name: str) -> None:
    by_name = cached_run("rubric", "show", name)
    assert (by_name.code, by_name.err) == (0, "")
    assert run_cli(["rubric", "show", f"rubrics/{name}.yaml"]) == by_name
    lines = by_name.out.splitlines()
    assert lines[0].startswith(f"{name} 1.0.0: ")
    assert re.fullmatch(r"hash sha256:[0-9a-f]{64}", lines[1])
    assert lines[3] == ""


def test_show_prints_the_group_tree() -> None:
    lines = run_cli(["rubric", "show", TINY_RUBRIC]).out.splitlines()
    assert lines == [
        "tiny 1.0.0: Two criteria, four companies, one tie",
        lines[1],
        "scale 100, N/A policy exclude, 2 criteria, 2 groups, max 2 points",
        "",
        "climate  Climate  [weight default (50% of parent), up to 50 of the total's 100, "
        "max 1 points]",
        "  - ghg-policy  GHG policy  [levels, weight default (100% of parent), up to 50 of "
        "the total's 100, max 1 points]",
        "emissions  Emissions  [weight default (50% of parent), up to 50 of the total's 100, "
        "max 1 points]",
        "  - scope1  Scope 1 emissions  [levels, weight default (100% of parent), up to 50 of "
        "the total's 100, max 1 points]",
        "",
        "grades: A >= 50, B >= 0",
    ]


def test_show_unknown_name_is_a_one_line_error() -> None:
    result = run_cli(["rubric", "show", "iso2600"])
    assert (result.code, result.out) == (1, "")
    (line,) = result.err_lines
    assert line.startswith("csrscore: error: iso2600: no shipped rubric named 'iso2600'")
    assert "citi, iso26000" in line


def test_check_good_files_exit_0() -> None:
    result = run_cli(["rubric", "check", "rubrics/citi.yaml", "rubrics/iso26000.yaml"])
    assert result == Result(0, "2 rubric(s) checked: 0 error(s), 0 warning(s)\n", "")
    assert run_cli(["rubric", "check", "rubrics/citi.yaml", "--format", "json"]).out == "[]\n"


@pytest.mark.parametrize("path", BAD_FILES, ids=[path.stem for path in BAD_FILES])
def test_check_bad_file_exits_1_with_located_messages(path: Path) -> None:
    given = str(path.relative_to(ROOT))
    result = run_cli(["rubric", "check", given])
    assert result.code == 1
    assert re.fullmatch(
        r"1 rubric\(s\) checked: [1-9]\d* error\(s\), \d+ warning\(s\)\n", result.out
    )
    assert result.err_lines
    for line in result.err_lines:
        match = LOCATED.fullmatch(line)
        assert match, line
        assert "Traceback" not in line
    first = LOCATED.fullmatch(result.err_lines[0])
    assert first is not None
    if "cycle" not in path.stem:
        assert first["file"] == given


def test_check_message_shape_is_file_line_path_message() -> None:
    given = "tests/rubric/fixtures/bad/gt_on_text.yaml"
    result = run_cli(["rubric", "check", given])
    assert result.err_lines == [
        f"{given}:11 groups[0].criteria[0].applies_when.gt: operator 'gt' does not apply to "
        "text field 'company.sector' (it applies to: date, number)"
    ]


def test_check_json() -> None:
    given = "tests/rubric/fixtures/bad/gt_on_text.yaml"
    result = run_cli(["rubric", "check", given, "--format", "json"])
    assert (result.code, result.err) == (1, "")
    assert json.loads(result.out) == [
        {
            "severity": "error",
            "code": "type",
            "message": "operator 'gt' does not apply to text field 'company.sector' "
            "(it applies to: date, number)",
            "source": given,
            "line": 11,
            "path": "groups[0].criteria[0].applies_when.gt",
        }
    ]


def test_check_warnings_alone_exit_0() -> None:
    given = str(LINT_WARNINGS.relative_to(ROOT))
    result = run_cli(["rubric", "check", given])
    assert (result.code, result.err) == (0, "")
    warning, summary = result.out.splitlines()
    assert warning.startswith(f"{given}:15 groups[0].criteria[0].levels[1]: warning: ")
    assert summary == "1 rubric(s) checked: 0 error(s), 1 warning(s)"
    findings = json.loads(run_cli(["rubric", "check", given, "--format", "json"]).out)
    assert [finding["severity"] for finding in findings] == ["warning"]


def test_check_counts_over_several_files() -> None:
    result = run_cli(
        ["rubric", "check", "rubrics/citi.yaml", "tests/rubric/fixtures/bad/gt_on_text.yaml"]
    )
    assert result.code == 1
    assert result.out == "2 rubric(s) checked: 1 error(s), 0 warning(s)\n"


def test_check_missing_file_exits_1() -> None:
    result = run_cli(["rubric", "check", "no-such-rubric.yaml"])
    assert result.code == 1
    assert result.err_lines == ["no-such-rubric.yaml: No such file or directory"]


def test_rubric_needs_an_action() -> None:
    result = run_cli(["rubric"])
    assert (result.code, result.out) == (2, "")
    assert "Traceback" not in result.err
