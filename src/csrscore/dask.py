"""Scoring on a Dask cluster: the same engine, a partition per task, the same numbers.

Each partition (a file of a path pattern, or a partition of a Dask bag or DataFrame) is
validated, checked and scored by `score_chunk`, exactly as a chunk is in one process, on
whichever worker Dask gives it. The compiled rubric is one key of the graph, so each
worker receives it once however many partitions it scores. Only the small per-company
tables travel back; duplicates across partitions, ranks and percentiles are worked out
from them in the client, over all totals at once. A company's total is the same bits as
in a one-process run, so the ranks are too.

Works with any Dask scheduler: the current `distributed.Client` if there is one, else
the one named by `scheduler` ("threads", "processes", "sync") or Dask's default.
Needs the `dask` extra: ``pip install 'csrscore[dask]'``.
"""

from __future__ import annotations

import os
from typing import Any

from csrscore.chunked.score import score_chunk, score_file, whole_run_only
from csrscore.chunked.table import ScoreTable
from csrscore.compile.plan import Plan, compile_rubric
from csrscore.errors import CsrscoreError
from csrscore.records.stream import (
    DEFAULT_CHUNK_SIZE,
    parquet_record,
    source_files,
    validated_chunks,
)
from csrscore.rubric.load import load_rubric
from csrscore.rubric.model import Rubric

__all__ = ["score_dask"]


def _dask() -> Any:
    try:
        import dask
    except ImportError:
        raise CsrscoreError(
            "scoring on Dask needs the dask extra: pip install 'csrscore[dask]'"
        ) from None
    return dask


def score_dask(
    data: Any,
    rubric: Rubric | str | os.PathLike[str] = "iso26000",
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    scheduler: str | None = None,
) -> ScoreTable:
    """Score a path pattern of JSON Lines or Parquet files (a file per task, read by the
    worker: the paths must be reachable from every worker), a Dask bag of record dicts, or
    a Dask DataFrame of records (a row per record; see `docs/cluster.md` for the columns).

    Rejections are located by file and line or record, or by partition and record, and the
    table's rows come in file (or partition) order, then input order.
    """
    loaded = load_rubric(rubric)
    whole_run_only(loaded)
    dask = _dask()
    plan = compile_rubric(loaded)
    shipped = dask.delayed(plan, name=f"csrscore-plan-{plan.rubric.content_hash}")
    tasks = _tasks(dask, data, shipped, chunk_size)
    tables = dask.compute(*tasks, scheduler=scheduler) if tasks else ()
    return ScoreTable.concat(tables, plan.group_ids[:-1]).first_of_each_key()


def _tasks(dask: Any, data: Any, plan: Any, chunk_size: int) -> list[Any]:
    if isinstance(data, (str, os.PathLike)):
        by_file = dask.delayed(score_file, pure=True)
        # Absolute, because a worker's working directory is not the client's.
        names = [os.path.abspath(name) for name in source_files(data)]
        return [by_file(plan, name, chunk_size) for name in names]
    import dask.bag

    frame = not isinstance(data, dask.bag.Bag)
    if frame:
        import dask.dataframe

        if not isinstance(data, dask.dataframe.DataFrame):
            raise TypeError(
                "score_dask takes a path pattern, a dask.bag.Bag or a dask.dataframe.DataFrame;"
                f" got {type(data).__name__}"
            )
    by_partition = dask.delayed(_score_partition, pure=True)
    return [
        by_partition(plan, partition, f"partition {number}", frame, chunk_size)
        for number, partition in enumerate(data.to_delayed())
    ]


def _score_partition(
    plan: Plan, partition: Any, label: str, frame: bool, chunk_size: int
) -> ScoreTable:
    """One partition's records, validated as the loader does and scored a chunk at a time;
    a DataFrame's rows are read as Parquet rows are (JSON text columns decoded)."""
    records = partition.to_dict("records") if frame else partition
    rows = ((parquet_record(raw) if frame else raw, None) for raw in records)
    tables = [score_chunk(plan, chunk) for chunk in validated_chunks(rows, label, chunk_size, {})]
    return ScoreTable.concat(tables, plan.group_ids[:-1])
