"""The improvement path: which criteria can gain points, how many, and what would get them.

The candidates and their gains are found for every company at once from the engine's
arrays (`Improvable`), so a company's path is a slice of flat arrays already in order; only
the entries themselves (the failing tests, the suggested disclosures and their words) are
built company by company.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from csrscore.engine.columns import FloatArray, IntArray
from csrscore.engine.scores import Scores
from csrscore.explain.advice import value_words
from csrscore.explain.gains import exact_gains
from csrscore.explain.improve import Patch, Suggester, copy_patch
from csrscore.explain.shares import Shares, Targets, improvement_targets
from csrscore.explain.trace import failing_tests
from csrscore.records.model import Report
from csrscore.rubric.conditions import fields_of


class Improvable(NamedTuple):
    """Flat arrays, company after company; the k-th company asked for has the entries
    start[k]:start[k + 1], in the path's order: by gain at the next level, then at the
    top, then criterion id."""

    start: list[int]
    criterion: IntArray
    next_gain: FloatArray
    top_gain: FloatArray
    next_points: FloatArray
    top_points: FloatArray
    target: IntArray  # the ladder level to reach; 0 for bands and value scoring


class ImprovementPath:
    def __init__(self, scores: Scores, shares: Shares, suggester: Suggester) -> None:
        self.scores = scores
        self.shares = shares
        self.suggester = suggester
        # Suggestions for reports that disclose none of the fields: read-only, copied out.
        self._blank_suggestions: dict[
            tuple[int, tuple[int, ...]], tuple[Patch | None, list[str]]
        ] = {}

    @cached_property
    def targets(self) -> Targets:
        return improvement_targets(self.scores)

    @cached_property
    def gains(self) -> tuple[FloatArray, FloatArray]:
        """Total points gained per (company, criterion) at the next level and at the top,
        where every mean above the criterion is arithmetic (elsewhere see `exact_gains`)."""
        scores, shares = self.scores, self.shares
        next_points, top_points = self.targets.next_points, self.targets.top_points
        scale = scores.rubric.scale / scores.plan.max_points[None, :]
        next_gain = shares.criterion_share * (next_points - scores.points) * scale
        top_gain = shares.criterion_share * (top_points - scores.points) * scale
        return next_gain, top_gain

    @cached_property
    def everyone(self) -> Improvable:
        """Every company's candidates, for batches."""
        return self.improvable(None)

    def improvable(self, rows: IntArray | None) -> Improvable:
        """The candidates of these companies (all of them for None): every (company,
        criterion) that can gain points."""
        scores, targets = self.scores, self.targets
        next_gain, top_gain = self.gains
        pick = slice(None) if rows is None else rows
        levels, points = scores.levels[pick], scores.points[pick]
        next_points, top_points = targets.next_points[pick], targets.top_points[pick]
        local, cols = np.nonzero((levels >= 0) & (next_points > points))
        companies = local if rows is None else rows[local]
        next_at, top_at = next_gain[companies, cols], top_gain[companies, cols]
        exact = ~self._arithmetic_path[cols]
        if exact.any():
            # Both targets of every candidate in one pass: next levels, then tops.
            found = exact_gains(
                scores,
                np.concatenate([companies[exact], companies[exact]]),
                np.concatenate([cols[exact], cols[exact]]),
                np.concatenate(
                    [next_points[local[exact], cols[exact]], top_points[local[exact], cols[exact]]]
                ),
            )
            half = len(found) // 2
            next_at[exact], top_at[exact] = found[:half], found[half:]
        order = np.lexsort((self._id_order[cols], -top_at, -next_at, local))
        local, cols = local[order], cols[order]
        count = len(scores) if rows is None else len(rows)
        ends = np.cumsum(np.bincount(local, minlength=count))
        return Improvable(
            [0, *ends.tolist()],
            cols,
            next_at[order],
            top_at[order],
            next_points[local, cols],
            top_points[local, cols],
            targets.next_level[pick][local, cols],
        )

    @cached_property
    def _arithmetic_path(self) -> np.ndarray:
        return np.asarray(self.shares.arithmetic_path, dtype=bool)

    @cached_property
    def _id_order(self) -> IntArray:
        """Each criterion's position when criteria are sorted by id."""
        ids = self.scores.criterion_ids
        order = np.empty(len(ids), dtype=np.int64)
        order[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
        return order

    @cached_property
    def _templates(self) -> list[dict[str, Any]]:
        """Per criterion, an entry's fields in output order, to copy and fill."""
        return [
            {
                "criterion": criterion.id,
                "title": criterion.title,
                "current_points": 0.0,
                "next_points": 0.0,
                "top_points": 0.0,
                "gain_next": 0.0,
                "gain_top": 0.0,
                "target_level": None,
                "missing": None,
                "suggestion": None,
                "advice": None,
            }
            for criterion in self.scores.plan.criteria
        ]

    @cached_property
    def _level_fields(self) -> list[frozenset[str]]:
        """Per criterion, every field its levels' conditions read."""
        return [
            frozenset().union(*(fields_of(level.when) for level in criterion.levels))
            for criterion in self.scores.plan.criteria
        ]

    def _suggestion(
        self, c: int, missing_levels: tuple[int, ...], report: Report
    ) -> tuple[Patch | None, list[str]]:
        """The disclosures that would make these levels of criterion c hold, and the same in
        words. For a report that discloses none of the fields the levels read, they depend
        on which levels are missing alone (see `Suggester`), so they are made once per
        such case and copied: made afresh they were a fifth of a batch explanation."""
        if not report.disclosures.keys().isdisjoint(self._level_fields[c]):
            return self._suggest(c, missing_levels, report)
        key = (c, missing_levels)
        made = self._blank_suggestions.get(key)
        if made is None:
            made = self._blank_suggestions[key] = self._suggest(c, missing_levels, report)
        patch, advice = made
        return copy_patch(patch), list(advice)

    def _suggest(
        self, c: int, missing_levels: tuple[int, ...], report: Report
    ) -> tuple[Patch | None, list[str]]:
        criterion = self.scores.plan.criteria[c]
        suggester = self.suggester
        patch: Patch | None = {}
        advice: list[str] = []
        for index in missing_levels:
            when = criterion.levels[index].when
            part = suggester.failing(when, report)
            # A part is already this explanation's own copy: merge only when more than one
            # level is missing.
            patch = None if part is None else {**patch, **part} if patch else part
            if part is None:
                break  # no patch for this level, so none for the target
            words = suggester.words(when, report, part)
            advice += [w for w in words if w not in advice]
        return patch, advice if patch else []

    @cached_property
    def _value_advice(self) -> list[str]:
        """Per criterion, what raises a value, band or checklist criterion, in words."""
        catalog = self.scores.rubric.catalog
        return [value_words(criterion, catalog) for criterion in self.scores.plan.criteria]

    def entries(
        self,
        found: Improvable,
        k: int,
        report: Report,
        points_row: list[float],
        criteria: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """The path of the k-th company of `found`, whose report, points and criterion
        entries (with their traced levels) are given."""
        span = slice(found.start[k], found.start[k + 1])
        improvable = found.criterion[span].tolist()
        next_gain = found.next_gain[span].tolist()
        top_gain = found.top_gain[span].tolist()
        next_row = found.next_points[span].tolist()
        top_row = found.top_points[span].tolist()
        targets = found.target[span].tolist()
        criteria_plan = self.scores.plan.criteria
        templates = self._templates
        out = []
        for i, c in enumerate(improvable):
            criterion = criteria_plan[c]
            target = targets[i] or None
            entry = templates[c].copy()
            entry["current_points"] = points_row[c]
            entry["next_points"] = next_row[i]
            entry["top_points"] = top_row[i]
            entry["gain_next"] = next_gain[i]
            entry["gain_top"] = top_gain[i]
            entry["target_level"] = target
            entry["missing"] = []
            if target is not None:
                # The target's levels are already traced in this company's criterion entry.
                traced = criteria[c]["levels"]
                wanted = range(target) if criterion.cumulative else (target - 1,)
                failing: list[dict[str, Any]] = []
                missing_levels = []
                for index in wanted:
                    if not traced[index]["holds"]:
                        failing += failing_tests(traced[index]["trace"])
                        missing_levels.append(index)
                entry["missing"] = failing
                entry["suggestion"], entry["advice"] = self._suggestion(
                    c, tuple(missing_levels), report
                )
            elif criterion.scored_field is not None:
                entry["missing"] = [{"kind": "value", "field": criterion.scored_field}]
                entry["advice"] = [self._value_advice[c]]
            else:
                entry["advice"] = []
            out.append(entry)
        return out
