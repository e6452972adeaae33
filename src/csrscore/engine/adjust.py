"""Adjustments after aggregation: point penalties and bonuses, then caps, then the clamp.

Each adjustment's effect is stored as the points it changed the total by, so the base
total plus every effect plus the clamp effect equals the final total exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from csrscore.engine.columns import BoolArray, FloatArray, IntArray
from csrscore.rubric.conditions import Condition, ViolationFilter
from csrscore.rubric.model import Rubric


@dataclass(frozen=True)
class Adjusted:
    effects: FloatArray  # N x A: points each adjustment added (negative for penalties/caps)
    counts: IntArray  # N x A: counted violation records (0 for non-count adjustments)
    clamp: FloatArray  # N: what clamping to [0, scale] added
    totals: FloatArray  # N


def apply_adjustments(
    rubric: Rubric,
    base: FloatArray,
    evaluate: Callable[[Condition], BoolArray],
    count: Callable[[ViolationFilter], IntArray],
) -> Adjusted:
    n = len(base)
    effects = np.zeros((n, len(rubric.adjustments)))
    counts = np.zeros((n, len(rubric.adjustments)), dtype=np.int64)
    running = base.astype(np.float64, copy=True)
    ordered = sorted(
        range(len(rubric.adjustments)), key=lambda i: rubric.adjustments[i].kind == "cap"
    )
    for i in ordered:
        adjustment = rubric.adjustments[i]
        applies = np.ones(n, dtype=bool) if adjustment.when is None else evaluate(adjustment.when)
        if adjustment.kind == "cap":
            assert adjustment.cap is not None
            effect = np.where(applies, np.minimum(running, adjustment.cap) - running, 0.0)
        elif adjustment.kind == "count":
            assert adjustment.count is not None
            counts[:, i] = count(adjustment.count)
            effect = adjustment.points_each * counts[:, i]
            low = -np.inf if adjustment.floor is None else adjustment.floor
            high = np.inf if adjustment.ceiling is None else adjustment.ceiling
            effect = np.where(applies, np.clip(effect, low, high), 0.0)
        else:
            effect = np.where(applies, adjustment.points, 0.0)
        effects[:, i] = effect + 0.0  # + 0.0 turns -0.0 (a penalty times 0) into 0.0
        running = running + effect
    totals = np.clip(running, 0.0, rubric.scale)
    return Adjusted(effects, counts, totals - running, totals)
