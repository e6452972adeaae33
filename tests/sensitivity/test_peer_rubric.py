"""Sensitivity of a peer-relative rubric. Peer statistics depend on which companies apply
and have a value, never on weights, aggregation or the N/A policy, so the analysis re-weights
the points `score` computed once; with nothing perturbed every sample is the nominal total."""

from __future__ import annotations

import numpy as np

from csrscore import Scores, load_rubric, score
from csrscore.sensitivity import sensitivity
from tests.engine.test_peers import RECORDS, value


def peer_scores() -> Scores:
    rubric = load_rubric(
        {
            "rubric": "peers-sensitivity",
            "version": "1",
            "title": "Peers",
            "fields": {"env.water": {"type": "number"}, "org.exempt": {"type": "bool"}},
            "groups": [
                {
                    "id": "a",
                    "title": "A",
                    "criteria": [{"id": "c0", "title": "C", **value("min-max")}],
                },
                {
                    "id": "b",
                    "title": "B",
                    "criteria": [
                        {"id": "c1", "title": "C", **value("percentile")},
                        {
                            "id": "c2",
                            "title": "C",
                            "levels": [
                                {"points": 1, "label": "L", "when": {"exists": "env.water"}}
                            ],
                        },
                    ],
                },
            ],
        }
    )
    return score(RECORDS, rubric)


def test_fixed_weights_reproduce_the_totals() -> None:
    scores = peer_scores()
    result = sensitivity(scores, 40, 1, weights=None, indices=False)
    np.testing.assert_allclose(result.score_mean, scores.totals, atol=1e-9)
    assert np.all(result.score_std < 1e-9)


def test_perturbed_weights_move_only_companies_with_uneven_fractions() -> None:
    scores = peer_scores()
    result = sensitivity(scores, 200, 3, indices=False)
    best = scores.index_of("d", 2024)  # top of its peers in both and discloses: 1, 1, 1
    assert result.score_std[best] < 1e-9
    assert abs(result.score_mean[best] - 100) < 1e-9
    assert result.score_std[scores.index_of("a", 2024)] > 0.1  # fractions 0, 0 and 1
