"""Typed condition nodes. A rubric's `when` and `applies_when` parse into these."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

CountComparison: TypeAlias = Literal["gte", "gt", "lte", "lt", "eq"]


@dataclass(frozen=True)
class FieldTest:
    """`{op: field}` or `{op: {field: operand}}`; operand is normalized (dates as ordinals)."""

    op: str
    field: str
    operand: Any
    source_operand: Any = dataclasses.field(
        default=None, compare=False
    )  # as written, for explanations


@dataclass(frozen=True)
class ViolationFilter:
    statuses: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    public_response: bool | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    within_years: int | None = None

    def matches(
        self, status: str, category: str | None, public_response: bool, date: dt.date, year: int
    ) -> bool:
        """Does one violation record pass the filter? (Scalar form for the reference.)"""
        return (
            (self.statuses is None or status in self.statuses)
            and (self.categories is None or category in self.categories)
            and (self.public_response is None or public_response == self.public_response)
            and (self.date_from is None or date >= self.date_from)
            and (self.date_to is None or date <= self.date_to)
            and (self.within_years is None or year - self.within_years < date.year <= year)
        )


@dataclass(frozen=True)
class ViolationCount:
    filter: ViolationFilter
    compare: CountComparison
    threshold: int


@dataclass(frozen=True)
class PublishedWithin:
    days: int


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition: TypeAlias = FieldTest | ViolationCount | PublishedWithin | AllOf | AnyOf | Not


def compare_count(count: int, compare: CountComparison, threshold: int) -> bool:
    return {
        "gte": count >= threshold,
        "gt": count > threshold,
        "lte": count <= threshold,
        "lt": count < threshold,
        "eq": count == threshold,
    }[compare]


def leaves(condition: Condition) -> list[Condition]:
    """The non-combinator nodes of a condition, in order."""
    if isinstance(condition, (AllOf, AnyOf)):
        return [leaf for item in condition.items for leaf in leaves(item)]
    if isinstance(condition, Not):
        return leaves(condition.item)
    return [condition]


def fields_of(condition: Condition) -> set[str]:
    return {leaf.field for leaf in leaves(condition) if isinstance(leaf, FieldTest)}
