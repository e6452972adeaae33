"""Report records from CSV, TSV, XLSX, Parquet and Arrow files, and from data frames.

Rows become the same record dicts a JSON file holds, and those go through `load_reports`,
so a table is held to exactly the checks a JSON file is; only the locations differ: a
rejected record is named by its file, sheet, row, column letter and header.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from csrscore.engine.conform import type_problem
from csrscore.errors import Location
from csrscore.io.cells import CellReader
from csrscore.io.columns import Column, resolve
from csrscore.io.mapping import TableMapping, load_mapping
from csrscore.io.rows import Built, build
from csrscore.io.sheets import TABLE_SUFFIXES, Sheet, is_frame, open_sheets
from csrscore.records.load import (
    MAX_INPUT_BYTES,
    Rejection,
    ReportSet,
    load_reports,
    register_reader,
)
from csrscore.records.model import Report
from csrscore.rubric.catalog import Catalog, FieldSpec
from csrscore.rubric.load import DEFAULT_CATALOG, load_catalog
from csrscore.textsafe import visible

__all__ = ["CellRejection", "is_table", "read_table"]


@dataclass(frozen=True)
class CellRejection(Rejection):
    """A rejected table row, located by its sheet, row and cell as a spreadsheet shows them."""

    sheet: str | None = None
    column: str | None = None  # the column letter
    header: str | None = None

    @property
    def location(self) -> Location:
        source = f"{self.source}[{self.sheet}]" if self.sheet else self.source
        where = f'column {self.column} "{self.header}"' if self.column else None
        return Location(source=source, line=self.line, company_id=self.company_id, path=where)

    def to_dict(self) -> dict[str, Any]:
        return {
            **super().to_dict(),
            "sheet": self.sheet,
            "row": self.line,
            "column": self.column,
            "header": self.header,
        }


def is_table(source: Any) -> bool:
    """A data frame or Arrow table, or a path whose suffix names a table format."""
    if is_frame(source):
        return True
    if isinstance(source, (str, os.PathLike)):
        return Path(os.fspath(source)).suffix.lower() in TABLE_SUFFIXES
    return False


def read_table(
    source: Any,
    mapping: TableMapping | str | os.PathLike[str] | dict[str, Any] | None = None,
    *,
    sheets: Sequence[str] | None = None,
    layout: Literal["auto", "wide", "long"] | None = None,
    catalog: Catalog | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> ReportSet:
    """Load report records from a table file or data frame.

    The wide layout has a row per company-year and a column per disclosure key; the long
    layout a row per company, year and key with value, unit, assured, page, quote and url
    columns. `layout` forces one (default: the mapping's, else detected). Cells are read by
    the catalog's type of their key. Every row ends up loaded or rejected with its cell.
    A file is read as `load_reports` reads one: a regular file or a pipe of at most
    `max_bytes` bytes.
    """
    rules = load_mapping(mapping) if mapping is not None else TableMapping()
    if layout is not None:
        rules = rules.model_copy(update={"layout": layout})
    chosen = list(sheets) if sheets else rules.sheets
    if catalog is None:
        catalog = load_catalog(rules.catalog or DEFAULT_CATALOG)
    label = "<DataFrame>" if is_frame(source) else os.fspath(source)
    entries: list[tuple[Built, Sheet]] = []
    for sheet in open_sheets(source, chosen, rules.header_row, max_bytes):
        decimal = sheet.decimal if rules.cells.decimal == "auto" else rules.cells.decimal
        reader = CellReader(rules.cells, decimal)
        columns, found_layout = resolve(sheet, rules, catalog, reader)
        built = build(sheet, columns, found_layout, reader, catalog)
        entries += [(record, sheet) for record in built]
    return _validated(entries, label, catalog)


def _validated(entries: list[tuple[Built, Sheet]], label: str, catalog: Catalog) -> ReportSet:
    """Hand the clean records to `load_reports`, and check enum and list values against
    the catalog as scoring will (`conform`'s own check); locate every rejection by its
    cell."""
    rejected: list[Rejection] = []
    clean: list[int] = []
    for index, (built, sheet) in enumerate(entries):
        if built.issues:
            first = built.issues[0]
            message = first.message + _more(len(built.issues) - 1)
            rejected.append(_at(index, message, "", built, sheet, first.row, first.column))
        else:
            clean.append(index)
    loaded = load_reports([entries[i][0].record for i in clean])
    for rejection in loaded.rejected:
        index = clean[rejection.index]
        built, sheet = entries[index]
        row, column = _origin(built, rejection.path)
        message = _DUPLICATE.sub(
            lambda match: "duplicate of " + _row_of(entries[clean[int(match[1])]]),
            rejection.message,
        )
        rejected.append(_at(index, message, rejection.path, built, sheet, row, column))
    # Types already follow the catalog (cells were read by it); only the allowed values of
    # enum and list keys are left to check.
    restricted = {key: spec for key, spec in catalog.fields.items() if spec.values is not None}
    reports, positions = [], []
    for report, position in zip(loaded.reports, loaded.positions, strict=True):
        index = clean[position]
        problem = _catalog_problem(report, restricted)
        if problem is None:
            reports.append(report)
            positions.append(index)
            continue
        built, sheet = entries[index]
        path = f'disclosures["{problem[0]}"]'
        row, column = _origin(built, path)
        rejected.append(_at(index, problem[1], path, built, sheet, row, column))
    rejected.sort(key=lambda rejection: rejection.index)
    return ReportSet(tuple(reports), tuple(rejected), label, {}, tuple(positions))


_DUPLICATE = re.compile(r"^duplicate of record (\d+)(?: \(line \d+\))?")


def _catalog_problem(report: Report, restricted: dict[str, FieldSpec]) -> tuple[str, str] | None:
    for key in restricted.keys() & report.disclosures.keys():
        message = type_problem(restricted[key], report.disclosures[key].value)
        if message is not None:
            return key, message
    return None


def _row_of(entry: tuple[Built, Sheet]) -> str:
    built, sheet = entry
    return f"{sheet.name + ' ' if sheet.name else ''}row {built.row}"


def _more(count: int) -> str:
    return f" (and {count} more problem{'s' * (count > 1)} in this row)" if count else ""


def _origin(built: Built, path: str) -> tuple[int, Column | None]:
    """The cell a record path came from: the longest origin that is a prefix of it."""
    best: tuple[int | None, Column | None] = (built.row, None)
    length = -1
    for origin, place in built.origins.items():
        if path.startswith(origin) and len(origin) > length:
            best, length = place, len(origin)
    row, column = best
    return (built.row if row is None else row), column


def _at(
    index: int,
    message: str,
    path: str,
    built: Built,
    sheet: Sheet,
    row: int,
    column: Column | None,
) -> CellRejection:
    company = built.record.get("company", {}).get("id")
    return CellRejection(
        index=index,
        message=message,
        path=path,
        company_id=company if isinstance(company, str) else None,
        line=row,
        source=sheet.source,
        sheet=sheet.name,
        column=column.letter if column else None,
        header=visible(column.header) if column else None,
    )


def _reader(source: Any, max_bytes: int) -> ReportSet | None:
    return read_table(source, max_bytes=max_bytes) if is_table(source) else None


register_reader(_reader)
