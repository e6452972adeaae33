"""Records -> columns, once. After this, scoring never touches a report object again.

Each loop here runs once per (field, report) for the fields the rubric references, and
builds plain lists that numpy turns into arrays; the catalog says each field's type, so one
pass per field suffices.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from csrscore.engine.columns import BoolArray, Column, FloatArray, IntArray
from csrscore.records.model import Disclosure, Report
from csrscore.rubric.catalog import FieldSpec
from csrscore.rubric.conditions import ViolationFilter

_EMPTY_INT = np.zeros(0, dtype=np.int64)
NAN = math.nan


def has_evidence(disclosure: Disclosure) -> bool:
    """Evidence counts when it gives a page, or a url or quote that is not blank: a quote
    of spaces points at nothing, as an empty one does."""
    evidence = disclosure.evidence
    if not evidence:
        return False
    if evidence.get("page") is not None:
        return True
    return bool((evidence.get("url") or "").strip() or (evidence.get("quote") or "").strip())


STATS_FIELDS = (
    "stats.disclosures",
    "stats.quantitative_share",
    "stats.assured_share",
    "stats.evidence_share",
)


def report_stats(report: Report) -> tuple[float, float, float, float]:
    """Derived `stats.*` fields, in STATS_FIELDS order: how much, and how well backed."""
    disclosures = report.disclosures.values()
    total = len(disclosures)
    if total == 0:
        return (0.0, 0.0, 0.0, 0.0)
    numbers = assured = evidenced = 0
    for d in disclosures:
        numbers += type(d.value) is float
        assured += d.assured
        evidenced += has_evidence(d)
    return (float(total), numbers / total, assured / total, evidenced / total)


def builtin_value(report: Report, name: str) -> Any:
    """A built-in field's raw value, or None when absent. Dates become day ordinals."""
    if name == "year":
        return float(report.year)
    head, _, rest = name.partition(".")
    if head == "company":
        return report.company.value_of(rest)
    if head == "stats":
        return report_stats(report)[STATS_FIELDS.index(name)]
    meta = report.report
    if meta is None:
        return None
    if rest.startswith("assurance."):
        return None if meta.assurance is None else getattr(meta.assurance, rest.split(".", 1)[1])
    value = getattr(meta, rest)
    if rest in ("published", "period_end"):
        return None if value is None else float(value.toordinal())
    if rest == "frameworks":
        return tuple(value) if value else None
    return value


def _empty_bools(n: int) -> BoolArray:
    return np.zeros(n, dtype=bool)


def _column(
    spec: FieldSpec,
    n: int,
    rows: list[int],
    values: list[Any],
    assured: BoolArray | None = None,
    evidence: BoolArray | None = None,
) -> Column:
    """One column of `n` rows from the rows that have a value, and those values."""
    where = np.array(rows, dtype=np.int64)
    present = _empty_bools(n)
    present[where] = True
    numbers = np.full(n, NAN)
    booleans = _empty_bools(n)
    truth = _empty_bools(n)
    codes = np.full(n, -1, dtype=np.int64)
    list_rows: IntArray = _EMPTY_INT
    list_codes: IntArray = _EMPTY_INT
    vocabulary: dict[str, int] = {}
    if spec.type in ("number", "date"):
        numbers[where] = np.array(values, dtype=np.float64)
    elif spec.type == "bool":
        booleans = present.copy()
        truth[where] = np.array([v is True for v in values], dtype=bool)
    elif spec.type in ("text", "enum"):
        codes[where] = [vocabulary.setdefault(v, len(vocabulary)) for v in values]
    else:  # list
        item_rows: list[int] = []
        items: list[int] = []
        for row, value in zip(rows, values, strict=True):
            for item in value:
                item_rows.append(row)
                items.append(vocabulary.setdefault(item, len(vocabulary)))
        list_rows = np.array(item_rows, dtype=np.int64)
        list_codes = np.array(items, dtype=np.int64)
    return Column(
        present=present,
        assured=_empty_bools(n) if assured is None else assured,
        evidence=_empty_bools(n) if evidence is None else evidence,
        booleans=booleans,
        truth=truth,
        numbers=numbers,
        codes=codes,
        vocabulary=tuple(vocabulary),
        list_rows=list_rows,
        list_codes=list_codes,
    )


def _builtin_column(reports: Sequence[Report], spec: FieldSpec) -> Column:
    values = [builtin_value(report, spec.name) for report in reports]
    rows = [row for row, value in enumerate(values) if value is not None]
    return _column(spec, len(reports), rows, [values[row] for row in rows])


def _disclosure_columns(
    reports: Sequence[Report], specs: Mapping[str, FieldSpec], provenance: set[str]
) -> dict[str, Column]:
    """Every disclosure column in one pass over each report's disclosures.

    A report holds ~100 disclosures while a rubric may test several hundred keys, so
    walking what each report has is cheaper than looking up every key in every report.
    """
    n = len(reports)
    found: dict[str, tuple[list[int], list[Disclosure]]] = {name: ([], []) for name in specs}
    for row, report in enumerate(reports):
        for key, disclosure in report.disclosures.items():
            bucket = found.get(key)
            if bucket is not None:
                bucket[0].append(row)
                bucket[1].append(disclosure)
    columns = {}
    for name, (rows, disclosures) in found.items():
        assured = evidence = None
        if name in provenance:
            where = np.array(rows, dtype=np.int64)
            assured, evidence = _empty_bools(n), _empty_bools(n)
            assured[where] = [d.assured for d in disclosures]
            evidence[where] = [has_evidence(d) for d in disclosures]
        values = [d.value for d in disclosures]
        columns[name] = _column(specs[name], n, rows, values, assured, evidence)
    return columns


