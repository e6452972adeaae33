"""The company-report record: one company's CSR disclosure for one reporting year.

Validation runs inside pydantic-core, except for the disclosures: there a fast check of the
common valid forms comes first (see `csrscore.records.disclosure`), and pydantic validates
whatever it is not sure of.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    field_serializer,
    field_validator,
    model_validator,
)

from csrscore.records.countries import ISO_3166_ALPHA2
from csrscore.records.disclosure import (
    DISCLOSURE_KEY_PATTERN,
    Disclosure,
    DisclosureKey,
    DisclosureValue,
    Evidence,
    FiniteNumber,
    LongDisclosure,
    Text,
    checked,
    denormalize,
    normalize,
)

__all__ = [
    "DISCLOSURE_KEY_PATTERN",
    "Assurance",
    "Company",
    "Disclosure",
    "DisclosureValue",
    "Evidence",
    "Report",
    "ReportMeta",
    "Violation",
    "ViolationStatus",
]

MIN_YEAR = 1990
MAX_YEAR = 2100
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

_ISO_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def _iso_date_text(value: Any) -> Any:
    # Lax pydantic would read a number, or a string of digits, as a Unix timestamp, and
    # would take a datetime with a zero time; a report date is YYYY-MM-DD text, as in the
    # schema's "format": "date".
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE_TEXT.fullmatch(value):
        raise ValueError("must be an ISO date as text, YYYY-MM-DD")
    return value


def _in_year_range(value: dt.date) -> dt.date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"date year must be within {MIN_YEAR}..{MAX_YEAR}")
    return value


def _country_code(value: str) -> str:
    if value not in ISO_3166_ALPHA2:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return value


IsoDate: TypeAlias = Annotated[
    dt.date, BeforeValidator(_iso_date_text), AfterValidator(_in_year_range)
]
Identifier: TypeAlias = Annotated[
    str,
    StringConstraints(min_length=1, max_length=128, pattern=IDENTIFIER_PATTERN),
]
Slug: TypeAlias = Annotated[str, StringConstraints(max_length=64, pattern=SLUG_PATTERN)]
NonEmptyText: TypeAlias = Annotated[
    StrictStr, StringConstraints(min_length=1, max_length=500, pattern=r"\S")
]


# Company fields that are not attributes; an attribute may not take one of these names.
COMPANY_FIELDS = ("id", "name", "sector", "country", "attributes")
ATTRIBUTE_PATTERN = r"^[a-z][a-z0-9_]*$"
AttributeName: TypeAlias = Annotated[
    str, StringConstraints(max_length=64, pattern=ATTRIBUTE_PATTERN)
]
# The short forms of a disclosure value; a list comes back as a tuple, as a disclosure's does.
AttributeValue: TypeAlias = StrictBool | FiniteNumber | Text | tuple[Text, ...]


class Company(BaseModel):
    model_config = _STRICT

    id: Identifier
    name: NonEmptyText
    sector: Slug | None = None
    country: (
        Annotated[
            StrictStr,
            AfterValidator(_country_code),
            Field(json_schema_extra={"enum": sorted(ISO_3166_ALPHA2)}),
        ]
        | None
    ) = None
    # Further facts about the company (region, market capitalisation, index membership),
    # typed by `company.<name>` declarations in a rubric or catalog and checked at scoring.
    attributes: dict[AttributeName, AttributeValue] = Field(default_factory=dict)

    @field_validator("attributes")
    @classmethod
    def _not_a_company_field(cls, attributes: dict[str, Any]) -> dict[str, Any]:
        taken = sorted(attributes.keys() & set(COMPANY_FIELDS))
        if taken:
            raise ValueError(f"{taken[0]!r} is a company field, not an attribute; rename it")
        return attributes

    def value_of(self, field: str) -> Any:
        """A company field (`sector`) or attribute (`region`) by name; None when absent."""
        if field in COMPANY_FIELDS:
            return getattr(self, field)
        return self.attributes.get(field)


class Assurance(BaseModel):
    model_config = _STRICT

    provider: NonEmptyText | None = None
    standard: NonEmptyText | None = None
    level: Literal["none", "limited", "reasonable"] = "limited"


class ReportMeta(BaseModel):
    """The published report itself; absent for companies that published none."""

    model_config = _STRICT

    title: NonEmptyText | None = None
    url: Annotated[StrictStr, StringConstraints(max_length=2_000)] | None = None
    published: IsoDate | None = None
    period_end: IsoDate | None = None
    language: Annotated[StrictStr, StringConstraints(pattern=LANGUAGE_PATTERN)] | None = None
    frameworks: list[NonEmptyText] = Field(default_factory=list)
    assurance: Assurance | None = None


ViolationStatus: TypeAlias = Literal["open", "responded", "corrected", "closed"]


class Violation(BaseModel):
    """A regulatory violation record, as collected by IPE-style databases."""

    model_config = _STRICT

    id: Identifier
    date: IsoDate
    authority: NonEmptyText | None = None
    category: Slug | None = None
    status: ViolationStatus
    public_response: StrictBool = False


class Report(BaseModel):
    """One company's CSR disclosure for one reporting year."""

    model_config = _STRICT

    company: Company
    year: Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, strict=True)]
    report: ReportMeta | None = None
    if TYPE_CHECKING:
        # What the field holds once validated; the annotation below is what it accepts.
        disclosures: dict[str, Disclosure] = Field(default_factory=dict)
    else:
        disclosures: dict[DisclosureKey, DisclosureValue | LongDisclosure] = Field(
            default_factory=dict,
            # pydantic states the key pattern as patternProperties, which alone would let
            # keys that miss the pattern through; the model rejects them, and so must the
            # schema.
            json_schema_extra={"additionalProperties": False},
        )
    violations: list[Violation] = Field(default_factory=list)
    # Disclosures the company states do not apply to it, each with its reason: distinct
    # from not disclosing, they make the criteria that score them N/A.
    not_applicable: dict[DisclosureKey, NonEmptyText] = Field(default_factory=dict)
    extensions: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _not_both_disclosed_and_not_applicable(self) -> Report:
        if self.not_applicable:
            both = sorted(self.not_applicable.keys() & self.disclosures.keys())
            if both:
                raise ValueError(
                    f"{both[0]!r} is both disclosed and marked not applicable; keep one"
                )
        return self

    @field_validator("disclosures", mode="wrap")
    @classmethod
    def _normalize_disclosures(
        cls, raw: Any, validate: ValidatorFunctionWrapHandler
    ) -> dict[str, Disclosure]:
        fast = checked(raw)
        return fast if fast is not None else normalize(validate(raw))

    @field_serializer("disclosures")
    def _serialize_disclosures(self, disclosures: dict[str, Disclosure]) -> dict[str, Any]:
        # The field holds Disclosure tuples after validation; write them back in the input
        # forms, so that a dumped report loads again as an equal report.
        return {key: denormalize(value) for key, value in disclosures.items()}

    @property
    def key(self) -> tuple[str, int]:
        return (self.company.id, self.year)

    def disclosure(self, key: str) -> Disclosure | None:
        return self.disclosures.get(key)
