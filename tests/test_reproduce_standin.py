"""The stand-in of the tutorial "Reproduce a published index" (docs/tutorials/reproduce-index.md).

Its generator plays the publisher, in decimal arithmetic and without csrscore; the rubric
must get the publisher's scores and ranks back, for the shipped companies and for any
other answers the questionnaire allows.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import csrscore
from tests.cli.runner import ROOT

FOLDER = ROOT / "examples" / "reproduce"
RUBRIC = csrscore.load_rubric(FOLDER / "disclosure-score.yaml")
DETAILS = (
    "driver",
    "time_horizon",
    "likelihood",
    "magnitude",
    "financial_impact",
    "response",
    "cost",
)


@pytest.fixture(scope="module")
def generator() -> Any:
    spec = importlib.util.spec_from_file_location("_csrscore_standin", FOLDER / "make_standin.py")
    assert spec is not None
    assert spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_the_committed_files_are_what_the_generator_writes(generator: Any, tmp_path: Path) -> None:
    generator.write(tmp_path)
    for name in ("published.csv", "reports.json"):
        assert (tmp_path / name).read_bytes() == (FOLDER / name).read_bytes(), (
            f"examples/reproduce/{name} is stale; run python examples/reproduce/make_standin.py"
        )


def test_the_stand_in_says_it_is_synthetic() -> None:
    document = json.loads((FOLDER / "reports.json").read_text(encoding="utf-8"))
    assert document["synthetic"] is True
    assert "SYNTHETIC" in document["note"]
    assert all(r["company"]["name"].endswith("(synthetic)") for r in document["reports"])


def reproduced(generator: Any, companies: list[Any]) -> tuple[list[Any], list[Any]]:
    """(csrscore's table, the publisher's table), each as (company, score, rank) rows."""
    scores = csrscore.score(generator.records(companies), RUBRIC, strict=True)
    ours = sorted(
        (company, int(total), int(rank))
        for company, total, rank in zip(
            scores.company_ids, scores.published_totals, scores.rank(), strict=True
        )
    )
    theirs = sorted(
        (row["company_id"], row["score"], row["rank"]) for row in generator.published(companies)
    )
    return ours, theirs


def test_the_rubric_reproduces_the_published_table(generator: Any) -> None:
    ours, theirs = reproduced(generator, generator.COMPANIES)
    assert ours == theirs
    # The table exercises what it is there to show: an exact half, and a shared rank.
    assert ("delta-steel", 63, 3) in theirs
    assert ("ember-software", 63, 3) in theirs


answers = st.fixed_dictionaries(
    {},
    optional={
        "board_oversight": st.booleans(),
        "incentives": st.booleans(),
        "target": st.booleans(),
        "risk_details": st.lists(st.sampled_from(DETAILS), max_size=9),
        "scope1": st.integers(0, 10**7),
        "scope2": st.integers(0, 10**7),
        "process_share": st.integers(0, 100),
        # Shares as published: whole or half percent, so the half-point grid meets halves.
        "renewable_share": st.integers(0, 200).map(lambda halves: halves / 2),
    },
)
companies = st.lists(
    st.tuples(st.sampled_from(["cement", "steel", "retail", "software"]), answers),
    min_size=1,
    max_size=12,
).map(
    lambda drawn: [
        (f"co-{k:02d}", f"Company {k} (synthetic)", sector, given_answers)
        for k, (sector, given_answers) in enumerate(drawn)
    ]
)


@settings(max_examples=60, deadline=None)
@given(companies=companies)
def test_any_answers_give_the_publishers_scores_and_ranks(
    generator: Any, companies: list[Any]
) -> None:
    ours, theirs = reproduced(generator, companies)
    assert ours == theirs
