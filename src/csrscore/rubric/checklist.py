"""The checklist criterion form: points for each item of a list disclosure that counts.

Many indices score a multi-select indicator one point per item disclosed (which of ten
supplier details are published), sometimes with some items worth more and a cap. One
checklist criterion replaces the criterion per item that this otherwise takes.

An item counts once however often it is listed. Which items count is one of: a given set
(`items`), every item (`any_item: true`), or the items a regular expression finds
(`matching`). Each counted item earns `points_each`, or its own points from `weights`; the
sum is capped at `cap`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from csrscore.rubric.regex import Pattern


@dataclass(frozen=True)
class Checklist:
    field: str
    items: tuple[str, ...] | None = None  # None: every item may count (see `matching`)
    matching: Pattern | None = None  # RE2: linear time on untrusted text
    points_each: float = 1.0
    weights: Mapping[str, float] = dataclasses.field(default_factory=dict)  # item -> its own points
    cap: float | None = None
    # Items the catalog allows, when it lists them: what "missing" is measured against
    # when the rubric gives no set of its own.
    known_items: tuple[str, ...] = ()

    def counts(self, item: str) -> bool:
        if self.items is not None:
            return item in self.items
        return self.matching is None or self.matching.found_in(item)

    def item_points(self, item: str) -> float:
        """What one item earns: 0 when it does not count."""
        if not self.counts(item):
            return 0.0
        return self.weights.get(item, self.points_each)

    @property
    def expected(self) -> tuple[str, ...]:
        """Every item that can count, as far as the rubric or the catalog says."""
        if self.items is not None:
            return self.items
        return tuple(item for item in self.known_items if self.counts(item))

    @property
    def uncapped_max(self) -> float | None:
        """The most the items can earn before the cap; None when the items are open."""
        if self.items is None and not self.known_items:
            return None
        return sum(self.item_points(item) for item in self.expected)

    @property
    def max_points(self) -> float:
        most = self.uncapped_max
        if most is None:
            return self.cap or 0.0
        return most if self.cap is None else min(most, self.cap)

    def earned(self, items: Iterable[str]) -> tuple[float, float]:
        """(points before the cap, points after it) for one disclosed list."""
        total = sum(self.item_points(item) for item in dict.fromkeys(items))
        return total, total if self.cap is None else min(total, self.cap)
