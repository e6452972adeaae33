"""Sensitivity runs whose every output is pinned bit for bit in fixtures/exact.json.

`test_pinned` (fixtures/pinned.json) lets totals move by rounding noise. This pin does not:
it was written by the code of 2026-12-05 (main at dc6d9fd, before the sensitivity speed
work of issue 17 item 2), and `test_exact` asserts that today's code returns the same
floats, ranks and indices to the last bit. Floats are stored as Python reprs, which
round-trip exactly; the per-sample matrices as SHA-256 digests of their bytes.

The cases: the shipped examples replicated with both years kept (many exact ties, two year
segments, the issue's realistic shape at small size) with indices; the same, spread by
dropped disclosures, under switched aggregations and N/A policy; and the synthetic
250-criterion benchmark rubric on a few hundred all-distinct companies, once ranked by
year and once all together with small chunks and two threads. Regenerate only on purpose,
when a result is meant to change:

    python -m tests.sensitivity.exact_cases
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from benchmarks.bench_sensitivity import report_records, rubric_data

from csrscore import Scores, load_rubric, score
from csrscore.sensitivity import Dirichlet, Sensitivity, Uniform, sensitivity
from tests.sensitivity.pinned_cases import examples

EXACT = Path(__file__).parent / "fixtures" / "exact.json"

_SCORES: dict[str, Scores] = {}


def _scores(name: str) -> Scores:
    if name not in _SCORES:
        if name == "replicated":
            _SCORES[name] = score(examples(6), load_rubric("iso26000"))
        elif name == "spread":
            _SCORES[name] = score(examples(4, seed=11), load_rubric("iso26000"))
        else:
            data = rubric_data()
            records = report_records(200, list(data["fields"]), seed=3)
            _SCORES[name] = score(records, load_rubric(data))
    return _SCORES[name]


def _run(data: str, **options: Any) -> Callable[[], Sensitivity]:
    def run() -> Sensitivity:
        return sensitivity(_scores(data), **options)

    return run


CASES: dict[str, Callable[[], Sensitivity]] = {
    "realistic-replicated-indices": _run("replicated", samples=200, seed=1),
    "realistic-spread-switches": _run(
        "spread", samples=150, seed=4, aggregation=0.4, na_policy=0.3, bootstrap=40
    ),
    "realistic-spread-mixed-dirichlet": _run(
        "spread",
        samples=120,
        seed=8,
        weights={"*": Dirichlet(40.0), "__root__": Uniform(0.3)},
        aggregation=0.5,
        indices=False,
        by=("year", "sector"),
    ),
    "synthetic-by-year": _run("synthetic", samples=160, seed=1, bootstrap=30),
    "synthetic-all-small-chunks": _run(
        "synthetic", samples=97, seed=6, by=None, indices=False, chunk_size=7, threads=2
    ),
}


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def summary(result: Sensitivity) -> dict[str, Any]:
    """Every output of a run, JSON-ready; floats keep all their bits (repr round-trips)."""
    out: dict[str, Any] = {
        "nominal_rank": result.nominal_rank.tolist(),
        "median_rank": result.median_rank.tolist(),
        "rank_low": result.rank_low.tolist(),
        "rank_high": result.rank_high.tolist(),
        "group_sizes": result.group_sizes.tolist(),
        "score_mean": result.score_mean.tolist(),
        "score_std": result.score_std.tolist(),
        "score_quantiles": result.score_quantiles.tolist(),
        "mean_rank_shift": result.mean_rank_shift.tolist(),
        "rank_samples_sha256": _digest(result.rank_samples.astype(np.int32)),
        "total_samples_sha256": _digest(result.total_samples.astype(np.float64)),
    }
    if result.indices is not None:
        indices = result.indices
        out["indices"] = {
            "first_order": indices.first_order.tolist(),
            "total_effect": indices.total_effect.tolist(),
            "first_order_interval": indices.first_order_interval.tolist(),
            "total_effect_interval": indices.total_effect_interval.tolist(),
            "output_mean": indices.output_mean,
            "output_variance": indices.output_variance,
        }
    return out


def main() -> None:
    pinned = {name: summary(run()) for name, run in CASES.items()}
    EXACT.write_text(json.dumps(pinned, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
