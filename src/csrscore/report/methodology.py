"""The methodology page's content, read from the rubric alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from csrscore.report.words import Line, condition_lines
from csrscore.rubric.conditions import ViolationFilter
from csrscore.rubric.methodology import adjustment_words
from csrscore.rubric.model import Criterion, Group, Rubric


@dataclass(frozen=True)
class Node:
    depth: int
    node: Group | Criterion
    share: float  # of the parent's score, percent
    applies_when: list[Line]


def _tree(group: Group, depth: int, out: list[Node]) -> None:
    weights = [child.effective_weight for child in group.children]
    total = sum(weights) or 1.0
    for child, weight in zip(group.children, weights, strict=True):
        rule = [] if child.applies_when is None else condition_lines(child.applies_when)
        out.append(Node(depth, child, 100.0 * weight / total, rule))
        if isinstance(child, Group):
            _tree(child, depth + 1, out)


def filter_words(rule: ViolationFilter) -> str:
    parts = []
    if rule.statuses is not None:
        parts.append(f"status {' or '.join(rule.statuses)}")
    if rule.categories is not None:
        parts.append(f"category {' or '.join(rule.categories)}")
    if rule.public_response is not None:
        parts.append(("with" if rule.public_response else "without") + " a public response")
    if rule.date_from is not None:
        parts.append(f"dated {rule.date_from.isoformat()} or later")
    if rule.date_to is not None:
        parts.append(f"dated {rule.date_to.isoformat()} or earlier")
    if rule.within_years is not None:
        parts.append(f"from the last {rule.within_years} year(s) of the report")
    return ", ".join(parts) or "every violation record"


def methodology_context(rubric: Rubric) -> dict[str, Any]:
    nodes: list[Node] = []
    _tree(rubric.root, 0, nodes)
    return {
        "nodes": nodes,
        "adjustments": [
            {
                "item": adjustment,
                "words": adjustment_words(adjustment),
                "when": [] if adjustment.when is None else condition_lines(adjustment.when),
                "filter": None if adjustment.count is None else filter_words(adjustment.count),
            }
            for adjustment in rubric.adjustments
        ],
        "grades": list(rubric.grades),
    }
