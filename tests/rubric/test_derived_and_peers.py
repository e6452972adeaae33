"""The `derived` section and `peers` scoring in rubric files: what loads, and one located
message for each mistake (`rubric check` reports them all)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from csrscore import RubricError, check_rubric, load_rubric
from tests.cli.runner import run_cli

HEAD = """\
rubric: derived-check
version: "1"
title: Derived check
fields:
  env.ghg.scope1: {type: number, unit: t}
  fin.revenue: {type: number, unit: M}
  org.listed: {type: bool}
  org.tags: {type: list}
"""
CRITERION = """\
groups:
  - id: g
    title: G
    criteria:
      - id: c
        title: C
        value: {field: env.ghg.intensity, min: 0, max: 20, points: 1}
"""


def write(tmp_path: Path, body: str, criteria: str = CRITERION) -> Path:
    path = tmp_path / "rubric.yaml"
    path.write_text(HEAD + textwrap.dedent(body) + criteria, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    return str(caught.value)


def test_a_valid_section_loads_in_computation_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        derived:
          env.ghg.intensity.change: {change: env.ghg.intensity, as: percent}
          env.ghg.intensity: {ratio: [env.ghg.scope1, fin.revenue], unit: t/M}
        """,
    )
    rubric = load_rubric(path)
    assert [d.name for d in rubric.derived] == ["env.ghg.intensity", "env.ghg.intensity.change"]
    assert rubric.derived[1].change_as == "percent"
    spec = rubric.catalog.get("env.ghg.intensity")
    assert spec is not None
    assert (spec.type, spec.origin, spec.unit) == ("number", "derived", "t/M")
    assert rubric.cross_record == (
        "derived field 'env.ghg.intensity.change' reads the previous year's record"
    )


def test_unknown_input_is_located_with_a_suggestion(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        derived:
          env.ghg.intensity: {ratio: [env.ghg.scope1, fin.revenu]}
        """,
    )
    assert error_of(path) == (
        f"{path}:10 derived.env.ghg.intensity.ratio[1]: derived field 'env.ghg.intensity' "
        "reads unknown field 'fin.revenu' (did you mean 'fin.revenue'?); declare it in the "
        "catalog, under 'fields' or under 'derived'"
    )


def test_a_cycle_is_one_located_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        derived:
          env.ghg.intensity: {sum: [env.ghg.scope1, env.ghg.other]}
          env.ghg.other: {difference: [env.ghg.intensity, fin.revenue]}
        """,
    )
    findings = [f for f in check_rubric(path) if f.severity == "error"]
    assert [str(f) for f in findings] == [
        f"{path}:10 derived.env.ghg.intensity: derived fields form a cycle: "
        "env.ghg.intensity -> env.ghg.other -> env.ghg.intensity"
    ]


def test_a_field_reading_itself_is_a_cycle(tmp_path: Path) -> None:
    path = write(tmp_path, "derived:\n  env.ghg.intensity: {change: env.ghg.intensity}\n")
    assert "derived fields form a cycle: env.ghg.intensity -> env.ghg.intensity" in error_of(path)


@pytest.mark.parametrize(
    ("entry", "path", "message"),
    [
        (
            "env.ghg.intensity: {ratio: [env.ghg.scope1, org.listed]}",
            "derived.env.ghg.intensity.ratio[1]",
            "derived field 'env.ghg.intensity' reads 'org.listed', which is bool; derived "
            "fields compute with numbers only",
        ),
        (
            "fin.revenue: {sum: [env.ghg.scope1, env.ghg.scope1]}",
            "derived.fin.revenue",
            "derived field 'fin.revenue' has the name of a catalog field; choose another name",
        ),
        (
            "env.ghg.intensity: {ratio: [env.ghg.scope1, fin.revenue], "
            "sum: [env.ghg.scope1, fin.revenue]}",
            "derived.env.ghg.intensity",
            "a derived field has exactly one of 'ratio', 'share', 'difference', 'sum' or 'change'",
        ),
        (
            "env.ghg.intensity: {ratio: [env.ghg.scope1]}",
            "derived.env.ghg.intensity.ratio",
            "['env.ghg.scope1'] is too short",
        ),
        (
            "env.ghg.intensity: {ratio: [env.ghg.scope1, fin.revenue], as: percent}",
            "derived.env.ghg.intensity.as",
            "'as' says how a change is measured; a ratio has no 'as'",
        ),
    ],
)
def test_derived_mistakes(tmp_path: Path, entry: str, path: str, message: str) -> None:
    file = write(tmp_path, f"derived:\n  {entry}\n")
    error = error_of(file)
    assert error.startswith(f"{file}:10 {path}: {message}"), error


