"""Evaluating an analysis's samples: the matrices of the design scored, ranked and summarised.

`SampleRun` holds the batch scorer, the draws and the output buffers. In one process
`execute` scores each matrix of the design, ranks it chunk by chunk on a few threads, and
takes the per-company statistics; on a cluster (`csrscore.dask_sensitivity`) workers
`evaluate` pieces of the matrices and the client `store`s them, then `summarise`s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from csrscore.engine.columns import FloatArray, IntArray
from csrscore.engine.scores import Scores
from csrscore.sensitivity.batch import (
    BatchScorer,
    Piece,
    RankArray,
    Shares,
    competition_ranks,
)
from csrscore.sensitivity.design import Draws, Factor, saltelli_rows

RANK_INTERVAL = (0.05, 0.95)
SCORE_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
# Companies whose sample columns are sorted at once when the quantiles are taken.
STATISTICS_COMPANIES = 256


@dataclass(frozen=True)
class SampleRun:
    """One analysis's inputs and output buffers; chunks write disjoint rows of them."""

    scorer: BatchScorer
    a: Draws
    b: Draws
    factors: tuple[Factor, ...]
    nominal: RankArray  # working order
    ranks: RankArray  # samples x N, working order: the samples of A
    totals: FloatArray
    shifts: FloatArray  # matrices x samples: mean absolute rank shift of each evaluation
    kept: Shares = field(default_factory=Shares)  # A's effective weights, for A_B^(i)

    @classmethod
    def start(
        cls,
        scores: Scores,
        keys: list[Any] | None,
        factors: tuple[Factor, ...],
        a: Draws,
        b: Draws | None,
    ) -> SampleRun:
        scorer = BatchScorer(scores, keys)
        scorer.prepare(
            switch_aggregation=bool(a.switch_aggregation.any())
            or (b is not None and bool(b.switch_aggregation.any())),
            switch_policy=bool(a.switch_na_policy.any())
            or (b is not None and bool(b.switch_na_policy.any())),
        )
        # Tie decisions as in `Scores.rank`: competition ranks of the rounded totals.
        nominal = competition_ranks(
            scores.totals[scorer.order][None, :],
            scorer.segments,
            scores.rubric.rounding,
            scorer.counts,
        )[0]
        samples, n = len(a), scorer.n
        return cls(
            scorer=scorer,
            a=a,
            b=a if b is None else b,
            factors=factors,
            nominal=nominal,
            ranks=np.empty((samples, n), dtype=np.int32),
            totals=np.empty((samples, n)),
            shifts=np.zeros((1 if b is None else 2 + len(factors), samples)),
        )

    def execute(
        self, chunk: int, workers: int, progress: Callable[[int, int], None] | None = None
    ) -> tuple[IntArray, FloatArray]:
        """Run every matrix of the design, then take the per-company statistics.

        Returns, in working order, the rank percentiles (N x 3) and the score statistics
        (N x (2 + len(SCORE_QUANTILES)): mean, standard deviation, quantiles).
        """
        samples, n = self.totals.shape
        chunks = [np.arange(i, min(i + chunk, samples)) for i in range(0, samples, chunk)]
        blocks = [
            slice(i, min(i + STATISTICS_COMPANIES, n)) for i in range(0, n, STATISTICS_COMPANIES)
        ]
        steps = len(self.shifts) * (1 + len(chunks)) + len(blocks)
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, steps)

        with ThreadPoolExecutor(max_workers=workers) as pool:

            def each(work: Callable[[Any], Any], items: list[Any]) -> list[Any]:
                # Results come back in order, in this thread, as the workers finish them.
                results = []
                for result in map(work, items) if workers == 1 else pool.map(work, items):
                    results.append(result)
                    tick()
                return results

            scratch = self.totals if len(self.shifts) == 1 else np.empty_like(self.totals)
            for matrix in range(len(self.shifts)):
                totals = self.totals if matrix == 0 else scratch
                # All the matrix products first (the scorer chunks them itself), then all
                # the sorting: BLAS threads left waiting for the next product would
                # otherwise compete with the sorts for the CPUs.
                self.score(matrix, totals)
                tick()
                each(partial(self.rank, matrix, totals=totals), chunks)
            found = each(self.statistics, blocks)
        return _joined(found)

    def summarise(self, workers: int) -> tuple[IntArray, FloatArray]:
        """The per-company statistics alone, once the buffers hold every evaluation."""
        n = self.totals.shape[1]
        blocks = [
            slice(i, min(i + STATISTICS_COMPANIES, n)) for i in range(0, n, STATISTICS_COMPANIES)
        ]
        if workers == 1:
            return _joined([self.statistics(block) for block in blocks])
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return _joined(list(pool.map(self.statistics, blocks)))

    def score(self, matrix: int, out: FloatArray) -> None:
        rows = np.arange(len(out))
        draws = saltelli_rows(self.a, self.b, self.factors, matrix, rows)
        keep, known = None, None
        if matrix == 0 and self.matrices > 1:
            keep = self.kept
        elif matrix >= 2 and self.factors[matrix - 2].kind == "weights":
            # A_B^(i) is A but for the weights of group i's children: A's effective weights
            # hold everywhere else.
            group_id = self.factors[matrix - 2].group_id
            known = (self.kept, self.scorer.plan.group_ids.index(group_id))
        self.scorer.totals(draws, out, keep=keep, known=known)

    def rank(self, matrix: int, rows: IntArray, *, totals: FloatArray) -> None:
        span = slice(int(rows[0]), int(rows[-1]) + 1)
        ranks = self._ranks(totals[span])
        if matrix == 0:
            self.ranks[span] = ranks
        self.shifts[matrix, span] = self._shifted(ranks)

    def _ranks(self, totals: FloatArray) -> RankArray:
        scorer = self.scorer
        return competition_ranks(
            totals, scorer.segments, scorer.plan.rubric.rounding, scorer.counts
        )

    def _shifted(self, ranks: RankArray) -> FloatArray:
        """Each row's mean absolute rank shift over every company; `ranks` is spent."""
        counts = self.scorer.counts
        if not ranks.shape[1]:
            return np.zeros(len(ranks))
        np.subtract(ranks, self.nominal, out=ranks)
        np.abs(ranks, out=ranks)
        # Integer sums, so the shift does not depend on how companies were grouped.
        if len(counts) == len(self.scorer.columns):  # every company distinct
            shifted = ranks.sum(axis=1, dtype=np.int64)
        else:
            shifted = np.dot(ranks, counts)
        result: FloatArray = shifted / len(self.scorer.columns)
        return result

    # --- evaluation elsewhere (`csrscore.dask_sensitivity`) ----------------------------

    def pieces(self, matrix: int) -> list[Piece]:
        """The products `score` computes for one matrix of the design, in its order."""
        rows = np.arange(len(self.a))
        return self.scorer.pieces(saltelli_rows(self.a, self.b, self.factors, matrix, rows))

    def evaluate(self, matrix: int, pieces: Sequence[Piece]) -> Evaluated:
        """The rows of some pieces of one matrix, scored and ranked as `score` and `rank`
        score and rank them: the same products, so the same bits."""
        rows = np.concatenate([piece.rows for piece in pieces])
        totals = np.empty((len(rows), self.scorer.n))
        start = 0
        for piece in pieces:
            draws = saltelli_rows(self.a, self.b, self.factors, matrix, piece.rows)
            self.scorer.base(draws, piece, totals[start : start + len(piece.rows)])
            start += len(piece.rows)
        self.scorer.finish(totals)
        ranks = self._ranks(totals)
        kept = ranks.copy() if matrix == 0 else None
        return Evaluated(matrix, rows, totals if matrix == 0 else None, kept, self._shifted(ranks))

    def store(self, evaluated: Evaluated) -> None:
        """Write what `evaluate` returned into this run's buffers."""
        rows = evaluated.rows
        if evaluated.totals is not None and evaluated.ranks is not None:
            self.totals[rows] = evaluated.totals
            self.ranks[rows] = evaluated.ranks
        self.shifts[evaluated.matrix, rows] = evaluated.shifts

    def without_outputs(self) -> SampleRun:
        """This run with empty buffers: what a worker needs, without the samples x N
        matrices."""
        n = self.scorer.n
        return replace(
            self,
            ranks=np.empty((0, n), dtype=np.int32),
            totals=np.empty((0, n)),
            shifts=np.empty((len(self.shifts), 0)),
            kept=Shares(),
        )

    @property
    def matrices(self) -> int:
        return len(self.shifts)

    def statistics(self, block: slice) -> tuple[IntArray, FloatArray]:
        """Per company of the block: rank 5th/50th/95th percentiles, then the score's
        mean, standard deviation and quantiles.

        Rank percentiles are empirical (the inverted CDF: a rank that some sample had);
        score quantiles interpolate linearly between order statistics, as numpy does.
        """
        s = len(self.ranks)
        levels = np.array([RANK_INTERVAL[0], 0.5, RANK_INTERVAL[1]])
        rank_index = np.clip(np.ceil(levels * s - 1e-9).astype(np.int64) - 1, 0, s - 1)
        position = np.array(SCORE_QUANTILES) * (s - 1)
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, s - 1)
        fraction = position - below
        ranks = _sorted_ranks(self.ranks[:, block].T, len(self.scorer.columns))
        # Company-major and contiguous before sorting in place: `np.sort` of the transposed
        # view would sort strided rows, and copy them once more. The sorted values then go
        # back to the sample-major layout the mean and the deviation have always been
        # summed in: numpy sums a contiguous row pairwise and a strided one term by term,
        # and the two differ in the last bits.
        totals = np.ascontiguousarray(self.totals[:, block].T)
        totals.sort(axis=1)
        totals = np.asfortranarray(totals)
        low, high = totals[:, below], totals[:, above]
        rank_quantiles: IntArray = ranks[:, rank_index].astype(np.int64)
        std = totals.std(axis=1, ddof=1) if s > 1 else np.zeros(len(totals))
        moments = np.stack([totals.mean(axis=1), std], axis=1)
        return rank_quantiles, np.concatenate([moments, low + (high - low) * fraction], axis=1)


@dataclass(frozen=True)
class Evaluated:
    """Some rows of one matrix of the design: their mean rank shifts, and for the matrix
    of the samples (0) their totals and ranks as well."""

    matrix: int
    rows: IntArray
    totals: FloatArray | None
    ranks: RankArray | None
    shifts: FloatArray


def _joined(found: list[tuple[IntArray, FloatArray]]) -> tuple[IntArray, FloatArray]:
    if not found:
        return np.empty((0, 3), np.int64), np.empty((0, 2 + len(SCORE_QUANTILES)))
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def _sorted_ranks(ranks: RankArray, limit: int) -> NDArray[np.integer[Any]]:
    """Each row sorted; no rank exceeds `limit`. Ranks below 2**16 sort as 16-bit
    integers, which numpy's stable sort orders by counting (a radix sort): a few times
    faster than comparing them, and the same values in the same order."""
    ordered = ranks.astype(np.uint16 if limit < 1 << 16 else np.int32, order="C")
    ordered.sort(axis=1, kind="stable" if ordered.dtype == np.uint16 else None)
    return ordered
