"""Scoring a chunk at a time: `score_chunks`.

Scoring is per company except the ranks and percentiles, so each chunk is validated,
checked against the catalog and scored on its own by the engine, and kept only as a
`ScoreTable`; ranks and percentiles come from all totals at the end. A company's total is
bit for bit what one `score` over all reports gives (the engine never lets one company's
arithmetic depend on which others share its run), so memory is bounded by the chunk size
and the size of the table, never by the input's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace

from csrscore.chunked.table import ScoreTable
from csrscore.chunked.write import write_table
from csrscore.compile.plan import Plan, compile_rubric
from csrscore.engine.score import score_reports
from csrscore.errors import ReportError, UsageError
from csrscore.gcpause import paused_gc
from csrscore.rank import RankMethod
from csrscore.records.check import BadValues, check_reports
from csrscore.records.load import Rejection, ReportSet
from csrscore.records.stream import (
    DEFAULT_CHUNK_SIZE,
    ChunkSource,
    Seen,
    file_chunks,
    record_chunks,
    source_files,
)
from csrscore.rubric.load import load_rubric
from csrscore.rubric.model import Rubric

__all__ = ["score_chunk", "score_chunks", "score_file", "whole_run_only"]


def whole_run_only(rubric: Rubric) -> None:
    """Refuse a rubric whose scores depend on other records: a chunk (or a Dask partition)
    holds only some of a company's peers and years, so its numbers would differ from
    `score`'s. One line, with what to do instead."""
    reason = rubric.cross_record
    if reason is not None:
        raise UsageError(
            f"scoring a chunk at a time cannot be exact for this rubric ({reason}); "
            "score the whole set at once (csrscore.score, or rank without --chunk-size/--dask)"
        )


def score_chunk(plan: Plan, chunk: ReportSet, bad_values: BadValues = "reject") -> ScoreTable:
    """One validated chunk, checked against the catalog and scored, as a table."""
    with paused_gc():
        checked = check_reports(chunk, plan.rubric.catalog, bad_values)
        scores = score_reports(plan, checked.reports, checked)
        return ScoreTable.from_scores(scores, chunk.source)


def score_file(
    plan: Plan,
    name: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    seen: Seen | None = None,
    progress: Callable[[int], None] | None = None,
    bad_values: BadValues = "reject",
) -> ScoreTable:
    """One JSON Lines or Parquet file, a chunk at a time. A file that cannot be read (or
    stops being readable part way) keeps what was read and adds one located rejection for
    the rest, so one bad file among many never loses the others."""
    tables = []
    read = 0
    try:
        for chunk in file_chunks(name, chunk_size, seen):
            tables.append(score_chunk(plan, chunk, bad_values))
            read += chunk.total
            if progress is not None:
                progress(chunk.total)
    except ReportError as exc:
        what = "the file" if read == 0 else f"the rest of the file, from record {read},"
        message = f"{what} could not be read: {exc.message}"
        where = exc.location  # the field (a repeated top-level key) and line, if known
        rejection = Rejection(read, message, where.path or "", line=where.line, source=name)
        tables.append(_rejected(plan, rejection))
    return ScoreTable.concat(tables, plan.group_ids[:-1])


def _rejected(plan: Plan, rejection: Rejection) -> ScoreTable:
    empty = ScoreTable.concat([], plan.group_ids[:-1])
    return replace(empty, rejected=(rejection,))


def score_chunks(
    source: ChunkSource,
    rubric: Rubric | str | os.PathLike[str] = "iso26000",
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    output: str | os.PathLike[str] | None = None,
    ties: RankMethod = "competition",
    by: str | Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
    bad_values: BadValues = "reject",
) -> ScoreTable:
    """Score reports `chunk_size` records at a time.

    `source` is a JSON Lines or Parquet file, a directory of them, a glob pattern, or an
    iterable of record dicts. Every record ends up in the table or in its `rejected`, located
    by file, line (JSON Lines) and record index. With `output` (`.parquet`, or JSON Lines
    for any other name) one row per company with its rank (`ties`, within `by`) and
    percentile is written atomically. `progress` is called with each chunk's record count.
    Records are checked against the rubric's catalog as `load_reports` checks them, with
    `bad_values` as in `score`.
    """
    loaded = load_rubric(rubric)
    whole_run_only(loaded)
    plan = compile_rubric(loaded)
    tables = []
    if isinstance(source, (str, os.PathLike)):
        seen: Seen = {}
        for name in source_files(source):
            tables.append(score_file(plan, name, chunk_size, seen, progress, bad_values))
    else:
        for chunk in record_chunks(source, chunk_size):
            tables.append(score_chunk(plan, chunk, bad_values))
            if progress is not None:
                progress(chunk.total)
    table = ScoreTable.concat(tables, plan.group_ids[:-1])
    if output is not None:
        write_table(table, output, ties, by)
    return table
