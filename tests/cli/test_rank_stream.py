"""`csrscore rank --chunk-size`: the streamed ranking is the one-shot ranking."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.chunked.same import example_records, write_jsonl
from tests.cli.runner import run_cli


def one_shot(path: Path, *options: str) -> dict[tuple[str, int], dict[str, Any]]:
    result = run_cli(["rank", str(path), "--format", "json", *options])
    assert result.code == 0, result.err
    document = json.loads(result.out)
    return {(c["company_id"], c["year"]): c for c in document["companies"]}


@pytest.mark.parametrize("options", [(), ("--by", "sector", "--ties", "dense")])
def test_streamed_json_lines_match_one_shot(tmp_path: Path, options: tuple[str, ...]) -> None:
    path = write_jsonl(tmp_path / "reports.jsonl", example_records())
    result = run_cli(["rank", str(path), "--chunk-size", "7", "--format", "json", *options])
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    expected = one_shot(path, *options)
    assert len(rows) == len(expected) == 60
    for row in rows:
        want = expected[(row["company_id"], row["year"])]
        for key in ("rank", "percentile", "total", "grade", "groups"):
            assert row[key] == want[key], key
    # Best first within each year, as the one-shot ranking lists them.
    assert [row["rank"] for row in rows if row["year"] == 2023][:3] == [1, 2, 3]


def test_glob_to_parquet_and_rejections_on_stderr(tmp_path: Path) -> None:
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    records = example_records()
    write_jsonl(tmp_path / "a.jsonl", records[:30])
    (tmp_path / "b.jsonl").write_text(
        "\n".join([*(json.dumps(r) for r in records[30:]), "[1]"]) + "\n", encoding="utf-8"
    )
    target = tmp_path / "scores.parquet"
    pattern = str(tmp_path / "*.jsonl")
    result = run_cli(["rank", pattern, "--chunk-size", "50000", "-o", str(target)])
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err_lines == [
        f"csrscore: rejected: {tmp_path / 'b.jsonl'}:31 record 30: expected a JSON object, "
        "got an array"
    ]
    rows = pyarrow_parquet.read_table(target).to_pylist()
    all_in_one = write_jsonl(tmp_path / "all.json.jsonl", records)
    expected = one_shot(all_in_one)
    assert {(r["company_id"], r["year"]): r["rank"] for r in rows} == {
        key: value["rank"] for key, value in expected.items()
    }


def test_streaming_errors(tmp_path: Path) -> None:
    missing = run_cli(["rank", str(tmp_path / "*.jsonl"), "--chunk-size", "10"])
    assert missing.code == 1
    assert missing.err_lines == [
        f"csrscore: error: {tmp_path}/*.jsonl: no file matches this pattern"
    ]
    assert run_cli(["rank", "x.jsonl", "--chunk-size", "0"]).code == 2
    path = tmp_path / "r.jsonl"
    path.write_text("{}\n", encoding="utf-8")
    strict = run_cli(["rank", str(path), "--chunk-size", "10", "--strict"])
    assert strict.code == 1
    assert strict.err_lines[0].startswith(f"csrscore: error: {path}:1 record 0")
    stdin = run_cli(["rank", "-", "--chunk-size", "10"])
    assert stdin.code == 2
