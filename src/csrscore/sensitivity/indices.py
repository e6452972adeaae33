"""Variance-based sensitivity indices from a Saltelli design.

With A and B two independent n-row samples of all inputs, and A_B^(i) the matrix A whose
columns of input i come from B, and Y the model output of each row:

- first-order index (Saltelli et al. 2010):  S_i  = mean(Y_B · (Y_AB^(i) − Y_A)) / V
- total-effect index (Jansen 1999):          ST_i = mean((Y_A − Y_AB^(i))²) / (2 V)

where V is the variance of Y over the 2n rows of A and B. S_i is the share of V that input
i explains on its own; ST_i adds every interaction it takes part in.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from csrscore.engine.columns import FloatArray

CONFIDENCE = 0.95


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
            "factors": [
                {
                    "name": name,
                    "first_order": number(self.first_order[i]),
                    "first_order_interval": [number(v) for v in self.first_order_interval[i]],
                    "total_effect": number(self.total_effect[i]),
                    "total_effect_interval": [number(v) for v in self.total_effect_interval[i]],
                }
                for i, name in enumerate(self.factors)
            ],
        }


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
