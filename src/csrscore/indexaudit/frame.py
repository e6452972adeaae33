"""The audit's view of a `Scores`: one row of values per criterion and group, NaN where N/A.

Criteria are read as fractions of their maximum points and groups as their 0..1 scores,
so every statistic is on one scale. N/A is missing whatever the rubric's N/A policy: under
`zero` a group's score is 0 where it does not apply, which is a scoring choice, not a
value the company has.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from csrscore.engine.columns import BoolArray, FloatArray
from csrscore.engine.ingest import has_evidence
from csrscore.engine.scores import Scores
from csrscore.indexaudit.numeric import Ranked
from csrscore.rubric.conditions import FieldTest, leaves
from csrscore.rubric.model import Criterion, Group

TOTAL = "total"


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # "criterion" or "group"
    parent: str | None  # None for a top-level group
    row: int  # row in `Frame.values`


class Frame:
    """Values of every criterion and group (not the root) for the audited companies."""

    def __init__(self, scores: Scores, rows: BoolArray) -> None:
        self.scores = scores
        self.rows = rows
        plan = scores.plan
        criteria_values = scores.points.T[:, rows] / plan.max_points[:, None]
        criteria_values[scores.levels.T[:, rows] < 0] = np.nan
        root = plan.root_index
        group_values = scores.group_scores.T[:root, rows].copy()
        group_values[~scores.group_applicable.T[:root, rows]] = np.nan
        self.values: FloatArray = np.vstack([criteria_values, group_values])
        self.values.setflags(write=False)
        self.totals: FloatArray = scores.totals[rows]
        self.years = scores.years[rows]
        parents: dict[str, str | None] = {}
        for group in scores.rubric.groups:
            for child in group.children:
                parents[child.id] = None if group is scores.rubric.root else group.id
        ids = [*scores.criterion_ids, *scores.group_ids[:root]]
        kinds = ["criterion"] * len(scores.criterion_ids) + ["group"] * root
        self.nodes = tuple(
            Node(node_id, kind, parents[node_id], row)
            for row, (node_id, kind) in enumerate(zip(ids, kinds, strict=True))
        )
        self.by_id = {node.id: node for node in self.nodes}

    @property
    def companies(self) -> int:
        return len(self.totals)

    def children(self, group: Group) -> list[Node]:
        return [self.by_id[child.id] for child in group.children]

    @cached_property
    def ranked(self) -> dict[str, Ranked]:
        """Each node (and the total) prepared for correlations, built once."""
        out = {node.id: Ranked(self.values[node.row]) for node in self.nodes}
        out[TOTAL] = Ranked(self.totals)
        return out

    def ranked_of(self, node_id: str) -> Ranked:
        return self.ranked[node_id]

    @cached_property
    def provenance(self) -> tuple[BoolArray, BoolArray, BoolArray]:
        """(disclosed, assured, evidenced): nodes x companies, whether at least one of the
        disclosure fields the node's conditions read is present / assured / evidenced.

        The only part of the audit that reads report objects: `Scores` keeps the reports
        but not which disclosures were assured. One pass over each report's disclosures,
        as the engine's ingest does, with the engine's own rule for evidence.
        """
        scores = self.scores
        criteria = scores.plan.criteria
        specs = scores.plan.fields
        field_index: dict[str, int] = {}
        criterion_fields: list[list[int]] = []
        for criterion in criteria:
            names = _fields_of(criterion)
            criterion_fields.append(
                [
                    field_index.setdefault(name, len(field_index))
                    for name in sorted(names)
                    if name in specs and specs[name].origin == "disclosure"
                ]
            )
        n = self.companies
        present = np.zeros((len(field_index), n), dtype=bool)
        assured = np.zeros_like(present)
        evidenced = np.zeros_like(present)
        reports = [r for r, keep in zip(scores.reports, self.rows.tolist(), strict=True) if keep]
        found_rows: list[int] = []
        found_fields: list[int] = []
        found_assured: list[bool] = []
        found_evidence: list[bool] = []
        for row, report in enumerate(reports):
            for key, disclosure in report.disclosures.items():
                column = field_index.get(key)
                if column is not None:
                    found_rows.append(row)
                    found_fields.append(column)
                    found_assured.append(disclosure.assured)
                    found_evidence.append(has_evidence(disclosure))
        where = (np.array(found_fields, dtype=np.int64), np.array(found_rows, dtype=np.int64))
        present[where] = True
        assured[where] = found_assured
        evidenced[where] = found_evidence
        shape = (len(self.nodes), n)
        node_present = np.zeros(shape, dtype=bool)
        node_assured = np.zeros(shape, dtype=bool)
        node_evidenced = np.zeros(shape, dtype=bool)
        for c, fields in enumerate(criterion_fields):
            if fields:
                node_present[c] = present[fields].any(axis=0)
                node_assured[c] = assured[fields].any(axis=0)
                node_evidenced[c] = evidenced[fields].any(axis=0)
        # Groups in post-order: every child is filled in before its parent.
        for group_plan in scores.plan.groups[: scores.plan.root_index]:
            row = self.by_id[group_plan.group.id].row
            for child in self.children(group_plan.group):
                node_present[row] |= node_present[child.row]
                node_assured[row] |= node_assured[child.row]
                node_evidenced[row] |= node_evidenced[child.row]
        return node_present, node_assured, node_evidenced


def _fields_of(criterion: Criterion) -> set[str]:
    names = {
        leaf.field
        for level in criterion.levels
        for leaf in leaves(level.when)
        if isinstance(leaf, FieldTest)
    }
    scored = criterion.value or criterion.bands
    if scored is not None:
        names.add(scored.field)
    return names
