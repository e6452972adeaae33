"""`Scores.to_pandas()` ranks as `csrscore rank` does: within each year unless told."""

from __future__ import annotations

import json

import pytest

from csrscore import Scores, score
from tests.cli.runner import EXAMPLES, ROOT, cached_run


@pytest.fixture(scope="module")
def scores() -> Scores:
    return score(ROOT / EXAMPLES)


def _cli_ranks(*options: str) -> dict[tuple[str, int], int]:
    result = cached_run("rank", EXAMPLES, "--format", "json", *options)
    assert result.code == 0, result.err
    return {(c["company_id"], c["year"]): c["rank"] for c in json.loads(result.out)["companies"]}


def _frame_ranks(frame: object) -> dict[tuple[str, int], int]:
    rows = frame.itertuples(index=False)  # type: ignore[attr-defined]
    return {(row.company_id, int(row.year)): int(row.rank) for row in rows}


def test_default_ranks_within_each_year_as_the_cli(scores: Scores) -> None:
    frame = scores.to_pandas()
    assert _frame_ranks(frame) == _cli_ranks()
    assert len(frame[frame["rank"] == 1]) == 2  # one first place per year
    assert frame.percentile.max() <= 100


def test_by_a_field_ranks_within_it_and_within_each_year_as_the_cli(scores: Scores) -> None:
    assert _frame_ranks(scores.to_pandas(by="sector")) == _cli_ranks("--by", "sector")
    assert scores.ranking_fields("sector") == ("year", "sector")
    assert scores.of_year(2024).ranking_fields("sector") == ("sector",)


def test_per_year_false_ranks_every_report_together(scores: Scores) -> None:
    frame = scores.to_pandas(per_year=False)
    assert sorted(frame["rank"]) == sorted(scores.rank().tolist())
    assert frame["rank"].max() > 30
    assert scores.to_arrow(per_year=False).column("rank").to_pylist() == frame["rank"].tolist()
