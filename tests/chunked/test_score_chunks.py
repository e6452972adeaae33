"""Chunked scoring against one-shot `score`: the same bits, ranks, percentiles and
rejections, whatever the chunk size."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import load_rubric, score
from csrscore.chunked import score_chunks
from csrscore.errors import ReportError, UsageError
from csrscore.records.stream import write_parquet
from tests.chunked.same import assert_same, example_records, write_jsonl
from tests.engine.strategies import report_records, rubrics


@settings(max_examples=150)
@given(
    rubric_data=rubrics(),
    records=report_records(max_size=12),
    chunk_size=st.integers(1, 13),
)
def test_chunks_equal_one_shot(
    rubric_data: dict[str, Any], records: list[dict[str, Any]], chunk_size: int
) -> None:
    rubric = load_rubric(rubric_data)
    # A record that fails validation and a duplicate, so rejections cross chunks too.
    records = [*records, {"company": {"id": ""}}, *records[:1]]
    assert_same(score_chunks(iter(records), rubric, chunk_size=chunk_size), score(records, rubric))


def test_jsonl_rejections_are_located_across_chunks(tmp_path: Path) -> None:
    records = example_records()
    lines = [json.dumps(r) for r in records]
    lines[3] = "{not json"
    lines.insert(10, "")  # blank lines are skipped, as the loader skips them
    lines.append(json.dumps(records[0]))  # a duplicate of the first record, chunks later
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = score_chunks(path, "iso26000", chunk_size=7)
    one_shot = score(path, "iso26000")
    assert_same(table, one_shot)
    assert [str(r) for r in table.rejected] == [
        f"{path}:4 record 3: invalid JSON: Expecting property name enclosed in double quotes"
        " (column 2)",
        f"{path}:{len(lines)} record {len(records)} company 'northwind-textiles' company.id: "
        "duplicate of record 0 (line 1): same company id and year 2023",
    ]


def test_directory_of_jsonl_and_parquet(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    records = example_records()
    write_jsonl(tmp_path / "a.jsonl", records[:25])
    write_parquet(records[25:], tmp_path / "b.parquet")
    table = score_chunks(tmp_path, "citi", chunk_size=10)
    assert_same(table, score(records, "citi"))
    assert set(table.sources) == {str(tmp_path / "a.jsonl"), str(tmp_path / "b.parquet")}
    glob_table = score_chunks(str(tmp_path / "*.jsonl"), "citi", chunk_size=4)
    assert_same(glob_table, score(records[:25], "citi"))


def test_unreadable_file_is_one_located_rejection(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    records = example_records()
    write_jsonl(tmp_path / "a.jsonl", records)
    (tmp_path / "b.parquet").write_bytes(b"PAR1 this is not parquet")
    table = score_chunks(tmp_path, "iso26000")
    assert len(table) == len(records)
    (rejection,) = table.rejected
    assert rejection.source == str(tmp_path / "b.parquet")
    assert rejection.message.startswith("the file could not be read: not a readable Parquet")


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_output_is_written_with_ranks(tmp_path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    records = example_records()
    target = tmp_path / f"scores{suffix}"
    table = score_chunks(iter(records), "iso26000", chunk_size=9, output=target, by="sector")
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(target).to_pylist()
    else:
        rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    one_shot = score(records, "iso26000").to_records(by="sector")
    assert len(rows) == len(one_shot) == len(table)
    for row, expected in zip(rows, one_shot, strict=True):
        for key in ("company_id", "year", "rank", "percentile", "total", "grade", "base"):
            assert row[key] == expected[key], key
        assert row["groups"] == expected["groups"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_failed_run_leaves_no_output(tmp_path: Path) -> None:
    records = example_records()
    target = tmp_path / "scores.jsonl"
    target.write_text("previous\n", encoding="utf-8")

    def failing() -> Any:
        yield from records[:5]
        raise ReportError("the source went away")

    with pytest.raises(ReportError):
        score_chunks(failing(), "iso26000", chunk_size=2, output=target)
    with pytest.raises(UsageError):  # fails while writing: after the temporary file exists
        score_chunks(iter(records), "iso26000", output=target, by="company.name")
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.jsonl"]


def test_missing_source_is_located(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no file matches this pattern"):
        score_chunks(str(tmp_path / "*.jsonl"), "iso26000")
    with pytest.raises(ValueError, match="chunk_size"):
        score_chunks(iter([]), "iso26000", chunk_size=0)