PEER_HEAD = "derived:\n  env.ghg.intensity: {ratio: [env.ghg.scope1, fin.revenue]}\n"


def peer_criterion(scoring: str) -> str:
    return CRITERION.replace(
        "value: {field: env.ghg.intensity, min: 0, max: 20, points: 1}", scoring
    )


def test_peer_scoring_loads_with_default_range(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        PEER_HEAD,
        peer_criterion(
            "value: {field: env.ghg.intensity, points: 5, direction: lower,\n"
            "               peers: {method: percentile, within: [company.sector]}}"
        ),
    )
    criterion = load_rubric(path).criteria[0]
    assert criterion.value is not None
    assert (criterion.value.low, criterion.value.high) == (0.0, 100.0)
    assert criterion.peers is not None
    assert criterion.peers.grouping == ("year", "company.sector")


@pytest.mark.parametrize(
    ("scoring", "line", "path", "message"),
    [
        (
            "value: {field: env.ghg.intensity, points: 5, peers: {method: z-score}}",
            17,
            "groups[0].criteria[0].value",
            "peers: z-score has no fixed range; give 'min' and 'max' in standard deviations",
        ),
        (
            "value: {field: env.ghg.intensity, points: 5, peers: {method: percentile, "
            "within: [org.tags]}}",
            17,
            "groups[0].criteria[0].value.peers.within[0]",
            "peers cannot be grouped by 'org.tags', which is list",
        ),
        (
            "value: {field: env.ghg.intensity, points: 5, peers: {method: percentile, "
            "within: [company.sectr]}}",
            17,
            "groups[0].criteria[0].value.peers.within[0]",
            "unknown built-in field 'company.sectr' (did you mean 'company.sector'?)",
        ),
        (
            "value: {field: env.ghg.intensity, points: 5, peers: {method: rank}}",
            17,
            "groups[0].criteria[0].value.peers.method",
            "'rank' is not one of: min-max, percentile, z-score",
        ),
        (
            "value: {field: env.ghg.intensity, points: 5}",
            17,
            "groups[0].criteria[0].value",
            "missing required key 'min'",
        ),
    ],
)
def test_peer_mistakes(tmp_path: Path, scoring: str, line: int, path: str, message: str) -> None:
    file = write(tmp_path, PEER_HEAD, peer_criterion(scoring))
    error = error_of(file)
    assert error.startswith(f"{file}:{line} {path}: "), error
    assert message in error


def test_rubric_check_exits_1_with_located_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        derived:
          env.ghg.intensity: {ratio: [env.ghg.scope1, fin.revenu]}
          env.ghg.a: {sum: [env.ghg.b, env.ghg.scope1]}
          env.ghg.b: {sum: [env.ghg.a, env.ghg.scope1]}
        """,
    )
    run = run_cli(["rubric", "check", str(path)])
    assert run.code == 1
    out = run.out + run.err
    assert "Traceback" not in out
    assert f"{path}:10 derived.env.ghg.intensity.ratio[1]: derived field" in out
    assert f"{path}:11 derived.env.ghg.a: derived fields form a cycle" in out


def test_rubric_show_lists_each_derived_field_with_its_formula(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        derived:
          env.ghg.intensity.change: {change: env.ghg.intensity, as: percent}
          env.ghg.intensity: {ratio: [env.ghg.scope1, fin.revenue], unit: t/M}
          fin.total: {sum: [fin.revenue, env.ghg.scope1]}
        """,
    )
    text = run_cli(["rubric", "show", str(path)])
    assert text.code == 0
    assert text.out.splitlines()[-4:] == [
        "derived fields:",
        "  env.ghg.intensity = env.ghg.scope1 / fin.revenue (in t/M)",
        "  env.ghg.intensity.change = (env.ghg.intensity - env.ghg.intensity of the year "
        "before) / |env.ghg.intensity of the year before| x 100 (in %)",
        "  fin.total = fin.revenue + env.ghg.scope1",
    ]
    document = json.loads(run_cli(["rubric", "show", str(path), "--format", "json"]).out)
    assert document["derived"][0] == {
        "field": "env.ghg.intensity",
        "form": "ratio",
        "inputs": ["env.ghg.scope1", "fin.revenue"],
        "rule": "env.ghg.scope1 / fin.revenue (in t/M)",
    }
    markdown = run_cli(["rubric", "show", str(path), "--format", "markdown"]).out
    assert "| fin.total | fin.revenue + env.ghg.scope1 |" in markdown
