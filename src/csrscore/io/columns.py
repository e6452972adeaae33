"""A sheet's header row resolved: each column's target and how its cells are read.

Everything that is wrong with the header as a whole (an unknown column, a merged or blank
header cell, two columns for one target, no company id) is an error here, before any row
is read: it concerns every row, and guessing would score the wrong thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from csrscore.errors import Location
from csrscore.io.cells import CellReader, Converter
from csrscore.io.mapping import (
    ALIASES,
    LONG_ROLES,
    RECORD_FIELDS,
    MappingError,
    TableMapping,
    attribute_of,
    normalized_header,
)
from csrscore.io.sheets import Sheet, column_letter
from csrscore.io.units import conversion, known_units
from csrscore.records.model import DISCLOSURE_KEY_PATTERN
from csrscore.rubric.catalog import Catalog
from csrscore.textsafe import visible

Layout = Literal["wide", "long"]
Kind = Literal["record", "key", "role"]

_KEY = re.compile(DISCLOSURE_KEY_PATTERN)
_REQUIRED = ("company.id", "company.name", "year")


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    target: str
    kind: Kind
    convert: Converter

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    def describe(self) -> str:
        return f'column {self.letter} "{visible(self.header)}"'


def default_target(header: str) -> str | None:
    """The target of a header that needs no mapping, None if there is none."""
    name = normalized_header(header)
    if name in RECORD_FIELDS or name in LONG_ROLES:
        return name
    if name in ALIASES:
        return ALIASES[name]
    # A disclosure key only as written: "Notes" is a header, not the key "notes".
    key = header.strip()
    return key if _KEY.fullmatch(key) and len(key) <= 128 else None


def resolve(
    sheet: Sheet, mapping: TableMapping, catalog: Catalog, reader: CellReader
) -> tuple[list[Column], Layout]:
    """The columns that are read, and the layout, or a located error for the header."""

    def fail(message: str, index: int | None = None) -> MappingError:
        path = None if index is None else f"column {column_letter(index)}"
        return MappingError(message, Location(sheet.label, line=_row(sheet), path=path))

    for reference, first, last in sheet.merged:
        if first <= sheet.header_row <= last:
            raise fail(
                f"the header row has merged cells ({reference}); csrscore reads one header "
                "row: unmerge the cells, or give header_row in the mapping"
            )
    ignored = set(mapping.ignore)
    columns: list[Column] = []
    unknown: list[str] = []
    seen: dict[str, Column] = {}
    for index, raw in enumerate(sheet.header):
        header = "" if raw is None else str(raw).strip()
        if not header:
            if any(index < len(row) and _filled(row[index]) for row in sheet.rows):
                raise fail(
                    "this column has data but no header; is the header row merged or on two rows?",
                    index,
                )
            continue
        if header in ignored:
            continue
        spec = mapping.column(header)
        target = spec.target if spec else default_target(header)
        if target is None:
            unknown.append(f'{column_letter(index)} "{visible(header)}"')
            continue
        kind: Kind = (
            "record"
            if target in RECORD_FIELDS or attribute_of(target)
            else "role"
            if target in LONG_ROLES
            else "key"
        )
        unit = spec.unit if spec else None
        column = Column(
            index,
            header,
            target,
            kind,
            _converter(target, kind, unit, spec, catalog, reader, fail, index),
        )
        if target in seen:
            raise fail(f"{seen[target].describe()} and this one both give {target}", index)
        seen[target] = column
        columns.append(column)
    if unknown:
        raise fail(
            f"{len(unknown)} unknown column{'s' * (len(unknown) > 1)}: {', '.join(unknown[:5])}"
            f"{' ...' if len(unknown) > 5 else ''}; map each to a key under 'columns', list it "
            "under 'ignore' in a mapping file (csrscore mapping init drafts one)"
        )
    layout = _layout(mapping, seen)
    for target in _REQUIRED:
        if target not in seen:
            raise fail(f"no column gives {target}; map one to it under 'columns'")
    misplaced = "role" if layout == "wide" else "key"
    for column in columns:
        if column.kind == misplaced:
            what = "a long-layout column" if layout == "wide" else "a disclosure key"
            raise fail(f"{what} ({column.target}) in a {layout} table", column.index)
    if layout == "long" and "value" not in seen:
        raise fail("a long table needs a value column")
    return columns, layout


def _layout(mapping: TableMapping, seen: dict[str, Column]) -> Layout:
    if mapping.layout != "auto":
        return mapping.layout
    return "long" if "key" in seen and "value" in seen else "wide"


def _row(sheet: Sheet) -> int | None:
    return sheet.header_row if sheet.header_row >= 1 else None


def _filled(cell: Any) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _converter(
    target: str,
    kind: Kind,
    unit: str | None,
    spec: Any,
    catalog: Catalog,
    reader: CellReader,
    fail: Any,
    index: int,
) -> Converter:
    separator = spec.separator if spec else None
    if kind == "record" and target not in RECORD_FIELDS:
        # A company attribute: read as the catalog types `company.<name>`, if it does.
        return key_converter(target, unit, separator, catalog, reader, lambda m: fail(m, index))
    if kind == "record":
        field_type = RECORD_FIELDS[target]
        if field_type == "year":
            return reader.year
        if field_type == "date":
            return reader.date
        if field_type == "list":
            return reader.list_converter(separator)
        return reader.text
    if kind == "role":
        return {"assured": reader.boolean, "page": reader.page}.get(target, reader.text)
    return key_converter(target, unit, separator, catalog, reader, lambda m: fail(m, index))


def key_converter(
    key: str,
    unit: str | None,
    separator: str | None,
    catalog: Catalog,
    reader: CellReader,
    fail: Any,
) -> Converter:
    """How cells of a disclosure key are read: by the catalog's type of that key."""
    field = catalog.fields.get(key)
    field_type = field.type if field else None
    if unit is not None and field_type not in ("number", None):
        raise fail(f"a unit is given for {key}, which the catalog holds as {field_type}")
    if field_type == "number" or (field_type is None and unit is not None):
        catalog_unit = field.unit if field else None
        if unit is not None and conversion(unit, catalog_unit) is None:
            raise fail(
                f"no conversion from {unit} to {catalog_unit} (the catalog's unit for {key}); "
                f"known units: {', '.join(known_units())}"
            )
        return reader.number_converter(unit, catalog_unit)
    if field_type == "bool":
        return reader.boolean
    if field_type == "list":
        return reader.list_converter(separator)
    if field_type == "date":
        return reader.date
    if field_type in ("text", "enum"):
        return reader.text
    return reader.inferred
