"""The mapping file: how a spreadsheet's columns and cell texts become report records.

A header resolves to a *target*: a record field (`company.id`, `year`, `report.title`, ...),
a disclosure key (`env.ghg.scope1`), or, in the long layout, a part of one disclosure
(`key`, `value`, `unit`, `assured`, `note`, `page`, `quote`, `url`). Headers that already
are targets need no mapping; the mapping names the others, and the cell texts that mean
"not disclosed", "not applicable", yes and no.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from csrscore.errors import InputError, Location, RubricError
from csrscore.records.errors import record_problems
from csrscore.records.model import ATTRIBUTE_PATTERN, COMPANY_FIELDS
from csrscore.rubric.yamlsafe import load_yaml

__all__ = [
    "LONG_ROLES",
    "RECORD_FIELDS",
    "CellRules",
    "ColumnSpec",
    "MappingError",
    "TableMapping",
    "load_mapping",
    "mapping_schema",
]

SCHEMA_ID = "https://csrscore.org/schemas/mapping.schema.json"

# Record fields a column can fill, with the type its cells are read as.
RECORD_FIELDS: dict[str, Literal["text", "year", "date", "list"]] = {
    "company.id": "text",
    "company.name": "text",
    "company.sector": "text",
    "company.country": "text",
    "year": "year",
    "report.title": "text",
    "report.url": "text",
    "report.published": "date",
    "report.period_end": "date",
    "report.language": "text",
    "report.frameworks": "list",
    "report.assurance.provider": "text",
    "report.assurance.standard": "text",
    "report.assurance.level": "text",
}
# Long layout: one row per company, year and key; these columns describe that disclosure.
LONG_ROLES = ("key", "value", "unit", "assured", "note", "page", "quote", "url")
# Header spellings that need no mapping (compared case-insensitively, spaces as '_').
ALIASES = {
    "company_id": "company.id",
    "id": "company.id",
    "company": "company.name",
    "name": "company.name",
    "company_name": "company.name",
    "sector": "company.sector",
    "country": "company.country",
    "evidence.page": "page",
    "evidence.quote": "quote",
    "evidence.url": "url",
}

_KEY_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
_TEXTS = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=100)]


def attribute_of(target: str) -> str | None:
    """The company attribute a target names (`company.region` -> `region`), else None."""
    head, _, name = target.partition(".")
    if head != "company" or target in RECORD_FIELDS or name in COMPANY_FIELDS:
        return None
    return name if re.fullmatch(ATTRIBUTE_PATTERN, name) else None


class MappingError(InputError):
    """A mapping file that cannot be read or does not fit the table it maps."""


class ColumnSpec(BaseModel):
    """One column: the target it fills and how its cells are read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target: Annotated[str, Field(pattern=_KEY_PATTERN, max_length=128)] = Field(
        description="record field (company.id, year, report.title, ...), disclosure key, "
        "or in the long layout one of: " + ", ".join(LONG_ROLES)
    )
    unit: Annotated[str, Field(max_length=64)] | None = Field(
        None,
        description="unit of the numbers in this column, converted to the catalog's unit "
        "(e.g. kt for a key the catalog holds in t; 'fraction' for 0.45 meaning 45%)",
    )
    separator: Annotated[str, Field(min_length=1, max_length=8)] | None = Field(
        None, description="splits list cells; the default is cells.list_separator"
    )


class CellRules(BaseModel):
    """Which cell texts mean what. Texts are compared case-insensitively, trimmed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    not_disclosed: _TEXTS = Field(
        default_factory=lambda: ["", "n.d.", "nd", "n/d", "-", "–", "—", "not disclosed"]
    )
    not_applicable: _TEXTS = Field(default_factory=lambda: ["n/a", "na", "n.a.", "not applicable"])
    true: _TEXTS = Field(default_factory=lambda: ["yes", "y", "x", "true", "1", "✓"])
    false: _TEXTS = Field(default_factory=lambda: ["no", "n", "false", "0"])
    list_separator: Annotated[str, Field(min_length=1, max_length=8)] = ";"
    decimal: Literal["auto", ".", ","] = Field(
        "auto",
        description="decimal separator of numbers written as text; auto is ',' in "
        "semicolon-separated files and '.' elsewhere",
    )


class TableMapping(BaseModel):
    """How to read one kind of spreadsheet. Every part is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    csrscore_mapping: Literal[1] = Field(1, description="format version")
    layout: Literal["auto", "wide", "long"] = "auto"
    sheets: list[str] | None = Field(None, description="sheets to read; default: every sheet")
    header_row: Annotated[int, Field(ge=1, le=1000)] | None = Field(
        None, description="row of the headers as the spreadsheet numbers it; default: first"
    )
    catalog: str | None = Field(
        None, description="catalog YAML whose types cells are read as; default: the shipped one"
    )
    columns: dict[str, Annotated[str, Field(pattern=_KEY_PATTERN)] | ColumnSpec] = Field(
        default_factory=dict, description="header -> target, or header -> {target, unit, ...}"
    )
    ignore: list[str] = Field(default_factory=list, description="headers to skip")
    cells: CellRules = Field(default_factory=CellRules)

    def column(self, header: str) -> ColumnSpec | None:
        """The spec of a mapped header, None for one the mapping does not name."""
        spec = self.columns.get(header)
        if isinstance(spec, str):
            return ColumnSpec(target=spec)
        return spec


def load_mapping(source: str | os.PathLike[str] | TableMapping | dict[str, Any]) -> TableMapping:
    """A mapping from a YAML file, a dict, or as given."""
    if isinstance(source, TableMapping):
        return source
    if isinstance(source, dict):
        return _validated(source, str(source.get("name", "<mapping>")), None)
    name = os.fspath(source)
    try:
        text = Path(name).read_bytes()
    except OSError as exc:
        raise MappingError(f"mapping not readable: {exc.strerror}", Location(name)) from None
    try:
        document = load_yaml(text, name)
    except RubricError as exc:
        raise MappingError(exc.message, exc.location) from None
    if not isinstance(document.data, dict):
        raise MappingError("a mapping file holds a YAML mapping", Location(name))
    return _validated(document.data, name, document.line_of)


def _validated(data: dict[str, Any], source: str, line_of: Any) -> TableMapping:
    try:
        return TableMapping.model_validate(data)
    except ValidationError as exc:
        path, message = record_problems(exc, data)[0]
        parts = tuple(part for part in path.replace("[", ".").replace("]", "").split("."))
        line = line_of(parts) if line_of else None
        raise MappingError(message, Location(source, line=line, path=path)) from None


def mapping_schema() -> dict[str, Any]:
    """The draft 2020-12 JSON Schema of a mapping file."""
    schema = TableMapping.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "csrscore table mapping",
        **{key: value for key, value in schema.items() if key != "title"},
    }


def normalized_header(header: str) -> str:
    return "_".join(header.strip().lower().split())
