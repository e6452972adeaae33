"""Spreadsheets and data frames as plain rows of cells, with their row numbers.

CSV and TSV are read with the standard csv module (cells stay text, read later by type);
XLSX with openpyxl in read-only mode; Parquet, Arrow and data frames through pyarrow or
pandas. Every reader returns `Sheet`s, so everything after this module is format-blind.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csrscore.boundedread import RefusedInputError, describe_size, read_bounded
from csrscore.errors import Location, ReportError
from csrscore.io.cells import UNCOMPUTED
from csrscore.io.extras import require
from csrscore.records.load import MAX_INPUT_BYTES, RAISE_HINT

__all__ = ["TABLE_SUFFIXES", "Sheet", "column_letter", "is_frame", "open_sheets"]

TABLE_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".arrow": "arrow",
    ".feather": "arrow",
}


@dataclass
class Sheet:
    """One table: its header cells and data rows, numbered as the spreadsheet shows them."""

    source: str
    name: str | None
    header_row: int
    header: list[Any]
    rows: list[Sequence[Any]]
    row_numbers: list[int]
    decimal: str = "."  # decimal mark of numbers written as text, unless the mapping says
    # Merged cell ranges: (reference, first row, last row).
    merged: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.source}[{self.name}]" if self.name else self.source


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_index(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1


def is_frame(source: Any) -> bool:
    """A pandas DataFrame, or anything that exports an Arrow stream (pyarrow, polars)."""
    return hasattr(source, "__arrow_c_stream__") or _is_pandas(source)


def _is_pandas(source: Any) -> bool:
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(source, pandas.DataFrame)


def open_sheets(
    source: str | os.PathLike[str] | Any,
    sheets: Sequence[str] | None,
    header_row: int | None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> list[Sheet]:
    """Every sheet of `source` (or the named ones), headers located, blank rows dropped.

    A file is read whole first, within `max_bytes` and only if it is a regular file or a
    pipe (`boundedread`), so that `/dev/zero` named `x.csv` or a huge workbook fails fast.
    """
    if is_frame(source):
        return [_frame_sheet(source)]
    name = os.fspath(source)
    kind = TABLE_SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        raise ReportError(
            "not a table file; expected one of " + ", ".join(TABLE_SUFFIXES), Location(name)
        )
    try:
        data = read_bounded(name, max_bytes, RAISE_HINT, binary=kind not in ("csv", "tsv"))
    except RefusedInputError as exc:
        raise ReportError(str(exc), Location(name)) from None
    if kind in ("csv", "tsv"):
        raw = [_read_delimited(data, name, kind == "tsv")]
    elif kind == "xlsx":
        raw = _read_xlsx(data, name, sheets, max_bytes)
    else:
        raw = [_arrow_sheet(_read_arrow(data, name, kind), name)]
    return [_located(sheet, header_row) for sheet in raw]


def _located(sheet: Sheet, header_row: int | None) -> Sheet:
    """Take the header row (the first non-blank one unless given) and drop blank rows."""
    if sheet.header_row < 1:  # data frames come with their header
        return sheet
    rows = sheet.rows
    start = (header_row or 0) - 1
    if header_row is None:
        start = next((i for i, row in enumerate(rows) if not _blank(row)), len(rows))
    if start >= len(rows) or _blank(rows[start]):
        where = f"row {header_row}" if header_row else "any row"
        raise ReportError(f"no header row: {where} is empty", Location(sheet.label))
    body = [(i + 1, row) for i, row in enumerate(rows[start + 1 :], start=start + 1)]
    kept = [(number, row) for number, row in body if not _blank(row)]
    sheet.header = list(rows[start])
    sheet.header_row = start + 1
    sheet.rows = [row for _, row in kept]
    sheet.row_numbers = [number for number, _ in kept]
    return sheet


def _blank(row: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


# --- CSV and TSV ---------------------------------------------------------------------------


def _read_delimited(data: bytes, name: str, tab: bool) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReportError(
            f"not UTF-8 text ({exc.reason}); save the file as 'CSV UTF-8'", Location(name, line)
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if tab else max((",", ";", "\t"), key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ReportError(f"unreadable CSV: {exc}", Location(name)) from None
    # Semicolon-separated files are what spreadsheets write where the comma is the
    # decimal mark, so their numbers are read with a decimal comma unless a mapping says.
    decimal = "," if delimiter == ";" else "."
    return Sheet(name, None, 1, [], list(rows), [], decimal)


# --- XLSX ------------------------------------------------------------------------------------

# openpyxl reads a formula cell saved without its computed value (as written by openpyxl
# itself, or by scripts) as an empty cell, the same as a blank one. The sheet's XML tells
# them apart: such a cell holds <f> and no value. Merged cells are not loaded in read-only
# mode either, so they are read from the same XML.
_PREFIX = rb"(?:\w+:)?"
_UNCOMPUTED_CELL = re.compile(
    rb"<" + _PREFIX + rb'c\s+r="([A-Z]+)([0-9]+)"[^>]*>\s*<' + _PREFIX + rb"f\b[^>]*?"
    rb"(?:/>|>[^<]*</"
    + _PREFIX
    + rb"f>)\s*(?:<"
    + _PREFIX
    + rb"v\s*/>|<"
    + _PREFIX
    + rb"v>\s*</"
    + _PREFIX
    + rb"v>)?\s*</"
    + _PREFIX
    + rb"c>"
)
_MERGED = re.compile(rb"<" + _PREFIX + rb'mergeCell\s+ref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


# What a workbook may unpack to, as a multiple of the input limit: XLSX compresses sheet
# XML about 5 to 20 times, and a "zip bomb" a thousand times or more.
UNPACKED_RATIO = 50


def _read_xlsx(
    data: bytes, name: str, wanted: Sequence[str] | None, max_bytes: int
) -> list[Sheet]:
    openpyxl = require("openpyxl", "reading XLSX files")
    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(data)).infolist())
        if unpacked > max_bytes * UNPACKED_RATIO:
            raise ReportError(
                f"the workbook unpacks to {unpacked} bytes, more than {UNPACKED_RATIO} times "
                f"the input limit of {describe_size(max_bytes)}; {RAISE_HINT}",
                Location(name),
            )
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReportError(f"not a readable XLSX workbook ({exc})", Location(name)) from None
    try:
        names = list(workbook.sheetnames)
        for sheet_name in wanted or ():
            if sheet_name not in names:
                raise ReportError(
                    f"no sheet {sheet_name!r}; the sheets are: {', '.join(names)}",
                    Location(name),
                )
        sheets = []
        for sheet_name in wanted or names:
            worksheet = workbook[sheet_name]
            rows: list[list[Any]] = [list(row) for row in worksheet.iter_rows(values_only=True)]
            merged = _mark_from_xml(workbook, worksheet, rows)
            if not rows:
                continue
            sheets.append(Sheet(name, sheet_name, 1, [], list(rows), [], merged=merged))
    finally:
        workbook.close()
    if not sheets:
        raise ReportError("the workbook has no data", Location(name))
    return sheets


def _mark_from_xml(
    workbook: Any, worksheet: Any, rows: list[list[Any]]
) -> list[tuple[str, int, int]]:
    """Mark uncomputed formula cells in `rows`; return the merged ranges."""
    # Private openpyxl attributes, read only: the public API offers no way to these facts.
    archive = getattr(workbook, "_archive", None)
    path = getattr(worksheet, "_worksheet_path", None)
    if archive is None or path is None:
        return []
    xml = archive.read(path)
    if b"<f" in xml or b":f" in xml:
        for match in _UNCOMPUTED_CELL.finditer(xml):
            row, column = int(match.group(2)) - 1, _column_index(match.group(1).decode())
            if row < len(rows):
                cells = rows[row]
                cells.extend([None] * (column + 1 - len(cells)))
                if cells[column] is None:
                    cells[column] = UNCOMPUTED
    return [
        (f"{a.decode()}{b.decode()}:{c.decode()}{d.decode()}", int(b), int(d))
        for a, b, c, d in _MERGED.findall(xml)
    ]


# --- Parquet, Arrow and data frames ------------------------------------------------------------


def _read_arrow(data: bytes, name: str, kind: str) -> Any:
    pa = require("pyarrow", f"reading {kind.title()} files")
    try:
        if kind == "parquet":
            reader = require("pyarrow.parquet", "reading Parquet files")
        else:
            reader = require("pyarrow.feather", "reading Arrow files")
        return reader.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as exc:
        raise ReportError(f"not a readable {kind} file ({exc})", Location(name)) from None


def _arrow_sheet(table: Any, source: str) -> Sheet:
    """The table with its column names as row 1, as a spreadsheet would show it."""
    columns = [column.to_pylist() for column in table.columns]
    rows: list[Sequence[Any]] = [table.column_names, *zip(*columns, strict=True)]
    return Sheet(source, None, 1, [], rows, [])


def _frame_sheet(frame: Any) -> Sheet:
    """A data frame's rows, numbered by position from 0 as `iloc` counts them."""
    if _is_pandas(frame):
        header = [str(column) for column in frame.columns]
        columns = [
            frame[column].astype(object).where(frame[column].notna(), None).tolist()
            for column in frame.columns
        ]
        rows: list[Sequence[Any]] = list(zip(*columns, strict=True))
        source = "<DataFrame>"
    else:
        pa = require("pyarrow", "reading Arrow tables")
        sheet = _arrow_sheet(pa.table(frame), "<Arrow table>")
        header, rows, source = list(sheet.rows[0]), sheet.rows[1:], sheet.source
    return Sheet(source, None, -1, header, rows, list(range(len(rows))))