def build_column(reports: Sequence[Report], spec: FieldSpec, provenance: bool) -> Column:
    """The column of one field. `provenance` adds the assured/evidence masks."""
    if spec.origin == "disclosure":
        return _disclosure_columns(
            reports, {spec.name: spec}, {spec.name} if provenance else set()
        )[spec.name]
    if spec.origin == "stats":
        return columns_for(reports, {spec.name: spec}, set())[spec.name]
    return _builtin_column(reports, spec)


@dataclass(frozen=True)
class ViolationTable:
    """Every violation record of every report, flat, for vectorized counting."""

    row: IntArray
    status: tuple[str, ...]
    status_codes: IntArray
    category_codes: IntArray
    categories: tuple[str, ...]
    public_response: BoolArray
    date: FloatArray  # day ordinals
    year: FloatArray  # calendar year of each record's date
    report_year: FloatArray  # reporting year of the report that holds it
    n_reports: int

    def count(self, where: ViolationFilter) -> IntArray:
        """Matching violation records per report."""
        mask = np.ones(len(self.row), dtype=bool)
        if where.statuses is not None:
            wanted = [self.status.index(s) for s in where.statuses if s in self.status]
            mask &= np.isin(self.status_codes, wanted)
        if where.categories is not None:
            wanted = [self.categories.index(c) for c in where.categories if c in self.categories]
            mask &= np.isin(self.category_codes, wanted)
        if where.public_response is not None:
            mask &= self.public_response == where.public_response
        if where.date_from is not None:
            mask &= self.date >= where.date_from.toordinal()
        if where.date_to is not None:
            mask &= self.date <= where.date_to.toordinal()
        if where.within_years is not None:
            mask &= (self.year > self.report_year - where.within_years) & (
                self.year <= self.report_year
            )
        counts: IntArray = np.bincount(self.row[mask], minlength=self.n_reports)
        return counts


STATUSES = ("open", "responded", "corrected", "closed")


def build_violations(reports: Sequence[Report]) -> ViolationTable:
    rows: list[int] = []
    statuses: list[int] = []
    categories: list[int] = []
    responses: list[bool] = []
    dates: list[int] = []
    years: list[int] = []
    report_years: list[int] = []
    category_codes: dict[str | None, int] = {}
    for row, report in enumerate(reports):
        for violation in report.violations:
            rows.append(row)
            statuses.append(STATUSES.index(violation.status))
            categories.append(category_codes.setdefault(violation.category, len(category_codes)))
            responses.append(violation.public_response)
            dates.append(violation.date.toordinal())
            years.append(violation.date.year)
            report_years.append(report.year)
    names = tuple("" if c is None else c for c in category_codes)
    # A record without a category must never match a category filter.
    codes = np.array(categories, dtype=np.int64)
    if None in category_codes:
        codes[codes == category_codes[None]] = -1
    return ViolationTable(
        row=np.array(rows, dtype=np.int64),
        status=STATUSES,
        status_codes=np.array(statuses, dtype=np.int64),
        category_codes=codes,
        categories=names,
        public_response=np.array(responses, dtype=bool),
        date=np.array(dates, dtype=np.float64),
        year=np.array(years, dtype=np.float64),
        report_year=np.array(report_years, dtype=np.float64),
        n_reports=len(reports),
    )


def publication_delay(reports: Sequence[Report]) -> FloatArray:
    """Days from period end to publication; NaN when either date is missing."""

    def delay(report: Report) -> float:
        meta = report.report
        if meta is None or meta.published is None or meta.period_end is None:
            return NAN
        return float((meta.published - meta.period_end).days)

    return np.array([delay(report) for report in reports], dtype=np.float64)


def columns_for(
    reports: Sequence[Report], specs: Mapping[str, FieldSpec], provenance: set[str]
) -> dict[str, Column]:
    """Columns for every field a plan references."""
    n = len(reports)
    disclosure_specs = {name: spec for name, spec in specs.items() if spec.origin == "disclosure"}
    columns = _disclosure_columns(reports, disclosure_specs, provenance)
    for name, spec in specs.items():
        # Derived fields are computed from these columns afterwards (engine.derived).
        if spec.origin not in ("disclosure", "stats", "derived"):
            columns[name] = _builtin_column(reports, spec)
    wanted = [name for name in specs if specs[name].origin == "stats"]
    if wanted:
        # One pass over every disclosure serves all four stats fields.
        table = np.array([report_stats(report) for report in reports], dtype=np.float64)
        table = table.reshape(n, len(STATS_FIELDS))
        for name in wanted:
            values = table[:, STATS_FIELDS.index(name)].tolist()
            columns[name] = _column(specs[name], n, list(range(n)), values)
    return columns
