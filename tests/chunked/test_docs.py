"""The Python examples of docs/cluster.md run (the Dask one in tests/test_dask.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.chunked.same import example_records, write_jsonl

DOC = Path(__file__).resolve().parents[2] / "docs" / "cluster.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.M | re.S)


def run_block(code: str, folder: Path) -> dict[str, object]:
    """Run a doc block in `folder`, which holds data/a.jsonl and data/b.jsonl."""
    records = example_records()
    (folder / "data").mkdir()
    write_jsonl(folder / "data" / "a.jsonl", records[:30])
    write_jsonl(folder / "data" / "b.jsonl", records[30:])
    here = Path.cwd()
    os.chdir(folder)
    try:
        namespace: dict[str, object] = {}
        exec(compile(code, str(DOC), "exec"), namespace)
        return namespace
    finally:
        os.chdir(here)


def test_chunked_example(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    namespace = run_block(BLOCKS[0], tmp_path)
    assert len(namespace["table"]) == 60  # type: ignore[arg-type]
    assert (tmp_path / "scores.parquet").exists()
