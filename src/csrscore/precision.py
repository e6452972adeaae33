"""Numeric precision: the one rounding rule that ranks, percentiles, grades and every output
share, and how numbers are shown to people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Totals are compared (for grades and ranks) after rounding to this many decimal places by
# default, so that float noise such as 28.999999999999996 never changes a grade or splits a
# tie.
TIE_DECIMALS = 6

# Before a value is rounded, it is snapped to this many decimals of its last published
# place: a total that is 16.5 in exact arithmetic but 16.499999999999996 in floating point
# is within 1e-6 of a half unit, so it is taken as 16.5 and rounds half-up to 17. Any two
# values closer than that count as equal: far below a point (1e-6 x 10^-decimals) and far
# above float noise for totals on any scale up to 10^6 with up to 6 decimals.
SNAP_DECIMALS = 6

RoundingMode: TypeAlias = Literal["half-up", "half-even", "floor"]
ROUNDING_MODES: tuple[RoundingMode, ...] = ("half-up", "half-even", "floor")
TieBasis: TypeAlias = Literal["rounded", "exact"]
TIE_BASES: tuple[TieBasis, ...] = ("rounded", "exact")


@dataclass(frozen=True)
class Rounding:
    """How totals are published: `decimals` places, rounded `mode` (half-up: .5 goes up, as
    most published indices do; half-even: .5 goes to the even neighbour; floor: always
    down), and whether ties are decided on the `rounded` total or the `exact` one (which
    still ignores float noise: it is the default rule at TIE_DECIMALS places)."""

    decimals: int = TIE_DECIMALS
    mode: RoundingMode = "half-even"
    ties: TieBasis = "rounded"

    def units(self, values: ArrayLike) -> NDArray[np.float64]:
        """Values rounded to whole units of the last published place (integers as floats)."""
        scaled = np.asarray(values, dtype=np.float64) * 10.0**self.decimals
        snapped = np.round(scaled, SNAP_DECIMALS)
        if self.mode == "half-up":
            result: NDArray[np.float64] = np.floor(snapped + 0.5)
        elif self.mode == "half-even":
            result = np.rint(snapped)
        else:
            result = np.floor(snapped)
        return result

    def round(self, values: ArrayLike) -> NDArray[np.float64]:
        """The published values."""
        rounded: NDArray[np.float64] = self.units(values) / 10.0**self.decimals
        return rounded

    def round_one(self, value: float) -> float:
        return float(self.round(value))

    def tie_keys(self, values: ArrayLike) -> NDArray[np.float64]:
        """Values that are equal exactly where two totals tie (integers as floats)."""
        return (self if self.ties == "rounded" else EXACT).units(values)


DEFAULT_ROUNDING = Rounding()
EXACT = Rounding()


def display_number(value: float | None, decimals: int) -> str:
    """A number for people, with `decimals` places; "—" for None.

    The value is rounded to TIE_DECIMALS places first, so float noise never tips an exact
    half (0.375 computed as 0.37499999999999994) to the other side.
    """
    return "—" if value is None else f"{round(value, TIE_DECIMALS):.{decimals}f}"


# Significant digits of a number shown as given: float64 holds 15 to 17, and one or two
# operations (0.607 x 100 = 60.699999999999996) leave noise in the last of them; 12 keep
# every number a person would type and drop that noise.
SHOWN_DIGITS = 12


def shown_number(value: float, decimals: int | None = None) -> str:
    """A data value for people: with `decimals` places when the catalog sets them, else as
    given, to SHOWN_DIGITS significant digits (60.7, never 60.699999999999996)."""
    if decimals is not None:
        return display_number(value, decimals)
    return f"{value:.{SHOWN_DIGITS}g}"
