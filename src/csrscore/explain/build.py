"""Explanations assembled from the engine's arrays.

`Explainer` computes the per-company arrays that every explanation needs (contribution
shares, ranks, next-level points, sector statistics) once for the whole set, so explaining
one company, or all of them, never scores anything again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from csrscore.compile.plan import conditions_of
from csrscore.engine.aggregate import aggregate
from csrscore.engine.scores import Scores
from csrscore.explain.improve import suggest_patch
from csrscore.explain.shares import Shares, compute_shares, next_and_top_points
from csrscore.explain.trace import (
    Tracer,
    display_value,
    failing_tests,
    matching_violations,
    violation_filter_dict,
)
from csrscore.gcpause import paused_gc
from csrscore.rubric.conditions import Condition, fields_of
from csrscore.rubric.model import Criterion, Group

SCHEMA_VERSION = "1"


def _clean(value: float) -> float:
    """Float for JSON: rounds away -0.0 and tiny negative noise."""
    return 0.0 if abs(value) < 1e-12 else float(value)


@dataclass(frozen=True)
class Explanation:
    """Why one company got its score: data first (`to_dict`), text via `str()`."""

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.data

    def __str__(self) -> str:
        from csrscore.explain.render import render_text

        return render_text(self.data)


class Explainer:
    def __init__(self, scores: Scores) -> None:
        self.scores = scores
        self.tracer = Tracer(scores, conditions_of(scores.rubric))
        self._row: dict[str, list[Any]] = {}

    # --- arrays for the whole set -------------------------------------------------------

    @cached_property
    def fields_used(self) -> list[list[str]]:
        """Per criterion, the fields its levels or value scoring read, sorted."""
        out = []
        for criterion in self.scores.plan.criteria:
            used: set[str] = set()
            for level in criterion.levels:
                used |= fields_of(level.when)
            scored = criterion.value or criterion.bands
            if scored is not None:
                used.add(scored.field)
            out.append(sorted(used))
        return out

    @cached_property
    def shares(self) -> Shares:
        return compute_shares(self.scores)

    @cached_property
    def targets(self) -> tuple[np.ndarray, np.ndarray]:
        return next_and_top_points(self.scores)

    @cached_property
    def gains(self) -> tuple[np.ndarray, np.ndarray]:
        """Total points gained per (company, criterion) at the next level and at the top."""
        scores, shares = self.scores, self.shares
        next_points, top_points = self.targets
        scale = scores.rubric.scale / scores.plan.max_points[None, :]
        next_gain = shares.criterion_share * (next_points - scores.points) * scale
        top_gain = shares.criterion_share * (top_points - scores.points) * scale
        return next_gain, top_gain

    @cached_property
    def ranks(self) -> dict[str, np.ndarray]:
        scores = self.scores
        return {
            "overall": scores.rank(by="year"),
            "sector": scores.rank(by=("sector", "year")),
            "percentile": scores.percentile(by="year"),
        }

    @cached_property
    def peers(self) -> dict[tuple[Any, int], np.ndarray]:
        groups: dict[tuple[Any, int], list[int]] = {}
        for i, key in enumerate(self.scores.company_field(("sector", "year"))):
            groups.setdefault(key, []).append(i)
        return {key: np.array(rows) for key, rows in groups.items()}

    # --- one company ---------------------------------------------------------------------

    def explain(self, row: int) -> Explanation:
        with paused_gc():
            return self._explain(row)

    def _explain(self, row: int) -> Explanation:
        scores = self.scores
        rubric = scores.rubric
        report = scores.reports[row]
        self.tracer.start(row, report)
        # Plain lists for this company: indexing numpy scalars one by one is slow.
        self._row = {
            "levels": scores.levels[row].tolist(),
            "points": scores.points[row].tolist(),
            "contribution": self.shares.criterion_contribution[row].tolist(),
            "share": self.shares.criterion_share[row].tolist(),
        }
        criteria = [
            self._criterion(row, c, criterion) for c, criterion in enumerate(scores.plan.criteria)
        ]
        by_id = {item["id"]: item for item in criteria}
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
            "groups": [
                self._group(row, child, by_id)
                for child in rubric.root.children
                if isinstance(child, Group)
            ],
            "criteria": criteria,
            "adjustments": self._adjustments(row, report),
            "improvements": self._improvements(row, criteria),
            "peers": self._peers(row),
        }
        return Explanation(data)

    def explain_all(self) -> Iterator[Explanation]:
        for row in range(len(self.scores)):
            yield self.explain(row)

    def _summary(self, row: int) -> dict[str, Any]:
        scores = self.scores
        ranks = self.ranks
        year = int(scores.years[row])
        same_year = int((scores.years == year).sum())
        return {
            "total": float(scores.totals[row]),
            "scale": float(scores.rubric.scale),
            "grade": scores.grades[row],
            "base": float(scores.base[row]),
            "adjustments": _clean(float(scores.adjustments[row].sum())),
            "clamp": _clean(float(scores.clamp[row])),
            "rank": int(ranks["overall"][row]),
            "of": same_year,
            "sector_rank": int(ranks["sector"][row]),
            "sector_of": len(self.peers[(scores.sectors[row], year)]),
            "percentile": float(ranks["percentile"][row]),
        }

    def _group(self, row: int, group: Group, by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
        scores = self.scores
        column = scores.group_column(group.id)
        value = scores.group_scores[row, column]
        children: list[dict[str, Any]] = []
        earned = possible = 0.0
        not_applicable = 0
        for child in group.children:
            if isinstance(child, Group):
                node = self._group(row, child, by_id)
                children.append(node)
                earned += node["points_earned"]
                possible += node["points_possible"]
                not_applicable += node["not_applicable"]
            else:
                item = by_id[child.id]
                if item["applicable"]:
                    earned += item["points"]
                    possible += item["max_points"]
                else:
                    not_applicable += 1
                children.append({"criterion": child.id})
        return {
            "id": group.id,
            "title": group.title,
            "score": None if np.isnan(value) else float(value * 100.0),
            "weight": group.effective_weight,
            "weight_in_total": float(self.shares.group_share[row, column]),
            "contribution": _clean(float(self.shares.group_contribution[row, column])),
            "points_earned": earned,
            "points_possible": possible,
            "not_applicable": not_applicable,
            "children": children,
        }

    @cached_property
    def criterion_statics(self) -> list[dict[str, Any]]:
        return [
            {
                "id": criterion.id,
                "title": criterion.title,
                "description": criterion.description,
                "references": dict(criterion.references),
                "kind": criterion.kind,
            }
            for criterion in self.scores.plan.criteria
        ]

    def _criterion(self, row: int, c: int, criterion: Criterion) -> dict[str, Any]:
        report = self.scores.reports[row]
        level = self._row["levels"][c]
        item: dict[str, Any] = {
            **self.criterion_statics[c],
            "references": dict(criterion.references),
            "applicable": level >= 0,
            "level": level,
            "label": None,
            "level_description": None,
            "points": self._row["points"][c],
            "max_points": criterion.max_points,
            "contribution": _clean(self._row["contribution"][c]),
            "weight_in_total": self._row["share"][c],
        }
        if level < 0:
            item["not_applicable_because"] = self._na_reason(row, criterion)
            return item
        if criterion.kind == "levels" and level > 0:
            reached = criterion.levels[level - 1]
            item["label"], item["level_description"] = reached.label, reached.description
        elif criterion.kind == "bands" and level > 0 and criterion.bands is not None:
            item["label"] = criterion.bands.steps[level - 1].label or f"step {level}"
        item["levels"] = [
            {
                "level": k,
                "points": lv.points,
                "label": lv.label,
                "holds": self.tracer.passed(lv.when),
                "trace": self.tracer.trace(lv.when),
            }
            for k, lv in enumerate(criterion.levels, start=1)
        ]
        scored = criterion.value or criterion.bands
        if scored is not None:
            present, actual = display_value(report, scored.field)
            item["value"] = {"field": scored.field, "actual": actual, "present": present}
        item["evidence"] = [
            {
                "field": key,
                "value": list(d.value) if isinstance(d.value, tuple) else d.value,
                "unit": d.unit,
                "assured": d.assured,
                "evidence": dict(d.evidence) if d.evidence else None,
            }
            for key in self.fields_used[c]
            if (d := report.disclosures.get(key)) is not None
        ]
        return item

    def _na_reason(self, row: int, criterion: Criterion) -> dict[str, Any]:
        scores = self.scores
        path: list[Group | Criterion] = []

        def find(node: Group) -> bool:
            for child in node.children:
                if child is criterion or (isinstance(child, Group) and find(child)):
                    path.append(child)
                    return True
            return False

        find(scores.rubric.root)
        for node in reversed(path):  # the outermost group that excluded it first
            condition: Condition | None = node.applies_when
            if condition is not None and not self.tracer.passed(condition):
                return {"node": node.id, "trace": self.tracer.trace(condition)}
        return {"node": criterion.id, "trace": None}

    def _adjustments(self, row: int, report: Any) -> list[dict[str, Any]]:
        scores = self.scores
        out = []
        for a, adjustment in enumerate(scores.rubric.adjustments):
            entry: dict[str, Any] = {
                "id": adjustment.id,
                "title": adjustment.title,
                "kind": adjustment.kind,
                "effect": _clean(float(scores.adjustments[row, a])),
                "applies": adjustment.when is None
                or bool(scores.condition_results[adjustment.when][row]),
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

    def _improvements(self, row: int, criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
        scores = self.scores
        next_points, top_points = self.targets
        improvable = np.flatnonzero(
            (scores.levels[row] >= 0) & (next_points[row] > scores.points[row])
        )
        next_gain = self.gains[0][row, improvable].tolist()
        top_gain = self.gains[1][row, improvable].tolist()
        next_row = next_points[row, improvable].tolist()
        top_row = top_points[row, improvable].tolist()
        points_row = self._row["points"]
        out = []
        for k, c in enumerate(improvable.tolist()):
            criterion = scores.plan.criteria[c]
            gain_next, gain_top = next_gain[k], top_gain[k]
            if not self.shares.arithmetic_path[c]:
                gain_next = self._exact_gain(row, c, next_row[k])
                gain_top = self._exact_gain(row, c, top_row[k])
            target = self._target_level(row, c, criterion, next_row[k])
            entry: dict[str, Any] = {
                "criterion": criterion.id,
                "title": criterion.title,
                "current_points": points_row[c],
                "next_points": next_row[k],
                "top_points": top_row[k],
                "gain_next": gain_next,
                "gain_top": gain_top,
                "target_level": target,
                "missing": [],
                "suggestion": None,
            }
            if target is not None:
                conditions = self._target_conditions(criterion, target)
                report = scores.reports[row]
                failing: list[dict[str, Any]] = []
                patch: dict[str, Any] | None = {}
                for condition in conditions:
                    holds = self.tracer.passed(condition)
                    failing += failing_tests(self._level_trace(criteria, c, condition))
                    part = suggest_patch(condition, holds, report, scores.rubric.catalog)
                    patch = None if patch is None or part is None else {**patch, **part}
                entry["missing"] = failing
                entry["suggestion"] = patch
            elif criterion.value is not None or criterion.bands is not None:
                field = (criterion.value or criterion.bands).field
                entry["missing"] = [{"kind": "value", "field": field}]
            out.append(entry)
        out.sort(key=lambda e: (-e["gain_next"], -e["gain_top"], e["criterion"]))
        return out

    def _level_trace(
        self, criteria: list[dict[str, Any]], c: int, condition: Condition
    ) -> dict[str, Any]:
        """The trace already built for this level, or a new one."""
        for level, entry in zip(
            self.scores.plan.criteria[c].levels, criteria[c].get("levels", []), strict=False
        ):
            if level.when is condition:
                trace: dict[str, Any] = entry["trace"]
                return trace
        return self.tracer.trace(condition)

    def _target_level(self, row: int, c: int, criterion: Criterion, points: float) -> int | None:
        if criterion.kind != "levels":
            return None
        level = self._row["levels"][c]
        for k, lv in enumerate(criterion.levels, start=1):
            if lv.points == points and (not criterion.cumulative or k > level):
                return k
        return None

    def _target_conditions(self, criterion: Criterion, target: int) -> list[Condition]:
        if criterion.cumulative:
            return [lv.when for lv in criterion.levels[:target]]
        return [criterion.levels[target - 1].when]

    def _exact_gain(self, row: int, c: int, points: float) -> float:
        """Gain under geometric aggregation, by re-aggregating this one company."""
        scores = self.scores
        changed = scores.points[row : row + 1].copy()
        changed[0, c] = points
        after = aggregate(
            scores.plan,
            changed,
            scores.applicable[row : row + 1],
            scores.group_applicable[row : row + 1],
        )
        return float(after.base[0] - scores.base[row])

    def _peers(self, row: int) -> dict[str, Any]:
        scores = self.scores
        members = self.peers[(scores.sectors[row], int(scores.years[row]))]
        others = members[members != row]
        totals = scores.totals[members]
        behind = []
        if len(others):
            for c, cid in enumerate(scores.criterion_ids):
                if scores.levels[row, c] < 0:
                    continue
                better = int((scores.points[others, c] > scores.points[row, c]).sum())
                if better * 2 > len(others):
                    behind.append({"criterion": cid, "peers_ahead": better, "peers": len(others)})
        return {
            "sector": scores.sectors[row],
            "year": int(scores.years[row]),
            "companies": len(members),
            "median_total": float(np.median(totals)),
            "best_total": float(totals.max()),
            "behind_most_peers": behind,
        }
