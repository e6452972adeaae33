"""The report model: disclosure forms, value types, field rules, and the JSON round trip."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from typing import Any

import pytest
from hypothesis import given
from pydantic import ValidationError

from csrscore.records import Disclosure, Evidence, Report, load_reports
from csrscore.records.countries import ISO_3166_ALPHA2
from tests.records.factory import json_bytes, record
from tests.records.strategies import records


def _report(**fields: Any) -> Report:
    return Report.model_validate(record("acme", **fields))


def _disclosure(value: Any) -> Disclosure:
    found = _report(disclosures={"env.x": value}).disclosure("env.x")
    assert found is not None
    return found


def _rejection(**fields: Any) -> str:
    (rejection,) = load_reports([record("acme", **fields)]).rejected
    return f"{rejection.path}: {rejection.message}"


# --- disclosures -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, False, 0, 12.5, -3, "yes", "", ["a", "b"], []])
def test_short_and_long_forms_normalize_to_the_same_disclosure(value: Any) -> None:
    short = _disclosure(value)
    long = _disclosure({"value": value})
    assert short == long
    assert type(short.value) is type(long.value)
    assert short[1:] == (None, None, False, None)


def test_the_long_form_keeps_what_backs_the_value() -> None:
    evidence: Evidence = {
        "page": 41,
        "url": "https://example.org/report.pdf",
        "quote": "Scope 1: 1,250 t",
    }
    long = {"value": 1250.5, "unit": "tCO2e", "evidence": evidence, "assured": True, "note": "x"}
    assert _disclosure(long) == Disclosure(1250.5, "tCO2e", evidence, True, "x")


def test_bool_stays_bool_and_one_stays_a_number() -> None:
    report = _report(disclosures={"a": True, "b": 1, "c": False, "d": 0, "e": {"value": True}})
    values = {key: disclosure.value for key, disclosure in report.disclosures.items()}
    assert {key: type(value) for key, value in values.items()} == {
        "a": bool,
        "b": float,
        "c": bool,
        "d": float,
        "e": bool,
    }
    assert values["b"] == 1.0


def test_strings_stay_strings_and_lists_become_tuples() -> None:
    assert _disclosure("1").value == "1"
    assert _disclosure(["child labour", "wages"]).value == ("child labour", "wages")


def test_lookup_by_key() -> None:
    report = _report(disclosures={"env.ghg.scope1": 5})
    assert report.disclosure("env.ghg.scope1") == Disclosure(5.0)
    assert report.disclosure("env.ghg.scope2") is None
    assert report.key == ("acme", 2023)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "must be a bool, a finite number, a string, a list of strings"),
        ({"value": [1]}, "a list value may hold only strings"),
        ({"value": 1, "unit": 5}, "must be a string, got 5"),
        ({"value": 1, "assured": "yes"}, "must be true or false, got 'yes'"),
        ({"value": 1, "evidence": {"page": -1}}, "must be at least 0, got -1"),
        ({"value": 1, "evidence": {"page": True}}, "must be an integer, got true"),
    ],
)
def test_bad_disclosures(value: Any, message: str) -> None:
    assert message in _rejection(disclosures={"env.x": value})


# --- other fields ------------------------------------------------------------------------


def test_a_full_record() -> None:
    report = Report.model_validate(
        {
            "company": {"id": "acme", "name": "Acme", "sector": "energy", "country": "DE"},
            "year": 2023,
            "report": {
                "title": "Sustainability Report 2023",
                "url": "https://example.org/acme-2023.pdf",
                "published": "2024-04-30",
                "period_end": "2023-12-31",
                "language": "de",
                "frameworks": ["GRI", "TCFD"],
                "assurance": {"provider": "Audit AG", "standard": "ISAE 3000", "level": "limited"},
            },
            "violations": [
                {
                    "id": "ipe-1",
                    "date": "2023-05-04",
                    "authority": "Bureau",
                    "category": "water",
                    "status": "responded",
                    "public_response": True,
                }
            ],
            "extensions": {"source": "survey", "score": [1, 2]},
        }
    )
    assert report.report is not None
    assert report.report.published == dt.date(2024, 4, 30)
    assert report.violations[0].status == "responded"
    assert report.extensions == {"source": "survey", "score": [1, 2]}


def test_defaults() -> None:
    report = _report()
    assert (report.report, report.disclosures, report.violations, report.extensions) == (
        None,
        {},
        [],
        {},
    )
    violation = _report(violations=[{"id": "v", "date": "2023-01-01", "status": "open"}])
    assert violation.violations[0].public_response is False


def test_reports_are_frozen() -> None:
    report = _report()
    with pytest.raises(ValidationError):
        report.year = 2024


@pytest.mark.parametrize("status", ["open", "responded", "corrected", "closed"])
def test_violation_statuses(status: str) -> None:
    assert _report(violations=[{"id": "v", "date": "2023-01-01", "status": status}])


@pytest.mark.parametrize(
    "published",
    ["2023-01-01T00:00:00", "946684800", "20230101", "2023-1-1", "٢٠٢٣-٠١-٠١"],
)
def test_dates_are_yyyy_mm_dd_text(published: str) -> None:
    message = _rejection(report={"published": published})
    assert message.startswith("report.published: must be an ISO date as text, YYYY-MM-DD")


def test_numbers_are_not_read_as_timestamps() -> None:
    assert _rejection(report={"published": 946684800}) == (
        "report.published: must be an ISO date as text, YYYY-MM-DD, got 946684800"
    )


def test_date_years_share_the_report_year_range() -> None:
    assert _rejection(report={"published": "1989-12-31"}).endswith("within 1990..2100")


@pytest.mark.parametrize("country", sorted(ISO_3166_ALPHA2)[:5])
def test_country_codes(country: str) -> None:
    assert _report(company={"id": "acme", "name": "Acme", "country": country})


@pytest.mark.parametrize("country", ["de", "XX", "UK", "DEU", 276])
def test_bad_country_codes(country: Any) -> None:
    assert _rejection(company={"id": "acme", "name": "Acme", "country": country}).startswith(
        "company.country: "
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"year": 2101}, "year: must be at most 2100, got 2101"),
        ({"year": 2023.5}, "year: must be an integer, got 2023.5"),
        ({"company": {"id": "a b", "name": "A"}}, "company.id: must start with an ASCII letter"),
        ({"company": {"id": "a", "name": "A", "sector": "Oil"}}, "company.sector: must be a low"),
        ({"report": {"language": "English"}}, "report.language: must be a language tag"),
        ({"report": {"frameworks": "GRI"}}, "report.frameworks: must be an array, got 'GRI'"),
        ({"report": {"assurance": {"level": "high"}}}, "report.assurance.level: must be 'none'"),
        ({"report": {"title": ""}}, "report.title: must not be empty"),
        ({"report": {"url": "x" * 2001}}, "report.url: must have at most 2000 characters"),
        ({"extensions": []}, "extensions: must be an object, got an array"),
        ({"violations": {}}, "violations: must be an array, got an object"),
    ],
)
def test_field_rules(fields: dict[str, Any], message: str) -> None:
    assert _rejection(**fields).startswith(message)


# --- the JSON round trip -----------------------------------------------------------------


def test_a_report_dumps_to_the_input_forms() -> None:
    report = _report(
        disclosures={
            "a": 1,
            "b": {"value": True},
            "c": {"value": ["x"], "unit": "t", "evidence": {"page": 2}, "assured": True},
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dumped = report.model_dump(mode="json")
        text = report.model_dump_json()
    assert dumped["disclosures"] == {
        "a": 1.0,
        "b": True,
        "c": {"value": ["x"], "unit": "t", "evidence": {"page": 2}, "assured": True},
    }
    assert json.loads(text) == dumped
    assert Report.model_validate_json(text) == report


def _value_types(report: Report) -> dict[str, type]:
    # Report equality alone would let True pass for 1.0; the value types must survive too.
    return {key: type(disclosure.value) for key, disclosure in report.disclosures.items()}


@given(records)
def test_any_valid_record_loads_and_survives_a_json_round_trip(raw: dict[str, Any]) -> None:
    loaded = load_reports([raw])
    assert loaded.rejected == ()
    (report,) = loaded.reports

    (from_json,) = load_reports(json_bytes([raw]), strict=True).reports
    assert from_json == report
    assert _value_types(from_json) == _value_types(report)

    (from_dump,) = load_reports(("[" + report.model_dump_json() + "]").encode(), strict=True)
    assert from_dump == report
    assert _value_types(from_dump) == _value_types(report)
