"""`csrscore sensitivity`, through its own parser (as cli/main.py registers it)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from pathlib import Path

import pytest

from csrscore.cli import sensitivity_cmd
from csrscore.errors import UsageError

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


# --- indices a reader can trust (#25 item 3) ---------------------------------------------

NUMBER = r"(-?[\d.]+)"
INTERVAL = rf"{NUMBER} \[{NUMBER}, {NUMBER}\]"
INDEX_ROW = re.compile(rf"^(\S+)\s+{INTERVAL}\s+{INTERVAL}(\s+~)?$")


def test_text_flags_every_index_outside_its_range(capsys: pytest.CaptureFixture[str]) -> None:
    run([EXAMPLES, "--rubric", "citi", "--samples", "30", "--top", "1"])
    out = capsys.readouterr().out
    rows = [m for line in out.splitlines() if (m := INDEX_ROW.match(line))]
    assert len(rows) == 5
    flagged = 0
    for row in rows:
        first, *first_ends = (float(v) for v in row.group(2, 3, 4))
        total, *total_ends = (float(v) for v in row.group(5, 6, 7))
        numbers = [first, total, *first_ends, *total_ends]
        noisy = any(not 0.0 <= v <= 1.0 for v in numbers) or first > total
        # A value rounded into the range can still be flagged (noise below 0.005).
        assert not noisy or row.group(8)
        flagged += bool(row.group(8))
    assert flagged
    assert "~ estimator noise: an estimate or interval end outside [0, 1], or S above ST;" in out
    assert "too few samples (30) for meaningful indices: below 100" in out
    assert re.search(r"rerun with --samples \d+ or more$", out, re.MULTILINE)


def test_enough_samples_print_no_warning(capsys: pytest.CaptureFixture[str]) -> None:
    run([EXAMPLES, "--rubric", "citi", "--samples", "1000", "--top", "1"])
    out = capsys.readouterr().out
    assert "too few samples" not in out
    assert "weights:__root__" in out


def test_json_names_the_noise_and_the_suggested_count(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run([EXAMPLES, "--rubric", "citi", "--samples", "300", "--format", "json"])
    indices = json.loads(capsys.readouterr().out)["indices"]
    assert indices["enough_samples"] is False
    assert indices["suggested_samples"] > 300
    assert indices["widest_interval"] > 0.2
    for factor in indices["factors"]:
        ends = factor["first_order_interval"] + factor["total_effect_interval"]
        values = [factor["first_order"], factor["total_effect"], *ends]
        if any(not 0 <= v <= 1 for v in values):
            assert factor["estimator_noise"]
        else:
            assert factor["first_order"] > factor["total_effect"] or not factor["estimator_noise"]


def test_csv_rows_per_index(capsys: pytest.CaptureFixture[str]) -> None:
    run([EXAMPLES, "--rubric", "citi", "--samples", "300", "--format", "csv", "--rows", "indices"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["input"] for r in rows][-1] == "weights:__root__"
    assert len(rows) == 5
    for row in rows:
        values = [float(row[k]) for k in ("first_order", "first_order_low", "total_effect_high")]
        noise = row["estimator_noise"].split(";") if row["estimator_noise"] else []
        assert bool(noise) >= any(not 0 <= v <= 1 for v in values)
        assert row["base_samples"] == "300"
        assert int(row["suggested_samples"]) > 300


def test_rows_indices_needs_csv_and_the_indices() -> None:
    with pytest.raises(UsageError, match="--rows indices"):
        run([EXAMPLES, "--format", "json", "--rows", "indices"])
    with pytest.raises(UsageError, match="--rows indices"):
        run([EXAMPLES, "--format", "csv", "--rows", "indices", "--no-indices"])
