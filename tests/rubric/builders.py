"""Small builders for rubric data and report records, shared by the rubric tests.

Rubrics are built as plain data and loaded with `load_rubric(mapping)`; they use the test
catalog in fixtures/catalog.yaml (by absolute path, since rubric data resolves relative
paths against the working directory):

    env.ghg.policy  bool          labour.ltifr  number      sc.suppliers   list of tier1..3
    env.ghg.scope1  number        hr.process    enum        gov.committee  text
    env.ghg.scope2  number
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csrscore import Rubric, Scores, load_reports, load_rubric, score

FIXTURES = Path(__file__).parent / "fixtures"
TEST_CATALOG = str(FIXTURES / "catalog.yaml")

Data = dict[str, Any]


def rubric_data(*groups: Data, **top: Any) -> Data:
    """A complete rubric document; keyword arguments add or replace top-level keys."""
    return {
        "rubric": "test",
        "version": "1.0.0",
        "title": "Test rubric",
        "catalog": TEST_CATALOG,
        "groups": list(groups),
        **top,
    }


def group(group_id: str, *criteria: Data, **extra: Any) -> Data:
    """A group of criteria; pass `groups=[...]` for sub-groups."""
    data: Data = {"id": group_id, "title": group_id.title(), **extra}
    if criteria:
        data["criteria"] = list(criteria)
    return data


def level(points: float, when: Data, label: str | None = None) -> Data:
    return {"points": points, "label": label or f"{points:g} points", "when": when}


def ladder(criterion_id: str, *levels: Data, **extra: Any) -> Data:
    """A criterion scored by a level ladder."""
    return {"id": criterion_id, "title": criterion_id.title(), "levels": list(levels), **extra}


def single(criterion_id: str, when: Data, points: float = 1, **extra: Any) -> Data:
    """A criterion with one level: `points` when the condition holds, else 0."""
    return ladder(criterion_id, level(points, when), **extra)


def record(company_id: str = "acme", year: int = 2023, **fields: Any) -> Data:
    """A valid report record; keyword arguments add or replace top-level fields."""
    return {
        "company": {"id": company_id, "name": company_id.title()},
        "year": year,
        **fields,
    }


def run(data: Data | Rubric, records: list[Data]) -> Scores:
    """Score records strictly: a record that does not validate fails the test."""
    rubric = data if isinstance(data, Rubric) else load_rubric(data)
    return score(load_reports(records, strict=True), rubric, strict=True)


def company(
    company_id: str,
    disclosures: Data | None = None,
    *,
    sector: str | None = None,
    **fields: Any,
) -> Data:
    """A record for `company_id` with the given disclosures (keys are dotted names)."""
    data = record(company_id, **fields)
    if sector is not None:
        data["company"]["sector"] = sector
    if disclosures:
        data["disclosures"] = disclosures
    return data
