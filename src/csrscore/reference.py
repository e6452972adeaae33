"""The reference evaluator: the scoring rules of docs/methodology.md, one report at a time.

It is deliberately plain and slow. It shares nothing with the engine except the scalar
operator functions, so the differential tests that compare the two check the engine against
an independent reading of the methodology.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from csrscore.operators import MISSING, OPERATORS, FieldValue
from csrscore.records.model import Disclosure, Report
from csrscore.rubric.conditions import (
    AllOf,
    AnyOf,
    Condition,
    FieldTest,
    Not,
    PublishedWithin,
    ViolationCount,
    ViolationFilter,
    compare_count,
)
from csrscore.rubric.derived import DerivedField
from csrscore.rubric.model import Criterion, Group, Rubric
from csrscore.rubric.peers import MIDDLE


@dataclass
class ReferenceResult:
    company_id: str
    year: int
    levels: dict[str, int] = field(default_factory=dict)  # -1 = N/A
    points: dict[str, float] = field(default_factory=dict)
    group_scores: dict[str, float | None] = field(default_factory=dict)  # None = N/A
    group_weights: dict[str, float] = field(default_factory=dict)  # in the parent
    base: float = 0.0
    adjustments: dict[str, float] = field(default_factory=dict)
    total: float = 0.0
    grade: str = ""


def _evidence(disclosure: Disclosure) -> bool:
    evidence = disclosure.evidence or {}
    # A page number counts; a url or quote counts unless it is empty or only whitespace.
    if evidence.get("page") is not None:
        return True
    return any(str(evidence.get(key) or "").strip() != "" for key in ("url", "quote"))


def _stats(report: Report) -> dict[str, float]:
    values = list(report.disclosures.values())
    if not values:
        return dict.fromkeys(
            ("disclosures", "quantitative_share", "assured_share", "evidence_share"), 0.0
        )
    return {
        "disclosures": float(len(values)),
        "quantitative_share": sum(isinstance(d.value, float) for d in values) / len(values),
        "assured_share": sum(d.assured for d in values) / len(values),
        "evidence_share": sum(_evidence(d) for d in values) / len(values),
    }


Derived = Mapping[str, "float | None"]  # a report's derived values, None where missing


def field_value(report: Report, name: str, derived: Derived | None = None) -> FieldValue:
    """What a condition sees of one field of one report (`derived`: its derived fields)."""
    if derived is not None and name in derived:
        number = derived[name]
        return MISSING if number is None else FieldValue(True, number)
    if name in report.disclosures:
        disclosure = report.disclosures[name]
        return FieldValue(True, disclosure.value, disclosure.assured, _evidence(disclosure))
    value: Any = None
    if name == "year":
        value = float(report.year)
    elif name.startswith("company."):
        value = report.company.value_of(name[len("company.") :])
    elif name.startswith("stats."):
        value = _stats(report)[name[len("stats.") :]]
    elif name.startswith("report.") and report.report is not None:
        meta = report.report
        part = name[len("report.") :]
        if part.startswith("assurance."):
            value = None if meta.assurance is None else getattr(meta.assurance, part[10:])
        else:
            value = getattr(meta, part)
            if part in ("published", "period_end") and value is not None:
                value = float(value.toordinal())
            if part == "frameworks":
                value = tuple(value) or None
    return MISSING if value is None else FieldValue(True, value)


def _violations(report: Report, where: ViolationFilter) -> int:
    return sum(
        where.matches(v.status, v.category, v.public_response, v.date, report.year)
        for v in report.violations
    )


def holds(condition: Condition, report: Report, derived: Derived | None = None) -> bool:
    if isinstance(condition, FieldTest):
        operator = OPERATORS[condition.op]
        seen = field_value(report, condition.field, derived)
        return bool(operator.scalar(seen, condition.operand))
    if isinstance(condition, AllOf):
        return all(holds(item, report, derived) for item in condition.items)
    if isinstance(condition, AnyOf):
        return any(holds(item, report, derived) for item in condition.items)
    if isinstance(condition, Not):
        return not holds(condition.item, report, derived)
    if isinstance(condition, PublishedWithin):
        meta = report.report
        if meta is None or meta.published is None or meta.period_end is None:
            return False
        return (meta.published - meta.period_end).days <= condition.days
    assert isinstance(condition, ViolationCount)
    return compare_count(
        _violations(report, condition.filter), condition.compare, condition.threshold
    )


def _best(options: list[tuple[bool, float]]) -> int:
    """1-based index of the holding option with the most points, later on ties; else 0."""
    best = 0
    for k, (ok, points) in enumerate(options, start=1):
        if ok and (best == 0 or points >= options[best - 1][1]):
            best = k
    return best


def snap(number: float, grid: float | None) -> float:
    """The nearest multiple of `grid`, halves away from zero, read as decimals are written."""
    if grid is None:
        return number
    steps = (Decimal(repr(number)) / Decimal(repr(grid))).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return float(steps) * grid


def _number(report: Report, name: str, derived: Derived | None) -> float | None:
    seen = field_value(report, name, derived)
    if not seen.present or isinstance(seen.value, bool) or not isinstance(seen.value, float):
        return None
    return seen.value


def criterion_result(
    criterion: Criterion,
    report: Report,
    derived: Derived | None = None,
    peer_statistic: float | None = None,
) -> tuple[int, float]:
    """(level, points) of an applicable criterion. A peer-relative criterion scores
    `peer_statistic` (None where the report has no value) instead of the raw value."""
    scored = criterion.scored_field
    number = None if scored is None else _number(report, scored, derived)
    if criterion.peers is not None:
        number = peer_statistic
    if criterion.value is not None:
        spec = criterion.value
        if number is None:
            return 0, 0.0
        given = snap(number, spec.input_grid)
        position = (given - spec.low) / (spec.high - spec.low)
        if spec.direction == "lower":
            position = (spec.high - given) / (spec.high - spec.low)
        return 1, snap(min(max(position, 0.0), 1.0) * spec.points, spec.points_grid)
    if criterion.checklist is not None:
        checklist = criterion.checklist
        seen = field_value(report, checklist.field)
        if not seen.present:
            return 0, 0.0
        total = 0.0
        for item in set(seen.value):
            if checklist.items is not None and item not in checklist.items:
                continue
            if checklist.matching is not None and not checklist.matching.found_in(item):
                continue
            total += checklist.weights.get(item, checklist.points_each)
        return 1, total if checklist.cap is None else min(total, checklist.cap)
    if criterion.bands is not None:
        bands = criterion.bands
        options = [
            (
                number is not None
                and (number >= step.at if bands.direction == "higher" else number <= step.at),
                step.points,
            )
            for step in bands.steps
        ]
        level = _best(options)
        return level, 0.0 if level == 0 else bands.steps[level - 1].points
    if criterion.cumulative:
        level = 0
        for k, item in enumerate(criterion.levels, start=1):
            if not holds(item.when, report, derived):
                break
            level = k
    else:
        options = [(holds(item.when, report, derived), item.points) for item in criterion.levels]
        level = _best(options)
    return level, 0.0 if level == 0 else criterion.levels[level - 1].points


def _derived(
    field: DerivedField,
    report: Report,
    values: Derived,
    before: tuple[Report, Derived] | None,
) -> float | None:
    """One derived value by the rules of docs/rubrics.md; `before`: the company's record
    of the year before with its derived values, None when it has none."""
    inputs = [_number(report, name, values) for name in field.inputs]
    numbers = [number for number in inputs if number is not None]
    if len(numbers) < len(inputs):
        return None
    if field.form in ("ratio", "share"):
        if numbers[1] == 0:
            return None
        return numbers[0] / numbers[1] * (100.0 if field.form == "share" else 1.0)
    if field.form == "sum":
        total = numbers[0]
        for number in numbers[1:]:
            total += number
        return total
    if field.form == "difference":
        return numbers[0] - numbers[1]
    if before is None:
        return None
    previous = _number(before[0], field.inputs[0], before[1])
    if previous is None or (field.change_as == "percent" and previous == 0):
        return None
    if field.change_as == "percent":
        return (numbers[0] - previous) / abs(previous) * 100.0
    return numbers[0] - previous


class Others:
    """Every record of a scoring run, for what reads other records: a change against the
    previous year and peer groups."""

    def __init__(self, rubric: Rubric, reports: Sequence[Report]) -> None:
        self.rubric = rubric
        self.reports = list(reports)
        self.by_key = {(r.company.id, r.year): r for r in reports}
        self._derived: dict[tuple[str, int], dict[str, float | None]] = {}
        self.ancestors: dict[str, list[Group]] = {}

        def walk(group: Group, above: list[Group]) -> None:
            for child in group.children:
                if isinstance(child, Group):
                    walk(child, [*above, child])
                else:
                    self.ancestors[child.id] = above

        walk(rubric.root, [rubric.root])

    def derived(self, report: Report) -> dict[str, float | None]:
        key = (report.company.id, report.year)
        known = self._derived.get(key)
        if known is None:
            previous = self.by_key.get((report.company.id, report.year - 1))
            before = None if previous is None else (previous, self.derived(previous))
            known = {}
            for field in self.rubric.derived:
                known[field.name] = _derived(field, report, known, before)
            self._derived[key] = known
        return known

    def applies(self, criterion: Criterion, report: Report) -> bool:
        derived = self.derived(report)
        nodes: list[Group | Criterion] = [*self.ancestors[criterion.id], criterion]
        for node in nodes:
            if node.applies_when is not None and not holds(node.applies_when, report, derived):
                return False
        return criterion.fields_read.isdisjoint(report.not_applicable)

    def peer_statistic(self, criterion: Criterion, report: Report) -> float | None:
        scoring, scored = criterion.peers, criterion.scored_field
        assert scoring is not None
        assert scored is not None
        mine = _number(report, scored, self.derived(report))
        if mine is None:
            return None

        def group_of(other: Report) -> tuple[Any, ...]:
            seen = [field_value(other, name) for name in scoring.grouping]
            return tuple(value.value if value.present else None for value in seen)

        group = group_of(report)
        values = [
            number
            for other in self.reports
            if group_of(other) == group
            and self.applies(criterion, other)
            and (number := _number(other, scored, self.derived(other))) is not None
        ]
        return peer_statistic(scoring.method, mine, values)


def peer_statistic(method: str, mine: float, values: list[float]) -> float:
    """Where `mine` stands among `values` (which include it), as the method says."""
    if method == "min-max":
        low, high = min(values), max(values)
        return MIDDLE["min-max"] if high == low else 100.0 * (mine - low) / (high - low)
    if method == "percentile":
        if len(values) == 1:
            return MIDDLE["percentile"]
        below = sum(value < mine for value in values)
        equal = sum(value == mine for value in values)
        return 100.0 * (below + (equal - 1) / 2) / (len(values) - 1)
    mean = math.fsum(values) / len(values)
    sd = math.sqrt(math.fsum((value - mean) ** 2 for value in values) / len(values))
    return MIDDLE["z-score"] if sd == 0 else (mine - mean) / sd


def reference_score(
    report: Report, rubric: Rubric, others: Others | None = None
) -> ReferenceResult:
    """`others`: every record of the run, needed when the rubric reads other records
    (`Rubric.cross_record`); without it the report is taken as the only one."""
    result = ReferenceResult(report.company.id, report.year)
    others = others or Others(rubric, [report])
    derived = others.derived(report)

    def applies(node: Group | Criterion) -> bool:
        return node.applies_when is None or holds(node.applies_when, report, derived)

    def group_weight(group: Group) -> float:
        """Its weight, or under `weights: applicable-points` (and `na_policy: exclude`) the
        maximum points of the criteria below it that apply (their levels are known by now)."""
        if group.weight is not None or rubric.weights == "max-points":
            return group.effective_weight
        if rubric.na_policy == "zero":
            return group.max_points
        below = [node for node in group.walk() if isinstance(node, Criterion)]
        return sum(c.max_points for c in below if result.levels[c.id] >= 0)

    def visit(group: Group, inherited: bool) -> tuple[float | None, bool]:
        """(score, counts in the parent) for one group."""
        applicable = inherited and applies(group)
        children: list[tuple[float, float, bool]] = []  # (weight, fraction, counted)
        for child in group.children:
            if isinstance(child, Group):
                child_score, counted = visit(child, applicable)
                result.group_weights[child.id] = child_weight = group_weight(child)
                children.append((child_weight, child_score or 0.0, counted))
            else:
                declared = not child.fields_read.isdisjoint(report.not_applicable)
                counted = applicable and applies(child) and not declared
                peer = None
                if counted and child.peers is not None:
                    peer = others.peer_statistic(child, report)
                level, points = (
                    criterion_result(child, report, derived, peer) if counted else (-1, 0.0)
                )
                result.levels[child.id], result.points[child.id] = level, points
                children.append((child.effective_weight, points / child.max_points, counted))
        if rubric.na_policy == "zero":
            used = [(w, f if counted else 0.0) for w, f, counted in children]
        else:
            used = [(w, f) for w, f, counted in children if counted]
        weight = sum(w for w, _ in used)
        score: float | None
        if not applicable or weight == 0:
            score = None
        elif group.aggregation == "geometric":
            # A child of weight 0 counts nothing, so its 0 does not zero the group.
            if any(f <= 0 and w > 0 for w, f in used):
                score = 0.0
            else:
                score = math.exp(sum(w * math.log(f) for w, f in used if w > 0) / weight)
        else:
            score = sum(w * f for w, f in used) / weight
        result.group_scores[group.id] = score
        # Under the zero policy an N/A group has no score but counts as 0 in its parent.
        return score, rubric.na_policy == "zero" or score is not None

    root_score, _ = visit(rubric.root, True)
    result.base = (root_score or 0.0) * rubric.scale
    running = result.base
    for adjustment in sorted(rubric.adjustments, key=lambda a: a.kind == "cap"):
        active = adjustment.when is None or holds(adjustment.when, report, derived)
        effect = 0.0
        if active and adjustment.kind == "cap":
            assert adjustment.cap is not None
            effect = min(running, adjustment.cap) - running
        elif active and adjustment.kind == "count":
            assert adjustment.count is not None
            effect = adjustment.points_each * _violations(report, adjustment.count)
            if adjustment.floor is not None:
                effect = max(effect, adjustment.floor)
            if adjustment.ceiling is not None:
                effect = min(effect, adjustment.ceiling)
        elif active:
            effect = adjustment.points
        result.adjustments[adjustment.id] = effect
        running += effect
    result.total = min(max(running, 0.0), rubric.scale)
    result.grade = rubric.grade_for(result.total)
    return result
