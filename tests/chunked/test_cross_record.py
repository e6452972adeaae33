"""Chunked scoring cannot be exact when a score reads other records (peers, the previous
year): it refuses with one line instead of giving numbers that differ from `score`'s."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from csrscore import load_rubric, score
from csrscore.chunked import score_chunks
from csrscore.errors import UsageError
from tests.chunked.same import assert_same, write_jsonl
from tests.cli.runner import run_cli

FIELDS = {"env.water": {"type": "number"}, "fin.revenue": {"type": "number"}}


def rubric_data(scoring: dict[str, Any], derived: dict[str, Any] | None = None) -> Any:
    data: dict[str, Any] = {
        "rubric": "cross-record",
        "version": "1",
        "title": "Cross record",
        "fields": FIELDS,
        "groups": [{"id": "g", "title": "G", "criteria": [{"id": "c", "title": "C", **scoring}]}],
    }
    if derived:
        data["derived"] = derived
    return data


PEERS = rubric_data(
    {"value": {"field": "env.water", "points": 1, "peers": {"method": "percentile"}}}
)
CHANGE = rubric_data(
    {"value": {"field": "env.water.change", "min": -10, "max": 10, "points": 1}},
    {"env.water.change": {"change": "env.water"}},
)
RATIO = rubric_data(
    {"value": {"field": "env.water.intensity", "min": 0, "max": 1, "points": 1}},
    {"env.water.intensity": {"ratio": ["env.water", "fin.revenue"]}},
)
RECORDS = [
    {
        "company": {"id": f"co{i % 3}", "name": f"Co {i % 3}"},
        "year": 2022 + i // 3,
        "disclosures": {"env.water": float(i * 7 % 5), "fin.revenue": float(i + 1)},
    }
    for i in range(9)
]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (PEERS, "criterion 'c' is scored against peers"),
        (CHANGE, "derived field 'env.water.change' reads the previous year's record"),
    ],
)
def test_score_chunks_refuses(data: Any, reason: str) -> None:
    with pytest.raises(UsageError) as caught:
        score_chunks(iter(RECORDS), load_rubric(data), chunk_size=2)
    assert str(caught.value) == (
        f"scoring a chunk at a time cannot be exact for this rubric ({reason}); score the "
        "whole set at once (csrscore.score, or rank without --chunk-size/--dask)"
    )


def test_a_ratio_reads_only_its_own_record_and_chunks_stay_exact() -> None:
    rubric = load_rubric(RATIO)
    assert_same(score_chunks(iter(RECORDS), rubric, chunk_size=2), score(RECORDS, rubric))


def test_rank_with_chunk_size_refuses_with_one_line(tmp_path: Path) -> None:
    rubric_file = tmp_path / "peers.yaml"
    rubric_file.write_text(yaml.safe_dump(PEERS), encoding="utf-8")
    reports = tmp_path / "reports.jsonl"
    write_jsonl(reports, RECORDS)
    run = run_cli(["rank", str(reports), "--rubric", str(rubric_file), "--chunk-size", "2"])
    assert run.code == 2  # an option this rubric cannot use, as --compare-years with chunks
    assert run.out == ""
    assert len(run.err_lines) == 1
    assert "cannot be exact for this rubric (criterion 'c' is scored against peers)" in run.err
    # Without --chunk-size the same run scores.
    assert run_cli(["rank", str(reports), "--rubric", str(rubric_file)]).code == 0
