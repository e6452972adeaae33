"""Suggested disclosures: a concrete change to a report that makes a condition hold.

The suggestion is a patch of disclosure keys: a long-form value to disclose, or `None` to
withdraw a key (for `missing` tests). It is built from the condition alone. Conditions on
company or report metadata, violation records, regular expressions and contradictory
requirements get no suggestion; the failing tests are still listed.
"""

from __future__ import annotations

from typing import Any

from csrscore.explain.advice import condition_words, presence_flipped
from csrscore.records.model import Report
from csrscore.rubric.catalog import Catalog, FieldSpec
from csrscore.rubric.conditions import AllOf, AnyOf, Condition, FieldTest, Not, fields_of

Patch = dict[str, dict[str, Any] | None]


def _example(spec: FieldSpec) -> Any:
    if spec.type == "bool":
        return True
    if spec.type == "number":
        return 1.0
    if spec.type == "list":
        return [spec.values[0]] if spec.values else ["disclosed"]
    if spec.values:
        return spec.values[-1]
    return "disclosed"


def _current(report: Report, key: str) -> dict[str, Any] | None:
    disclosure = report.disclosures.get(key)
    if disclosure is None:
        return None
    value = disclosure.value
    out: dict[str, Any] = {"value": list(value) if isinstance(value, tuple) else value}
    if disclosure.assured:
        out["assured"] = True
    if disclosure.evidence:
        out["evidence"] = dict(disclosure.evidence)
    if disclosure.unit:
        out["unit"] = disclosure.unit
    return out


def _value_for(test: FieldTest, spec: FieldSpec, current: Any) -> tuple[bool, Any]:
    """(possible, value) satisfying a single value test."""
    op, x = test.op, test.operand
    if op in ("exists", "assured", "has_evidence"):
        return True, current if current is not None else _example(spec)
    if op == "true":
        return True, True
    if op == "number":
        return True, current if isinstance(current, float) else 1.0
    if op == "eq":
        return True, test.source_operand
    if op == "ne":
        if spec.type == "bool":
            return True, not x
        if spec.type == "number":
            return True, x + 1.0
        others = [v for v in (spec.values or ()) if v != x]
        return True, others[0] if others else f"{x} (other)"
    if op in ("gt", "gte", "lt", "lte", "between"):
        if spec.type != "number":
            return False, None
        if op == "between":
            return True, x[0]
        return True, {"gt": x + 1.0, "gte": x, "lt": x - 1.0, "lte": x}[op]
    if op == "in":
        return True, test.source_operand[0]
    if op == "not_in":
        others = [v for v in (spec.values or ()) if v not in x]
        return (True, others[0]) if others else (False, None)
    if op == "contains":
        if spec.type == "list":
            items = list(current) if isinstance(current, list) else []
            return True, items if x in items else [*items, x]
        return True, x
    return False, None  # matches: a regex is not something to invent text for


def _merge(first: Patch | None, second: Patch | None) -> Patch | None:
    if first is None or second is None:
        return None
    merged: Patch = dict(first)
    for key, change in second.items():
        if key not in merged:
            merged[key] = change
            continue
        before = merged[key]
        if before is None or change is None:
            if before is not change:
                return None
            continue
        if "value" in before and "value" in change and before["value"] != change["value"]:
            return None
        merged[key] = {**before, **change}
    return merged


class Suggester:
    """Patches for failing conditions, company after company.

    A patch for a report that discloses none of the condition's fields depends on the
    condition alone; those are most of what improvement paths ask for, so they are made
    once and copied.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._fields: dict[int, tuple[str, ...]] = {}
        self._blank: dict[int, Patch | None] = {}
        # Shared between explanations: read-only (callers copy before adding).
        self._words: dict[tuple[int, tuple[str, ...], tuple[str, ...]], list[str]] = {}

    def failing(self, condition: Condition, report: Report) -> Patch | None:
        """A patch that makes `condition`, which the engine found false for `report`, hold;
        None when none can be built."""
        key = id(condition)
        fields = self._fields.get(key)
        if fields is None:
            fields = self._fields[key] = tuple(fields_of(condition))
        if not report.disclosures.keys().isdisjoint(fields):
            return _patch(condition, report, self.catalog)
        if key not in self._blank:
            self._blank[key] = _patch(condition, report, self.catalog)
        return copy_patch(self._blank[key])

    def words(self, condition: Condition, report: Report, patch: Patch) -> list[str]:
        """`patch`, which `failing` built for this condition and report, in words (see
        `advice`), following the same alternatives.

        Words depend on the report only through which of the condition's fields it
        discloses and which branch the patch took (its keys), so they are made once per
        such case: building them for every company cost 40% of a batch explanation.
        """
        disclosures = report.disclosures
        disclosed = tuple(key for key in self._fields[id(condition)] if key in disclosures)
        key = (id(condition), disclosed, tuple(patch))
        found = self._words.get(key)
        if found is None:
            found = self._words[key] = (
                condition_words(
                    condition,
                    self.catalog,
                    lambda item: _patch(item, report, self.catalog) is not None,
                    disclosed,
                )
                or []
            )
        return found


def copy_patch(patch: Patch | None) -> Patch | None:
    """A copy that shares nothing editable with `patch`. A change's values are scalars, or
    lists and evidence mappings of scalars, so one level of copying below it is enough; this
    is several times faster than a generic deep copy, and patches are copied by the
    thousand in a batch."""
    if patch is None:
        return None
    out: Patch = {}
    for key, change in patch.items():
        if change is not None:
            change = change.copy()
            for name, value in change.items():
                if type(value) is list or type(value) is dict:
                    change[name] = value.copy()  # replaces a value: the dict's size holds
        out[key] = change
    return out


def _patch(condition: Condition, report: Report, catalog: Catalog) -> Patch | None:
    if isinstance(condition, AllOf):
        result: Patch | None = {}
        for item in condition.items:
            result = _merge(result, _patch(item, report, catalog))
        return result
    if isinstance(condition, AnyOf):
        for item in condition.items:
            found = _patch(item, report, catalog)
            if found is not None:
                return found
        return None
    if isinstance(condition, Not):
        flipped = presence_flipped(condition)
        return None if flipped is None else _patch(flipped, report, catalog)
    if not isinstance(condition, FieldTest):
        return None
    spec = catalog.get(condition.field)
    if spec is None or spec.origin != "disclosure":
        return None
    if condition.op == "missing":
        return {condition.field: None}
    current = _current(report, condition.field)
    possible, value = _value_for(condition, spec, None if current is None else current["value"])
    if not possible:
        return None
    change: dict[str, Any] = {**(current or {}), "value": value}
    if condition.op == "assured":
        change["assured"] = True
    if condition.op == "has_evidence":
        change.setdefault("evidence", {"page": 1})
    return {condition.field: change}


def apply_patch(record: dict[str, Any], patch: Patch) -> dict[str, Any]:
    """A copy of a report record (as JSON data) with the patch applied."""
    disclosures = dict(record.get("disclosures", {}))
    for key, change in patch.items():
        if change is None:
            disclosures.pop(key, None)
        else:
            disclosures[key] = change
    return {**record, "disclosures": disclosures}
