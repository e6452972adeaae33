"""Company attributes: declared in the rubric, type-checked at scoring, used in
`applies_when`, in `--by` grouping and in outputs. Totals and ranks are worked by hand."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csrscore import load_reports, load_rubric, score
from csrscore.errors import RubricError, UsageError
from csrscore.io.results import ranking_columns
from csrscore.reference import reference_score

RUBRIC: dict[str, Any] = {
    "rubric": "attributes-test",
    "version": "1",
    "title": "Company attributes (synthetic test rubric)",
    "fields": {
        "company.region": {"type": "enum", "values": ["eu", "asia", "americas"]},
        "company.market_cap": {"type": "number", "unit": "USD bn"},
        "company.indices": {"type": "list", "values": ["ftse4good", "dj_sustainability"]},
    },
    "groups": [
        {
            "id": "all",
            "title": "All",
            "criteria": [
                {
                    "id": "policy",
                    "title": "Policy",
                    "levels": [{"points": 2, "label": "yes", "when": {"true": "gov.csr_policy"}}],
                },
                {
                    "id": "eu_pay",
                    "title": "Pay linked to ESG (EU companies)",
                    "applies_when": {"eq": {"company.region": "eu"}},
                    "levels": [
                        {
                            "points": 2,
                            "label": "yes",
                            "when": {"true": "gov.remuneration.esg_linked"},
                        }
                    ],
                },
                {
                    "id": "large_board",
                    "title": "Independent board (market cap of 10 bn or more)",
                    "applies_when": {"gte": {"company.market_cap": 10}},
                    "levels": [
                        {
                            "points": 1,
                            "label": "yes",
                            "when": {"gte": {"gov.board.independent_share": 50}},
                        }
                    ],
                },
                {
                    "id": "index_member",
                    "title": "Member of FTSE4Good",
                    "levels": [
                        {
                            "points": 1,
                            "label": "member",
                            "when": {"contains": {"company.indices": "ftse4good"}},
                        }
                    ],
                },
            ],
        }
    ],
}


def _company(company_id: str, **attributes: Any) -> dict[str, Any]:
    company: dict[str, Any] = {"id": company_id, "name": company_id.upper()}
    if attributes:
        company["attributes"] = attributes
    return company


RECORDS: list[dict[str, Any]] = [
    {
        "company": _company("a", region="eu", market_cap=50, indices=["ftse4good"]),
        "year": 2024,
        "disclosures": {
            "gov.csr_policy": True,
            "gov.remuneration.esg_linked": True,
            "gov.board.independent_share": 60,
        },
    },
    {
        "company": _company("b", region="asia", market_cap=5),
        "year": 2024,
        "disclosures": {"gov.csr_policy": True},
    },
    {
        # "EU" is a spelling of the declared "eu"; it is taken as "eu".
        "company": _company("c", region="EU", market_cap=20, indices=["dj_sustainability"]),
        "year": 2024,
        "disclosures": {
            "gov.csr_policy": False,
            "gov.remuneration.esg_linked": True,
            "gov.board.independent_share": 40,
        },
    },
    {"company": _company("d"), "year": 2024, "disclosures": {"gov.csr_policy": True}},
    {"company": _company("e", region="mars"), "year": 2024},
    {"company": _company("f", market_cap="big"), "year": 2024},
]


def _scores() -> Any:
    return score(load_reports(RECORDS), load_rubric(RUBRIC))


def test_totals_and_ranks_worked_by_hand() -> None:
    scores = _scores()
    totals = dict(zip(scores.company_ids, scores.totals.tolist(), strict=True))
    # a: every criterion applies, all earned: 6 of 6.
    # b: asia and 5 bn, so eu_pay and large_board are N/A; policy 2 of 2, index 0 of 1.
    # c: policy 0, eu_pay 2, large_board 0 (40 < 50), index 0: 2 of 6.
    # d: no attributes, so eu_pay and large_board are N/A, as for b.
    assert totals == pytest.approx({"a": 100.0, "b": 200 / 3, "c": 100 / 3, "d": 200 / 3})
    ranks = dict(zip(scores.company_ids, scores.rank().tolist(), strict=True))
    assert ranks == {"a": 1, "b": 2, "d": 2, "c": 4}


def test_a_value_against_its_declared_type_rejects_the_record_with_its_path() -> None:
    rejected = {(r.company_id, r.path, r.message) for r in _scores().rejected}
    assert rejected == {
        ("e", "company.attributes.region", "'mars' is not one of: eu, asia, americas"),
        ("f", "company.attributes.market_cap", "catalog says number, got str"),
    }


def test_declared_spelling_is_kept() -> None:
    scores = _scores()
    assert scores.company_field("company.region") == ["eu", "asia", "eu", None]


def test_rank_by_an_attribute() -> None:
    scores = _scores()
    ranks = dict(zip(scores.company_ids, scores.rank(by="company.region").tolist(), strict=True))
    assert ranks == {"a": 1, "c": 2, "b": 1, "d": 1}
    assert scores.company_field(("company.region", "year"))[1] == ("asia", 2024)


def test_unknown_grouping_field_lists_the_fields_that_exist() -> None:
    with pytest.raises(UsageError) as caught:
        _scores().rank(by="company.regoin")
    assert str(caught.value) == (
        "cannot group by 'company.regoin' (did you mean 'company.region'?); the fields are: "
        "sector, country, year, company.id, company.name, company.indices, "
        "company.market_cap, company.region"
    )


def test_outputs_carry_the_attributes() -> None:
    scores = _scores()
    record = scores.to_records()[0]
    assert record["attributes"] == {"region": "eu", "market_cap": 50.0, "indices": ["ftse4good"]}
    columns = ranking_columns(scores)
    assert columns["company_id"] == ["a", "b", "d", "c"]
    assert columns["company.region"] == ["eu", "asia", None, "eu"]
    assert columns["company.market_cap"] == [50.0, 5.0, None, 20.0]
    assert columns["company.indices"] == ["ftse4good", None, None, "dj_sustainability"]


def test_undeclared_attributes_are_kept_and_shown_as_text_when_types_mix() -> None:
    records = [
        {"company": _company("x", batch="q1"), "year": 2024},
        {"company": _company("y", batch=2), "year": 2024},
    ]
    scores = score(load_reports(records), load_rubric(RUBRIC))
    assert not scores.rejected
    assert scores.company_field("batch") == ["q1", 2.0]
    assert ranking_columns(scores)["company.batch"] == ["q1", "2.0"]


def test_outputs_without_attributes_are_unchanged() -> None:
    scores = score(load_reports(RECORDS[3:4]), "iso26000")
    assert "attributes" not in scores.to_records()[0]
    assert not any(name.startswith("company.") for name in ranking_columns(scores))


@pytest.mark.parametrize(
    ("name", "spec", "message"),
    [
        ("company.sector", {"type": "text"}, "'company.sector' is a built-in field"),
        (
            "company.attributes",
            {"type": "text"},
            "a company attribute is declared as company.<name>",
        ),
        ("company.a.b", {"type": "text"}, "a company attribute is declared as company.<name>"),
        ("stats.mine", {"type": "number"}, "report.* and stats.* are built-in fields only"),
    ],
)
def test_bad_declarations_fail_at_load(name: str, spec: dict[str, Any], message: str) -> None:
    with pytest.raises(RubricError, match=re.escape(message)):
        load_rubric({**RUBRIC, "fields": {name: spec}})


def test_a_text_operator_on_a_number_attribute_fails_at_load() -> None:
    bad = {
        **RUBRIC,
        "groups": [
            {
                "id": "g",
                "title": "G",
                "criteria": [
                    {
                        "id": "c",
                        "title": "C",
                        "levels": [
                            {
                                "points": 1,
                                "label": "x",
                                "when": {"contains": {"company.market_cap": "x"}},
                            }
                        ],
                    }
                ],
            }
        ],
    }
    with pytest.raises(RubricError, match=r"does not apply to number field 'company\.market_cap'"):
        load_rubric(bad)


_regions = st.sampled_from([None, "eu", "asia", "americas"])
_caps = st.one_of(st.none(), st.floats(0, 100, allow_nan=False))


@given(st.lists(st.tuples(_regions, _caps, st.booleans(), st.booleans()), max_size=8))
def test_engine_equals_reference_and_ranks_by_region_equal_ranks_of_each_region_alone(
    rows: list[tuple[str | None, float | None, bool, bool]],
) -> None:
    records = []
    for k, (region, cap, policy, linked) in enumerate(rows):
        attributes = {
            name: value
            for name, value in (("region", region), ("market_cap", cap))
            if value is not None
        }
        disclosures = {"gov.csr_policy": policy, "gov.remuneration.esg_linked": linked}
        records.append(
            {"company": _company(f"c{k}", **attributes), "year": 2024, "disclosures": disclosures}
        )
    rubric = load_rubric(RUBRIC)
    reports = load_reports(records, strict=True)
    scores = score(reports, rubric)
    for i, report in enumerate(reports.reports):
        assert scores.totals[i] == pytest.approx(reference_score(report, rubric).total)
    by_region = scores.rank(by="company.region").tolist()
    for region in {r for r, *_ in rows}:
        alone = [records[k] for k, row in enumerate(rows) if row[0] == region]
        alone_ranks = score(load_reports(alone), rubric).rank().tolist()
        assert alone_ranks == [by_region[k] for k, row in enumerate(rows) if row[0] == region]


def test_explanations_show_the_attribute_a_condition_read() -> None:
    explanation = _scores().explain("c").to_dict()
    (member,) = [c for c in explanation["criteria"] if c["id"] == "index_member"]
    trace = member["levels"][0]["trace"]
    assert (trace["field"], trace["actual"], trace["present"]) == (
        "company.indices",
        ["dj_sustainability"],
        True,
    )


def test_peers_within_an_attribute() -> None:
    rubric = {
        **RUBRIC,
        "groups": [
            {
                "id": "g",
                "title": "G",
                "criteria": [
                    {
                        "id": "cap_vs_region",
                        "title": "Market cap against the region (synthetic)",
                        "value": {
                            "field": "gov.board.independent_share",
                            "points": 10,
                            "peers": {"method": "percentile", "within": ["company.region"]},
                        },
                    }
                ],
            }
        ],
    }
    records = [
        {
            "company": _company(k, region=region),
            "year": 2024,
            "disclosures": {"gov.board.independent_share": share},
        }
        for k, region, share in (("p", "eu", 10), ("q", "eu", 90), ("r", "asia", 50))
    ]
    scores = score(load_reports(records), load_rubric(rubric))
    # Within the EU, p is the lowest and q the highest; r is alone in Asia.
    totals = dict(zip(scores.company_ids, scores.totals.tolist(), strict=True))
    assert totals["p"] < totals["q"]
    assert totals["q"] == pytest.approx(100.0)
