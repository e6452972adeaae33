"""Explanations assembled from the engine's arrays.

`Explainer` computes the per-company arrays that every explanation needs (contribution
shares, ranks, next-level points, sector statistics) once for the whole set, so explaining
one company, or all of them, never scores anything again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from csrscore.compile.plan import conditions_of
from csrscore.engine.columns import FloatArray
from csrscore.engine.scores import Scores
from csrscore.explain.derived import DerivedExplainer
from csrscore.explain.fresh import fresh
from csrscore.explain.improve import Suggester
from csrscore.explain.path import Improvable, ImprovementPath
from csrscore.explain.peers import Peers, compute_peers
from csrscore.explain.relative import PeerExplainer
from csrscore.explain.scored import checklist_detail, value_detail
from csrscore.explain.shares import (
    GroupPoints,
    Shares,
    compute_shares,
    group_points,
)
from csrscore.explain.trace import (
    TraceBuilder,
    Tracer,
    matching_violations,
    violation_filter_dict,
)
from csrscore.gcpause import paused_gc
from csrscore.rubric.conditions import Condition
from csrscore.rubric.model import Criterion, Group

# Explanations built at once, with the garbage collector paused, by `explain_all`.
EXPLAIN_BATCH = 256

SCHEMA_VERSION = "1"


ZERO_NOISE = 1e-12


def _flat_list_keys(references: Mapping[str, Any]) -> tuple[str, ...] | None:
    keys = []
    for key, value in references.items():
        if isinstance(value, list) and not any(isinstance(v, (list, Mapping)) for v in value):
            keys.append(key)
        elif isinstance(value, (list, tuple, Mapping)):
            return None
    return tuple(keys)


def _clean(value: float) -> float:
    """Float for JSON: rounds away -0.0 and tiny negative noise."""
    return 0.0 if abs(value) < ZERO_NOISE else float(value)


@dataclass(frozen=True)
class Explanation:
    """Why one company got its score: data first (`to_dict`), text via `str()`."""

    data: dict[str, Any]
    # Decimal places of the catalog fields that set them, for the text (the data keeps
    # every number as computed).
    decimals: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self.data

    def __str__(self) -> str:
        from csrscore.explain.render import render_text

        return render_text(self.data, self.decimals)

    def to_markdown(self) -> str:
        """The explanation as Markdown: tables for the groups, criteria and improvements."""
        from csrscore.explain.markdown import render_markdown

        return render_markdown(self.data, self.decimals)


class _CriterionStatic(NamedTuple):
    """What an explanation says of a criterion whatever the company."""

    criterion: Criterion
    # The entry's fixed fields in output order, copied and then filled in per company.
    item: dict[str, Any]
    # References keys holding flat lists, copied one by one; None when a deep copy is needed.
    list_references: tuple[str, ...] | None
    labels: list[tuple[str | None, str | None] | None]  # by level; None where unlabelled
    level_builders: list[tuple[dict[str, Any], int, TraceBuilder]]
    scored_field: str | None
    fields_used: list[str]


class _GroupStatic(NamedTuple):
    entry: dict[str, Any]  # the fixed fields in output order, copied and filled in
    column: int  # in the group arrays of Scores
    children: list[_GroupStatic | str]  # sub-groups, and criteria by id


class Explainer:
    def __init__(self, scores: Scores) -> None:
        self.scores = scores
        self.tracer = Tracer(scores, conditions_of(scores.rubric))
        self.suggester = Suggester(scores.rubric.catalog)
        self._row: dict[str, list[Any]] = {}

    # --- arrays for the whole set -------------------------------------------------------

    @cached_property
    def fields_used(self) -> list[list[str]]:
        """Per criterion, the fields its levels or value scoring read, sorted."""
        return [sorted(criterion.fields_read) for criterion in self.scores.plan.criteria]

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

    @cached_property
    def na_conditions(self) -> dict[str, list[tuple[str, Condition]]]:
        """Per criterion id, the applicability conditions from the outermost group inward."""
        out: dict[str, list[tuple[str, Condition]]] = {}

        def walk(node: Group, above: list[tuple[str, Condition]]) -> None:
            for child in node.children:
                condition = child.applies_when
                here = above if condition is None else [*above, (child.id, condition)]
                if isinstance(child, Group):
                    walk(child, here)
                else:
                    out[child.id] = here

        walk(self.scores.rubric.root, [])
        return out

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
        criteria = self._criteria(row)
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
            "groups": [self._group(group) for group in self.group_statics],
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

    @cached_property
    def group_statics(self) -> list[_GroupStatic]:
        """The top-level groups, each with its sub-groups, as the tree explanations mirror."""
        column = {group_id: g for g, group_id in enumerate(self.scores.group_ids)}

        def static(group: Group) -> _GroupStatic:
            entry = {
                "id": group.id,
                "title": group.title,
                "score": None,
                "weight": group.effective_weight,
                "weight_in_total": 0.0,
                "contribution": 0.0,
                "points_earned": 0.0,
                "points_possible": 0.0,
                "not_applicable": 0,
                "children": None,
            }
            return _GroupStatic(
                entry,
                column[group.id],
                [
                    static(child) if isinstance(child, Group) else child.id
                    for child in group.children
                ],
            )

        return [
            static(child) for child in self.scores.rubric.root.children if isinstance(child, Group)
        ]

    def _group(self, static: _GroupStatic) -> dict[str, Any]:
        template, column, children = static
        row = self._row
        entry = template.copy()
        value = row["group_scores"][column]
        if value == value:  # NaN: the group is N/A and has no score
            entry["score"] = value * 100.0
        entry["weight"] = row["group_weights"][column]
        entry["weight_in_total"] = row["group_share"][column]
        entry["contribution"] = row["group_contribution"][column]
        entry["points_earned"] = row["earned"][column]
        entry["points_possible"] = row["possible"][column]
        entry["not_applicable"] = row["not_applicable"][column]
        entry["children"] = listed = []
        for child in children:
            listed.append({"criterion": child} if isinstance(child, str) else self._group(child))
        return entry

    @cached_property
    def level_builders(self) -> list[list[tuple[dict[str, Any], int, TraceBuilder]]]:
        """Per criterion, each level's entry to copy (its number, points and label), result
        column and trace builder."""
        return [
            [
                (
                    {"level": k, "points": lv.points, "label": lv.label, "holds": False},
                    *self.tracer.compiled(lv.when),
                )
                for k, lv in enumerate(criterion.levels, start=1)
            ]
            for criterion in self.scores.plan.criteria
        ]

    @cached_property
    def criterion_statics(self) -> list[_CriterionStatic]:
        statics = []
        for c, criterion in enumerate(self.scores.plan.criteria):
            labels: list[tuple[str | None, str | None] | None]
            if criterion.kind == "levels":
                labels = [None] + [(lv.label, lv.description) for lv in criterion.levels]
            elif criterion.bands is not None:
                labels = [None] + [
                    (step.label or f"step {k}", None)
                    for k, step in enumerate(criterion.bands.steps, start=1)
                ]
            else:
                labels = [None]
            item = {
                "id": criterion.id,
                "title": criterion.title,
                "description": criterion.description,
                "references": None,
                "kind": criterion.kind,
                "applicable": True,
                "level": 0,
                "label": None,
                "level_description": None,
                "points": 0.0,
                "max_points": criterion.max_points,
                "contribution": 0.0,
                "weight_in_total": 0.0,
            }
            statics.append(
                _CriterionStatic(
                    criterion,
                    item,
                    _flat_list_keys(criterion.references),
                    labels,
                    self.level_builders[c],
                    criterion.scored_field,
                    self.fields_used[c],
                )
            )
        return statics

    def _criteria(self, row: int) -> list[dict[str, Any]]:
        report = self.scores.reports[row]
        disclosures = report.disclosures
        holds = self.tracer.holds
        levels, points = self._row["levels"], self._row["points"]
        contributions, shares = self._row["contribution"], self._row["share"]
        out = []
        statics = self.criterion_statics
        for c, (
            criterion,
            template,
            list_references,
            labels,
            level_builders,
            scored_field,
            fields_used,
        ) in enumerate(statics):
            level = levels[c]
            if list_references is None:
                references = fresh(criterion.references)
            else:
                references = dict(criterion.references)
                for key in list_references:
                    references[key] = list(references[key])
            # Copying a prepared dict is about twice as fast as building one this size.
            item = template.copy()
            item["references"] = references
            item["level"] = level
            item["points"] = points[c]
            item["contribution"] = contributions[c]
            item["weight_in_total"] = shares[c]
            out.append(item)
            if level < 0:
                item["applicable"] = False
                item["not_applicable_because"] = self._na_reason(criterion, report.not_applicable)
                continue
            reached = labels[level] if level < len(labels) else None
            if reached is not None:
                item["label"], item["level_description"] = reached
            traced = []
            for entry, column, trace in level_builders:
                entry = entry.copy()
                entry["holds"] = holds[column]
                entry["trace"] = trace()
                traced.append(entry)
            item["levels"] = traced
            if criterion.checklist is not None:
                item["checklist"] = checklist_detail(criterion, report)
            elif scored_field is not None:
                item["value"] = value_detail(criterion, scored_field, report)
                self._computed_value(item["value"], c, scored_field, row)
            if disclosures.keys().isdisjoint(fields_used):  # most criteria, in one C call
                item["evidence"] = []
                continue
            item["evidence"] = [
                {
                    "field": key,
                    "value": list(d.value) if isinstance(d.value, tuple) else d.value,
                    "unit": d.unit,
                    "assured": d.assured,
                    "evidence": dict(d.evidence) if d.evidence else None,
                }
                for key in fields_used
                if (d := disclosures.get(key)) is not None
            ]
        return out

    @cached_property
    def derived(self) -> DerivedExplainer:
        scores = self.scores
        return DerivedExplainer(scores.derived, scores.reports, scores.rubric.catalog)

    @cached_property
    def relative(self) -> dict[int, PeerExplainer]:
        return {
            c: PeerExplainer(result, self.scores.company_ids)
            for c, result in self.scores.peers.items()
        }

    def _computed_value(self, value: dict[str, Any], c: int, field: str, row: int) -> None:
        """A derived field's value with how it was computed; a peer-relative criterion's
        peers and where the company stands among them."""
        if field in self.scores.derived:
            number = self.derived.value(field, row)
            value["actual"], value["present"] = number, number is not None
            value["derived"] = self.derived.detail(field, row)
        if c in self.relative:
            value["peers"] = self.relative[c].detail(row, self.scores.reports[row])

    def _na_reason(self, criterion: Criterion, declared: Mapping[str, str]) -> dict[str, Any]:
        fields = sorted(criterion.fields_read.intersection(declared))
        if fields:  # declared by the company itself
            return {
                "node": criterion.id,
                "trace": None,
                "declared": [{"field": key, "reason": declared[key]} for key in fields],
            }
        for node_id, condition in self.na_conditions[criterion.id]:
            if not self.tracer.passed(condition):  # the outermost exclusion is the reason
                return {"node": node_id, "trace": self.tracer.trace(condition)}
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
