"""The criteria of an explanation: each one's level, points and share, every level's
condition trace, its value or checklist detail, the evidence it read, and why it is N/A
where it is."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any, NamedTuple

from csrscore.engine.scores import Scores
from csrscore.explain.derived import DerivedExplainer
from csrscore.explain.fresh import fresh
from csrscore.explain.relative import PeerExplainer
from csrscore.explain.scored import checklist_detail, value_detail
from csrscore.explain.trace import TraceBuilder, Tracer
from csrscore.rubric.conditions import Condition
from csrscore.rubric.model import Criterion, Group


def _flat_list_keys(references: Mapping[str, Any]) -> tuple[str, ...] | None:
    keys = []
    for key, value in references.items():
        if isinstance(value, list) and not any(isinstance(v, (list, Mapping)) for v in value):
            keys.append(key)
        elif isinstance(value, (list, tuple, Mapping)):
            return None
    return tuple(keys)


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


class CriterionEntries:
    def __init__(self, scores: Scores, tracer: Tracer) -> None:
        self.scores = scores
        self.tracer = tracer

    @cached_property
    def fields_used(self) -> list[list[str]]:
        """Per criterion, the fields its levels or value scoring read, sorted."""
        return [sorted(criterion.fields_read) for criterion in self.scores.plan.criteria]

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
    def statics(self) -> list[_CriterionStatic]:
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

    def entries(self, row: int, plain: Mapping[str, list[Any]]) -> list[dict[str, Any]]:
        """Every criterion's entry for one company, from its plain lists (see
        `Explainer._explain`); the tracer is already on this company."""
        report = self.scores.reports[row]
        disclosures = report.disclosures
        holds = self.tracer.holds
        levels, points = plain["levels"], plain["points"]
        contributions, shares = plain["contribution"], plain["share"]
        out = []
        statics = self.statics
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
