"""Sensitivity runs whose results are pinned in fixtures/pinned.json.

The fixture was written by the implementation that came before the fast path (duplicate
companies scored once, ranks counted instead of sorted), so `test_pinned` checks that the
rewrite returns what it did for the same seed. Regenerate it only on purpose:

    python -m tests.sensitivity.pinned_cases

The data are the shipped (synthetic) examples, copied so that many companies tie exactly,
and a copy with disclosures changed at random so that totals spread out.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from csrscore import Scores, load_rubric, score
from csrscore.sensitivity import Dirichlet, Sensitivity, Uniform, sensitivity

ROOT = Path(__file__).parents[2]
PINNED = Path(__file__).parent / "fixtures" / "pinned.json"


def examples(copies: int, seed: int | None = None) -> list[dict[str, Any]]:
    """The examples `copies` times, ids made unique; with `seed`, numbers and flags changed."""
    data = json.loads((ROOT / "examples" / "reports.json").read_text(encoding="utf-8"))
    base: list[dict[str, Any]] = data["reports"] if isinstance(data, dict) else data
    rng = random.Random(seed)
    out = []
    for copy_index in range(copies):
        for record in base:
            record = copy.deepcopy(record)
            record["company"]["id"] += f"-{copy_index}"
            if seed is not None:
                disclosures = record["disclosures"]
                for key in list(disclosures):
                    if rng.random() < 0.2:
                        del disclosures[key]
            out.append(record)
    return out


def _run(rubric: str, records: list[dict[str, Any]], **options: Any) -> Callable[[], Sensitivity]:
    def run() -> Sensitivity:
        scores: Scores = score(records, load_rubric(rubric))
        return sensitivity(scores, **options)

    return run


CASES: dict[str, Callable[[], Sensitivity]] = {
    "iso26000-ties-indices": _run("iso26000", examples(4), samples=150, seed=1),
    "citi-switches": _run(
        "citi", examples(1), samples=120, seed=7, aggregation=True, na_policy=0.3
    ),
    "iso26000-spread-dirichlet-all": _run(
        "iso26000",
        examples(3, seed=5),
        samples=90,
        seed=2,
        weights=Dirichlet(50.0),
        by=None,
        indices=False,
    ),
    "iso26000-mixed-aggregation": _run(
        "iso26000",
        examples(2, seed=9),
        samples=80,
        seed=3,
        weights={"*": Uniform(0.3)},
        aggregation=0.5,
        bootstrap=50,
    ),
}


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()[:16]


def summary(result: Sensitivity) -> dict[str, Any]:
    """What a run returns, as JSON: integers and ranks exactly, floats as Python reprs."""
    out: dict[str, Any] = {
        "nominal_rank": result.nominal_rank.tolist(),
        "median_rank": result.median_rank.tolist(),
        "rank_low": result.rank_low.tolist(),
        "rank_high": result.rank_high.tolist(),
        "rank_samples_sha256": _digest(result.rank_samples.astype(np.int32)),
        "mean_rank_shift": result.mean_rank_shift.tolist(),
        "score_mean": result.score_mean.tolist(),
        "score_std": result.score_std.tolist(),
        "score_quantiles": result.score_quantiles.tolist(),
        "total_samples_sum": float(result.total_samples.sum()),
    }
    if result.indices is not None:
        out["first_order"] = result.indices.first_order.tolist()
        out["total_effect"] = result.indices.total_effect.tolist()
        out["first_order_interval"] = result.indices.first_order_interval.tolist()
        out["total_effect_interval"] = result.indices.total_effect_interval.tolist()
    return out


def main() -> None:
    pinned = {name: summary(run()) for name, run in CASES.items()}
    PINNED.write_text(json.dumps(pinned, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
