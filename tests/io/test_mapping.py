"""The mapping file: its schema, its errors, units and cell rules."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from csrscore import read_table
from csrscore.errors import InputError
from csrscore.io import TableMapping, load_mapping, mapping_schema
from csrscore.io.draft import match_header
from csrscore.io.units import conversion
from csrscore.rubric import load_catalog
from tests.cli.runner import ROOT
from tests.io.files import write_csv

SHIPPED = ROOT / "examples" / "spreadsheet-mapping.yaml"


def test_the_shipped_mapping_passes_the_schema_and_the_model() -> None:
    data = yaml.safe_load(SHIPPED.read_text())
    jsonschema.validate(data, mapping_schema())
    mapping = load_mapping(SHIPPED)
    spec = mapping.column("Renewable energy share")
    assert spec is not None
    assert (spec.target, spec.unit) == ("env.energy.renewable_share", "fraction")


def test_a_bad_mapping_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("layout: wide\ncells:\n  decimal: ';'\n")
    with pytest.raises(InputError) as caught:
        load_mapping(path)
    assert str(caught.value).startswith(f"{path}:3 cells.decimal: must be ")
    path.write_text("columns:\n  Scope 1: Env Scope One\n")
    with pytest.raises(InputError, match=r"m\.yaml:2 columns\.Scope 1"):
        load_mapping(path)


def test_units_are_converted_to_the_catalogs(tmp_path: Path) -> None:
    rows = [
        ["id", "company", "year", "Scope 1 (kt)", "Renewables", "Waste (kt)"],
        ["acme", "Acme", "2023", "1.5", "0.25", "2"],
        ["bolt", "Bolt", "2023", "2", "30%", "0,5"],
    ]
    mapping = {
        "columns": {
            "Scope 1 (kt)": {"target": "env.ghg.scope1", "unit": "ktCO2e"},
            "Renewables": {"target": "env.energy.renewable_share", "unit": "fraction"},
            "Waste (kt)": {"target": "env.waste.total", "unit": "kt"},
        }
    }
    loaded = read_table(write_csv(tmp_path / "units.csv", rows), mapping)
    acme = loaded.reports[0].disclosures
    assert acme["env.ghg.scope1"].value == 1500.0
    assert acme["env.energy.renewable_share"].value == 25.0
    assert acme["env.waste.total"].value == 2000.0
    # "30%" is a percentage whatever the column's unit; "0,5" needs a decimal comma.
    (rejection,) = loaded.rejected
    assert rejection.line == 3
    assert rejection.message == (
        "expected a number in kt, got '0,5' (a decimal comma? set cells.decimal: ',' in the "
        "mapping)"
    )


def test_an_impossible_unit_stops_at_the_header(tmp_path: Path) -> None:
    rows = [["id", "company", "year", "Scope 1"], ["acme", "Acme", "2023", "1"]]
    mapping = {"columns": {"Scope 1": {"target": "env.ghg.scope1", "unit": "MWh"}}}
    with pytest.raises(InputError, match=r"no conversion from MWh to tCO2e"):
        read_table(write_csv(tmp_path / "u.csv", rows), mapping)


def test_conversions_work_both_ways() -> None:
    assert conversion("kt", "t") == 1000.0
    assert conversion("t", "kt") == 0.001
    assert conversion("fraction", "%") == 100.0
    assert conversion("kt", "MWh") is None
    assert conversion("anything", None) == 1.0


def test_cell_rules_can_be_replaced(tmp_path: Path) -> None:
    rows = [["id", "company", "year", "gov.csr_policy", "hr.policy.standards"]]
    rows += [["acme", "Acme", "2023", "oui", "udhr|ungp"], ["bolt", "Bolt", "2023", "?", "non"]]
    mapping = TableMapping.model_validate(
        {
            "cells": {
                "true": ["oui"],
                "false": ["non"],
                "not_disclosed": ["?"],
                "list_separator": "|",
            }
        }
    )
    loaded = read_table(write_csv(tmp_path / "fr.csv", rows), mapping)
    acme = loaded.reports[0].disclosures
    assert acme["gov.csr_policy"].value is True
    assert acme["hr.policy.standards"].value == ("udhr", "ungp")
    (rejection,) = loaded.rejected  # "non" is not a standard: the catalog says so
    assert str(rejection).endswith(
        "fr.csv:3 company 'bolt' column E \"hr.policy.standards\": 'non' is not one of: udhr, "
        "ungp, oecd_guidelines, ilo_core, un_global_compact"
    )


def test_mapping_init_matches_headers_to_catalog_keys() -> None:
    catalog = load_catalog()
    assert match_header("Women on board", catalog).target == "gov.board.women_share"
    scope1 = match_header("Scope 1 emissions (ktCO2e)", catalog)
    assert (scope1.target, scope1.unit) == ("env.ghg.scope1", "ktCO2e")
    assert match_header("Ticker", catalog).target == "company.id"
    assert match_header("FY", catalog).target == "year"
    assert match_header("Analyst notes", catalog).target is None
