"""Improvement suggestions in words, from the condition and the catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csrscore import score
from csrscore.explain.advice import condition_words, value_words
from csrscore.rubric.catalog import Catalog, FieldSpec
from csrscore.rubric.conditions import AllOf, AnyOf, FieldTest, Not
from csrscore.rubric.model import Criterion, ValueScoring
from tests.cli.runner import run_cli

EXAMPLES = Path(__file__).parents[2] / "examples" / "reports.json"

CATALOG = Catalog(
    "test",
    fields={
        "env.ghg.scope1": FieldSpec(
            "env.ghg.scope1", "number", unit="tCO2e", description="Scope 1 emissions."
        ),
        "env.policy": FieldSpec(
            "env.policy", "bool", description="The company publishes an environmental policy."
        ),
        "hr.level": FieldSpec(
            "hr.level", "enum", values=("none", "planned", "audited"), description="Maturity."
        ),
        "sc.tiers": FieldSpec("sc.tiers", "list", values=("tier1", "tier2")),
        "share": FieldSpec("share", "number", unit="%", description="GRI share"),
        "sites": FieldSpec("sites", "number", unit="count", description="Sites"),
    },
)


def leaf(op: str, field: str, operand: object = None) -> FieldTest:
    return FieldTest(op, field, operand, operand)


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        (
            leaf("exists", "env.ghg.scope1"),
            "disclose scope 1 emissions (env.ghg.scope1), a number in tCO2e",
        ),
        (
            leaf("gte", "env.ghg.scope1", 10.0),
            "disclose scope 1 emissions (env.ghg.scope1), a number at least 10 tCO2e",
        ),
        (
            leaf("between", "share", (10.0, 20.0)),
            "disclose GRI share (share), a number from 10 to 20%",
        ),
        (leaf("lt", "sites", 3.0), "disclose sites (sites), a number below 3"),
        (leaf("number", "sites"), "disclose sites (sites), a count"),
        (
            leaf("true", "env.policy"),
            'disclose env.policy as yes ("The company publishes an environmental policy")',
        ),
        (
            leaf("eq", "env.policy", False),
            'disclose env.policy as no ("The company publishes an environmental policy")',
        ),
        (
            leaf("in", "hr.level", ("planned", "audited")),
            "disclose maturity (hr.level) as planned or audited",
        ),
        (
            leaf("not_in", "hr.level", ("none",)),
            "disclose maturity (hr.level) as anything but none",
        ),
        (leaf("contains", "sc.tiers", "tier1"), "disclose sc.tiers including tier1"),
        (leaf("missing", "sc.tiers"), "withdraw sc.tiers"),
        (
            Not(leaf("missing", "hr.level")),
            "disclose maturity (hr.level), one of none, planned or audited",
        ),
    ],
)
def test_one_test_in_words(condition: FieldTest, words: str) -> None:
    assert condition_words(condition, CATALOG) == [words]


def test_qualifiers_join_the_ask_for_the_same_field() -> None:
    condition = AllOf(
        (
            leaf("assured", "env.ghg.scope1"),
            leaf("gte", "env.ghg.scope1", 5.0),
            leaf("has_evidence", "env.ghg.scope1"),
            leaf("true", "env.policy"),
        )
    )
    assert condition_words(condition, CATALOG) == [
        "disclose scope 1 emissions (env.ghg.scope1), a number at least 5 tCO2e, with "
        "external assurance and evidence (a page, quote or URL)",
        'disclose env.policy as yes ("The company publishes an environmental policy")',
    ]
    # Already disclosed: only the assurance and the evidence are missing.
    qualified = AllOf((leaf("exists", "env.ghg.scope1"), leaf("assured", "env.ghg.scope1")))
    assert condition_words(qualified, CATALOG, disclosed={"env.ghg.scope1"}) == [
        "add external assurance to scope 1 emissions (env.ghg.scope1)"
    ]
    assert condition_words(qualified, CATALOG) == [
        "disclose scope 1 emissions (env.ghg.scope1), a number in tCO2e, with external assurance"
    ]


def test_an_any_follows_the_alternative_a_patch_is_built_for() -> None:
    condition = AnyOf((leaf("matches", "hr.level", "x"), leaf("exists", "sites")))
    assert condition_words(condition, CATALOG) == ["disclose sites (sites), a count"]
    skipped = condition_words(condition, CATALOG, lambda item: item.field != "sites")
    assert skipped is None
    # Company data and regular expressions have nothing to disclose.
    assert condition_words(leaf("eq", "company.sector", "mining"), CATALOG) is None


def test_value_criteria_say_which_way_and_where_points_are_full() -> None:
    lower = Criterion(
        "c", "C", "c", value=ValueScoring("env.ghg.scope1", 100.0, 900.0, 5.0, "lower")
    )
    assert value_words(lower, CATALOG) == (
        "disclose a lower scope 1 emissions (env.ghg.scope1), a number in tCO2e; "
        "full points at 100 tCO2e or less"
    )
    higher = Criterion("c", "C", "c", value=ValueScoring("share", 0.0, 60.0, 5.0))
    assert value_words(higher, CATALOG) == (
        "disclose a higher GRI share (share), a number in %; full points at 60% or more"
    )


def test_every_suggestion_of_the_examples_comes_in_words() -> None:
    for rubric in ("iso26000", "citi"):
        scores = score(EXAMPLES, rubric)
        for row in range(0, len(scores), 4):
            data = scores.explain(scores.company_ids[row], int(scores.years[row])).to_dict()
            for item in data["improvements"]:
                patch = item["suggestion"] or {}
                # Every key of the patch is named in the words, and words come with a patch
                # (or a value criterion, which has none).
                for key in patch:
                    assert any(f"({key}" in phrase for phrase in item["advice"]), item
                if item["advice"] and not patch:
                    assert item["missing"][0]["kind"] == "value"


def test_explain_prints_words_not_a_placeholder() -> None:
    result = run_cli(["explain", str(EXAMPLES), "lumenbay-systems"])
    assert result.code == 0, result.err
    assert (
        "      suggested: disclose members of the highest governance body (gov.board.size), "
        "a number in persons"
    ) in result.out
    assert '{"value": 1.0}' not in result.out
    assert "disclose a better value for" not in result.out
    document = json.loads(
        run_cli(["explain", str(EXAMPLES), "lumenbay-systems", "--format", "json"]).out
    )
    first = document["improvements"][0]
    assert first["suggestion"] == {"gov.board.size": {"value": 1.0}}
    assert first["advice"] == [
        "disclose members of the highest governance body (gov.board.size), a number in persons"
    ]
