"""Explanations assembled from the engine's arrays.

`Explainer` computes the per-company arrays that every explanation needs (contribution
shares, ranks, next-level points, sector statistics) once for the whole set, so explaining
one company, or all of them, never scores anything again.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

import numpy as np

from csrscore.compile.plan import conditions_of
from csrscore.engine.columns import FloatArray
from csrscore.engine.scores import Scores
from csrscore.explain.criteria import CriterionEntries
from csrscore.explain.explanation import Explanation
from csrscore.explain.groups import GroupEntries
from csrscore.explain.improve import Suggester
from csrscore.explain.path import Improvable, ImprovementPath
from csrscore.explain.peers import Peers, compute_peers
from csrscore.explain.shares import (
    GroupPoints,
    Shares,
    compute_shares,
    group_points,
)
from csrscore.explain.trace import (
    Tracer,
    matching_violations,
    violation_filter_dict,
)
from csrscore.gcpause import paused_gc

# Explanations built at once, with the garbage collector paused, by `explain_all`.
EXPLAIN_BATCH = 256

SCHEMA_VERSION = "1"


ZERO_NOISE = 1e-12


def _clean(value: float) -> float:
    """Float for JSON: rounds away -0.0 and tiny negative noise."""
    return 0.0 if abs(value) < ZERO_NOISE else float(value)


class Explainer:
    def __init__(self, scores: Scores) -> None:
        self.scores = scores
        self.tracer = Tracer(scores, conditions_of(scores.rubric))
        self.suggester = Suggester(scores.rubric.catalog)
        self._row: dict[str, list[Any]] = {}

    # --- arrays for the whole set -------------------------------------------------------

    @cached_property
    def criteria(self) -> CriterionEntries:
        return CriterionEntries(self.scores, self.tracer)

    @cached_property
    def groups(self) -> GroupEntries:
        return GroupEntries(self.scores)

    @cached_property
    def shares(self) -> Shares:
        return compute_shares(self.scores)

    @cached_property
    def clean_contributions(self) -> tuple[FloatArray, FloatArray]:
        """Criterion and group contributions with float noise around zero set to 0.0."""
        criteria, groups = self.shares.criterion_contribution, self.shares.group_contribution
        return (
            np.where(np.abs(criteria) < ZERO_NOISE, 0.0, criteria),
            np.where(np.abs(groups) < ZERO_NOISE, 0.0, groups),
        )

    @cached_property
    def path(self) -> ImprovementPath:
        return ImprovementPath(self.scores, self.shares, self.suggester)

    @cached_property
    def ranks(self) -> dict[str, np.ndarray]:
        scores = self.scores
        return {
            "overall": scores.rank(by="year"),
            "sector": scores.rank(by=("sector", "year")),
            "percentile": scores.percentile(by="year"),
        }

    @cached_property
    def peers(self) -> Peers:
        return compute_peers(self.scores)

    @cached_property
    def group_points(self) -> GroupPoints:
        return group_points(self.scores)

    def prepare(self) -> None:
        """Compute what explanations of the whole set share, every company's improvement
        candidates included, e.g. once before forking workers that explain many companies
        each. Without it, `explain` finds only its own company's candidates (cheap alone,
        a little more per company than reading them from the set's) and `explain_all`
        finds everyone's first."""
        self.explain(0)
        _ = self.path.everyone

    # --- one company ---------------------------------------------------------------------

    def explain(self, row: int) -> Explanation:
        with paused_gc(promote=True):
            path = self.path
            if "everyone" in path.__dict__:  # a batch has found every company's candidates
                return self._explain(row, path.everyone, row)
            # Alone, only this company's: on a geometric rubric the whole set's take seconds.
            return self._explain(row, path.improvable(np.array([row])), 0)

    def _explain(self, row: int, improvable: Improvable, k: int) -> Explanation:
        scores = self.scores
        rubric = scores.rubric
        report = scores.reports[row]
        groups = self.groups
        self.tracer.start(row, report)
        # Plain lists for this company: indexing numpy scalars one by one is slow.
        self._row = {
            "levels": scores.levels[row].tolist(),
            "points": scores.points[row].tolist(),
            "contribution": self.clean_contributions[0][row].tolist(),
            "share": self.shares.criterion_share[row].tolist(),
            "group_scores": scores.group_scores[row].tolist(),
            "group_weights": scores.group_weights[row].tolist(),
            "group_share": self.shares.group_share[row].tolist(),
            "group_contribution": self.clean_contributions[1][row].tolist(),
            "earned": self.group_points.earned[row].tolist(),
            "possible": self.group_points.possible[row].tolist(),
            "not_applicable": self.group_points.not_applicable[row].tolist(),
        }
        criteria = self.criteria.entries(row, self._row)
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "rubric": {"name": rubric.name, "version": rubric.version, "hash": rubric.content_hash},
            "company": {
                "id": scores.company_ids[row],
                "name": scores.names[row],
                "sector": scores.sectors[row],
                "country": scores.countries[row],
                "year": int(scores.years[row]),
            },
            "summary": self._summary(row),
            "groups": [groups.entry(group, self._row) for group in groups.statics],
            "criteria": criteria,
            "adjustments": self._adjustments(row, report),
            "improvements": self.path.entries(improvable, k, report, self._row["points"], criteria),
            "peers": self._peers(row),
        }
        return Explanation(data, self._field_decimals)

    @cached_property
    def _field_decimals(self) -> dict[str, int]:
        catalog = self.scores.rubric.catalog
        return {spec.name: spec.decimals for spec in catalog if spec.decimals is not None}

    def explain_all(self) -> Iterator[Explanation]:
        # The collector is paused while a batch is built, and the batch is then promoted
        # to the oldest generation (see `paused_gc`): rescanning each fresh explanation,
        # thousands of small containers, made batch export several times slower. It is
        # back on while the caller holds the iterator, so an abandoned iterator, even one
        # caught in a reference cycle that only the collector could free, never keeps it off.
        rows = len(self.scores)
        everyone = self.path.everyone
        for start in range(0, rows, EXPLAIN_BATCH):
            with paused_gc(promote=True):
                batch = [
                    self._explain(row, everyone, row)
                    for row in range(start, min(start + EXPLAIN_BATCH, rows))
                ]
            yield from batch
            del batch

    def _summary(self, row: int) -> dict[str, Any]:
        total, base, adjustments, clamp, rank, of, sector_rank, sector_of, percentile = (
            self._summary_numbers[row].tolist()
        )
        return {
            "total": total,
            # As ranks and grades see it (the rubric's rounding rule).
            "published_total": self.scores.rubric.rounding.round_one(total),
            "scale": float(self.scores.rubric.scale),
            "grade": self.scores.grades[row],
            "base": base,
            "adjustments": adjustments,
            "clamp": clamp,
            "rank": int(rank),
            "of": int(of),
            "sector_rank": int(sector_rank),
            "sector_of": int(sector_of),
            "percentile": percentile,
        }

    @cached_property
    def _summary_numbers(self) -> FloatArray:
        """The summary's numbers, one row per company: a single conversion per company
        instead of one per number. Counts and ranks are exact in float64."""
        scores, ranks = self.scores, self.ranks
        _, year_index, year_counts = np.unique(
            scores.years, return_inverse=True, return_counts=True
        )
        columns = [
            scores.totals,
            scores.base,
            scores.adjustments.sum(axis=1),
            scores.clamp,
            ranks["overall"],
            year_counts[year_index],
            ranks["sector"],
            self.peers.size,
            ranks["percentile"],
        ]
        numbers = np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])
        noise = np.abs(numbers[:, 2:4]) < ZERO_NOISE  # adjustments and clamp, as _clean does
        numbers[:, 2:4][noise] = 0.0
        return numbers

    def _adjustments(self, row: int, report: Any) -> list[dict[str, Any]]:
        scores = self.scores
        out = []
        for a, adjustment in enumerate(scores.rubric.adjustments):
            entry: dict[str, Any] = {
                "id": adjustment.id,
                "title": adjustment.title,
                "kind": adjustment.kind,
                "effect": _clean(float(scores.adjustments[row, a])),
                "applies": adjustment.when is None or self.tracer.passed(adjustment.when),
            }
            if adjustment.count is not None:
                entry["filter"] = violation_filter_dict(adjustment.count)
                entry["records"] = matching_violations(report, adjustment.count)
                entry["points_each"] = adjustment.points_each
                entry["floor"] = adjustment.floor
                entry["ceiling"] = adjustment.ceiling
            if adjustment.cap is not None:
                entry["cap"] = adjustment.cap
            if adjustment.when is not None:
                entry["trace"] = self.tracer.trace(adjustment.when)
            out.append(entry)
        clamp = _clean(float(scores.clamp[row]))
        if clamp:
            out.append(
                {
                    "id": "clamp",
                    "title": f"Total kept within 0..{scores.rubric.scale:g}",
                    "kind": "clamp",
                    "effect": clamp,
                    "applies": True,
                }
            )
        return out

    def _peers(self, row: int) -> dict[str, Any]:
        scores, peers = self.scores, self.peers
        others = int(peers.size[row]) - 1
        behind = np.flatnonzero(peers.behind_most[row])
        ahead = peers.ahead[row, behind].tolist()
        return {
            "sector": scores.sectors[row],
            "year": int(scores.years[row]),
            "companies": others + 1,
            "median_total": float(peers.median_total[row]),
            "best_total": float(peers.best_total[row]),
            "behind_most_peers": [
                {"criterion": scores.criterion_ids[c], "peers_ahead": better, "peers": others}
                for c, better in zip(behind.tolist(), ahead, strict=True)
            ],
        }
