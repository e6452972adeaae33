"""Check report records against the rubric's catalog before scoring.

A wrong type on a known key, or a value the catalog does not list, rejects the record (it
could never be scored as the rubric means); a case or spacing variant of a listed value
("UNGP", "board committee") is taken as that value, spelled as the catalog spells it. A key
the catalog does not know is only a warning, since it may belong to another rubric.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from csrscore.records.disclosure import Disclosure
from csrscore.records.load import Rejection, ReportSet
from csrscore.records.model import Report
from csrscore.rubric.catalog import Catalog, FieldSpec

_KIND_OF_TYPE = {"bool": bool, "number": float, "text": str, "enum": str, "list": tuple}


@dataclass(frozen=True)
class UnknownKey:
    key: str
    records: int
    first_index: int

    def __str__(self) -> str:
        return (
            f"disclosure key {self.key!r} is not in the catalog, so no criterion reads it "
            "(it still counts in stats.disclosures) "
            f"({self.records} record{'s' * (self.records != 1)}, "
            f"first at record {self.first_index})"
        )


def type_problem(spec: FieldSpec, value: Any) -> str | None:
    expected = _KIND_OF_TYPE.get(spec.type)
    if expected is not None and type(value) is not expected:
        return f"catalog says {spec.type}, got {type(value).__name__}"
    if spec.values is not None:
        items = value if isinstance(value, tuple) else (value,)
        bad = [item for item in items if item not in spec.values]
        if bad:
            return f"{bad[0]!r} is not one of: {', '.join(spec.values)}{_close(bad[0], spec)}"
    return None


def catalog_form(text: str) -> str:
    """The form two spellings of one catalog value share: case folded, and runs of spaces,
    hyphens and underscores made one underscore ("Board committee" -> "board_committee")."""
    return re.sub(r"[\s_-]+", "_", text.strip()).casefold()


def _canonical(spec: FieldSpec) -> dict[str, str]:
    assert spec.values is not None
    return {catalog_form(value): value for value in spec.values}


def canonical_value(spec: FieldSpec, value: Any) -> Any:
    """`value` with each item that is a case or spacing variant of a catalog value replaced
    by that value; anything else unchanged (and then rejected by `type_problem`)."""
    if spec.values is None or not isinstance(value, (str, tuple)):
        return value
    items = value if isinstance(value, tuple) else (value,)
    if all(item in spec.values for item in items):
        return value
    canonical = _canonical(spec)
    fixed = tuple(
        item if item in spec.values else canonical.get(catalog_form(item), item) for item in items
    )
    return fixed if isinstance(value, tuple) else fixed[0]


def _close(value: str, spec: FieldSpec) -> str:
    canonical = _canonical(spec)
    close = difflib.get_close_matches(catalog_form(value), list(canonical), n=1, cutoff=0.6)
    return f" (did you mean {canonical[close[0]]!r}?)" if close else ""


def conform(reports: ReportSet, catalog: Catalog) -> tuple[ReportSet, tuple[UnknownKey, ...]]:
    """Split out records that contradict the catalog; collect keys it does not know."""
    kept: list[Report] = []
    positions: list[int] = []
    rejected = list(reports.rejected)
    unknown: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    fields = catalog.fields
    for index, report in enumerate(reports.reports):
        problem: Rejection | None = None
        fixed: dict[str, Disclosure] = {}  # values normalised to their catalog spelling
        for key, disclosure in report.disclosures.items():
            spec = fields.get(key)
            if spec is None:
                unknown[key] += 1
                first_seen.setdefault(key, reports.position(index))
                continue
            value = canonical_value(spec, disclosure.value)
            if value is not disclosure.value:
                fixed[key] = disclosure._replace(value=value)
            message = type_problem(spec, value)
            if message is not None and problem is None:
                problem = Rejection(
                    index=reports.position(index),
                    message=message,
                    path=f'disclosures["{key}"]',
                    company_id=report.company.id,
                    source=reports.source,
                )
        if problem is None and fixed:
            report = report.model_copy(update={"disclosures": {**report.disclosures, **fixed}})
        if problem is None:
            kept.append(report)
            positions.append(reports.position(index))
        else:
            rejected.append(problem)
    warnings = tuple(UnknownKey(k, unknown[k], first_seen[k]) for k in sorted(unknown))
    rejected.sort(key=lambda rejection: rejection.index)
    conformed = replace(
        reports, reports=tuple(kept), rejected=tuple(rejected), positions=tuple(positions)
    )
    return conformed, warnings
