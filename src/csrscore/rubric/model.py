"""The rubric as typed, immutable nodes, after loading, composition and checking."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, TypeAlias

from csrscore.errors import Location
from csrscore.precision import DEFAULT_ROUNDING, Rounding
from csrscore.rubric.catalog import Catalog
from csrscore.rubric.checklist import Checklist
from csrscore.rubric.conditions import Condition, ViolationFilter, fields_of
from csrscore.rubric.derived import DerivedField
from csrscore.rubric.peers import PeerScoring

Aggregation: TypeAlias = Literal["arithmetic", "geometric"]
Direction: TypeAlias = Literal["higher", "lower"]
NaPolicy: TypeAlias = Literal["exclude", "zero"]
# What a group without an explicit `weight` weighs in its parent: its maximum points, the
# same for every company, or only the points of the criteria that apply to the company
# (points earned over points applicable at every level, as CITI- and TRAC-style indices do).
DefaultWeights: TypeAlias = Literal["max-points", "applicable-points"]


@dataclass(frozen=True)
class Level:
    points: float
    label: str
    when: Condition
    description: str = ""


@dataclass(frozen=True)
class ValueScoring:
    field: str
    low: float
    high: float
    points: float
    direction: Direction = "higher"
    # Published grids: the value is snapped to a multiple of `input_grid` before scoring,
    # and the points to a multiple of `points_grid` after it (halves away from zero).
    input_grid: float | None = None
    points_grid: float | None = None
    # A pre-scored indicator (`score:`): the publisher's own score on 0..scale, taken as it
    # is; `low` is then 0 and `high` the scale. None for a `value:` criterion.
    scale: float | None = None
    # Scored on the peer statistic (low and high on its scale) instead of the raw value.
    peers: PeerScoring | None = None


@dataclass(frozen=True)
class Band:
    at: float
    points: float
    label: str = ""


@dataclass(frozen=True)
class Bands:
    field: str
    steps: tuple[Band, ...]
    direction: Direction = "higher"
    peers: PeerScoring | None = None  # steps are then on the peer statistic's scale


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    path: str
    description: str = ""
    weight: float | None = None
    applies_when: Condition | None = None
    references: Mapping[str, Any] = field(default_factory=dict)
    levels: tuple[Level, ...] = ()
    cumulative: bool = False
    value: ValueScoring | None = None
    bands: Bands | None = None
    checklist: Checklist | None = None

    @property
    def kind(self) -> Literal["levels", "value", "score", "bands", "checklist"]:
        if self.value is not None:
            return "value" if self.value.scale is None else "score"
        if self.bands is not None:
            return "bands"
        if self.checklist is not None:
            return "checklist"
        return "levels"

    @property
    def continuous(self) -> bool:
        """Whether the points are computed from a value rather than looked up by level
        (the level is then 1 where the value is given and 0 where it is not)."""
        return self.value is not None or self.checklist is not None

    @property
    def scored_field(self) -> str | None:
        """The field a value, band or checklist criterion scores; None for a ladder."""
        scored = self.value or self.bands or self.checklist
        return None if scored is None else scored.field

    @property
    def peers(self) -> PeerScoring | None:
        """How a value or band criterion is scored against peers; None for fixed scales."""
        scored = self.value or self.bands
        return None if scored is None else scored.peers

    @cached_property
    def fields_read(self) -> frozenset[str]:
        """The fields its levels test or its value scoring reads (not `applies_when`'s).
        A disclosure among them that a company marks not applicable makes it N/A."""
        read = {name for level in self.levels for name in fields_of(level.when)}
        if self.scored_field is not None:
            read.add(self.scored_field)
        return frozenset(read)

    @property
    def max_points(self) -> float:
        if self.value is not None:
            return self.value.points
        if self.checklist is not None:
            return self.checklist.max_points
        if self.bands is not None:
            return max(step.points for step in self.bands.steps)
        return max(level.points for level in self.levels)

    @property
    def effective_weight(self) -> float:
        return self.max_points if self.weight is None else self.weight


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    path: str
    children: tuple[Group | Criterion, ...]
    description: str = ""
    weight: float | None = None
    applies_when: Condition | None = None
    references: Mapping[str, Any] = field(default_factory=dict)
    aggregation: Aggregation = "arithmetic"

    @cached_property
    def max_points(self) -> float:
        return sum(child.max_points for child in self.children)

    @property
    def effective_weight(self) -> float:
        return self.max_points if self.weight is None else self.weight

    def walk(self) -> Iterator[Group | Criterion]:
        """This group and every node below it, depth first, parents before children."""
        yield self
        for child in self.children:
            if isinstance(child, Group):
                yield from child.walk()
            else:
                yield child


@dataclass(frozen=True)
class Adjustment:
    """A penalty, bonus or cap applied after aggregation.

    kind "count": `points_each` × matching violation records, bounded by floor/ceiling.
    kind "points": a flat `points` where `when` holds. kind "cap": total at most `cap`.
    """

    id: str
    title: str
    kind: Literal["count", "points", "cap"]
    path: str
    description: str = ""
    references: Mapping[str, Any] = field(default_factory=dict)
    when: Condition | None = None
    points_each: float = 0.0
    count: ViolationFilter | None = None
    floor: float | None = None
    ceiling: float | None = None
    points: float = 0.0
    cap: float | None = None


@dataclass(frozen=True)
class Rubric:
    """A loaded, validated rubric: the group tree, its catalog, scale, N/A policy, grades
    and adjustments, with where each node was written. Built by `load_rubric`."""

    name: str
    version: str
    title: str
    root: Group
    catalog: Catalog
    scale: float = 100.0
    na_policy: NaPolicy = "exclude"
    weights: DefaultWeights = "max-points"
    # How totals are published; ranks, percentiles and grades all use it.
    rounding: Rounding = DEFAULT_ROUNDING
    grades: tuple[tuple[str, float], ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    description: str = ""
    references: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None
    content_hash: str = ""
    document: Mapping[str, Any] = field(default_factory=dict)
    locations: Mapping[str, Location] = field(default_factory=dict)
    # Node path (e.g. "groups[0].criteria[1].levels[2]") -> line, for single-file rubrics.
    lines: Mapping[str, int] = field(default_factory=dict)
    # Computed fields, each after the derived fields it reads.
    derived: tuple[DerivedField, ...] = ()

    @cached_property
    def cross_record(self) -> str | None:
        """What makes one company's score depend on other records (a peer-relative
        criterion or a change against the previous year), or None when nothing does."""
        for criterion in self.criteria:
            if criterion.peers is not None:
                return f"criterion {criterion.id!r} is scored against peers"
        for derived in self.derived:
            if derived.cross_record:
                return f"derived field {derived.name!r} reads the previous year's record"
        return None

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(node for node in self.root.walk() if isinstance(node, Criterion))

    @cached_property
    def groups(self) -> tuple[Group, ...]:
        return tuple(node for node in self.root.walk() if isinstance(node, Group))

    @cached_property
    def nodes(self) -> Mapping[str, Group | Criterion]:
        return {node.id: node for node in self.root.walk()}

    def grade_for(self, total: float) -> str:
        """The grade of a total, as published (`rounding`): the band with the highest
        threshold at or below it."""
        total = self.rounding.round_one(total)
        for label, threshold in self.grades:
            if total >= threshold:
                return label
        return ""
