"""Real table files written by the libraries themselves (csv, openpyxl, pyarrow)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

Rows = Sequence[Any]

HEADER = ["company_id", "name", "sector", "year", "gov.csr_policy", "env.ghg.scope1"]
ROWS: list[list[Any]] = [
    ["acme", "Acme (synthetic)", "textiles", 2023, "yes", "1200"],
    ["bolt", "Bolt (synthetic)", "textiles", 2023, "no", "n.d."],
]


def write_csv(path: Path, rows: Rows, *, delimiter: str = ",", bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, Rows], merge: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        if merge:
            sheet.merge_cells(merge)
    workbook.save(path)
    return path


def write_parquet(path: Path, rows: Rows) -> Path:
    header, *body = rows
    columns = {name: [row[i] for row in body] for i, name in enumerate(header)}
    pq.write_table(pa.table(columns), path)
    return path
