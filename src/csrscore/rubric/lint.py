"""Lint: problems a schema cannot see, reported as warnings with locations.

Errors that make a rubric unusable (unknown fields, type mismatches, bad regexes,
non-positive weights, empty ranges, duplicate ids) are raised while parsing; lint adds the
findings that a rubric can be scored with but is probably wrong about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from csrscore.errors import Location
from csrscore.operators import MISSING, OPERATORS
from csrscore.rubric.conditions import (
    AllOf,
    AnyOf,
    Condition,
    FieldTest,
    Not,
    fields_of,
    leaves,
)
from csrscore.rubric.findings import Finding
from csrscore.rubric.lint_scoring import scoring_lint
from csrscore.rubric.model import Criterion, Group, Rubric

# The pattern of company.sector in report records (records.model.SLUG_PATTERN).
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")


def _conjuncts(condition: Condition) -> frozenset[Condition]:
    if isinstance(condition, AllOf):
        return frozenset(part for item in condition.items for part in _conjuncts(item))
    return frozenset({condition})


def is_contradictory(condition: Condition) -> bool:
    """True for conjunctions that can never hold: `x` with `not x`, exists with missing."""
    parts = _conjuncts(condition)
    for part in parts:
        if isinstance(part, Not) and part.item in parts:
            return True
        missing = FieldTest("missing", getattr(part, "field", ""), None, None)
        if isinstance(part, FieldTest) and part.op == "exists" and missing in parts:
            return True
        if isinstance(part, FieldTest) and part.op == "eq":
            others = {
                p.operand
                for p in parts
                if isinstance(p, FieldTest) and p.op == "eq" and p.field == part.field
            }
            if len(others) > 1:
                return True
    return False


def unreachable_levels(criterion: Criterion) -> list[tuple[int, str]]:
    """Indexes of levels that can never be the one that counts, with the reason."""
    found: list[tuple[int, str]] = []
    levels = criterion.levels
    for i, level in enumerate(levels):
        if is_contradictory(level.when):
            found.append((i, "its condition can never hold"))
            continue
        if criterion.cumulative:
            blocked = next((j for j in range(i) if is_contradictory(levels[j].when)), None)
            if blocked is not None:
                found.append((i, f"level {blocked + 1} before it can never hold"))
            continue
        mine = _conjuncts(level.when)
        for j, other in enumerate(levels):
            better = other.points > level.points or (other.points == level.points and j > i)
            if j != i and better and _conjuncts(other.when) <= mine:
                found.append(
                    (
                        i,
                        f"level {j + 1} ({other.label!r}) holds whenever it does and earns "
                        f"at least as many points",
                    )
                )
                break
    return found


def holds_when_missing(condition: Condition, missing: set[str]) -> bool | None:
    """Whether `condition` holds for a company without the `missing` fields: True, False,
    or None when it depends on other fields too."""
    if isinstance(condition, FieldTest):
        if condition.field not in missing:
            return None
        return bool(OPERATORS[condition.op].scalar(MISSING, condition.operand))
    if isinstance(condition, Not):
        inner = holds_when_missing(condition.item, missing)
        return None if inner is None else not inner
    if isinstance(condition, (AllOf, AnyOf)):
        decisive = isinstance(condition, AnyOf)  # any: one True decides; all: one False
        parts = [holds_when_missing(item, missing) for item in condition.items]
        if decisive in parts:
            return decisive
        return None if None in parts else not decisive
    return None


def _location(rubric: Rubric, node_id: str, path: str) -> Location:
    known = rubric.locations.get(node_id)
    # The exact line of the path when the rubric is one file; the node's line otherwise.
    line = rubric.lines.get(path) or (known.line if known else None)
    return Location(known.source if known else rubric.source, line, path=path)


def _siblings(rubric: Rubric) -> Iterable[Group]:
    return rubric.groups


def lint_rubric(rubric: Rubric) -> list[Finding]:
    findings: list[Finding] = []

    def warn(code: str, node_id: str, path: str, message: str) -> None:
        findings.append(Finding("warning", code, message, _location(rubric, node_id, path)))

    for criterion in rubric.criteria:
        for index, reason in unreachable_levels(criterion):
            warn(
                "unreachable-level",
                criterion.id,
                f"{criterion.path}.levels[{index}]",
                f"level {index + 1} ({criterion.levels[index].label!r}) can never count: {reason}",
            )
        if criterion.cumulative:
            for i in range(1, len(criterion.levels)):
                if criterion.levels[i].points < criterion.levels[i - 1].points:
                    warn(
                        "level-order",
                        criterion.id,
                        f"{criterion.path}.levels[{i}]",
                        f"cumulative level {i + 1} earns fewer points than level {i}",
                    )
    for node in rubric.root.walk():
        if node.applies_when is not None:
            disclosure_fields = sorted(
                name
                for name in fields_of(node.applies_when)
                if (spec := rubric.catalog.get(name)) is not None and spec.origin == "disclosure"
            )
            omitted = holds_when_missing(node.applies_when, set(disclosure_fields))
            if disclosure_fields and omitted is not True:
                may = "becomes" if omitted is False else "may become"
                warn(
                    "na-from-disclosure",
                    node.id,
                    f"{node.path}.applies_when",
                    "applicability depends on disclosure "
                    f"{', '.join(map(repr, disclosure_fields))}: a company that omits it "
                    f"{may} N/A instead of scoring 0; a company can also declare a "
                    'disclosure N/A itself ("not_applicable": {key: reason} in its record)',
                )
    for node in rubric.root.walk():
        for leaf in leaves(node.applies_when) if node.applies_when is not None else ():
            if not isinstance(leaf, FieldTest) or leaf.field != "company.sector":
                continue
            named = leaf.operand if isinstance(leaf.operand, tuple) else (leaf.operand,)
            for sector in named:
                if isinstance(sector, str) and not _SLUG.fullmatch(sector):
                    warn(
                        "sector-slug",
                        node.id,
                        f"{node.path}.applies_when",
                        f"company.sector {sector!r} is not a sector slug (lower case, digits, "
                        f"'-' and '_'), so no company can match it; did you mean "
                        f"{re.sub(r'[^a-z0-9_-]+', '-', sector.strip().lower())!r}?",
                    )
    for group in _siblings(rubric):
        # A weight of 0 (shown, counts nothing) mixes with either scale.
        explicit = [child.weight is not None for child in group.children if child.weight != 0]
        if any(explicit) and not all(explicit):
            warn(
                "mixed-weights",
                group.id,
                group.path or "groups",
                "some children have explicit weights and others default to their maximum "
                "points; the two scales rarely mix as intended",
            )
    scoring_lint(rubric, warn)
    return findings
