"""Compile a rubric into a plan: the tree flattened into index arrays.

Criteria get column indexes 0..C-1 in document order; groups are listed children-first
(post-order), so aggregation is one pass over the list with every child ready before its
parent. Weights live in plain arrays, so re-scoring with new weights only swaps arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csrscore.arrays import BoolArray, FloatArray, IntArray
from csrscore.rubric.catalog import FieldSpec
from csrscore.rubric.conditions import Condition, FieldTest, leaves
from csrscore.rubric.derived import DerivedField
from csrscore.rubric.model import Aggregation, Criterion, Group, Rubric


@dataclass(frozen=True)
class GroupPlan:
    """One group: which criteria and sub-groups feed it, by index."""

    group: Group
    criterion_children: IntArray  # indexes into Plan.criteria
    group_children: IntArray  # indexes into Plan.groups
    aggregation: Aggregation


@dataclass(frozen=True)
class Plan:
    rubric: Rubric
    criteria: tuple[Criterion, ...]
    groups: tuple[GroupPlan, ...]  # post-order; the root is last
    level_points: FloatArray  # C x (L+1); column 0 is "no level reached"
    max_points: FloatArray  # C
    criterion_weights: FloatArray  # C
    group_weights: FloatArray  # G
    fields: dict[str, FieldSpec]
    provenance: frozenset[str]  # fields tested with assured / has_evidence
    # G: True where a group weighs its applicable maximum per company (`weights:
    # applicable-points` and no explicit weight); `group_weights` holds its static maximum.
    applicable_weights: BoolArray | None = None

    @property
    def root_index(self) -> int:
        return len(self.groups) - 1

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(plan.group.id for plan in self.groups)

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    @property
    def derived(self) -> tuple[DerivedField, ...]:
        """The derived fields this plan reads, in computation order."""
        return tuple(field for field in self.rubric.derived if field.name in self.fields)


def conditions_of(rubric: Rubric) -> list[Condition]:
    found: list[Condition] = []
    for node in rubric.root.walk():
        if node.applies_when is not None:
            found.append(node.applies_when)
        if isinstance(node, Criterion):
            found.extend(level.when for level in node.levels)
    found.extend(a.when for a in rubric.adjustments if a.when is not None)
    return found


def compile_rubric(rubric: Rubric) -> Plan:
    criteria = rubric.criteria
    criterion_index = {c.id: i for i, c in enumerate(criteria)}
    ordered: list[Group] = []

    def post_order(group: Group) -> None:
        for child in group.children:
            if isinstance(child, Group):
                post_order(child)
        ordered.append(group)

    post_order(rubric.root)
    group_index = {g.id: i for i, g in enumerate(ordered)}
    plans = tuple(
        GroupPlan(
            group=g,
            criterion_children=np.array(
                [criterion_index[c.id] for c in g.children if isinstance(c, Criterion)],
                dtype=np.int64,
            ),
            group_children=np.array(
                [group_index[c.id] for c in g.children if isinstance(c, Group)], dtype=np.int64
            ),
            aggregation=g.aggregation,
        )
        for g in ordered
    )
    widest = max(
        (len(c.levels) if c.kind == "levels" else len(c.bands.steps) if c.bands else 1)
        for c in criteria
    )
    level_points = np.zeros((len(criteria), widest + 1))
    for i, criterion in enumerate(criteria):
        points = [level.points for level in criterion.levels]
        if criterion.bands is not None:
            points = [step.points for step in criterion.bands.steps]
        level_points[i, 1 : len(points) + 1] = points
    names: set[str] = set()
    provenance: set[str] = set()
    for condition in conditions_of(rubric):
        for leaf in leaves(condition):
            if isinstance(leaf, FieldTest):
                names.add(leaf.field)
                if leaf.op in ("assured", "has_evidence"):
                    provenance.add(leaf.field)
    for criterion in criteria:
        if criterion.scored_field is not None:
            names.add(criterion.scored_field)
        if criterion.peers is not None:
            names.update(criterion.peers.grouping)
    names |= _derived_inputs(rubric, names)
    fields = {}
    for name in sorted(names):
        spec = rubric.catalog.get(name)
        if spec is not None:
            fields[name] = spec
    return Plan(
        rubric=rubric,
        criteria=criteria,
        groups=plans,
        level_points=level_points,
        max_points=np.array([c.max_points for c in criteria], dtype=np.float64),
        criterion_weights=np.array([c.effective_weight for c in criteria], dtype=np.float64),
        group_weights=np.array([g.effective_weight for g in ordered], dtype=np.float64),
        fields=fields,
        provenance=frozenset(provenance),
        applicable_weights=_applicable_weights(rubric, ordered),
    )


def _derived_inputs(rubric: Rubric, names: set[str]) -> set[str]:
    """The fields the derived fields among `names` read, at any depth."""
    by_name = {derived.name: derived for derived in rubric.derived}
    found: set[str] = set()
    pending = [name for name in names if name in by_name]
    while pending:
        for source in by_name[pending.pop()].inputs:
            if source not in found and source not in names:
                found.add(source)
                if source in by_name:
                    pending.append(source)
    return found


def _applicable_weights(rubric: Rubric, ordered: list[Group]) -> BoolArray | None:
    if rubric.weights != "applicable-points":
        return None
    dynamic = np.array([g.weight is None for g in ordered], dtype=bool)
    return dynamic if dynamic.any() else None
