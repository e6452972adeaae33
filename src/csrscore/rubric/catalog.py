"""The disclosure catalog: the type of every field a rubric may test.

Types are known before any data is seen, so a rubric that compares a text field with a
number fails when it is loaded, not halfway through scoring.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

FieldType: TypeAlias = Literal["bool", "number", "text", "enum", "list", "date"]
FieldOrigin: TypeAlias = Literal["disclosure", "company", "report", "stats", "year", "derived"]


@dataclass(frozen=True)
class FieldSpec:
    """What a field holds. `values` limits enum (and optionally list) values."""

    name: str
    type: FieldType
    origin: FieldOrigin = "disclosure"
    values: tuple[str, ...] | None = None
    unit: str | None = None
    description: str = ""
    gri: tuple[str, ...] = ()
    # Decimal places a number is shown with (None: as given, without float noise).
    decimals: int | None = None


def _builtin(name: str, type_: FieldType, description: str, **extra: object) -> FieldSpec:
    origin = name.split(".", 1)[0]
    return FieldSpec(name, type_, origin, description=description, **extra)  # type: ignore[arg-type]


BUILTIN_FIELDS: Mapping[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        _builtin("company.id", "text", "Company identifier"),
        _builtin("company.name", "text", "Company name"),
        _builtin("company.sector", "text", "Sector slug"),
        _builtin("company.country", "text", "ISO 3166-1 alpha-2 country code"),
        _builtin("year", "number", "Reporting year"),
        _builtin("report.title", "text", "Report title"),
        _builtin("report.url", "text", "Report URL"),
        _builtin("report.language", "text", "Report language tag"),
        _builtin("report.published", "date", "Publication date of the report"),
        _builtin("report.period_end", "date", "End of the reporting period"),
        _builtin("report.frameworks", "list", "Reporting frameworks the report follows"),
        _builtin("report.assurance.provider", "text", "Assurance provider"),
        _builtin("report.assurance.standard", "text", "Assurance standard"),
        _builtin(
            "report.assurance.level",
            "enum",
            "Assurance level",
            values=("none", "limited", "reasonable"),
        ),
        _builtin("stats.disclosures", "number", "Number of disclosures in the record"),
        _builtin("stats.quantitative_share", "number", "Share of disclosures that are numbers"),
        _builtin("stats.assured_share", "number", "Share of disclosures marked assured"),
        _builtin("stats.evidence_share", "number", "Share of disclosures that carry evidence"),
    )
}

RESERVED_PREFIXES = ("company.", "report.", "stats.")


@dataclass(frozen=True)
class Catalog:
    """Disclosure fields by key, plus the built-in record fields."""

    name: str
    version: str = ""
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)

    def get(self, name: str) -> FieldSpec | None:
        return BUILTIN_FIELDS.get(name) or self.fields.get(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[FieldSpec]:
        return iter(self.fields.values())

    def extended(self, extra: Mapping[str, FieldSpec]) -> Catalog:
        return Catalog(self.name, self.version, {**self.fields, **extra})


def field_spec_from_data(name: str, data: Mapping[str, object]) -> FieldSpec:
    values = data.get("values")
    gri = data.get("gri")
    unit = data.get("unit")
    decimals = data.get("decimals")
    return FieldSpec(
        name=name,
        type=data["type"],  # type: ignore[arg-type]
        values=tuple(str(v) for v in values) if isinstance(values, list) else None,
        unit=unit if isinstance(unit, str) else None,
        description=str(data.get("description", "")),
        gri=tuple(str(code) for code in gri) if isinstance(gri, list) else (),
        decimals=decimals if isinstance(decimals, int) else None,
    )
