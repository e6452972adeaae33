"""Snapping numbers to a published grid (quarter points, whole points).

Published scores and the data behind them often live on a grid while a spreadsheet export
carries floating-point noise (65.4997 for 65.5). Halves go away from zero, as a
spreadsheet's ROUND does. The quotient is first rounded to 9 decimals, so that a value
written on a half (0.35 on a 0.1 grid, whose quotient is 3.4999999999999996 in binary)
goes up as written, not down as stored.
"""

from __future__ import annotations

import numpy as np

from csrscore.engine.columns import FloatArray

QUOTIENT_DECIMALS = 9


def snap_into(values: FloatArray, grid: float, out: FloatArray) -> FloatArray:
    """`values` snapped to multiples of `grid`, into `out` (which may be `values`)."""
    # A reported value near the float limit over a fine grid overflows to +-inf: it is
    # beyond every rubric bound, so it clips to the end of the scale as the value would.
    with np.errstate(over="ignore"):
        np.divide(values, grid, out=out)
        np.round(out, QUOTIENT_DECIMALS, out=out)
    sign = np.sign(out)
    np.abs(out, out=out)
    np.add(out, 0.5, out=out)
    np.floor(out, out=out)
    np.multiply(out, sign, out=out)
    # Every value on one grid step gets the very same float, so ties on the grid stay ties.
    np.multiply(out, grid, out=out)
    return out
