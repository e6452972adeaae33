"""Rows of a sheet as report record dicts, each with where its parts came from.

The dicts are the same records a JSON file holds; the record model validates them. What
this module adds is the origin of every field (row number and column), so that a problem
found in a record, here or by the model, can be named by its cell.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from csrscore.io.cells import NOT_APPLICABLE, NOT_DISCLOSED, CellReader, CellValueError, shown
from csrscore.io.columns import Column, Layout, key_converter
from csrscore.io.mapping import attribute_of
from csrscore.io.sheets import Sheet
from csrscore.io.units import conversion
from csrscore.rubric.catalog import Catalog

# Where N/A cells are recorded until records can say "not applicable" themselves: the
# disclosure is left out (not disclosed) and its key and cell text are kept here.


@dataclass
class CellIssue:
    row: int
    column: Column
    value: Any
    expected: str

    @property
    def message(self) -> str:
        return (
            f"expected {self.expected}"
            if " got " in self.expected
            else (f"expected {self.expected}, got {shown(self.value)}")
        )


@dataclass
class Built:
    """One record as built from a row (wide) or a company-year's rows (long)."""

    record: dict[str, Any]
    row: int
    # record path -> (row, column) it came from; a row of None is the record's own row.
    origins: dict[str, tuple[int | None, Column]] = field(default_factory=dict)
    issues: list[CellIssue] = field(default_factory=list)


def build(
    sheet: Sheet, columns: Sequence[Column], layout: Layout, reader: CellReader, catalog: Catalog
) -> Iterator[Built]:
    if layout == "wide":
        return _wide(sheet, columns, reader)
    return _long(sheet, columns, reader, catalog)


def _place(record: dict[str, Any], target: str, value: Any) -> str:
    """Put `value` at a record field or disclosure key; return its path as errors name it."""
    if target == "year":
        record["year"] = value
        return "year"
    attribute = attribute_of(target)
    if attribute is not None:
        record.setdefault("company", {}).setdefault("attributes", {})[attribute] = value
        return f"company.attributes.{attribute}"
    head, _, rest = target.partition(".")
    if head in ("company", "report") and rest:
        node = record.setdefault(head, {})
        if rest.startswith("assurance."):
            node = node.setdefault("assurance", {})
            rest = rest.removeprefix("assurance.")
        node[rest] = value
        return target
    record.setdefault("disclosures", {})[target] = value
    return f'disclosures["{target}"]'


def _read(column: Column, value: Any, reader: CellReader) -> Any:
    marker = reader.status(value)
    if marker is not None:
        return marker
    return column.convert(value)


def _wide(sheet: Sheet, columns: Sequence[Column], reader: CellReader) -> Iterator[Built]:
    # A row's fields all come from that row, so one map from record path to column serves
    # every row of the sheet (None: the record's own row).
    origins: dict[str, tuple[int | None, Column]] = {
        _place({}, column.target, None): (None, column) for column in columns
    }
    plan = [(column, column.index, column.convert, column.kind == "key") for column in columns]
    status = reader.status
    for number, row in zip(sheet.row_numbers, sheet.rows, strict=True):
        record: dict[str, Any] = {"company": {}}
        disclosures: dict[str, Any] = {}
        built = Built(record, number, origins)
        width = len(row)
        for column, index, convert, is_key in plan:
            value = row[index] if index < width else None
            if value is None or value == "":  # the commonest empty cell, decided here
                continue
            try:
                marker = status(value)
                converted = convert(value) if marker is None else marker
            except CellValueError as problem:
                built.issues.append(CellIssue(number, column, value, problem.expected))
                continue
            if converted is NOT_DISCLOSED:
                continue
            if converted is NOT_APPLICABLE:
                if is_key:
                    _not_applicable(built, column.target, value)
            elif is_key:
                disclosures[column.target] = converted
            else:
                _place(record, column.target, converted)
        if disclosures:
            record["disclosures"] = disclosures
        yield built


def _not_applicable(built: Built, key: str, cell: Any) -> None:
    # The record's own "not applicable" declaration: criteria that read the key become N/A
    # for this company, and the cell text is the reason the explanation gives.
    built.record.setdefault("not_applicable", {})[key] = str(cell).strip()


