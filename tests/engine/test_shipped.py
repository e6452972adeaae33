"""The shipped rubrics on the shipped examples: clean, deterministic, self-consistent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from csrscore import list_rubrics, load_reports, score
from csrscore.reference import reference_score

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "reports.json"


@pytest.mark.parametrize("rubric", ["iso26000", "citi"])
def test_examples_score_without_rejections_or_warnings(rubric: str) -> None:
    scores = score(EXAMPLES, rubric)
    assert len(scores) == load_reports(EXAMPLES).total
    assert scores.rejected == ()
    assert scores.warnings == ()


@pytest.mark.parametrize("rubric", ["iso26000", "citi"])
def test_engine_equals_reference_on_examples(rubric: str) -> None:
    scores = score(EXAMPLES, rubric)
    for i, report in enumerate(scores.reports):
        expected = reference_score(report, scores.rubric)
        assert scores.totals[i] == pytest.approx(expected.total, abs=1e-9)
        assert [expected.levels[c] for c in scores.criterion_ids] == scores.levels[i].tolist()


def test_examples_spread_across_grades() -> None:
    scores = score(EXAMPLES, "iso26000")
    assert len(set(scores.grades)) >= 4
    assert float(np.ptp(scores.totals)) > 40


def test_shipped_rubrics_are_listed() -> None:
    assert {"iso26000", "citi"} <= set(list_rubrics())


def test_scoring_is_byte_for_byte_deterministic() -> None:
    command = [sys.executable, "-m", "csrscore.cli.main"]
    runs = [
        subprocess.run(
            [*command, "rank", str(EXAMPLES), "--rubric", rubric, "--format", "json"],
            capture_output=True,
            check=True,
        ).stdout
        for rubric in ("iso26000", "citi", "iso26000", "citi")
    ]
    assert runs[0] == runs[2]
    assert runs[1] == runs[3]
    assert json.loads(runs[0])["scored"] == load_reports(EXAMPLES).total
