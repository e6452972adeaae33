"""The same seed gives the same results as the implementation pinned in fixtures/pinned.json.

Ranks, rank intervals and rank shifts must match exactly; totals and the statistics drawn
from them to within rounding noise, since BLAS may sum in another order for another block
shape (and on another CPU).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.sensitivity.pinned_cases import CASES, PINNED, summary

EXACT = {
    "nominal_rank",
    "median_rank",
    "rank_low",
    "rank_high",
    "rank_samples_sha256",
    "mean_rank_shift",
}
PINNED_RESULTS = json.loads(PINNED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_match_the_pinned_ones(name: str) -> None:
    expected = PINNED_RESULTS[name]
    found = summary(CASES[name]())
    assert found.keys() == expected.keys()
    for key, value in expected.items():
        if key in EXACT:
            assert found[key] == value, key
        else:
            np.testing.assert_allclose(
                np.array(found[key], dtype=float),
                np.array(value, dtype=float),
                rtol=1e-12,
                atol=1e-12,
                err_msg=key,
            )
