"""Results out: XLSX and Parquet files, and the pandas and Arrow frames of `Scores`."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pyarrow.parquet as pq
import pytest

from csrscore import Scores, score
from csrscore.io.results import result_tables, write_parquet, write_xlsx
from tests.cli.runner import EXAMPLES, ROOT, run_cli
from tests.records.factory import record


@pytest.fixture(scope="module")
def scores() -> Scores:
    return score(ROOT / EXAMPLES)


def test_to_arrow_and_to_pandas_hold_the_ranking(scores: Scores) -> None:
    table = scores.to_arrow(by="year")
    frame = scores.to_pandas(by="year")
    assert table.num_rows == len(scores) == len(frame)
    assert frame.columns.tolist() == table.column_names
    ranks = scores.rank(by="year")
    for row in frame.itertuples(index=False):
        i = scores.index_of(row.company_id, row.year)
        assert row.total == scores.totals[i]
        assert row.rank == ranks[i]
        assert row.grade == scores.grades[i]
    first_year = frame[frame.year == frame.year.min()]
    assert first_year["rank"].tolist() == sorted(first_year["rank"].tolist())


def test_criteria_frame_is_the_long_table_of_points(scores: Scores) -> None:
    frame = scores.criteria_frame()
    assert len(frame) == scores.levels.size
    assert frame.columns.tolist()[:3] == ["company_id", "year", "criterion"]
    points = frame["points"].to_numpy().reshape(scores.levels.shape)
    applicable = scores.levels >= 0
    assert np.array_equal(points[applicable], scores.points[applicable])
    assert np.isnan(points[~applicable]).all()
    levels = frame["level"].to_numpy().reshape(scores.levels.shape)
    assert np.array_equal(levels[applicable], scores.levels[applicable])
    assert np.array_equal(frame["applicable"].to_numpy().reshape(applicable.shape), applicable)


def test_the_workbook_has_four_sheets_of_real_numbers(scores: Scores, tmp_path: Path) -> None:
    path = tmp_path / "results.xlsx"
    write_xlsx(result_tables(scores), path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["ranking", "groups", "criteria", "rubric"]
    ranking = workbook["ranking"]
    assert ranking.freeze_panes == "A2"
    header = [cell.value for cell in ranking[1]]
    assert header[:9] == [
        "rank",
        "company_id",
        "name",
        "sector",
        "country",
        "year",
        "total",
        "published_total",
        "grade",
    ]
    totals = [row[6] for row in ranking.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(total, (int, float)) for total in totals)
    # openpyxl writes 16 significant digits (Excel shows 15).
    assert sorted(totals) == pytest.approx(sorted(scores.totals.tolist()), rel=1e-15)
    assert ranking.column_dimensions["C"].width >= max(len(name) for name in scores.names)
    criteria = workbook["criteria"]
    assert criteria.max_row == scores.levels.size + 1


def test_a_name_that_is_a_formula_stays_text(tmp_path: Path) -> None:
    hostile = [
        record("a", company={"id": "a", "name": '=HYPERLINK("http://x","y")'}),
        record("b", company={"id": "b", "name": "+1+cmd|' /C calc'!A0"}),
        record("c", company={"id": "c", "name": "@SUM(1)"}),
    ]
    path = tmp_path / "r.xlsx"
    write_xlsx(result_tables(score(hostile)), path)
    names = {
        row[1]: row[2]
        for row in openpyxl.load_workbook(path)["ranking"].iter_rows(min_row=2, values_only=True)
    }
    assert names == {
        "a": '\'=HYPERLINK("http://x","y")',
        "b": "'+1+cmd|' /C calc'!A0",
        "c": "'@SUM(1)",
    }
    assert all(
        cell.data_type != "f" for row in openpyxl.load_workbook(path)["ranking"] for cell in row
    )


def test_parquet_holds_the_same_tables(scores: Scores, tmp_path: Path) -> None:
    tables = result_tables(scores)
    written = write_parquet(tables, tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "criteria.parquet",
        "groups.parquet",
        "ranking.parquet",
        "rubric.parquet",
    ]
    ranking = pq.read_table(tmp_path / "out" / "ranking.parquet").to_pydict()
    assert ranking["total"] == tables["ranking"]["total"].tolist()
    groups = pq.read_table(tmp_path / "out" / "groups.parquet").to_pydict()
    for g, group_id in enumerate(scores.group_ids[:-1]):
        expected = [None if math.isnan(v) else v * 100 for v in scores.group_scores[:, g].tolist()]
        assert groups[group_id] == expected


def test_rank_writes_xlsx_and_parquet_and_asks_for_an_output(tmp_path: Path) -> None:
    assert run_cli(["rank", EXAMPLES, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")]).code == 0
    assert openpyxl.load_workbook(tmp_path / "r.xlsx")["ranking"]["A2"].value == 1
    assert run_cli(["rank", EXAMPLES, "--format", "parquet", "-o", str(tmp_path / "pq")]).code == 0
    assert pq.read_table(tmp_path / "pq" / "rubric.parquet").num_rows > 0
    result = run_cli(["rank", EXAMPLES, "--format", "xlsx"])
    assert result.code == 2
    assert result.err_lines == [
        "csrscore rank: error: --format xlsx writes a binary file: give --output FILE"
    ]
