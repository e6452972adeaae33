"""`csrscore sensitivity`, through its own parser (as cli/main.py registers it)."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest

from csrscore.cli import sensitivity_cmd

EXAMPLES = str(Path(__file__).parents[2] / "examples" / "reports.json")


def run(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="csrscore")
    sensitivity_cmd.register(parser.add_subparsers(dest="command", required=True))
    namespace = parser.parse_args(["sensitivity", *args])
    code: int = namespace.handler(namespace)
    return code


def test_table_is_a_text_plot(capsys: pytest.CaptureFixture[str]) -> None:
    assert run([EXAMPLES, "--rubric", "citi", "--samples", "200", "--top", "3"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("rubric citi 1.0.0 (sha256:")
    assert lines[1] == (
        "200 samples, seed 0 · weights uniform ±20% · switched: nothing · ranks by year"
    )
    assert "year: 2023 · 30 ranked" in out
    assert "year: 2024 · 30 ranked" in out
    rows = [line for line in lines if line.rstrip().endswith("│")]
    assert len(rows) == 6
    assert all("●" in row for row in rows)
    assert "what the rank shifts depend on" in out
    assert "weights:__root__" in out


def test_flags_wide_intervals(capsys: pytest.CaptureFixture[str]) -> None:
    run(
        [
            EXAMPLES,
            "--rubric",
            "citi",
            "--samples",
            "100",
            "--flag",
            "0",
            "--no-indices",
            "--format",
            "json",
        ]
    )
    document = json.loads(capsys.readouterr().out)
    flagged = [c for c in document["companies"] if c["flagged"]]
    assert flagged
    assert all(c["rank_interval"][1] - c["rank_interval"][0] > 0 for c in flagged)
    assert document["indices"] is None
    assert document["flag_places"] == 0


def test_fixed_weights_collapse_every_interval(capsys: pytest.CaptureFixture[str]) -> None:
    run([EXAMPLES, "--rubric", "citi", "--weights", "fixed", "--samples", "20", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 60
    assert all(r["rank_low"] == r["nominal_rank"] == r["rank_high"] for r in rows)
    assert all(r["flagged"] == "false" for r in rows)


def test_switches_and_dirichlet(capsys: pytest.CaptureFixture[str]) -> None:
    run(
        [
            EXAMPLES,
            "--rubric",
            "citi",
            "--samples",
            "50",
            "--weights",
            "dirichlet",
            "--concentration",
            "40",
            "--switch-aggregation",
            "--switch-na-policy",
            "--format",
            "json",
        ]
    )
    document = json.loads(capsys.readouterr().out)
    kinds = [factor["kind"] for factor in document["factors"]]
    assert kinds[-2:] == ["aggregation", "na_policy"]
    assert "Dirichlet(concentration 40)" in document["factors"][0]["description"]


def test_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    run(
        [
            EXAMPLES,
            "--rubric",
            "citi",
            "--samples",
            "10",
            "--format",
            "json",
            "--output",
            str(target),
        ]
    )
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["samples"] == 10


@pytest.mark.parametrize(
    "args",
    [["--samples", "0"], ["--spread", "1"], ["--concentration", "0"], ["--flag", "-1"]],
)
def test_bad_arguments_are_usage_errors(args: list[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        run([EXAMPLES, *args])
    assert raised.value.code == 2


def test_bad_grouping_field_fails_before_any_work() -> None:
    with pytest.raises(ValueError, match="cannot group by"):
        run([EXAMPLES, "--rubric", "citi", "--by", "colour"])
