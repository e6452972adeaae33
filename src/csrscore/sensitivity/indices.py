"""Variance-based sensitivity indices from a Saltelli design.

With A and B two independent n-row samples of all inputs, and A_B^(i) the matrix A whose
columns of input i come from B, and Y the model output of each row:

- first-order index (Saltelli et al. 2010):  S_i  = mean(Y_B · (Y_AB^(i) − Y_A)) / V
- total-effect index (Jansen 1999):          ST_i = mean((Y_A − Y_AB^(i))²) / (2 V)

where V is the variance of Y over the 2n rows of A and B. S_i is the share of V that input
i explains on its own; ST_i adds every interaction it takes part in.

In theory 0 <= S_i <= ST_i <= 1; the estimates can leave that range by sampling noise, so
`noise` names every estimate (or interval end) that does, and `suggested_samples` says when
the intervals are too wide for the indices to be read at all.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from csrscore.engine.columns import FloatArray

CONFIDENCE = 0.95
# An index whose 95% interval is wider than this cannot tell, say, 0.3 from 0.5: the
# indices are then reported as not meaningful at this sample count.
MEANINGFUL_WIDTH = 0.2
# Below this many base samples the bootstrap interval itself is unreliable (a few rows can
# all agree by chance), whatever its width.
MINIMUM_SAMPLES = 100
# The suggested count aims at intervals this much narrower than MEANINGFUL_WIDTH, so that
# a rerun clears the bar despite its own noise.
SUGGESTION_MARGIN = 0.75


@dataclass(frozen=True)
class SensitivityIndices:
    """First-order and total-effect indices of one output, per uncertain input."""

    factors: tuple[str, ...]
    first_order: FloatArray  # K; NaN when the output does not vary
    total_effect: FloatArray  # K
    first_order_interval: FloatArray  # K x 2, bootstrap percentile interval
    total_effect_interval: FloatArray  # K x 2
    output_mean: float
    output_variance: float
    base_samples: int  # n: rows of A (and of B)
    bootstrap: int  # resamples behind the intervals (0: none, intervals NaN)

    @property
    def evaluations(self) -> int:
        """Model runs the design took: n (K + 2)."""
        return self.base_samples * (len(self.factors) + 2)

    @property
    def widest_interval(self) -> float:
        """The width of the widest interval of any index (NaN when none was computed)."""
        widths = np.concatenate(
            [
                np.diff(self.first_order_interval, axis=1),
                np.diff(self.total_effect_interval, axis=1),
            ]
        )
        if not len(widths) or np.isnan(widths).all():
            return float("nan")
        return float(np.nanmax(widths))

    @property
    def suggested_samples(self) -> int | None:
        """A sample count for meaningful indices, or None when this one is enough.

        Too few: fewer than MINIMUM_SAMPLES, or an interval wider than MEANINGFUL_WIDTH.
        Interval widths shrink as 1/sqrt(n), so the suggestion scales n by the square of
        (widest / target width), rounded up to two significant digits. None also when the
        indices are undefined (no input, or no output variance): more samples would not
        change that, except where so few were drawn that nothing moved by chance.
        """
        n = self.base_samples
        if not self.factors or not self.output_variance > 0.0:
            return MINIMUM_SAMPLES if n < MINIMUM_SAMPLES and self.factors else None
        widest = self.widest_interval
        needed = n
        if not np.isnan(widest) and widest > MEANINGFUL_WIDTH:
            needed = math.ceil(n * (widest / (MEANINGFUL_WIDTH * SUGGESTION_MARGIN)) ** 2)
        if n < MINIMUM_SAMPLES:
            needed = max(needed, MINIMUM_SAMPLES)
        return None if needed <= n else _two_digits_up(needed)

    def noise(self, k: int) -> tuple[str, ...]:
        """What in factor k's estimates contradicts 0 <= S <= ST <= 1 (sampling noise).

        Codes: `first_order_below_0`, `first_order_above_1`, `total_effect_above_1`
        (the estimates), `interval_outside_0_1` (an interval end), and
        `first_order_above_total_effect`. The Jansen total is a mean of squares, never
        below 0.
        """
        first, total = float(self.first_order[k]), float(self.total_effect[k])
        ends = np.concatenate([self.first_order_interval[k], self.total_effect_interval[k]])
        checks = (
            ("first_order_below_0", first < 0.0),
            ("first_order_above_1", first > 1.0),
            ("total_effect_above_1", total > 1.0),
            ("interval_outside_0_1", bool(((ends < 0.0) | (ends > 1.0)).any())),
            ("first_order_above_total_effect", first > total),
        )
        return tuple(code for code, found in checks if found)

    def to_dict(self) -> dict[str, Any]:
        def number(value: float) -> float | None:
            return None if np.isnan(value) else float(value)

        return {
            "output": "mean absolute rank shift",
            "output_mean": number(self.output_mean),
            "output_variance": number(self.output_variance),
            "base_samples": self.base_samples,
            "evaluations": self.evaluations,
            "bootstrap": self.bootstrap,
            "confidence": CONFIDENCE,
            "widest_interval": number(self.widest_interval),
            "enough_samples": self.suggested_samples is None,
            "suggested_samples": self.suggested_samples,
            "factors": [
                {
                    "name": name,
                    "first_order": number(self.first_order[i]),
                    "first_order_interval": [number(v) for v in self.first_order_interval[i]],
                    "total_effect": number(self.total_effect[i]),
                    "total_effect_interval": [number(v) for v in self.total_effect_interval[i]],
                    "estimator_noise": list(self.noise(i)),
                }
                for i, name in enumerate(self.factors)
            ],
        }


def _two_digits_up(count: int) -> int:
    """`count` rounded up to two significant digits: 2,561 -> 2,600."""
    step: int = 10 ** max(0, len(str(count)) - 2)
    return -(-count // step) * step


def _centred(
    y_a: FloatArray, y_b: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Y_A and Y_B less their common mean, then 1 / V (NaN when V = 0) and V.

    Over the last axis; leading axes (bootstrap resamples) broadcast.

    Centring leaves every expectation as it is and shrinks the first-order estimator's
    variance, whose Y_B factor would otherwise carry the output's mean (SALib does too).
    """
    both = np.concatenate([y_a, y_b], axis=-1)
    variance = both.var(axis=-1, ddof=1) if both.shape[-1] > 1 else np.zeros(both.shape[:-1])
    centre = both.mean(axis=-1, keepdims=True)
    with np.errstate(divide="ignore"):
        # V = 0: no input moved the output at all, and every index is undefined.
        inverse = np.where(variance > 0.0, 1.0 / variance, np.nan)
    return y_a - centre, y_b - centre, inverse, variance