def _long(
    sheet: Sheet, columns: Sequence[Column], reader: CellReader, catalog: Catalog
) -> Iterator[Built]:
    by_target = {column.target: column for column in columns}
    identity = [column for column in columns if column.kind == "record"]
    key_column, value_column = by_target.get("key"), by_target["value"]
    parts = [by_target[role] for role in ("unit", "assured", "note") if role in by_target]
    evidence = [by_target[role] for role in ("page", "quote", "url") if role in by_target]
    groups: dict[tuple[Any, Any], Built] = {}
    key_rows: dict[tuple[Any, Any], dict[str, int]] = {}
    converters: dict[tuple[str, str | None], Any] = {}
    first_values: dict[tuple[Any, Any], dict[str, tuple[Any, int]]] = {}
    for number, row in zip(sheet.row_numbers, sheet.rows, strict=True):
        width = len(row)

        def cell(column: Column, row: Sequence[Any] = row, width: int = width) -> Any:
            return row[column.index] if column.index < width else None

        values: dict[str, Any] = {}
        issues: list[CellIssue] = []
        for column in identity:
            try:
                values[column.target] = _read(column, cell(column), reader)
            except CellValueError as problem:
                issues.append(CellIssue(number, column, cell(column), problem.expected))
        group_key = (values.get("company.id"), values.get("year"))
        built = groups.get(group_key)
        if built is None:
            built = groups[group_key] = Built({"company": {}}, number)
            key_rows[group_key] = {}
            first_values[group_key] = {}
        built.issues += issues
        seen = first_values[group_key]
        for column in identity:
            value = values.get(column.target)
            if value is None or value is NOT_DISCLOSED or value is NOT_APPLICABLE:
                continue
            if column.target in seen:
                first, first_row = seen[column.target]
                if value != first:
                    built.issues.append(
                        CellIssue(
                            number,
                            column,
                            cell(column),
                            f"the same as row {first_row} ({shown(first)}), got "
                            f"{shown(cell(column))}",
                        )
                    )
                continue
            seen[column.target] = (value, number)
            built.origins[_place(built.record, column.target, value)] = (number, column)
        if key_column is None:
            continue
        try:
            key = reader.text(cell(key_column))
        except CellValueError as problem:
            built.issues.append(CellIssue(number, key_column, cell(key_column), problem.expected))
            continue
        if not key:
            built.issues.append(CellIssue(number, key_column, cell(key_column), "a disclosure key"))
            continue
        if key in key_rows[group_key]:
            built.issues.append(
                CellIssue(
                    number,
                    key_column,
                    key,
                    f"a key not given before for this company and year, got {shown(key)} "
                    f"again (first in row {key_rows[group_key][key]})",
                )
            )
            continue
        key_rows[group_key][key] = number
        disclosure = _long_disclosure(
            key, number, cell, value_column, parts, evidence, reader, catalog, converters, built
        )
        if disclosure is not None:
            path = _place(built.record, key, disclosure)
            built.origins[path] = (number, value_column)
            for column in (*parts, *evidence):
                suffix = f".evidence.{column.target}" if column in evidence else f".{column.target}"
                built.origins[path + suffix] = (number, column)
    yield from groups.values()


def _long_disclosure(
    key: str,
    number: int,
    cell: Any,
    value_column: Column,
    parts: list[Column],
    evidence: list[Column],
    reader: CellReader,
    catalog: Catalog,
    converters: dict[tuple[str, str | None], Any],
    built: Built,
) -> Any:
    """One long row's disclosure (short form when it has only a value), None if left out."""
    extra: dict[str, Any] = {}
    found: dict[str, Any] = {}
    for column in (*parts, *evidence):
        try:
            value = _read(column, cell(column), reader)
        except CellValueError as problem:
            built.issues.append(CellIssue(number, column, cell(column), problem.expected))
            return None
        if value is not NOT_DISCLOSED and value is not NOT_APPLICABLE:
            found[column.target] = value
    unit = found.get("unit")
    field = catalog.fields.get(key)
    catalog_unit = field.unit if field and field.type == "number" else None
    if unit is not None and catalog_unit is not None and conversion(unit, catalog_unit) is None:
        column = next(c for c in parts if c.target == "unit")
        built.issues.append(
            CellIssue(
                number, column, unit, f"a unit convertible to {catalog_unit}, got {shown(unit)}"
            )
        )
        return None
    read_unit = unit if catalog_unit is not None else None
    convert = converters.get((key, read_unit))
    if convert is None:

        def refuse(message: str) -> CellValueError:
            return CellValueError(message)

        try:
            convert = key_converter(key, read_unit, None, catalog, reader, refuse)
        except CellValueError as problem:
            built.issues.append(
                CellIssue(number, value_column, cell(value_column), problem.expected)
            )
            return None
        converters[key, read_unit] = convert
    raw = cell(value_column)
    try:
        marker = reader.status(raw)
        value = marker if marker is not None else convert(raw)
    except CellValueError as problem:
        built.issues.append(CellIssue(number, value_column, raw, problem.expected))
        return None
    if value is NOT_DISCLOSED:
        return None
    if value is NOT_APPLICABLE:
        _not_applicable(built, key, raw)
        return None
    if unit is not None:
        extra["unit"] = catalog_unit if catalog_unit is not None else unit
    for role in ("assured", "note"):
        if role in found:
            extra[role] = found[role]
    proof = {role: found[role] for role in ("page", "url", "quote") if role in found}
    if proof:
        extra["evidence"] = proof
    return {"value": value, **extra} if extra else value
