"""Applicable maxima: the group weights of `weights: applicable-points`.

Under that setting a group without an explicit weight weighs, for each company, the maximum
points of the criteria below it that apply to that company, so that with default weights a
score is points earned over points applicable at every level (methodology §4). Under
`na_policy: zero` N/A criteria stay in every denominator, so the static maxima are used.
"""

from __future__ import annotations

from collections.abc import Callable

from csrscore.compile.plan import Plan
from csrscore.engine.columns import BoolArray, FloatArray


def applicable_maxima(
    plan: Plan,
    always: list[bool],
    counts_of: Callable[[int, BoolArray], BoolArray],
    scratch: BoolArray,
    out: FloatArray,
) -> None:
    """Per group (G x rows, into `out`), the maximum points of its applicable criteria.

    `always[c]` says criterion c applies to every row of the block; otherwise
    `counts_of(c, scratch)` gives where it does. Groups are in post-order, so each
    sub-group's row is complete before its parent adds it.
    """
    max_points = plan.max_points.tolist()
    for g, group_plan in enumerate(plan.groups):
        row = out[g]
        constant = 0.0
        row.fill(0.0)
        for c in group_plan.criterion_children.tolist():
            if always[c]:
                constant += max_points[c]
            else:
                row += counts_of(c, scratch) * max_points[c]
        for s in group_plan.group_children.tolist():
            row += out[s]
        if constant:
            row += constant


def uses_applicable_weights(plan: Plan, policy: str) -> BoolArray | None:
    """The groups weighed by their applicable maxima under `policy`, or None for none."""
    if plan.applicable_weights is None or policy != "exclude":
        return None
    return plan.applicable_weights