def _estimate(
    y_a: FloatArray, y_b: FloatArray, y_ab: FloatArray, inverse: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """S and ST of one factor, from centred outputs, over the last axis."""
    first = (y_b * (y_ab - y_a)).mean(axis=-1) * inverse
    total = 0.5 * ((y_a - y_ab) ** 2).mean(axis=-1) * inverse
    return first, total


def saltelli_indices(
    factors: tuple[str, ...],
    y_a: FloatArray,
    y_b: FloatArray,
    y_ab: FloatArray,
    *,
    bootstrap: int = 200,
    rng: np.random.Generator | None = None,
) -> SensitivityIndices:
    """Indices of every factor from the outputs of A (n), B (n) and each A_B^(i) (K x n)."""
    n, k = len(y_a), len(factors)
    centre = float(np.concatenate([y_a, y_b]).mean()) if n else float("nan")
    a, b, inverse, variance_array = _centred(y_a, y_b)
    estimates = [_estimate(a, b, y_ab[i] - centre, inverse) for i in range(k)]
    first = np.array([e[0] for e in estimates], dtype=np.float64)
    total = np.array([e[1] for e in estimates], dtype=np.float64)
    variance = float(variance_array)
    first_interval = np.full((k, 2), np.nan)
    total_interval = np.full((k, 2), np.nan)
    if bootstrap > 0 and n > 1 and k and variance > 0.0:
        generator = rng if rng is not None else np.random.default_rng(0)
        rows = generator.integers(0, n, size=(bootstrap, n))
        a_rows, b_rows, inverse_rows, _ = _centred(y_a[rows], y_b[rows])
        centres = (y_a[rows].sum(axis=1) + y_b[rows].sum(axis=1))[:, None] / (2 * n)
        tail = (1.0 - CONFIDENCE) / 2.0 * 100.0
        for i in range(k):
            first_b, total_b = _estimate(a_rows, b_rows, y_ab[i][rows] - centres, inverse_rows)
            with warnings.catch_warnings():
                # A resample in which nothing varies has NaN indices; it is left out.
                warnings.simplefilter("ignore", RuntimeWarning)
                first_interval[i] = np.nanpercentile(first_b, [tail, 100 - tail])
                total_interval[i] = np.nanpercentile(total_b, [tail, 100 - tail])
    return SensitivityIndices(
        factors=factors,
        first_order=first,
        total_effect=total,
        first_order_interval=first_interval,
        total_effect_interval=total_interval,
        output_mean=centre,
        output_variance=variance,
        base_samples=n,
        bootstrap=bootstrap if n > 1 else 0,
    )
