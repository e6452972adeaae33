"""The catalog check: the last part of deciding whether a record is valid.

Every reader (JSON, JSON Lines, tables, chunks) and every command (`validate`, `rank`,
`score`, `score_chunks`) passes its records through `check_reports`, so they all accept and
reject the same records with the same located messages.

A wrong type on a known key, a value the catalog does not list, or a number outside the
catalog's range rejects the record (it could never be scored as the rubric means), unless
`bad_values="as-missing"`, which drops that one value instead and lists it. A case or
spacing variant of a listed value ("UNGP", "board committee") is taken as that value,
spelled as the catalog spells it. A key the catalog does not know is only a warning, since
it may belong to another rubric.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from csrscore.records.disclosure import Disclosure
from csrscore.records.load import Rejection, ReportSet
from csrscore.records.model import Report

if TYPE_CHECKING:
    # Only for annotations: the catalog module sits with the rubric, whose package imports
    # the engine, which imports this one.
    from csrscore.rubric.catalog import Catalog, FieldSpec

__all__ = ["BAD_VALUE_POLICIES", "BadValues", "UnknownKey", "check_reports", "type_problem"]

BadValues: TypeAlias = Literal["reject", "as-missing"]
BAD_VALUE_POLICIES: tuple[BadValues, ...] = ("reject", "as-missing")

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
    """Why `value` cannot be `spec`'s value, in words; None when it can."""
    expected = _KIND_OF_TYPE.get(spec.type)
    if expected is not None and type(value) is not expected:
        return f"catalog says {spec.type}, got {type(value).__name__}"
    if spec.values is not None:
        items = value if isinstance(value, tuple) else (value,)
        bad = [item for item in items if item not in spec.values]
        if bad:
            return f"{bad[0]!r} is not one of: {', '.join(spec.values)}{_close(bad[0], spec)}"
    if (spec.minimum is not None and value < spec.minimum) or (
        spec.maximum is not None and value > spec.maximum
    ):
        return range_problem(spec, value)
    return None


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


def range_text(spec: FieldSpec) -> str:
    """The catalog's range in words: "0 to 100 %", "at least 0 t", "at most 100 %"."""
    unit = f" {spec.unit}" if spec.unit else ""
    low, high = spec.minimum, spec.maximum
    if low is not None and high is not None:
        return f"{_number(low)} to {_number(high)}{unit}"
    if low is not None:
        return f"at least {_number(low)}{unit}"
    return f"at most {_number(high)}{unit}" if high is not None else ""


def range_problem(spec: FieldSpec, value: float) -> str:
    message = f"{_number(value)} is out of the catalog's range, {range_text(spec)}"
    if spec.maximum == 1 and spec.minimum == 0 and 1 < value <= 100:
        message += "; if the file gives percent, divide by 100"
    return message


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


def _same_catalog(a: Catalog | None, b: Catalog) -> bool:
    return a is b or (a is not None and a == b)


def _conform_attributes(report: Report, specs: list[FieldSpec]) -> tuple[Report, str, str]:
    """The report with its company attributes in their declared spelling, or the path and
    message of the first attribute whose value contradicts its `company.<name>` declaration
    (attributes describe the company, so a bad one rejects the record in either mode)."""
    given = report.company.attributes
    fixed: dict[str, Any] = {}
    for spec in specs:
        name = spec.name.removeprefix("company.")
        if name not in given:
            continue
        value = canonical_value(spec, given[name])
        message = type_problem(spec, value)
        if message is not None:
            return report, f"company.attributes.{name}", message
        if value is not given[name]:
            fixed[name] = value
    if fixed:
        company = report.company.model_copy(update={"attributes": {**given, **fixed}})
        report = report.model_copy(update={"company": company})
    return report, "", ""


def check_reports(
    reports: ReportSet, catalog: Catalog, bad_values: BadValues = "reject"
) -> ReportSet:
    """`reports` checked against `catalog`: records that contradict it moved to `rejected`
    (or, with `bad_values="as-missing"`, their bad values dropped and listed in
    `treated_as_missing`), values put in their catalog spelling, unknown keys collected in
    `warnings`. A set already checked against this catalog is returned as it is."""
    if _same_catalog(reports.catalog, catalog) and reports.bad_values == bad_values:
        return reports
    lenient = bad_values == "as-missing"
    kept: list[Report] = []
    positions: list[int] = []
    lines: list[int | None] = []
    rejected = list(reports.rejected)
    treated = list(reports.treated_as_missing)
    unknown: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    fields = catalog.fields
    attributes = [spec for spec in fields.values() if spec.origin == "company"]
    for index, report in enumerate(reports.reports):
        position = reports.position(index)
        line = reports.line(index)
        if attributes and report.company.attributes:
            report, path, attribute_problem = _conform_attributes(report, attributes)
            if attribute_problem:
                rejected.append(
                    Rejection(
                        position, attribute_problem, path, report.company.id, line, reports.source
                    )
                )
                continue
        problems: dict[str, str] = {}  # key -> what is wrong with its value
        fixed: dict[str, Disclosure] = {}  # values normalised to their catalog spelling
        for key, disclosure in report.disclosures.items():
            spec = fields.get(key)
            if spec is None:
                unknown[key] += 1
                first_seen.setdefault(key, position)
                continue
            value = canonical_value(spec, disclosure.value)
            if value is not disclosure.value:
                fixed[key] = disclosure._replace(value=value)
            message = type_problem(spec, value)
            if message is not None:
                problems[key] = message
                if not lenient:
                    break
        located = [
            Rejection(position, message, f'disclosures["{key}"]', report.company.id, line,
                      reports.source)
            for key, message in problems.items()
        ]  # fmt: skip
        if located and not lenient:
            rejected.append(located[0])
            continue
        if problems or fixed:
            disclosures = {
                key: fixed.get(key, disclosure)
                for key, disclosure in report.disclosures.items()
                if key not in problems
            }
            report = report.model_copy(update={"disclosures": disclosures})
            treated += located
        kept.append(report)
        positions.append(position)
        lines.append(line)
    warnings = tuple(UnknownKey(k, unknown[k], first_seen[k]) for k in sorted(unknown))
    rejected.sort(key=lambda rejection: rejection.index)
    return replace(
        reports,
        reports=tuple(kept),
        rejected=tuple(rejected),
        positions=tuple(positions),
        lines=tuple(lines),
        warnings=warnings,
        treated_as_missing=tuple(treated),
        catalog=catalog,
        bad_values=bad_values,
    )
