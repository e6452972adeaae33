"""Wide tables for the table benchmarks: realistic (the shipped examples) and synthetic.

- realistic: `replicated(n)` records as a wide table of the 100 catalog keys they disclose
  most often, cells written as an analyst would (yes/no, numbers, "; "-joined lists, blanks);
- synthetic: `n` rows of 100 columns of invented keys in a fixed mix: yes/no, whole and
  decimal numbers, percentages, "n.d." and blanks. The keys are not in the catalog, so
  their cells are read by inference.

All of it is synthetic data; none describes a real company.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.realistic import replicated

__all__ = ["COLUMNS", "realistic_rows", "synthetic_rows", "write_csv", "write_xlsx"]

COLUMNS = 100
IDENTITY = ["company_id", "name", "sector", "country", "year"]


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        value = value["value"]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def realistic_rows(n: int) -> Iterator[list[Any]]:
    records = replicated(n)
    counts = Counter(key for record in records for key in record["disclosures"])
    keys = [key for key, _ in counts.most_common(COLUMNS)]
    yield [*IDENTITY, *keys]
    for record in records:
        company, found = record["company"], record["disclosures"]
        yield [
            company["id"],
            company["name"],
            company.get("sector", ""),
            company.get("country", ""),
            record["year"],
            *[_cell(found[key]) if key in found else "" for key in keys],
        ]


def synthetic_rows(n: int, seed: int = 0) -> Iterator[list[Any]]:
    rng = random.Random(seed)
    keys = [f"syn.topic{i // 10}.item{i % 10}" for i in range(COLUMNS)]
    yield [*IDENTITY, *keys]
    makers: list[Callable[[], str]] = [
        lambda: rng.choice(("yes", "no", "x", "")),
        lambda: str(rng.randint(0, 1_000_000)),
        lambda: f"{rng.uniform(0, 10_000):.2f}",
        lambda: f"{rng.uniform(0, 100):.1f}%",
        lambda: rng.choice(("n.d.", "", "12", "7.5")),
    ]
    for index in range(n):
        yield [
            f"c{index:07d}",
            f"Company {index} (synthetic)",
            "textiles",
            "DE",
            2015 + index % 9,
            *[makers[column % len(makers)]() for column in range(COLUMNS)],
        ]


def write_csv(path: Path, rows: Iterator[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Iterator[list[Any]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path
