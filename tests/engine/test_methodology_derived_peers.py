"""The worked example "derived fields and peers" of docs/methodology.md: its rubric and
records are read from the page and scored, and every number of its table, and the
explanation lines it quotes, must be what the engine gives."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from csrscore import Scores, load_rubric, score
from csrscore.rubric.yamlsafe import load_yaml

DOC = Path(__file__).resolve().parents[2] / "docs" / "methodology.md"
SECTION = DOC.read_text(encoding="utf-8").split("## Worked example: derived fields and peers")[1]


def block(language: str) -> str:
    found = re.search(rf"^```{language}\n(.*?)^```", SECTION, re.MULTILINE | re.DOTALL)
    assert found is not None
    return found.group(1)


def number(cell: str) -> float | None:
    cell = cell.strip().replace("−", "-").replace(",", "")
    return None if cell == "—" else float(cell)


def table() -> list[list[str]]:
    rows = [line for line in SECTION.splitlines() if line.startswith("| ") and "---" not in line]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


@pytest.fixture(scope="module")
def scores() -> Scores:
    rubric = load_rubric(load_yaml(block("yaml"), str(DOC)).data)
    return score(json.loads(block("json")), rubric)


def test_every_number_of_the_table(scores: Scores) -> None:
    rows = table()
    assert len(rows) == len(scores)
    intensity = scores.derived["env.ghg.intensity"].values
    change = scores.derived["env.ghg.scope1.change"].values
    percentiles = scores.peers[0].statistic
    for company, year, *cells in rows:
        row = scores.index_of(company, int(year))
        expected = [number(cell) for cell in cells]
        found = [
            intensity[row],
            percentiles[row],
            scores.points[row, 0],
            change[row],
            scores.points[row, 1],
            scores.totals[row],
        ]
        for want, got in zip(expected, found, strict=True):
            if want is None:
                assert math.isnan(got), (company, year)
            else:
                assert got == pytest.approx(want, abs=0.01), (company, year)


def test_the_quoted_explanation_lines(scores: Scores) -> None:
    quote = SECTION.split("explanation reads, in part:")[1]
    quoted = [line.strip() for line in quote.splitlines() if line.startswith("    ")]
    assert quoted
    text = str(scores.explain("north", 2024))
    for line in quoted:
        assert line in text, line
