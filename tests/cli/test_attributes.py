"""`csrscore rank --by company.<attribute>` through the real entry point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml

from tests.cli.runner import run_cli
from tests.engine.test_company_attributes import RECORDS, RUBRIC


def _files(tmp_path: Path) -> tuple[str, str]:
    reports, rubric = tmp_path / "reports.json", tmp_path / "rubric.yaml"
    reports.write_text(json.dumps(RECORDS), encoding="utf-8")
    rubric.write_text(yaml.safe_dump(RUBRIC), encoding="utf-8")
    return str(reports), str(rubric)


def test_rank_by_an_attribute_as_csv(tmp_path: Path) -> None:
    reports, rubric = _files(tmp_path)
    result = run_cli(
        ["rank", reports, "--rubric", rubric, "--by", "company.region", "--format", "csv"]
    )
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    # Sections in order of the grouping value, the companies without one last.
    assert [(r["company_id"], r["rank"], r["company.region"]) for r in rows] == [
        ("b", "1", "asia"),
        ("a", "1", "eu"),
        ("c", "2", "eu"),
        ("d", "1", ""),
    ]
    assert rows[1]["company.market_cap"] == "50.0"
    assert rows[1]["company.indices"] == "ftse4good"
    # The two records whose attributes contradict their declarations are rejected.
    assert "2 report(s) rejected" in result.err


def test_unknown_field_lists_the_fields_that_exist(tmp_path: Path) -> None:
    reports, rubric = _files(tmp_path)
    result = run_cli(["rank", reports, "--rubric", rubric, "--by", "company.sise"])
    assert result.code == 2  # a usage error, as every bad option
    assert result.out == ""
    assert result.err_lines == [
        "csrscore rank: error: cannot group by 'company.sise' (did you mean 'company.id'?); the "
        "fields are: sector, country, year, company.id, company.name, company.indices, "
        "company.market_cap, company.region"
    ]
