"""`sensitivity`: how far each company's rank moves when the modelling choices move."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from csrscore.engine.columns import BoolArray, FloatArray, IntArray
from csrscore.engine.scores import Scores
from csrscore.sensitivity.batch import (
    BatchScorer,
    Piece,
    RankArray,
    Shares,
    competition_ranks,
)
from csrscore.sensitivity.design import (
    Draws,
    Factor,
    SwitchSpec,
    Uniform,
    WeightSpec,
    draw,
    factors_for,
    saltelli_rows,
)
from csrscore.sensitivity.indices import SensitivityIndices, saltelli_indices

RANK_INTERVAL = (0.05, 0.95)
SCORE_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
DEFAULT_WEIGHTS = Uniform(0.2)
# Elements of one S x N working array of the ranking (8 bytes each): a chunk of samples
# stays near 4 MB per array, whatever the number of (distinct) companies.
CHUNK_ELEMENTS = 1 << 19
# Companies whose sample columns are sorted at once when the quantiles are taken.
STATISTICS_COMPANIES = 256


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """The result of an uncertainty and sensitivity analysis, per company and per input.

    Ranks are competition ranks within each value of `by` (by default within each year),
    as `Scores.rank(by=...)` gives them. The rank interval runs from the 5th to the 95th
    percentile of a company's rank over the samples. Arrays are per company, in the order
    of `scores`.
    """

    scores: Scores
    samples: int
    seed: int
    by: str | tuple[str, ...] | None
    factors: tuple[Factor, ...]
    nominal_rank: IntArray
    median_rank: IntArray
    rank_low: IntArray  # 5th percentile
    rank_high: IntArray  # 95th percentile
    score_mean: FloatArray
    score_std: FloatArray
    score_quantiles: FloatArray  # N x len(SCORE_QUANTILES)
    mean_rank_shift: FloatArray  # per sample: mean |rank - nominal rank| over companies
    indices: SensitivityIndices | None
    group_sizes: IntArray  # companies ranked together with each one, itself included
    # Per-sample matrices over the distinct companies the analysis scored, and each
    # company's column in them (see `rank_samples`).
    working_ranks: RankArray = field(repr=False)
    working_totals: FloatArray = field(repr=False)
    working_columns: IntArray = field(repr=False)

    def __post_init__(self) -> None:
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    def __len__(self) -> int:
        return len(self.nominal_rank)

    @cached_property
    def rank_samples(self) -> RankArray:
        """samples x N: each company's rank in each sample."""
        ranks: RankArray = self.working_ranks[:, self.working_columns]
        ranks.setflags(write=False)
        return ranks

    @cached_property
    def total_samples(self) -> FloatArray:
        """samples x N: each company's total in each sample."""
        totals: FloatArray = self.working_totals[:, self.working_columns]
        totals.setflags(write=False)
        return totals

    @property
    def interval_width(self) -> IntArray:
        """Places between the 5th and 95th percentile ranks."""
        width: IntArray = (self.rank_high - self.rank_low).astype(np.int64)
        return width

    def flagged(self, places: int) -> BoolArray:
        """Companies whose rank interval spans more than `places` places."""
        flags: BoolArray = self.interval_width > places
        return flags

    def to_records(self, flag_places: int | None = None) -> list[dict[str, Any]]:
        """One JSON-ready dict per company, in input order."""
        scores = self.scores
        flags = None if flag_places is None else self.flagged(flag_places)
        records = []
        for i in range(len(self)):
            record: dict[str, Any] = {
                "company_id": scores.company_ids[i],
                "name": scores.names[i],
                "sector": scores.sectors[i],
                "year": int(scores.years[i]),
                "total": float(scores.totals[i]),
                "grade": scores.grades[i],
                "nominal_rank": int(self.nominal_rank[i]),
                "median_rank": int(self.median_rank[i]),
                "rank_interval": [int(self.rank_low[i]), int(self.rank_high[i])],
                "ranked_among": int(self.group_sizes[i]),
                "score": {
                    "mean": float(self.score_mean[i]),
                    "std": float(self.score_std[i]),
                    **{
                        quantile_name(q): float(self.score_quantiles[i, k])
                        for k, q in enumerate(SCORE_QUANTILES)
                    },
                },
            }
            if flags is not None:
                record["flagged"] = bool(flags[i])
            records.append(record)
        return records

    def to_dict(self, flag_places: int | None = None) -> dict[str, Any]:
        """The whole result, JSON-ready, without the per-sample matrices."""
        rubric = self.scores.rubric
        shifts = self.mean_rank_shift
        return {
            "rubric": {"name": rubric.name, "version": rubric.version, "hash": rubric.content_hash},
            "samples": self.samples,
            "seed": self.seed,
            "ranked_by": self.by,
            "rank_interval": list(RANK_INTERVAL),
            "flag_places": flag_places,
            "factors": [factor.to_dict() for factor in self.factors],
            "mean_rank_shift": {
                "mean": float(shifts.mean()) if len(shifts) else None,
                "max": float(shifts.max()) if len(shifts) else None,
            },
            "indices": None if self.indices is None else self.indices.to_dict(),
            "companies": self.to_records(flag_places),
        }


def quantile_name(q: float) -> str:
    return f"p{round(q * 100):02d}"


