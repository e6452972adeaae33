"""Peer-relative scoring: a value or band criterion scored on where a company stands among
its peers (the companies of the same year and of the same values of `within`) instead of
on the raw number.

The raw value is replaced by one peer statistic, and the criterion's thresholds (`min` and
`max` of value scoring, the `at` of each band) are read on that statistic's scale:

- min-max: 100 x (x - lowest) / (highest - lowest), 0 to 100
- percentile: 100 x (rank - 1) / (peers - 1), 0 to 100; tied values share their mean rank
- z-score: (x - mean) / standard deviation (population), in standard deviations

Peers are the companies of the group where the criterion applies and the value is given.
A group of one, or whose values are all equal, puts every member at the middle: 50 for
min-max and percentile, 0 for z-score. A company without the value earns nothing and is
nobody's peer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

PeerMethod: TypeAlias = Literal["min-max", "percentile", "z-score"]
PEER_METHODS: tuple[PeerMethod, ...] = ("min-max", "percentile", "z-score")
# Where every member of a group sits when the group cannot tell them apart.
MIDDLE: dict[PeerMethod, float] = {"min-max": 50.0, "percentile": 50.0, "z-score": 0.0}
# The statistic's range, the default `min` and `max` of value scoring (none for z-scores).
DEFAULT_RANGE: dict[PeerMethod, tuple[float, float]] = {
    "min-max": (0.0, 100.0),
    "percentile": (0.0, 100.0),
}
GROUPING_TYPES = ("text", "enum", "number", "bool")


@dataclass(frozen=True)
class PeerScoring:
    method: PeerMethod
    within: tuple[str, ...] = ()  # grouping fields besides the year, which always applies

    @property
    def grouping(self) -> tuple[str, ...]:
        return ("year", *(name for name in self.within if name != "year"))
