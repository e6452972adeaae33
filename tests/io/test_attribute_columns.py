"""Company attribute columns (`company.region`) in tables, wide and long."""

from __future__ import annotations

from pathlib import Path

from csrscore import load_reports
from csrscore.io import CellRejection
from tests.io.files import write_csv


def test_a_wide_table_fills_company_attributes(tmp_path: Path) -> None:
    rows = [
        ["company_id", "name", "year", "company.region", "company.market_cap", "gov.csr_policy"],
        ["acme", "Acme (synthetic)", "2024", "eu", "12.5", "yes"],
        ["bolt", "Bolt (synthetic)", "2024", "asia", "", "no"],
    ]
    loaded = load_reports(write_csv(tmp_path / "wide.csv", rows))
    assert loaded.rejected == ()
    assert [report.company.attributes for report in loaded] == [
        {"region": "eu", "market_cap": 12.5},  # no catalog type: a number cell stays a number
        {"region": "asia"},  # an empty cell is no attribute
    ]


def test_a_long_table_reads_attributes_once_per_company_year(tmp_path: Path) -> None:
    rows = [
        ["company_id", "name", "year", "company.region", "key", "value"],
        ["acme", "Acme (synthetic)", "2024", "eu", "gov.csr_policy", "yes"],
        ["acme", "Acme (synthetic)", "2024", "eu", "env.ghg.scope1", "12"],
        ["acme", "Acme (synthetic)", "2024", "asia", "env.water.withdrawal", "3"],
    ]
    loaded = load_reports(write_csv(tmp_path / "long.csv", rows))
    # The third row contradicts the first: the record is rejected at that cell.
    (rejection,) = loaded.rejected
    assert isinstance(rejection, CellRejection)
    assert (rejection.line, rejection.column, rejection.header) == (4, "D", "company.region")
    assert rejection.message == "expected the same as row 2 ('eu'), got 'asia'"
