"""Year-over-year comparison across a change of methodology: each year scored with its own
edition's rubric, changes split into what the company and what the methodology did.

The data is examples/editions (two editions of a small synthetic index); every number
below is worked out by hand from those files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csrscore import load_reports, load_rubric, score
from csrscore.compare import compare
from csrscore.errors import RubricError, UsageError
from csrscore.records.load import ReportSet
from csrscore.rubric.editions import Edition, Editions, comparable_criteria, load_editions

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "examples" / "editions"


def _year(reports: ReportSet, year: int) -> list[Any]:
    return [report for report in reports.reports if report.year == year]


def _comparison() -> Any:
    editions = load_editions(FOLDER / "editions.yaml")
    reports = load_reports(FOLDER / "reports.json")
    earlier = score(_year(reports, 2023), editions.rubric_for(2023))
    later = score(_year(reports, 2024), editions.rubric_for(2024))
    return compare(earlier, 2023, 2024, later=later, comparable=editions.comparable(2023, 2024))


def test_totals_split_into_company_and_methodology() -> None:
    companies = {company.company_id: company for company in _comparison().companies}
    acme, beta = companies["acme"], companies["beta"]
    # acme 2023 under the 2023 rubric: policy 1 + scope1 1 + water 0 = 2 of 3.
    # acme 2024 under the 2024 rubric: csr-policy 2 + scope1 2 (assured) + pay 0 = 4 of 5.
    # acme 2024 under the 2023 rubric: policy 1 + scope1 1 + water 1 = 3 of 3.
    assert acme.total_from == pytest.approx(200 / 3)
    assert acme.total_to == pytest.approx(80.0)
    assert acme.total_restated == pytest.approx(100.0)
    assert acme.company_delta == pytest.approx(100 / 3)  # it began reporting water
    assert acme.methodology_delta == pytest.approx(-20.0)  # water no longer counts
    # beta: nothing in 2023; in 2024 a policy and linked pay: 2 + 0 + 1 = 3 of 5 (new),
    # 1 of 3 (old).
    assert (beta.total_from, beta.total_to) == pytest.approx((0.0, 60.0))
    assert beta.company_delta == pytest.approx(100 / 3)
    assert beta.methodology_delta == pytest.approx(80 / 3)
    assert [(c.rank_from, c.rank_to) for c in (acme, beta)] == [(1, 1), (2, 2)]


def test_each_criterion_change_names_its_cause() -> None:
    companies = {company.company_id: company for company in _comparison().companies}
    acme = {change.criterion_id: change for change in companies["acme"].criteria}
    assert set(acme) == {"csr-policy", "scope1"}
    policy = acme["csr-policy"]
    assert (policy.from_criterion_id, policy.points_from, policy.points_to) == ("policy", 1, 2)
    assert (policy.points_restated, policy.causes) == (1.0, ("methodology",))
    scope1 = acme["scope1"]
    assert (scope1.label_from, scope1.label_to, scope1.causes) == (
        "reported",
        "assured",
        ("methodology",),  # the 2023 rubric did not reward assurance
    )
    (beta_policy,) = companies["beta"].criteria
    assert (beta_policy.points_from, beta_policy.points_restated, beta_policy.points_to) == (
        0.0,
        1.0,
        2.0,
    )
    assert beta_policy.causes == ("company", "methodology")


def test_methodology_lists_added_removed_and_renamed_criteria() -> None:
    comparison = _comparison()
    assert comparison.methodology is not None
    assert comparison.methodology.rubric_version == "2024"
    assert comparison.methodology.added == ("pay",)
    assert comparison.methodology.removed == ("water",)
    assert comparison.methodology.renamed == (("policy", "csr-policy"),)
    assert [(c.company_id, c.rank, c.total) for c in comparison.new] == [("gamma", 3, 20.0)]
    document = comparison.to_dict()
    assert document["methodology"]["criteria_renamed"] == {"policy": "csr-policy"}
    assert document["companies"][0]["methodology_delta"] == pytest.approx(-20.0)


def test_one_methodology_attributes_every_change_to_the_company() -> None:
    reports = load_reports(FOLDER / "reports.json")
    rubric = load_rubric(FOLDER / "index-2023.yaml")
    comparison = compare(score(reports, rubric), 2023, 2024)
    assert comparison.methodology is None
    for company in comparison.companies:
        assert company.company_delta == company.score_delta
        assert company.methodology_delta == 0.0
        assert all(change.causes == ("company",) for change in company.criteria)


def test_a_report_the_earlier_rubric_rejects_is_not_split() -> None:
    # The later edition's catalog allows a value the earlier one does not.
    def rubric(version: str, values: list[str]) -> Any:
        return load_rubric(
            {
                "rubric": "tiers",
                "version": version,
                "title": "Tiers (synthetic)",
                "fields": {"x.tier": {"type": "enum", "values": values}},
                "groups": [
                    {
                        "id": "g",
                        "title": "G",
                        "criteria": [
                            {
                                "id": "tier",
                                "title": "Tier",
                                "levels": [
                                    {"points": 1, "label": "a", "when": {"eq": {"x.tier": "a"}}}
                                ],
                            }
                        ],
                    }
                ],
            }
        )

    company = {"id": "acme", "name": "Acme"}
    earlier = score(
        [{"company": company, "year": 2023, "disclosures": {"x.tier": "a"}}],
        rubric("1", ["a", "b"]),
    )
    later = score(
        [{"company": company, "year": 2024, "disclosures": {"x.tier": "c"}}],
        rubric("2", ["a", "b", "c"]),
    )
    (change,) = compare(earlier, 2023, 2024, later=later).companies
    assert change.score_delta == -100.0
    assert (change.total_restated, change.company_delta, change.methodology_delta) == (
        None,
        None,
        None,
    )
    (criterion,) = change.criteria
    assert (criterion.points_restated, criterion.causes) == (None, ())


def test_comparable_criteria_checks_the_ids() -> None:
    editions = load_editions(FOLDER / "editions.yaml")
    old, new = editions.rubric_for(2023), editions.rubric_for(2024)
    assert comparable_criteria(old, new) == {"policy": None, "scope1": "scope1", "water": None}
    with pytest.raises(UsageError, match="'nope' is not a criterion of small-index 2024"):
        comparable_criteria(old, new, {"policy": "nope"})
    with pytest.raises(UsageError, match="'scope1' is matched by both 'policy' and 'scope1'"):
        comparable_criteria(old, new, {"policy": "scope1"})


def test_mappings_compose_across_editions() -> None:
    editions = load_editions(FOLDER / "editions.yaml")
    old, new = editions.rubric_for(2023), editions.rubric_for(2024)
    chain = Editions(
        (
            Edition(2021, old, {}),
            Edition(2023, new, {"policy": "csr-policy"}),
            # 2025 keeps the 2024 rubric but declares scope1 no longer comparable.
            Edition(2025, new, {"scope1": None}),
        )
    )
    assert chain.rubric_for(2022) is old
    assert chain.comparable(2022, 2026) == {"policy": "csr-policy", "scope1": None, "water": None}
    with pytest.raises(RubricError, match="no edition scores 2020"):
        chain.rubric_for(2020)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("editions: []\n", "should be non-empty"),
        (
            "editions:\n  - {from: 2024, rubric: index-2024.yaml}\n"
            "  - {from: 2023, rubric: index-2023.yaml}\n",
            "editions must be listed oldest first",
        ),
        (
            "editions:\n  - {from: 2023, rubric: index-2023.yaml}\n"
            "  - {from: 2024, rubric: index-2024.yaml, comparable: {policy: nope}}\n",
            "'nope' is not a criterion of small-index 2024",
        ),
        ("editions:\n  - {from: 2023, rubric: ../../rubrics/citi.yaml}\n", "outside"),
    ],
)
def test_bad_editions_files_fail_with_a_located_line(
    tmp_path: Path, text: str, message: str
) -> None:
    for name in ("index-2023.yaml", "index-2024.yaml"):
        (tmp_path / name).write_text((FOLDER / name).read_text(encoding="utf-8"), "utf-8")
    path = tmp_path / "editions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RubricError, match=message) as caught:
        load_editions(path)
    assert caught.value.location.source == str(path)


_flags = st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_flags, _flags), min_size=1, max_size=5))
def test_the_two_parts_add_up_and_one_rubric_leaves_nothing_to_methodology(
    companies: list[tuple[tuple[bool, ...], tuple[bool, ...]]],
) -> None:
    keys = (
        "gov.csr_policy",
        "env.ghg.scope1",
        "env.water.withdrawal",
        "gov.remuneration.esg_linked",
    )
    records = []
    for k, years in enumerate(companies):
        for year, flags in zip((2023, 2024), years, strict=True):
            disclosures = {
                key: (True if key.startswith("gov") else 1.0)
                for key, flag in zip(keys, flags, strict=True)
                if flag
            }
            records.append(
                {
                    "company": {"id": f"c{k}", "name": f"C{k}"},
                    "year": year,
                    "disclosures": disclosures,
                }
            )
    reports = load_reports(json.loads(json.dumps(records)))
    editions = load_editions(FOLDER / "editions.yaml")
    earlier = score(_year(reports, 2023), editions.rubric_for(2023))
    later = score(_year(reports, 2024), editions.rubric_for(2024))
    split = compare(earlier, 2023, 2024, later=later, comparable=editions.comparable(2023, 2024))
    for company in split.companies:
        assert company.company_delta is not None
        assert company.methodology_delta is not None
        assert company.company_delta + company.methodology_delta == pytest.approx(
            company.score_delta
        )
    # The same rubric for both years, given as two Scores, is the one-Scores comparison.
    both = score(reports, editions.rubric_for(2024))
    alone = compare(both, 2023, 2024)
    later_same = score(_year(reports, 2024), editions.rubric_for(2024))
    earlier_same = score(_year(reports, 2023), editions.rubric_for(2024))
    assert compare(earlier_same, 2023, 2024, later=later_same).to_dict() == alone.to_dict()
