"""Sensitivity analysis on a Dask cluster: the samples split across workers, the same numbers.

The client draws every sample from the seed, exactly as `csrscore.sensitivity_analysis`
does, and builds the batch scorer once. The scorer and the draws (no samples x companies
matrix) are one key of the graph, so each worker receives them once. Each task scores and
ranks some of the matrix products one process would compute (`BatchScorer.pieces`: BLAS
may round a product differently for another number of rows, so the rows are grouped
exactly as in one process), and sends back those rows' rank shifts, and for the samples
themselves their totals and ranks. The client gathers them and takes the statistics and
the indices as one process does. The result is the same, bit for bit, as
`sensitivity_analysis` with the same arguments and seed.

How many tasks there are depends on the products: one per matrix of the design at least,
more where the samples do not fit one product's memory budget (many samples, or many
distinct companies). A run with the indices has 2 + (inputs) matrices.

Works with any Dask scheduler: the current `distributed.Client` if there is one, else the
one named by `scheduler` ("threads", "processes", "sync") or Dask's default.
Needs the `dask` extra: ``pip install 'csrscore[dask]'``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from typing import Any

from csrscore.engine.scores import Scores
from csrscore.errors import CsrscoreError
from csrscore.sensitivity.analysis import DEFAULT_WEIGHTS, Sensitivity, Setup
from csrscore.sensitivity.batch import Piece
from csrscore.sensitivity.design import SwitchSpec, WeightSpec
from csrscore.sensitivity.run import Evaluated, SampleRun

__all__ = ["sensitivity_dask"]


def _dask() -> Any:
    try:
        import dask
    except ImportError:
        raise CsrscoreError(
            "sensitivity on Dask needs the dask extra: pip install 'csrscore[dask]'"
        ) from None
    return dask


def sensitivity_dask(
    scores: Scores,
    samples: int = 1000,
    seed: int | None = 0,
    *,
    weights: WeightSpec = DEFAULT_WEIGHTS,
    aggregation: SwitchSpec = False,
    na_policy: SwitchSpec = False,
    indices: bool = True,
    by: str | Sequence[str] | None = "year",
    bootstrap: int = 200,
    scheduler: str | None = None,
    tasks_per_matrix: int | None = None,
) -> Sensitivity:
    """`csrscore.sensitivity_analysis` with the samples evaluated on Dask; the arguments
    mean the same, and the result is the same bits.

    `tasks_per_matrix`: at most this many tasks share one matrix's products (default: the
    connected cluster's worker threads, or the CPUs here).
    """
    dask = _dask()
    setup = Setup.of(
        scores,
        samples,
        seed,
        weights=weights,
        aggregation=aggregation,
        na_policy=na_policy,
        indices=indices,
        by=by,
        bootstrap=bootstrap,
    )
    run = setup.run
    parts = tasks_per_matrix or _threads()
    # A fresh name: the scorer and draws of another run must never be taken for these.
    shipped = dask.delayed(run.without_outputs(), name=f"csrscore-sensitivity-{uuid.uuid4().hex}")
    evaluate = dask.delayed(_evaluate, pure=True)
    tasks = [
        evaluate(shipped, matrix, group)
        for matrix in range(run.matrices)
        for group in _split(run.pieces(matrix), parts)
    ]
    for evaluated in dask.compute(*tasks, scheduler=scheduler):
        run.store(evaluated)
    return setup.result(run.summarise(min(4, os.cpu_count() or 1)))


def _evaluate(run: SampleRun, matrix: int, pieces: list[Piece]) -> Evaluated:
    return run.evaluate(matrix, pieces)


def _split(pieces: list[Piece], parts: int) -> list[list[Piece]]:
    """The pieces in at most `parts` runs of about equal rows, in order."""
    total = sum(len(piece.rows) for piece in pieces)
    target = max(1, -(-total // max(1, parts)))
    groups: list[list[Piece]] = [[]]
    rows = 0
    for piece in pieces:
        if groups[-1] and rows + len(piece.rows) > target:
            groups.append([])
            rows = 0
        groups[-1].append(piece)
        rows += len(piece.rows)
    return [group for group in groups if group]


def _threads() -> int:
    """Worker threads of the current distributed client, else this machine's CPUs."""
    try:
        from distributed import get_client

        client = get_client()
    except (ImportError, ValueError):
        return os.cpu_count() or 1
    workers = client.scheduler_info().get("workers", {})
    return max(1, sum(int(worker.get("nthreads", 1)) for worker in workers.values()))