def sensitivity(
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
    chunk_size: int | None = None,
    threads: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Sensitivity:
    """Monte-Carlo uncertainty analysis of the ranks, with variance-based indices.

    - `weights`: how each group's children weights are perturbed: one `Uniform` or
      `Dirichlet` for every group, or a mapping from group id (``"*"``: every other group,
      ``"__root__"``: the top-level groups) to one, or to ``None`` for fixed weights.
      ``None`` fixes every weight.
    - `aggregation`: switch every group's aggregation (arithmetic <-> geometric) with this
      probability (``True``: 0.5).
    - `na_policy`: switch the rubric's N/A policy (exclude <-> zero) with this probability.
    - `samples` Monte-Carlo samples give the rank intervals and the score distributions.
      `indices` adds the Saltelli design: samples × (inputs + 1) more evaluations.
    - `seed`: the same seed gives the same result; ``None`` draws a fresh seed, which the
      result records.
    - `by`: rank within each value of this company field, as `Scores.rank(by=...)`, or
      of these fields together (``("year", "sector")``: each sector within each year);
      ``None`` ranks all companies together.
    - `chunk_size`: samples ranked at once (default: about 4 MB per working array);
      `threads`: chunks ranked in parallel (default: one per CPU, up to 4). Neither
      changes a rank.
    - `progress`: called as ``progress(done, total)`` in the calling thread each time a
      step of the work is finished (a matrix of samples scored, a chunk ranked, a block
      of companies summarised), for a progress bar; `done` reaches `total` at the end.
    """
    if chunk_size is not None and chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
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
    workers = threads or min(4, os.cpu_count() or 1)
    # Memory decides the chunk, over the distinct companies actually ranked; a chunk per
    # worker at least, so that few distinct companies still keep every worker busy.
    chunk = chunk_size or max(
        1, min(CHUNK_ELEMENTS // max(run.scorer.n, 1), -(-samples // workers))
    )
    return setup.result(run.execute(chunk, workers, progress))


@dataclass(frozen=True)
class Setup:
    """An analysis before its samples are evaluated: the draws, the batch scorer and the
    output buffers (`run`), and what turns the evaluations into a `Sensitivity`.

    `sensitivity` evaluates `run` in this process; `csrscore.dask_sensitivity` on a
    cluster. Both start here and end in `result`, so the same seed gives the same draws.
    """

    scores: Scores
    samples: int
    seed: int
    by: str | tuple[str, ...] | None
    keys: list[Any] | None
    factors: tuple[Factor, ...]
    run: SampleRun
    indices: bool
    bootstrap: int
    bootstrap_rng: np.random.Generator

    @classmethod
    def of(
        cls,
        scores: Scores,
        samples: int,
        seed: int | None,
        *,
        weights: WeightSpec,
        aggregation: SwitchSpec,
        na_policy: SwitchSpec,
        indices: bool,
        by: str | Sequence[str] | None,
        bootstrap: int,
    ) -> Setup:
        if samples < 1:
            raise ValueError(f"samples must be at least 1, got {samples}")
        if bootstrap < 0:
            raise ValueError(f"bootstrap must be at least 0, got {bootstrap}")
        plan = scores.plan
        factors = factors_for(plan, weights, aggregation, na_policy)
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1))
        # Three independent streams: A, B and the bootstrap. A never depends on `indices`.
        streams = [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(3)]
        a = draw(plan, factors, samples, streams[0])
        b = draw(plan, factors, samples, streams[1]) if indices else None
        keys = None if by is None else scores.company_field(by)
        return cls(
            scores=scores,
            samples=samples,
            seed=seed,
            by=by if by is None or isinstance(by, str) else tuple(by),
            keys=keys,
            factors=factors,
            run=SampleRun.start(scores, keys, factors, a, b),
            indices=indices,
            bootstrap=bootstrap,
            bootstrap_rng=streams[2],
        )

    def result(self, statistics: tuple[IntArray, FloatArray]) -> Sensitivity:
        """The analysis, once `run` holds every evaluation and `statistics` its summary."""
        run, factors = self.run, self.factors
        found = None
        if self.indices:
            found = saltelli_indices(
                tuple(factor.name for factor in factors),
                run.shifts[0],
                run.shifts[1],
                run.shifts[2:],
                bootstrap=self.bootstrap,
                rng=self.bootstrap_rng,
            )
        # From the distinct companies in working order to every company in the order of
        # `scores`.
        columns = run.scorer.columns
        rank_quantiles, score_statistics = statistics[0][columns], statistics[1][columns]
        return Sensitivity(
            scores=self.scores,
            samples=self.samples,
            seed=self.seed,
            by=self.by,
            factors=factors,
            nominal_rank=run.nominal[columns].astype(np.int64),
            median_rank=rank_quantiles[:, 1],
            rank_low=rank_quantiles[:, 0],
            rank_high=rank_quantiles[:, 2],
            score_mean=score_statistics[:, 0],
            score_std=score_statistics[:, 1],
            score_quantiles=score_statistics[:, 2:],
            mean_rank_shift=run.shifts[0],
            indices=found,
            group_sizes=_group_sizes(self.keys, len(self.scores)),
            working_ranks=run.ranks,
            working_totals=run.totals,
            working_columns=columns,
        )


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


def _group_sizes(keys: list[Any] | None, n: int) -> IntArray:
    if keys is None:
        return np.full(n, n, dtype=np.int64)
    codes: dict[object, int] = {}
    group = np.array([codes.setdefault(key, len(codes)) for key in keys], dtype=np.int64)
    sizes: IntArray = np.bincount(group, minlength=len(codes))[group]
    return sizes
