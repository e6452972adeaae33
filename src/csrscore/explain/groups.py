"""The group tree of an explanation: each group's score, weight, share and points, with its
sub-groups and criteria (by id) in rubric order."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any, NamedTuple

from csrscore.engine.scores import Scores
from csrscore.rubric.model import Group


class _GroupStatic(NamedTuple):
    entry: dict[str, Any]  # the fixed fields in output order, copied and filled in
    column: int  # in the group arrays of Scores
    children: list[_GroupStatic | str]  # sub-groups, and criteria by id


class GroupEntries:
    def __init__(self, scores: Scores) -> None:
        self.scores = scores

    @cached_property
    def statics(self) -> list[_GroupStatic]:
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

    def entry(self, static: _GroupStatic, row: Mapping[str, list[Any]]) -> dict[str, Any]:
        """A group's entry (with its sub-groups') from one company's plain lists (see
        `Explainer._explain`)."""
        template, column, children = static
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
            listed.append(
                {"criterion": child} if isinstance(child, str) else self.entry(child, row)
            )
        return entry
