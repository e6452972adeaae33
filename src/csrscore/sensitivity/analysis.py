"""`sensitivity`: how far each company's rank moves when the modelling choices move."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from csrscore.engine.columns import BoolArray, FloatArray, IntArray
from csrscore.engine.scores import Scores
from csrscore.sensitivity.batch import RankArray
from csrscore.sensitivity.design import (
    Factor,
    SwitchSpec,
    Uniform,
    WeightSpec,
    draw,
    factors_for,
)
from csrscore.sensitivity.indices import SensitivityIndices, saltelli_indices
from csrscore.sensitivity.run import RANK_INTERVAL, SCORE_QUANTILES, SampleRun

DEFAULT_WEIGHTS = Uniform(0.2)
# Elements of one S x N working array of the ranking (8 bytes each): a chunk of samples
# stays near 4 MB per array, whatever the number of (distinct) companies.
CHUNK_ELEMENTS = 1 << 19


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


def _group_sizes(keys: list[Any] | None, n: int) -> IntArray:
    if keys is None:
        return np.full(n, n, dtype=np.int64)
    codes: dict[object, int] = {}
    group = np.array([codes.setdefault(key, len(codes)) for key in keys], dtype=np.int64)
    sizes: IntArray = np.bincount(group, minlength=len(codes))[group]
    return sizes
