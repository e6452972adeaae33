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
    """Evidence counts when it gives a page, or a non-empty url or quote."""
    evidence = disclosure.evidence
    if not evidence:
        return False
    return evidence.get("page") is not None or bool(evidence.get("url") or evidence.get("quote"))


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
        return getattr(report.company, rest)
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
    values: Sequence[Any],
    assured: BoolArray,
    evidence: BoolArray,
) -> Column:
    """One column from per-row raw values (None = absent) of a known type."""
    n = len(values)
    present = np.fromiter((v is not None for v in values), dtype=bool, count=n)
    numbers = np.full(n, NAN)
    booleans = _empty_bools(n)
    truth = _empty_bools(n)
    codes = np.full(n, -1, dtype=np.int64)
    list_rows: IntArray = _EMPTY_INT
    list_codes: IntArray = _EMPTY_INT
    vocabulary: dict[str, int] = {}
    if spec.type in ("number", "date"):
        numbers = np.array([NAN if v is None else v for v in values], dtype=np.float64)
    elif spec.type == "bool":
        booleans = present.copy()
        truth = np.fromiter((v is True for v in values), dtype=bool, count=n)
    elif spec.type in ("text", "enum"):
        codes = np.array(
            [-1 if v is None else vocabulary.setdefault(v, len(vocabulary)) for v in values],
            dtype=np.int64,
        )
    else:  # list
        rows: list[int] = []
        items: list[int] = []
        for row, value in enumerate(values):
            if value is not None:
                for item in value:
                    rows.append(row)
                    items.append(vocabulary.setdefault(item, len(vocabulary)))
        list_rows = np.array(rows, dtype=np.int64)
        list_codes = np.array(items, dtype=np.int64)
    return Column(
        present=present,
        assured=assured,
        evidence=evidence,
        booleans=booleans,
        truth=truth,
        numbers=numbers,
        codes=codes,
        vocabulary=tuple(vocabulary),
        list_rows=list_rows,
        list_codes=list_codes,
    )


def build_column(
    reports: Sequence[Report],
    spec: FieldSpec,
    provenance: bool,
    disclosures: Sequence[Mapping[str, Disclosure]] | None = None,
) -> Column:
    """The column of one field. `provenance` adds the assured/evidence masks.

    `disclosures` (each report's disclosure dict) may be passed in when building many
    columns, so that model attribute access happens once per report, not once per field.
    """
    n = len(reports)
    if spec.origin != "disclosure":
        values = [builtin_value(report, spec.name) for report in reports]
        return _column(spec, values, _empty_bools(n), _empty_bools(n))
    key = spec.name
    if disclosures is None:
        disclosures = [report.disclosures for report in reports]
    found = [d.get(key) for d in disclosures]
    raw: list[Any] = [None if d is None else d.value for d in found]
    if provenance:
        assured = np.fromiter((d is not None and d.assured for d in found), dtype=bool, count=n)
        evidence = np.fromiter(
            (d is not None and has_evidence(d) for d in found), dtype=bool, count=n
        )
    else:
        assured = evidence = _empty_bools(n)
    return _column(spec, raw, assured, evidence)


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
    disclosures = [report.disclosures for report in reports]
    columns = {
        name: build_column(reports, spec, name in provenance, disclosures)
        for name, spec in specs.items()
        if spec.origin != "stats"
    }
    wanted = [name for name in specs if specs[name].origin == "stats"]
    if wanted:
        # One pass over every disclosure serves all four stats fields.
        table = np.array([report_stats(report) for report in reports], dtype=np.float64)
        table = table.reshape(len(reports), len(STATS_FIELDS))
        for name in wanted:
            values = table[:, STATS_FIELDS.index(name)].tolist()
            columns[name] = _column(
                specs[name], values, _empty_bools(len(reports)), _empty_bools(len(reports))
            )
    return columns
