"""Lint of how a rubric turns points into a total: weights written as percentages that do
not add up, geometric means that a single 0 collapses, and tests on `stats.*_share` that
reward a company for disclosing nothing.

Each is a warning: the rubric scores, but probably not as its author meant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from csrscore.rubric.conditions import AllOf, Condition, FieldTest, Not, leaves
from csrscore.rubric.model import Group, Rubric

# (code, node id, node path, message)
Warn = Callable[[str, str, str, str], None]

# Sums this close to 100 (or to 1) but not equal look like percentages (or fractions)
# that were rounded when the methodology was written: 11 x 8.18% + 10% is 99.98%.
PERCENT_SLACK = 0.1
MOST_SHARES_LISTED = 12
SHARE_FIELDS = ("stats.quantitative_share", "stats.assured_share", "stats.evidence_share")


def _effective_shares(group: Group, total: float) -> str:
    shares = [f"{child.id} {100 * (child.weight or 0.0) / total:.4g}%" for child in group.children]
    more = len(shares) - MOST_SHARES_LISTED
    listed = ", ".join(shares[:MOST_SHARES_LISTED])
    return listed + (f" and {more} more" if more > 0 else "")


def percent_weights(rubric: Rubric, warn: Warn) -> None:
    for group in rubric.groups:
        weights = [child.weight for child in group.children]
        if len(weights) < 2 or any(weight is None for weight in weights):
            continue
        total = sum(weight or 0.0 for weight in weights)
        for whole in (100.0, 1.0):
            near = abs(total - whole) <= whole * PERCENT_SLACK
            if near and abs(total - whole) > whole * 1e-9:
                unit = "%" if whole == 100 else ""
                warn(
                    "percent-weights",
                    group.id,
                    group.path or "groups",
                    f"the weights of {_name(group)} sum to {total:.10g}{unit}, not "
                    f"{whole:g}{unit}; each child counts its weight / {total:.10g}, so the "
                    f"effective shares are: {_effective_shares(group, total)}",
                )
                break


def _name(group: Group) -> str:
    return "the top-level groups" if not group.path else f"the children of {group.id!r}"


def geometric_zero(rubric: Rubric, warn: Warn) -> None:
    """One warning per outermost geometric group (the ones below it share its fate)."""

    def walk(group: Group, parent_geometric: bool) -> None:
        geometric = group.aggregation == "geometric"
        if geometric and not parent_geometric:
            warn(
                "geometric-zero",
                group.id,
                group.path or "aggregation",
                f"{'the rubric' if not group.path else repr(group.id)} takes a geometric mean: "
                "a company that scores 0 on any child with a weight (a criterion not "
                "disclosed, no level reached) gets 0 for the whole group, whatever its other "
                "children earn; give each child a lowest level that earns points, or use "
                "aggregation: arithmetic",
            )
        for child in group.children:
            if isinstance(child, Group):
                walk(child, geometric)

    walk(rubric.root, False)


def _conjuncts(condition: Condition) -> Iterator[Condition]:
    if isinstance(condition, AllOf):
        for item in condition.items:
            yield from _conjuncts(item)
    else:
        yield condition


def _rewards_nothing(condition: Condition) -> str | None:
    """The share field a condition caps from above, unless it also asks for disclosures."""
    parts = list(_conjuncts(condition))
    if any(isinstance(p, FieldTest) and p.field == "stats.disclosures" for p in parts):
        return None
    for part in parts:
        if isinstance(part, Not):
            continue
        for leaf in leaves(part):
            if (
                isinstance(leaf, FieldTest)
                and leaf.field in SHARE_FIELDS
                and leaf.op in ("lt", "lte")
            ):
                return leaf.field
    return None


def empty_record_shares(rubric: Rubric, warn: Warn) -> None:
    def message(field: str) -> str:
        return (
            f"{field} is 0 for a record with no disclosures, so this rewards a company "
            "that discloses nothing; add {gte: {stats.disclosures: 1}} beside it"
        )

    for criterion in rubric.criteria:
        for i, level in enumerate(criterion.levels):
            field = _rewards_nothing(level.when)
            if field is not None:
                warn("empty-share", criterion.id, f"{criterion.path}.levels[{i}]", message(field))
        scored = criterion.bands or criterion.value
        if scored is not None and scored.field in SHARE_FIELDS and scored.direction == "lower":
            form = "bands" if criterion.bands is not None else "value"
            warn("empty-share", criterion.id, f"{criterion.path}.{form}", message(scored.field))


def scoring_lint(rubric: Rubric, warn: Warn) -> None:
    percent_weights(rubric, warn)
    geometric_zero(rubric, warn)
    empty_record_shares(rubric, warn)
