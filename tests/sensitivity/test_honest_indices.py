"""Indices a reader can trust: intervals that cover the truth, noise that is named, and a
warning with a suggested count when the samples are too few.

The closed-form model is a linear total of independent inputs, Y = sum c_i X_i with
X_i ~ U(0, 1): Var(Y) = sum c_i^2 / 12, and with no interaction S_i = ST_i =
c_i^2 / sum c_j^2 (here 1/14, 4/14 and 9/14).
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from csrscore.engine.columns import FloatArray
from csrscore.sensitivity.indices import (
    MEANINGFUL_WIDTH,
    MINIMUM_SAMPLES,
    SensitivityIndices,
    saltelli_indices,
)

COEFFICIENTS = np.array([1.0, 2.0, 3.0])
EXACT = COEFFICIENTS**2 / (COEFFICIENTS**2).sum()


def _linear(n: int, seed: int, bootstrap: int = 200) -> SensitivityIndices:
    rng = np.random.default_rng(seed)
    base_a = rng.uniform(size=(n, 3))
    base_b = rng.uniform(size=(n, 3))
    mixed = np.stack([np.where(np.arange(3) == i, base_b, base_a) for i in range(3)])
    return saltelli_indices(
        ("x1", "x2", "x3"),
        base_a @ COEFFICIENTS,
        base_b @ COEFFICIENTS,
        mixed @ COEFFICIENTS,
        bootstrap=bootstrap,
        rng=np.random.default_rng(seed + 1000),
    )


def test_linear_total_estimates_fall_within_their_intervals_near_the_exact_values() -> None:
    found = _linear(2000, 3)
    for estimates, intervals in (
        (found.first_order, found.first_order_interval),
        (found.total_effect, found.total_effect_interval),
    ):
        # Over 20 seeds the standard deviation of each estimate was at most 0.027.
        np.testing.assert_allclose(estimates, EXACT, atol=0.11)
        for k in range(3):
            low, high = intervals[k]
            assert low <= estimates[k] <= high
            # Whether the exact value is inside is a matter of chance (95%): see below.
            assert high - low < 0.2
    assert found.suggested_samples is None
    assert found.to_dict()["enough_samples"] is True


def test_linear_total_intervals_cover_the_exact_indices_about_95_percent_of_the_time() -> None:
    """30 independent runs x 6 intervals: a 95% interval that covered less than 85% of the
    time would be over-confident (measured: 92% at n = 500)."""
    covered = total = 0
    for seed in range(30):
        found = _linear(500, seed)
        for intervals in (found.first_order_interval, found.total_effect_interval):
            for k in range(3):
                total += 1
                covered += bool(intervals[k, 0] <= EXACT[k] <= intervals[k, 1])
    assert covered / total >= 0.85


def test_too_few_samples_suggest_a_count_that_narrows_the_intervals() -> None:
    few = _linear(150, 1)
    assert few.widest_interval > MEANINGFUL_WIDTH
    suggested = few.suggested_samples
    assert suggested is not None
    # Widths shrink as 1/sqrt(n): the suggestion brings the widest one down to 0.15.
    assert suggested >= math.ceil(150 * (few.widest_interval / 0.15) ** 2)
    assert len(str(suggested).rstrip("0")) <= 2  # two significant digits
    assert _linear(suggested, 1).widest_interval <= MEANINGFUL_WIDTH
    document = few.to_dict()
    assert document["enough_samples"] is False
    assert document["suggested_samples"] == suggested


def test_below_the_minimum_sample_count_the_intervals_are_not_trusted() -> None:
    # A model with almost no noise has narrow intervals even at n = 20; they are still
    # too few rows for the bootstrap to be believed.
    found = _linear(20, 2)
    assert found.suggested_samples is not None
    assert found.suggested_samples >= MINIMUM_SAMPLES


def _indices(first: float, total: float, interval: tuple[float, float]) -> SensitivityIndices:
    return SensitivityIndices(
        factors=("x",),
        first_order=np.array([first]),
        total_effect=np.array([total]),
        first_order_interval=np.array([interval]),
        total_effect_interval=np.array([interval]),
        output_mean=1.0,
        output_variance=1.0,
        base_samples=1000,
        bootstrap=200,
    )


unit = st.floats(-0.5, 1.5, allow_nan=False)


@given(unit, unit, unit, unit)
def test_noise_is_named_exactly_when_an_estimate_leaves_its_theoretical_range(
    first: float, total: float, low: float, high: float
) -> None:
    total = abs(total)  # the Jansen estimator is a mean of squares
    found = _indices(first, total, (min(low, high), max(low, high)))
    codes = found.noise(0)
    inside = all(0.0 <= v <= 1.0 for v in (first, total, low, high))
    assert (not codes) == (inside and first <= total)
    assert ("first_order_above_total_effect" in codes) == (first > total)
    assert found.to_dict()["factors"][0]["estimator_noise"] == list(codes)


def test_undefined_indices_suggest_nothing_unless_too_few() -> None:
    flat: FloatArray = np.zeros(200)
    found = saltelli_indices(("x",), flat, flat, flat[None, :])
    assert found.suggested_samples is None
    few = saltelli_indices(("x",), flat[:10], flat[:10], flat[None, :10])
    assert few.suggested_samples == MINIMUM_SAMPLES
