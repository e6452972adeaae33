"""Shared by the chunked and Dask tests: the example records, and the comparison of a
`ScoreTable` with a one-shot `Scores`, bit for bit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from csrscore import Scores
from csrscore.chunked import ScoreTable
from csrscore.rank import RANK_METHODS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "reports.json"


def example_records() -> list[dict[str, Any]]:
    data = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    records: list[dict[str, Any]] = data["reports"] if isinstance(data, dict) else data
    return records


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def assert_same(table: ScoreTable, scores: Scores) -> None:
    """Every total, group score, rank and percentile identical, bit for bit."""
    root = len(scores.group_ids) - 1
    assert table.company_ids == scores.company_ids
    assert table.years.tolist() == scores.years.tolist()
    assert table.totals.tobytes() == scores.totals.tobytes()
    assert table.base.tobytes() == scores.base.tobytes()
    assert table.grades == scores.grades
    assert table.group_ids == scores.group_ids[:root]
    assert (
        table.group_scores.tobytes()
        == np.ascontiguousarray(scores.group_scores[:, :root]).tobytes()
    )
    for method in RANK_METHODS:
        for by in (None, "sector", "year", ("year", "sector")):
            assert table.rank(method, by).tolist() == scores.rank(method, by).tolist()
    for by in (None, "sector", "year"):
        assert table.percentile(by).tobytes() == scores.percentile(by).tobytes()
    assert [r.to_dict() for r in table.rejected] == [r.to_dict() for r in scores.rejected]
