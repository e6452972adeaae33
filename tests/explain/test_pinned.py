"""Explanations stay what they were, character for character, whichever way they are made:
one company on a fresh set (only its own arrays), one company after the set's arrays exist,
and every company in a batch (`explain_all`). See `pinned.py` for the cases."""

from __future__ import annotations

import json
from itertools import islice

import pytest

from csrscore.cli.render import json_text
from csrscore.explain import Explainer
from tests.explain.pinned import CASES, Case, outputs, read


def _same(found: dict[str, str], pinned: dict[str, str], where: str) -> None:
    if found["json"] != pinned["json"]:
        # Parsed first, so that pytest shows which entry differs.
        assert json.loads(found["json"]) == json.loads(pinned["json"]), where
        assert found["json"] == pinned["json"], f"{where}: same data, different JSON text"
    assert found["markdown"] == pinned["markdown"], where
    assert found["text"] == pinned["text"], where


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_explanations_are_as_pinned(case: Case) -> None:
    pinned = read(case)
    rows = sorted(int(row) for row in pinned)
    assert rows == case.rows(case.scores())

    scores = case.scores()
    for row in rows:  # each company by an explainer that has explained nothing yet
        explanation = Explainer(scores).explain(row)
        found = {
            "json": json_text(explanation.to_dict()),
            "markdown": explanation.to_markdown(),
            "text": str(explanation),
        }
        _same(found, pinned[str(row)], f"{case.name} row {row}, alone")

    wanted = set(rows)
    for row, explanation in enumerate(islice(scores.explain_all(), rows[-1] + 1)):
        if row in wanted:
            found = {
                "json": json_text(explanation.to_dict()),
                "markdown": explanation.to_markdown(),
                "text": str(explanation),
            }
            _same(found, pinned[str(row)], f"{case.name} row {row}, explain_all")
    for row in reversed(rows):  # and again, from the set's shared arrays
        _same(outputs(scores, row), pinned[str(row)], f"{case.name} row {row}, after the batch")


def test_prepared_explainer_gives_the_same_explanations() -> None:
    """After `prepare`, single explanations read every company's candidates from the set."""
    case = next(case for case in CASES if case.name == "iso26000-geometric")
    pinned = read(case)
    explainer = Explainer(case.scores())
    explainer.prepare()
    assert "everyone" in explainer.path.__dict__
    for row in sorted(int(row) for row in pinned)[:4]:
        explanation = explainer.explain(row)
        found = {
            "json": json_text(explanation.to_dict()),
            "markdown": explanation.to_markdown(),
            "text": str(explanation),
        }
        _same(found, pinned[str(row)], f"{case.name} row {row}, prepared")
