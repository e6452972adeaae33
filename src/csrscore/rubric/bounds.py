"""The bounds of every number in a rubric, as JSON Schema fragments.

Without bounds, group weights of 1e308 overflow a weighted sum to inf (every total 0.00),
a 400-digit weight cannot become a float, and `scale: 1e308` overflows sensitivity
analysis. Within these bounds no sum, product or quotient the engine forms can leave the
finite range: 50,000 nodes (the YAML limit) of 1e6 points weigh at most 5e10, a weight
ratio is at most 1e12, and a grid of 1e-6 turns a value of 1e15 into 1e21 steps.

The schema carries them, so `rubric check`, the loader and the published JSON Schema
enforce the same ones; docs/rubrics.md ("Number bounds") lists them for users.
"""

from __future__ import annotations

import math
from typing import Any

# Points of a level, band, value criterion, checklist item or adjustment, caps, floors,
# ceilings and grade thresholds.
MAX_POINTS = 1_000_000
# Weights lie between these, so their ratio stays far from overflow and underflow.
MIN_WEIGHT = 1e-6
MAX_WEIGHT = 1_000_000
MIN_SCALE = 1
MAX_SCALE = 1_000_000
# Thresholds compared with reported values (`gt`, `between`, `min`/`max`, band `at`, an
# input grid): larger than any real quantity in its reported unit (1e15 t CO2e is 20,000
# years of world emissions), and every integer below it is exact in binary.
MAX_VALUE = 1e15
# The finest grid a value or its points may be snapped to.
MIN_GRID = 1e-6
# A count of violation records to compare with.
MAX_COUNT = 1_000_000


def bounded(low: float | None, high: float, *, exclusive_low: bool = False) -> dict[str, Any]:
    """A number within [low, high] (or (low, high] with `exclusive_low`)."""
    schema: dict[str, Any] = {"type": "number", "maximum": high}
    if low is not None:
        schema["exclusiveMinimum" if exclusive_low else "minimum"] = low
    return schema


POINTS = bounded(0, MAX_POINTS)
POSITIVE_POINTS = bounded(0, MAX_POINTS, exclusive_low=True)
SIGNED_POINTS = bounded(-MAX_POINTS, MAX_POINTS)
VALUE = bounded(-MAX_VALUE, MAX_VALUE)
# For operands that may also be text or booleans: the bounds apply to numbers only.
VALUE_LIMITS = {"minimum": -MAX_VALUE, "maximum": MAX_VALUE}
SCALE = bounded(MIN_SCALE, MAX_SCALE)
WEIGHT = bounded(MIN_WEIGHT, MAX_WEIGHT)
COUNT = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}


def grid(high: float) -> dict[str, Any]:
    return bounded(MIN_GRID, high)


def shown(number: object) -> str:
    """A number as a message shows it: 1e+308, 0.5, 12, or "a 400-digit number"."""
    if isinstance(number, int) and not isinstance(number, bool):
        if abs(number) < 10**15:
            return str(number)
        # Counted, not printed: str() of an int over 4,300 digits raises.
        digits = math.floor(math.log10(abs(number))) + 1
        digits -= abs(number) < 10 ** (digits - 1)  # log10 rounds up just below a power
        return f"a {digits}-digit number"
    if isinstance(number, float):
        return f"{number:g}"
    return repr(number)
