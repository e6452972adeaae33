"""The audit's view of a `Scores`: one row of values per criterion and group, NaN where N/A.

Criteria are read as fractions of their maximum points and groups as their 0..1 scores,
so every statistic is on one scale. N/A is missing whatever the rubric's N/A policy: under
`zero` a group's score is 0 where it does not apply, which is a scoring choice, not a
value the company has.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import chain, repeat
from operator import attrgetter, is_not, itemgetter, methodcaller
from typing import Any

import numpy as np

from csrscore.engine.columns import BoolArray, FloatArray, IntArray
from csrscore.engine.scores import Scores
from csrscore.indexaudit.numeric import Ranked
from csrscore.records.model import Report
from csrscore.rubric.conditions import FieldTest, leaves
from csrscore.rubric.model import Criterion, Group

# The label of the total (and the root) in every table: not a valid rubric id, so it can
# never be mistaken for a group called "total".
TOTAL = "(total)"


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
        """Each node (and the total) prepared for correlations, built once. A ladder
        criterion's values are coded from its levels, which saves a sort per criterion."""
        points = self.scores.point_table
        levels = self.scores.levels.T
        max_points = self.scores.plan.max_points
        out = {}
        for node in self.nodes:
            values = self.values[node.row]
            c = node.row
            if node.kind == "criterion" and c not in points.continuous:
                # The level table's last entry is what N/A reads; levels run 0..L.
                value_of_level = points.table[c, :-1] / max_points[c]
                out[node.id] = Ranked(values, (levels[c, self.rows], value_of_level))
            else:
                out[node.id] = Ranked(values)
        out[TOTAL] = Ranked(self.totals)
        return out

    def ranked_of(self, node_id: str) -> Ranked:
        return self.ranked[node_id]

    @cached_property
    def provenance(self) -> tuple[BoolArray, BoolArray, BoolArray]:
        """(disclosed, assured, evidenced): nodes x companies, whether at least one of the
        disclosure fields the node's conditions read is present / assured / evidenced.

        The only part of the audit that reads report objects: `Scores` keeps the reports
        but not which disclosures were assured. Evidence counts by the engine's own rule.
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
        reports = [r for r, keep in zip(scores.reports, self.rows.tolist(), strict=True) if keep]
        present, assured, evidenced = _provenance(reports, list(field_index))
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


ASSURED = attrgetter("assured")
EVIDENCE = attrgetter("evidence")


def _provenance(reports: list[Report], fields: list[str]) -> tuple[BoolArray, BoolArray, BoolArray]:
    """(present, assured, evidenced): fields x reports.

    Every report's disclosures are read in a few passes of `map` over C functions
    (`dict.get`, `attrgetter`, `is_not`) chained over all reports: a Python loop over every
    disclosure, with a function call each, cost most of the audit.
    """
    field_index = {name: column for column, name in enumerate(fields)}
    lengths = np.fromiter(
        (len(report.disclosures) for report in reports), dtype=np.int64, count=len(reports)
    )
    count = int(lengths.sum())

    def each(read: Any, of_values: bool) -> Any:
        return chain.from_iterable(
            map(read, report.disclosures.values() if of_values else report.disclosures)
            for report in reports
        )

    columns = np.fromiter(
        chain.from_iterable(
            map(field_index.get, report.disclosures, repeat(-1)) for report in reports
        ),
        dtype=np.int64,
        count=count,
    )
    assured_all = np.fromiter(each(ASSURED, True), dtype=bool, count=count)
    evidence = list(each(EVIDENCE, True))
    rows = np.repeat(np.arange(len(reports)), lengths)
    wanted = columns >= 0
    evidenced_all = np.zeros(count, dtype=bool)
    given = np.flatnonzero(
        np.fromiter(map(is_not, evidence, repeat(None)), dtype=bool, count=count) & wanted
    )
    evidenced_all[given] = _evidenced(_take(evidence, given))
    shape = (len(fields), len(reports))
    present = np.zeros(shape, dtype=bool)
    assured = np.zeros(shape, dtype=bool)
    evidenced = np.zeros(shape, dtype=bool)
    where = (columns[wanted], rows[wanted])
    present[where] = True
    assured[where] = assured_all[wanted]
    evidenced[where] = evidenced_all[wanted]
    return present, assured, evidenced


def _take(items: list[Any], indexes: IntArray) -> list[Any]:
    if len(indexes) == 0:
        return []
    if len(indexes) == 1:
        return [items[int(indexes[0])]]
    return list(itemgetter(*indexes.tolist())(items))


def _evidenced(mappings: list[Any]) -> BoolArray:
    """The engine's rule (`engine.ingest.has_evidence`: a page, or a non-empty URL or
    quote) over many evidence mappings at once."""
    count = len(mappings)

    def entries(key: str) -> Any:
        return map(methodcaller("get", key), mappings)

    page = np.fromiter(map(is_not, entries("page"), repeat(None)), dtype=bool, count=count)
    url = np.fromiter(map(bool, entries("url")), dtype=bool, count=count)
    quote = np.fromiter(map(bool, entries("quote")), dtype=bool, count=count)
    found: BoolArray = page | url | quote
    return found


def _fields_of(criterion: Criterion) -> set[str]:
    names = {
        leaf.field
        for level in criterion.levels
        for leaf in leaves(level.when)
        if isinstance(leaf, FieldTest)
    }
    if criterion.scored_field is not None:
        names.add(criterion.scored_field)
    return names
