"""Scores shared across the sensitivity tests: scoring the examples once is enough."""

from __future__ import annotations

from pathlib import Path

import pytest

from csrscore import Scores, score

EXAMPLES = Path(__file__).parents[2] / "examples" / "reports.json"
FIXTURES = Path(__file__).parent / "fixtures"

_CACHE: dict[str, Scores] = {}


def example_scores(rubric: str) -> Scores:
    if rubric not in _CACHE:
        _CACHE[rubric] = score(EXAMPLES, rubric)
    return _CACHE[rubric]


@pytest.fixture
def iso26000() -> Scores:
    return example_scores("iso26000")


@pytest.fixture
def citi() -> Scores:
    return example_scores("citi")
