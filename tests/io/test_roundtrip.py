"""Records written as a table and read back are the same records, and score the same."""

from __future__ import annotations

import json
import string
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import load_reports, read_table, score
from csrscore.io import CellRules
from csrscore.records.model import Report
from csrscore.rubric import load_catalog
from csrscore.rubric.catalog import FieldSpec
from tests.cli.runner import EXAMPLES, ROOT
from tests.io.files import write_csv

CATALOG = load_catalog()
RULES = CellRules()
RESERVED = {text.lower() for text in [*RULES.not_disclosed, *RULES.not_applicable]}
# A few keys of every catalog type.
KEYS = [
    spec.name
    for kind in ("bool", "number", "enum", "list", "text")
    for spec in [s for s in CATALOG if s.type == kind][:4]
]
texts = (
    st.text(string.ascii_letters + string.digits + " .,:/()", min_size=1, max_size=20)
    .map(str.strip)
    .filter(lambda text: text and text.lower() not in RESERVED and ";" not in text)
)


def values_for(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "number":
        # Within the catalog's range: values outside it are rejected, as tested elsewhere.
        low, high = spec.minimum, spec.maximum
        return st.floats(low, high, allow_nan=False, allow_infinity=False) | st.integers(
            -(10**9) if low is None else int(low), 10**9 if high is None else int(high)
        )
    if spec.type == "enum":
        assert spec.values is not None
        return st.sampled_from(spec.values)
    if spec.type == "list":
        items = st.sampled_from(spec.values) if spec.values else texts
        return st.lists(items, min_size=1, max_size=3, unique=True)
    return texts


rows = st.fixed_dictionaries({}, optional={key: values_for(CATALOG.fields[key]) for key in KEYS})


def cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


@settings(max_examples=40, deadline=None)
@given(st.lists(rows, min_size=1, max_size=6))
def test_records_to_a_wide_csv_and_back(disclosures: list[dict[str, Any]]) -> None:
    records: list[dict[str, Any]] = [
        {"company": {"id": f"c{i}", "name": f"Company {i}"}, "year": 2023, "disclosures": found}
        for i, found in enumerate(disclosures)
    ]
    table = [["company_id", "name", "year", *KEYS]]
    table += [
        [r["company"]["id"], r["company"]["name"], "2023"]
        + [cell(r["disclosures"][key]) if key in r["disclosures"] else "" for key in KEYS]
        for r in records
    ]
    with tempfile.TemporaryDirectory() as folder:
        loaded = load_reports(write_csv(Path(folder) / "wide.csv", table))
    assert loaded.rejected == ()
    assert list(loaded.reports) == [Report.model_validate(r) for r in records]
    original, again = score(records), score(loaded)
    assert np.array_equal(original.totals, again.totals)
    assert np.array_equal(original.levels, again.levels)


LONG_HEADER = [
    "company_id",
    "name",
    "sector",
    "country",
    "year",
    "report.title",
    "report.url",
    "report.published",
    "report.period_end",
    "report.language",
    "report.frameworks",
    "report.assurance.provider",
    "report.assurance.standard",
    "report.assurance.level",
    "key",
    "value",
    "unit",
    "assured",
    "note",
    "page",
    "quote",
    "url",
]


def long_rows(report: dict[str, Any]) -> list[list[str]]:
    company, meta = report["company"], report.get("report") or {}
    assurance = meta.get("assurance") or {}
    identity = [
        company["id"],
        company["name"],
        company.get("sector", ""),
        company.get("country", ""),
        str(report["year"]),
        meta.get("title", ""),
        meta.get("url", ""),
        meta.get("published", ""),
        meta.get("period_end", ""),
        meta.get("language", ""),
        "; ".join(meta.get("frameworks", [])),
        assurance.get("provider", ""),
        assurance.get("standard", ""),
        assurance.get("level", ""),
    ]
    out = []
    for key, value in report.get("disclosures", {}).items():
        form = value if isinstance(value, dict) else {"value": value}
        evidence = form.get("evidence", {})
        out.append(
            [
                *identity,
                key,
                cell(form["value"]),
                form.get("unit", ""),
                "yes" if form.get("assured") else "",
                form.get("note", ""),
                str(evidence.get("page", "")),
                evidence.get("quote", ""),
                evidence.get("url", ""),
            ]
        )
    return out


def test_the_shipped_examples_to_a_long_csv_and_back(tmp_path: Path) -> None:
    document = json.loads((ROOT / EXAMPLES).read_text())
    records = [
        {key: value for key, value in r.items() if key != "violations"}
        for r in document["reports"]
        if r.get("disclosures")  # a company-year without disclosures has no rows
    ]
    table = [LONG_HEADER] + [row for r in records for row in long_rows(r)]
    loaded = read_table(write_csv(tmp_path / "long.csv", table))
    assert loaded.rejected == ()
    expected = [Report.model_validate(r) for r in records]
    assert list(loaded.reports) == expected
    original, again = score(expected), score(loaded)
    assert np.array_equal(original.totals, again.totals)
    assert original.to_records() == again.to_records()
