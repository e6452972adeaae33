"""A rubric as a methodology table: every group and criterion with its weight in its parent,
its nominal share of the total and how it is scored (`csrscore rubric show --format`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from csrscore.rubric.derived import DerivedField
from csrscore.rubric.model import Adjustment, Criterion, Group, Rubric


@dataclass(frozen=True)
class MethodologyRow:
    """One node of the tree, parents before children.

    `weight` is the node's share of its parent's score and `share` its nominal share of
    the total, the product of the weights down the path (both in percent). Under
    `weights: applicable-points` a company's shares follow the criteria that apply to it;
    these are the shares when every criterion applies.
    """

    depth: int
    id: str
    title: str
    kind: str  # "group", or the criterion's kind: levels, value, bands, checklist
    weight: float
    share: float
    max_points: float
    scoring: str  # how the points are earned, in words ("" for a group)
    conditional: bool  # has an `applies_when`

    def to_dict(self) -> dict[str, Any]:
        return {
            "depth": self.depth,
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "weight_percent": self.weight,
            "share_percent": self.share,
            "max_points": self.max_points,
            "scoring": self.scoring,
            "conditional": self.conditional,
        }


def methodology_rows(rubric: Rubric) -> list[MethodologyRow]:
    rows: list[MethodologyRow] = []
    _walk(rubric.root, 0, 100.0, rows)
    return rows


def _walk(group: Group, depth: int, share: float, rows: list[MethodologyRow]) -> None:
    weights = [child.effective_weight for child in group.children]
    total = sum(weights) or 1.0
    for child, weight in zip(group.children, weights, strict=True):
        percent = 100.0 * weight / total
        child_share = share * weight / total
        rows.append(
            MethodologyRow(
                depth=depth,
                id=child.id,
                title=child.title,
                kind="group" if isinstance(child, Group) else child.kind,
                weight=percent,
                share=child_share,
                max_points=child.max_points,
                scoring="" if isinstance(child, Group) else scoring_words(child),
                conditional=child.applies_when is not None,
            )
        )
        if isinstance(child, Group):
            _walk(child, depth + 1, child_share, rows)


def scoring_words(criterion: Criterion) -> str:
    """How a criterion earns its points, in one line."""
    if criterion.value is not None:
        value = criterion.value
        better = "higher" if value.direction == "higher" else "lower"
        return (
            f"{value.field} from {value.low:g} to {value.high:g} ({better} is better), "
            f"0 to {value.points:g} points"
        )
    if criterion.bands is not None:
        bands = criterion.bands
        sign = ">=" if bands.direction == "higher" else "<="
        steps = ", ".join(f"{sign} {step.at:g}: {step.points:g}" for step in bands.steps)
        return f"{bands.field} in bands ({steps})"
    if criterion.checklist is not None:
        checklist = criterion.checklist
        cap = "" if checklist.cap is None else f", at most {checklist.cap:g}"
        some = " (some items more)" if checklist.weights else ""
        return f"{checklist.points_each:g} per item of {checklist.field}{some}{cap}"
    levels = ", ".join(f"{level.label} {level.points:g}" for level in criterion.levels)
    return ("cumulative: " if criterion.cumulative else "") + levels


def adjustment_words(adjustment: Adjustment) -> str:
    if adjustment.kind == "count":
        bounds = []
        if adjustment.floor is not None:
            bounds.append(f"at least {adjustment.floor:g} in all")
        if adjustment.ceiling is not None:
            bounds.append(f"at most {adjustment.ceiling:g} in all")
        text = f"{adjustment.points_each:+g} points for each matching violation record"
        return text + (f" ({', '.join(bounds)})" if bounds else "")
    if adjustment.kind == "points":
        return f"{adjustment.points:+g} points when the condition holds"
    return f"the total is capped at {adjustment.cap:g} when the condition holds"


_OPERATORS = {"ratio": "/", "share": "/", "sum": "+", "difference": "-"}


def derived_words(field: DerivedField) -> str:
    """A derived field's formula in words, with the inputs named as the rubric names them."""
    if field.form == "change":
        (name,) = field.inputs
        before = f"{name} of the year before"
        if field.change_as == "percent":
            formula = f"({name} - {before}) / |{before}| x 100"
        else:
            formula = f"{name} - {before}"
    else:
        formula = f" {_OPERATORS[field.form]} ".join(field.inputs)
        if field.form == "share":
            formula += " x 100"
    percent = field.form == "share" or (field.form == "change" and field.change_as == "percent")
    unit = "%" if percent else field.unit
    return formula + (f" (in {unit})" if unit else "")
