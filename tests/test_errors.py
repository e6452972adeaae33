"""Locations render as one line: file, line and column, record, company, field path."""

from __future__ import annotations

import pytest

from csrscore.errors import (
    CsrscoreError,
    InputError,
    Location,
    ReportError,
    RubricError,
    UnknownCompanyError,
)


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (Location(), "<input>"),
        (Location(source="reports.json"), "reports.json"),
        (Location(source="reports.jsonl", line=7), "reports.jsonl:7"),
        (Location(source="reports.json", line=3, column=12), "reports.json:3:12"),
        (Location(source="reports.json", column=12), "reports.json"),
        (Location(line=2), "<input>:2"),
        (Location(source="r.json", index=0), "r.json record 0"),
        (Location(source="r.json", company_id="acme"), "r.json company 'acme'"),
        (Location(source="r.json", path="year"), "r.json year"),
        (Location(source="r.json", path=""), "r.json"),
        (
            Location("r.jsonl", 4, None, 3, "acme", 'disclosures["env.ghg.scope1"].value'),
            "r.jsonl:4 record 3 company 'acme' disclosures[\"env.ghg.scope1\"].value",
        ),
    ],
)
def test_location_rendering(location: Location, text: str) -> None:
    assert str(location) == text


def test_odd_company_ids_are_escaped_so_the_message_stays_one_line() -> None:
    location = Location(source="r.json", company_id="ac\u200bme\n\x07")
    assert str(location) == "r.json company 'ac\\u200bme\\n\\x07'"
    assert "\n" not in str(location)


def test_locations_are_values() -> None:
    assert Location("r.json", 1) == Location(source="r.json", line=1)
    with pytest.raises(AttributeError):
        Location().line = 3  # type: ignore[misc]


def test_input_errors_carry_their_location_and_one_line_message() -> None:
    location = Location(source="r.json", index=2, path="year")
    error = ReportError("must be\n an integer,   got '2023'", location)
    assert error.message == "must be an integer, got '2023'"
    assert error.location is location
    assert str(error) == "r.json record 2 year: must be an integer, got '2023'"


def test_an_input_error_without_a_location() -> None:
    error = RubricError("unknown operator 'equals'")
    assert error.location == Location()
    assert str(error) == "<input>: unknown operator 'equals'"


def test_one_hierarchy() -> None:
    for error_type in (InputError, ReportError, RubricError, UnknownCompanyError):
        assert issubclass(error_type, CsrscoreError)
    assert issubclass(ReportError, InputError)
    assert issubclass(RubricError, InputError)
    assert not issubclass(UnknownCompanyError, InputError)
