"""Every condition operator: true, false and missing-field cases, scored end to end.

Each case is one condition and a few records. The condition becomes the only level (2
points) of a one-criterion rubric, and `score()` must give level 1 and 2 points exactly on
the records where it holds, and level 0 and 0 points elsewhere. The same cases then check
that the operator's scalar function (the reference evaluator's) and its vector function
(the engine's) agree record by record.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from csrscore import load_reports, load_rubric
from csrscore.engine.ingest import build_column
from csrscore.operators import OPERATORS
from csrscore.reference import field_value, holds
from csrscore.rubric.conditions import FieldTest
from tests.rubric.builders import Data, company, rubric_data, run, single

# A list field without allowed values, beside the test catalog's fields.
EXTRA_FIELDS = {"x.tags": {"type": "list"}}
LEVEL_POINTS = 2


@dataclass(frozen=True)
class Case:
    """A condition, records where it holds, records (field present) where it fails, and
    what it gives on a record that lacks every field it tests."""

    id: str
    condition: Data
    holds: tuple[Data, ...] = ()
    fails: tuple[Data, ...] = ()
    when_missing: bool = False

    def records(self) -> list[Data]:
        rows = [*self.holds, *self.fails, company("x")]
        out = []
        for i, row in enumerate(rows):
            row = copy.deepcopy(row)
            row["company"]["id"] = f"r{i}"
            out.append(row)
        return out

    def expected(self) -> list[bool]:
        return [True] * len(self.holds) + [False] * len(self.fails) + [self.when_missing]


def with_(disclosures: Data | None = None, **fields: Any) -> Data:
    return company("x", disclosures, **fields)


def published(day: str | None = None, period_end: str | None = None) -> Data:
    meta: Data = {}
    if day is not None:
        meta["published"] = day
    if period_end is not None:
        meta["period_end"] = period_end
    return with_(report=meta)


def frameworks(*names: str) -> Data:
    return with_(report={"frameworks": list(names)})


FIELD_CASES = [
    # --- presence and kind --------------------------------------------------------------
    Case(
        "exists",
        {"exists": "env.ghg.policy"},
        holds=(with_({"env.ghg.policy": False}), with_({"env.ghg.policy": True})),
        fails=(with_({"env.ghg.scope1": 1}),),
    ),
    Case(
        "missing",
        {"missing": "env.ghg.policy"},
        holds=(with_({"env.ghg.scope1": 1}),),
        fails=(with_({"env.ghg.policy": False}),),
        when_missing=True,
    ),
    Case(
        "true",
        {"true": "env.ghg.policy"},
        holds=(with_({"env.ghg.policy": True}),),
        fails=(with_({"env.ghg.policy": False}),),
    ),
    Case(
        "number",
        {"number": "env.ghg.scope1"},
        holds=(with_({"env.ghg.scope1": 0}), with_({"env.ghg.scope1": -1.5})),
        fails=(with_({"env.ghg.scope2": 1}),),
    ),
    Case(
        "assured",
        {"assured": "env.ghg.scope1"},
        holds=(with_({"env.ghg.scope1": {"value": 1, "assured": True}}),),
        fails=(
            with_({"env.ghg.scope1": 1}),
            with_({"env.ghg.scope1": {"value": 1, "assured": False}}),
            with_({"env.ghg.scope2": {"value": 1, "assured": True}}),
        ),
    ),
    Case(
        "has_evidence",
        {"has_evidence": "env.ghg.scope1"},
        holds=(
            with_({"env.ghg.scope1": {"value": 1, "evidence": {"page": 4}}}),
            with_({"env.ghg.scope1": {"value": 1, "evidence": {"url": "https://x.example"}}}),
            with_({"env.ghg.scope1": {"value": 1, "evidence": {"quote": "1 t"}}}),
        ),
        fails=(
            with_({"env.ghg.scope1": 1}),
            with_({"env.ghg.scope1": {"value": 1, "evidence": {"quote": ""}}}),
        ),
    ),
    # --- equality -------------------------------------------------------------------------
    Case(
        "eq-bool",
        {"eq": {"env.ghg.policy": False}},
        holds=(with_({"env.ghg.policy": False}),),
        fails=(with_({"env.ghg.policy": True}),),
    ),
    Case(
        "eq-number",
        {"eq": {"env.ghg.scope1": 3}},
        holds=(with_({"env.ghg.scope1": 3}), with_({"env.ghg.scope1": 3.0})),
        fails=(with_({"env.ghg.scope1": 4}),),
    ),
    Case(
        "eq-enum",
        {"eq": {"hr.process": "audited"}},
        holds=(with_({"hr.process": "audited"}),),
        fails=(with_({"hr.process": "planned"}),),
    ),
    Case(
        "eq-text-builtin",
        {"eq": {"company.sector": "textiles"}},
        holds=(with_(sector="textiles"),),
        fails=(with_(sector="mining"),),
    ),
    Case(
        "eq-date",
        {"eq": {"report.published": "2024-03-31"}},
        holds=(published("2024-03-31"),),
        fails=(published("2024-04-01"),),
    ),
    Case(
        "ne-bool",
        {"ne": {"env.ghg.policy": True}},
        holds=(with_({"env.ghg.policy": False}),),
        fails=(with_({"env.ghg.policy": True}),),
    ),
    Case(
        "ne-number",
        {"ne": {"env.ghg.scope1": 0}},
        holds=(with_({"env.ghg.scope1": 2}),),
        fails=(with_({"env.ghg.scope1": 0}),),
    ),
    Case(
        "ne-enum",
        {"ne": {"hr.process": "none"}},
        holds=(with_({"hr.process": "planned"}),),
        fails=(with_({"hr.process": "none"}),),
    ),
    Case(
        "ne-text",
        {"ne": {"gov.committee": "Board"}},
        holds=(with_({"gov.committee": "Ethics"}),),
        fails=(with_({"gov.committee": "Board"}),),
    ),
    # --- order ----------------------------------------------------------------------------
    Case(
        "gt",
        {"gt": {"labour.ltifr": 1}},
        holds=(with_({"labour.ltifr": 1.5}),),
        fails=(with_({"labour.ltifr": 1}), with_({"labour.ltifr": 0.5})),
    ),
    Case(
        "gte",
        {"gte": {"labour.ltifr": 1}},
        holds=(with_({"labour.ltifr": 1}), with_({"labour.ltifr": 2})),
        fails=(with_({"labour.ltifr": 0.99}),),
    ),
    Case(
        "lt",
        {"lt": {"labour.ltifr": 1}},
        holds=(with_({"labour.ltifr": 0.5}), with_({"labour.ltifr": 0})),
        fails=(with_({"labour.ltifr": 1}),),
    ),
    Case(
        "lte",
        {"lte": {"labour.ltifr": 1}},
        holds=(with_({"labour.ltifr": 1}),),
        fails=(with_({"labour.ltifr": 1.01}),),
    ),
    Case(
        "gt-date",
        {"gt": {"report.published": "2024-03-31"}},
        holds=(published("2024-04-01"),),
        fails=(published("2024-03-31"),),
    ),
    Case(
        "lte-date",
        {"lte": {"report.period_end": "2023-12-31"}},
        holds=(published(period_end="2023-12-31"), published(period_end="2023-06-30")),
        fails=(published(period_end="2024-01-01"),),
    ),
    Case(
        "gte-stats",
        {"gte": {"stats.disclosures": 2}},
        holds=(with_({"env.ghg.policy": True, "env.ghg.scope1": 1}),),
        fails=(with_({"env.ghg.policy": True}),),
    ),
    Case(
        "between",
        {"between": {"labour.ltifr": [1, 2]}},
        holds=(
            with_({"labour.ltifr": 1}),
            with_({"labour.ltifr": 1.5}),
            with_({"labour.ltifr": 2}),
        ),
        fails=(with_({"labour.ltifr": 0.99}), with_({"labour.ltifr": 2.01})),
    ),
    Case(
        "between-date",
        {"between": {"report.published": ["2024-01-01", "2024-06-30"]}},
        holds=(published("2024-01-01"), published("2024-06-30")),
        fails=(published("2023-12-31"), published("2024-07-01")),
    ),
    # --- membership -----------------------------------------------------------------------
    Case(
        "in-enum",
        {"in": {"hr.process": ["documented", "audited"]}},
        holds=(with_({"hr.process": "documented"}), with_({"hr.process": "audited"})),
        fails=(with_({"hr.process": "planned"}),),
    ),
    Case(
        "in-number",
        {"in": {"env.ghg.scope1": [1, 2]}},
        holds=(with_({"env.ghg.scope1": 1}), with_({"env.ghg.scope1": 2.0})),
        fails=(with_({"env.ghg.scope1": 3}),),
    ),
    Case(
        "in-text-builtin",
        {"in": {"company.sector": ["textiles", "leather"]}},
        holds=(with_(sector="leather"),),
        fails=(with_(sector="mining"),),
    ),
    Case(
        "not_in-enum",
        {"not_in": {"hr.process": ["none"]}},
        holds=(with_({"hr.process": "planned"}),),
        fails=(with_({"hr.process": "none"}),),
    ),
    Case(
        "not_in-number",
        {"not_in": {"env.ghg.scope1": [0]}},
        holds=(with_({"env.ghg.scope1": 1}),),
        fails=(with_({"env.ghg.scope1": 0}),),
    ),
    Case(
        "not_in-text-builtin",
        {"not_in": {"company.sector": ["finance"]}},
        holds=(with_(sector="mining"),),
        fails=(with_(sector="finance"),),
    ),
    Case(
        "contains-list",
        {"contains": {"sc.suppliers": "tier2"}},
        holds=(with_({"sc.suppliers": ["tier1", "tier2"]}),),
        fails=(with_({"sc.suppliers": ["tier1"]}), with_({"sc.suppliers": []})),
    ),
    Case(
        "contains-open-list",
        {"contains": {"x.tags": "gri"}},
        holds=(with_({"x.tags": ["sasb", "gri"]}),),
        fails=(with_({"x.tags": ["gri-305"]}),),
    ),
    Case(
        "contains-text",
        {"contains": {"gov.committee": "Sustain"}},
        holds=(with_({"gov.committee": "Sustainability committee"}),),
        fails=(with_({"gov.committee": "sustainability committee"}),),
    ),
    Case(
        "contains-builtin-list",
        {"contains": {"report.frameworks": "GRI"}},
        holds=(frameworks("SASB", "GRI"),),
        fails=(frameworks("SASB"),),
    ),
    Case(
        "matches-text",
        {"matches": {"gov.committee": "(?i)^sustain"}},
        holds=(with_({"gov.committee": "SUSTAINABILITY"}),),
        fails=(with_({"gov.committee": "Board sustainability"}),),
    ),
    Case(
        "matches-enum",
        {"matches": {"hr.process": "^(documented|audited)$"}},
        holds=(with_({"hr.process": "audited"}),),
        fails=(with_({"hr.process": "planned"}),),
    ),
    Case(
        "matches-list",
        {"matches": {"x.tags": "^iso"}},
        holds=(with_({"x.tags": ["gri", "iso14001"]}),),
        fails=(with_({"x.tags": ["gri"]}), with_({"x.tags": []})),
    ),
]


def violation(
    day: str = "2023-05-01",
    status: str = "open",
    category: str | None = "water",
    public_response: bool = False,
) -> Data:
    item: Data = {"id": f"v-{day}-{status}", "date": day, "status": status}
    if category is not None:
        item["category"] = category
    if public_response:
        item["public_response"] = True
    return item


def violating(*items: Data) -> Data:
    """A 2023 record with these violation records (ids made unique)."""
    numbered = [{**item, "id": f"{item['id']}-{i}"} for i, item in enumerate(items)]
    return with_(violations=numbered)


RECORD_CASES = [
    # --- violations filters ---------------------------------------------------------------
    Case(
        "violations-status",
        {"violations": {"status": "open"}},
        holds=(violating(violation(status="open")),),
        fails=(violating(violation(status="closed")),),
    ),
    Case(
        "violations-status-list",
        {"violations": {"status": ["responded", "corrected"]}},
        holds=(violating(violation(status="corrected")), violating(violation(status="responded"))),
        fails=(violating(violation(status="open"), violation(status="closed")),),
    ),
    Case(
        "violations-category",
        {"violations": {"category": "water"}},
        holds=(violating(violation(category="water")),),
        fails=(violating(violation(category="air"), violation(category=None)),),
    ),
    Case(
        "violations-category-list",
        {"violations": {"category": ["water", "air"]}},
        holds=(violating(violation(category="air")),),
        fails=(violating(violation(category="waste"), violation(category=None)),),
    ),
    Case(
        "violations-public-response-true",
        {"violations": {"public_response": True}},
        holds=(violating(violation(public_response=True)),),
        fails=(violating(violation(public_response=False)),),
    ),
    Case(
        "violations-public-response-false",
        {"violations": {"public_response": False}},
        holds=(violating(violation(public_response=False)),),
        fails=(violating(violation(public_response=True)),),
    ),
    Case(
        "violations-from",
        {"violations": {"from": "2023-01-01"}},
        holds=(violating(violation("2023-01-01")),),
        fails=(violating(violation("2022-12-31")),),
    ),
    Case(
        "violations-to",
        {"violations": {"to": "2022-12-31"}},
        holds=(violating(violation("2022-12-31")),),
        fails=(violating(violation("2023-01-01")),),
    ),
    Case(
        "violations-from-to",
        {"violations": {"from": "2022-01-01", "to": "2022-12-31"}},
        holds=(violating(violation("2022-01-01")), violating(violation("2022-12-31"))),
        fails=(violating(violation("2021-12-31"), violation("2023-01-01")),),
    ),
    Case(
        "violations-within-1-year",
        {"violations": {"within_years": 1}},
        holds=(violating(violation("2023-01-01")), violating(violation("2023-12-31"))),
        fails=(violating(violation("2022-12-31"), violation("2024-01-01")),),
    ),
    Case(
        "violations-within-3-years",
        {"violations": {"within_years": 3}},
        holds=(violating(violation("2021-01-01")),),
        fails=(violating(violation("2020-12-31")),),
    ),
    # --- violations comparisons -----------------------------------------------------------
    Case(
        "violations-gte",
        {"violations": {"gte": 2}},
        holds=(violating(violation(), violation()), violating(*[violation()] * 3)),
        fails=(violating(violation()),),
    ),
    Case(
        "violations-gt",
        {"violations": {"gt": 1}},
        holds=(violating(violation(), violation()),),
        fails=(violating(violation()),),
    ),
    Case(
        "violations-lte",
        {"violations": {"lte": 1}},
        holds=(violating(violation()),),
        fails=(violating(violation(), violation()),),
        when_missing=True,
    ),
    Case(
        "violations-lt",
        {"violations": {"lt": 2}},
        holds=(violating(violation()),),
        fails=(violating(violation(), violation()),),
        when_missing=True,
    ),
    Case(
        "violations-eq",
        {"violations": {"eq": 1}},
        holds=(violating(violation()),),
        fails=(violating(violation(), violation()),),
    ),
    Case(
        "violations-eq-0",
        {"violations": {"status": "open", "eq": 0}},
        holds=(violating(violation(status="closed")),),
        fails=(violating(violation(status="open")),),
        when_missing=True,
    ),
    Case(
        "violations-filter-and-compare",
        {"violations": {"status": "open", "gte": 2}},
        holds=(violating(violation(status="open"), violation(status="open")),),
        fails=(violating(violation(status="open"), violation(status="closed")),),
    ),
    # --- publication delay ----------------------------------------------------------------
    Case(
        "published_within_days",
        {"published_within_days": 120},
        holds=(
            published("2024-04-29", "2023-12-31"),  # 120 days (2024 is a leap year)
            published("2024-01-15", "2023-12-31"),
            published("2023-12-01", "2023-12-31"),  # published before the period ended
        ),
        fails=(
            published("2024-04-30", "2023-12-31"),  # 121 days
            published("2024-01-15"),  # no period end: the delay is unknown
            published(period_end="2023-12-31"),
        ),
    ),
    # --- combinators ----------------------------------------------------------------------
    Case(
        "all",
        {"all": [{"true": "env.ghg.policy"}, {"number": "env.ghg.scope1"}]},
        holds=(with_({"env.ghg.policy": True, "env.ghg.scope1": 1}),),
        fails=(
            with_({"env.ghg.policy": True}),
            with_({"env.ghg.policy": False, "env.ghg.scope1": 1}),
        ),
    ),
    Case(
        "any",
        {"any": [{"true": "env.ghg.policy"}, {"number": "env.ghg.scope1"}]},
        holds=(with_({"env.ghg.policy": True}), with_({"env.ghg.scope1": 1})),
        fails=(with_({"env.ghg.policy": False}),),
    ),
    Case(
        "not",
        {"not": {"eq": {"hr.process": "none"}}},
        holds=(with_({"hr.process": "planned"}),),
        fails=(with_({"hr.process": "none"}),),
        when_missing=True,
    ),
    Case(
        "not-not",
        {"not": {"not": {"true": "env.ghg.policy"}}},
        holds=(with_({"env.ghg.policy": True}),),
        fails=(with_({"env.ghg.policy": False}),),
    ),
    Case(
        "nested",
        {
            "any": [
                {"all": [{"true": "env.ghg.policy"}, {"not": {"missing": "labour.ltifr"}}]},
                {"contains": {"sc.suppliers": "tier3"}},
            ]
        },
        holds=(
            with_({"env.ghg.policy": True, "labour.ltifr": 0}),
            with_({"sc.suppliers": ["tier3"]}),
        ),
        fails=(with_({"env.ghg.policy": True}), with_({"labour.ltifr": 0})),
    ),
]

ALL_CASES = FIELD_CASES + RECORD_CASES


def _rubric(case: Case) -> Data:
    return rubric_data(
        {"id": "g", "title": "G", "criteria": [single("c", case.condition, LEVEL_POINTS)]},
        fields=EXTRA_FIELDS,
    )


def _operator_names(condition: Data) -> set[str]:
    ((name, argument),) = condition.items()
    found = {name}
    if name in ("all", "any"):
        for item in argument:
            found |= _operator_names(item)
    elif name == "not":
        found |= _operator_names(argument)
    return found


def test_every_operator_has_cases() -> None:
    used = set().union(*(_operator_names(case.condition) for case in ALL_CASES))
    assert set(OPERATORS) <= used
    assert {"violations", "published_within_days", "all", "any", "not"} <= used


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_cases_cover_true_false_and_missing(case: Case) -> None:
    assert case.holds or case.when_missing
    assert case.fails


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_operator_through_score(case: Case) -> None:
    scores = run(_rubric(case), case.records())
    expected = np.array(case.expected(), dtype=np.int64)
    assert scores.levels[:, 0].tolist() == expected.tolist()
    assert scores.points[:, 0].tolist() == (expected * LEVEL_POINTS).astype(float).tolist()
    assert scores.applicable.all()


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.id for case in ALL_CASES])
def test_reference_evaluator_agrees(case: Case) -> None:
    rubric = load_rubric(_rubric(case))
    condition = rubric.criteria[0].levels[0].when
    reports = load_reports(case.records(), strict=True).reports
    assert [holds(condition, report) for report in reports] == case.expected()


@pytest.mark.parametrize("case", FIELD_CASES, ids=[case.id for case in FIELD_CASES])
def test_scalar_and_vector_functions_agree(case: Case) -> None:
    rubric = load_rubric(_rubric(case))
    test = rubric.criteria[0].levels[0].when
    assert isinstance(test, FieldTest)
    spec = rubric.catalog.get(test.field)
    assert spec is not None
    operator = OPERATORS[test.op]
    reports = load_reports(case.records(), strict=True).reports
    column = build_column(reports, spec, provenance=True)
    vector = operator.vector(column, test.operand)
    scalar = [bool(operator.scalar(field_value(r, test.field), test.operand)) for r in reports]
    assert vector.dtype == np.bool_
    assert vector.tolist() == scalar == case.expected()


def test_missing_disclosure_never_satisfies_a_negative_test() -> None:
    """`ne` and `not_in` are false on a missing field; `not` of `eq` is true."""
    conditions: list[Data] = [
        {"ne": {"hr.process": "none"}},
        {"not_in": {"hr.process": ["none"]}},
        {"not": {"eq": {"hr.process": "none"}}},
    ]
    data = rubric_data(
        {
            "id": "g",
            "title": "G",
            "criteria": [single(f"c{i}", c) for i, c in enumerate(conditions)],
        }
    )
    scores = run(data, [company("a")])
    assert scores.levels.tolist() == [[0, 0, 1]]
