"""Reading reports from CSV, TSV, XLSX, Parquet, Arrow and pandas, wide and long."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from csrscore import load_reports, read_table, score
from csrscore.errors import InputError
from csrscore.io import CellRejection, MissingExtraError
from tests.io.files import HEADER, ROWS, write_csv, write_parquet, write_xlsx


def values(loaded: object) -> dict[str, dict[str, object]]:
    return {
        report.company.id: {key: d.value for key, d in report.disclosures.items()}
        for report in loaded  # type: ignore[attr-defined]
    }


EXPECTED = {
    "acme": {"gov.csr_policy": True, "env.ghg.scope1": 1200.0},
    "bolt": {"gov.csr_policy": False},
}


def test_a_wide_csv_loads_through_load_reports(tmp_path: Path) -> None:
    loaded = load_reports(write_csv(tmp_path / "data.csv", [HEADER, *ROWS]))
    assert values(loaded) == EXPECTED
    assert loaded.rejected == ()
    assert loaded.reports[0].company.name == "Acme (synthetic)"
    assert loaded.reports[0].year == 2023


def test_a_bom_and_tabs_are_read(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.tsv", [HEADER, *ROWS], delimiter="\t", bom=True)
    assert values(load_reports(path)) == EXPECTED


def test_semicolon_csv_reads_decimal_commas_and_grouping(tmp_path: Path) -> None:
    header = ["company_id", "name", "year", "env.ghg.scope1", "gov.board.women_share"]
    rows = [
        header,
        ["acme", "Acme", "2023", "1.234,5", "45,5 %"],
        ["bolt", "Bolt", "2023", "12,25", "0"],
    ]
    loaded = load_reports(write_csv(tmp_path / "eu.csv", rows, delimiter=";"))
    assert values(loaded) == {
        "acme": {"env.ghg.scope1": 1234.5, "gov.board.women_share": 45.5},
        "bolt": {"env.ghg.scope1": 12.25, "gov.board.women_share": 0.0},
    }


def test_messy_cells(tmp_path: Path) -> None:
    header = [
        "company_id",
        "name",
        "year",
        "gov.csr_policy",
        "env.ghg.scope1",
        "gov.board.women_share",
        "hr.policy.standards",
        "gov.board.csr_oversight",
    ]
    rows = [
        header,
        [" acme ", "Acme", "2023", " X ", "1,234,567", "45%", "udhr; ungp;", "board_member"],
        ["bolt", "Bolt", "2023.0", "Y", "1 234", "N/A", "", " n.d. "],
        ["cole", "Cole", "2023", "0", "-", "not applicable", "ilo_core", "none"],
    ]
    loaded = load_reports(write_csv(tmp_path / "messy.csv", rows))
    assert loaded.rejected == ()
    assert values(loaded) == {
        "acme": {
            "gov.csr_policy": True,
            "env.ghg.scope1": 1234567.0,
            "gov.board.women_share": 45.0,
            "hr.policy.standards": ("udhr", "ungp"),
            "gov.board.csr_oversight": "board_member",
        },
        "bolt": {"gov.csr_policy": True, "env.ghg.scope1": 1234.0},
        "cole": {
            "gov.csr_policy": False,
            "hr.policy.standards": ("ilo_core",),
            "gov.board.csr_oversight": "none",
        },
    }
    bolt, cole = loaded.reports[1], loaded.reports[2]
    assert bolt.not_applicable == {"gov.board.women_share": "N/A"}
    assert cole.not_applicable == {"gov.board.women_share": "not applicable"}


def test_a_bad_cell_rejects_its_row_only_and_names_the_cell(tmp_path: Path) -> None:
    rows = [HEADER, *ROWS, ["cole", "Cole", "textiles", 2023, "maybe", "12"]]
    loaded = load_reports(write_csv(tmp_path / "data.csv", rows))
    assert [r.company.id for r in loaded] == ["acme", "bolt"]
    (rejection,) = loaded.rejected
    assert isinstance(rejection, CellRejection)
    assert str(rejection) == (
        f"{tmp_path / 'data.csv'}:4 company 'cole' column E \"gov.csr_policy\": "
        "expected yes or no (yes/y/x or no/n), got 'maybe'"
    )
    assert rejection.to_dict()["row"] == 4
    assert rejection.to_dict()["column"] == "E"
    assert loaded.total == 3


def test_a_model_error_is_located_by_its_cell(tmp_path: Path) -> None:
    rows = [HEADER, ["acme", "Acme", "Textiles & Co", 2023, "yes", "1"]]
    (rejection,) = load_reports(write_csv(tmp_path / "data.csv", rows)).rejected
    assert rejection.line == 2
    assert 'column C "sector"' in str(rejection)
    assert "lower-case slug" in rejection.message


def test_a_duplicate_company_year_names_the_first_row(tmp_path: Path) -> None:
    loaded = load_reports(write_csv(tmp_path / "data.csv", [HEADER, *ROWS, ROWS[0]]))
    (rejection,) = loaded.rejected
    assert rejection.line == 4
    assert rejection.message.startswith("duplicate of row 2: same company id and year 2023")


def test_an_unknown_column_is_an_error_until_mapped_or_ignored(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "data.csv", [[*HEADER, "Analyst notes"], *[[*r, "ok"] for r in ROWS]]
    )
    with pytest.raises(InputError, match=r'data.csv:1: 1 unknown column: G "Analyst notes"'):
        load_reports(path)
    assert values(read_table(path, {"ignore": ["Analyst notes"]})) == EXPECTED
    mapped = read_table(path, {"columns": {"Analyst notes": "x.notes"}})
    assert values(mapped)["acme"]["x.notes"] == "ok"


def test_an_xlsx_with_two_sheets_reads_both(tmp_path: Path) -> None:
    later = [[*row[:3], 2024, *row[4:]] for row in ROWS]
    path = write_xlsx(tmp_path / "index.xlsx", {"2023": [HEADER, *ROWS], "2024": [HEADER, *later]})
    loaded = load_reports(path)
    assert [(r.company.id, r.year) for r in loaded] == [
        ("acme", 2023),
        ("bolt", 2023),
        ("acme", 2024),
        ("bolt", 2024),
    ]
    only = read_table(path, sheets=["2024"])
    assert [r.year for r in only] == [2024, 2024]
    with pytest.raises(InputError, match="no sheet 'Data'; the sheets are: 2023, 2024"):
        read_table(path, sheets=["Data"])


def test_xlsx_errors_name_the_sheet_and_typed_cells_are_read(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["acme", "Acme", "textiles", 2023, True, 1200],
        ["bolt", "Bolt", None, 2023.0, 1, "lots"],
    ]
    loaded = load_reports(write_xlsx(tmp_path / "index.xlsx", {"Data": rows}))
    assert values(loaded) == {"acme": {"gov.csr_policy": True, "env.ghg.scope1": 1200.0}}
    (rejection,) = loaded.rejected
    assert str(rejection).endswith(
        "index.xlsx[Data]:3 company 'bolt' column F \"env.ghg.scope1\": "
        "expected a number in tCO2e, got 'lots'"
    )


def test_a_formula_never_computed_is_reported(tmp_path: Path) -> None:
    rows = [HEADER, ["acme", "Acme", "textiles", 2023, "yes", "=1000+200"], ROWS[1]]
    loaded = load_reports(write_xlsx(tmp_path / "formulas.xlsx", {"Data": rows}))
    (rejection,) = loaded.rejected
    assert rejection.line == 2
    assert 'column F "env.ghg.scope1"' in str(rejection)
    assert "formula that was never computed" in rejection.message


def test_a_merged_header_row_is_reported(tmp_path: Path) -> None:
    rows = [["company_id", "name", "year", "Governance", None], ["", "", "", "gov.csr_policy", "x"]]
    path = write_xlsx(tmp_path / "merged.xlsx", {"Data": rows}, merge="D1:E1")
    with pytest.raises(
        InputError, match=r"merged.xlsx\[Data\]:1: the header row has merged cells \(D1:E1\)"
    ):
        load_reports(path)


def test_data_under_a_blank_header_is_reported(tmp_path: Path) -> None:
    rows = [
        ["company_id", "name", "year", "", "gov.csr_policy"],
        ["acme", "Acme", "2023", "5", "yes"],
    ]
    with pytest.raises(
        InputError, match=r"data\.csv:1 column D: this column has data but no header"
    ):
        load_reports(write_csv(tmp_path / "data.csv", rows))


def test_parquet_arrow_and_pandas(tmp_path: Path) -> None:
    assert (
        values(load_reports(write_parquet(tmp_path / "data.parquet", [HEADER, *ROWS]))) == EXPECTED
    )
    frame = pd.DataFrame(ROWS, columns=HEADER)
    assert values(load_reports(frame)) == EXPECTED
    assert values(load_reports(pa.Table.from_pandas(frame))) == EXPECTED
    frame["year"] = frame["year"].astype(object)
    frame.loc[1, "year"] = "twenty"
    (rejection,) = load_reports(frame).rejected
    assert str(rejection) == (
        "<DataFrame>:1 company 'bolt' column D \"year\": expected a year such as 2024, got 'twenty'"
    )


LONG = [
    ["company_id", "name", "year", "key", "value", "unit", "assured", "page", "quote"],
    ["acme", "Acme", 2023, "gov.csr_policy", "yes", "", "", 12, "We have a policy."],
    ["acme", "Acme", 2023, "env.ghg.scope1", "1.2", "ktCO2e", "yes", "", ""],
    ["acme", "Acme", 2024, "env.ghg.scope1", "900", "tCO2e", "", "", ""],
    ["bolt", "Bolt", 2023, "gov.csr_policy", "no", "", "", "", ""],
]


def test_the_long_layout_is_detected_and_converts_units(tmp_path: Path) -> None:
    loaded = load_reports(write_csv(tmp_path / "long.csv", LONG))
    assert loaded.rejected == ()
    acme_2023, acme_2024, bolt = loaded.reports
    policy = acme_2023.disclosures["gov.csr_policy"]
    assert policy.value is True
    assert policy.evidence == {"page": 12, "quote": "We have a policy."}
    scope1 = acme_2023.disclosures["env.ghg.scope1"]
    assert (scope1.value, scope1.unit, scope1.assured) == (1200.0, "tCO2e", True)
    assert acme_2024.disclosures["env.ghg.scope1"].value == 900.0
    assert bolt.disclosures["gov.csr_policy"].value is False


def test_long_layout_errors_name_the_row_of_the_key(tmp_path: Path) -> None:
    rows: list[Any] = [
        *LONG,
        ["bolt", "Bolt", 2023, "gov.csr_policy", "yes", "", "", "", ""],
    ]
    rows.append(["cole", "Cole", 2023, "env.ghg.scope1", "5", "bananas", "", "", ""])
    rows.append(["acme", "ACME", 2024, "gov.csr_policy", "yes", "", "", "", ""])
    loaded = load_reports(write_csv(tmp_path / "long.csv", rows))
    assert [r.company.id for r in loaded] == ["acme"]
    messages = {
        r.company_id: (r.line, r.column, r.message)
        for r in loaded.rejected
        if isinstance(r, CellRejection)
    }
    assert messages["bolt"][:2] == (6, "D")
    assert "first in row 5" in messages["bolt"][2]
    assert messages["cole"] == (7, "F", "expected a unit convertible to tCO2e, got 'bananas'")
    assert messages["acme"][:2] == (8, "B")
    assert "the same as row 4 ('Acme')" in messages["acme"][2]


def test_the_layout_can_be_forced(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "long.csv", LONG)
    with pytest.raises(InputError, match=r"a long-layout column \(key\) in a wide table"):
        read_table(path, layout="wide")


def test_a_missing_extra_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "index.xlsx", {"Data": [HEADER, *ROWS]})
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingExtraError) as caught:
        load_reports(path)
    assert str(caught.value) == "reading XLSX files needs openpyxl: pip install 'csrscore[tables]'"


def test_tables_score_like_the_same_records_as_json(tmp_path: Path) -> None:
    table = score(write_csv(tmp_path / "data.csv", [HEADER, *ROWS]))
    records = score([report.model_dump() for report in load_reports(tmp_path / "data.csv")])
    assert table.totals.tolist() == records.totals.tolist()
    assert table.to_records() == records.to_records()


def test_openpyxl_is_what_reads_the_workbook(tmp_path: Path) -> None:
    # The fixture files are real workbooks: openpyxl reads back what it wrote.
    path = write_xlsx(tmp_path / "index.xlsx", {"Data": [HEADER, *ROWS]})
    assert openpyxl.load_workbook(path).sheetnames == ["Data"]
