"""Every file in fixtures/bad/, through the CLI and through `load_reports`.

`fixtures/bad/expected.json` is the table: for each fixture, the exit code of
`csrscore validate`, how many records the file holds (null when the file as a whole is
unreadable), which companies still load, each rejection's location and message, and the
line the CLI prints.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from csrscore.cli.main import main
from csrscore.errors import ReportError
from csrscore.records import load_reports

BAD = Path(__file__).parent / "fixtures" / "bad"
TABLE: list[dict[str, Any]] = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
ROWS = {row["file"]: row for row in TABLE}
RECORD_ROWS = [row for row in TABLE if row["records"] is not None]
FILE_ROWS = [row for row in TABLE if row["records"] is None]


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["file"] for row in rows]


def _count_records(path: Path) -> int:
    """Count input records without csrscore, to check that none goes missing."""
    data = path.read_bytes()
    if path.suffix == ".jsonl":
        return sum(1 for line in data.splitlines() if line.strip())
    document = json.loads(data)
    return len(document["reports"] if isinstance(document, dict) else document)


def test_table_covers_every_fixture() -> None:
    files = {path.name for path in BAD.iterdir() if path.name != "expected.json"}
    assert files == set(ROWS)
    assert len(files) >= 22


def test_most_fixtures_keep_a_valid_record_beside_the_bad_one() -> None:
    with_valid = [row for row in RECORD_ROWS if row["valid"]]
    assert len(with_valid) > len(TABLE) / 2


@pytest.mark.parametrize("row", RECORD_ROWS, ids=_ids(RECORD_ROWS))
def test_cli_lists_each_rejection(row: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    path = BAD / row["file"]
    assert main(["validate", str(path)]) == row["exit"]
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == f"{path}: {len(row['valid'])} valid, {len(row['rejected'])} rejected"
    assert len(lines) == 1 + len(row["rejected"])
    assert row["output"] in lines[1]
    # Keys the shipped catalog does not know are warnings, as in `rank`; nothing else.
    assert all(line.startswith("csrscore: warning: disclosure key") for line in err.splitlines())


@pytest.mark.parametrize("row", FILE_ROWS, ids=_ids(FILE_ROWS))
def test_cli_reports_an_unreadable_file_in_one_line(
    row: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD / row["file"]
    assert main(["validate", str(path)]) == row["exit"]
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith("\n")
    assert err.count("\n") == 1
    assert err.startswith("csrscore: error: ")
    assert row["output"] in err


@pytest.mark.parametrize("row", RECORD_ROWS, ids=_ids(RECORD_ROWS))
def test_cli_json_output_is_the_rejection_data(
    row: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD / row["file"]
    assert main(["validate", "--format", "json", str(path)]) == row["exit"]
    document = json.loads(capsys.readouterr().out)
    assert document["valid"] == len(row["valid"])
    for got, want in zip(document["rejected"], row["rejected"], strict=True):
        assert got["source"] == str(path)
        assert {key: got[key] for key in ("index", "line", "company_id", "path")} == {
            key: want[key] for key in ("index", "line", "company_id", "path")
        }
        assert want["message"] in got["message"]


@pytest.mark.parametrize("row", RECORD_ROWS, ids=_ids(RECORD_ROWS))
def test_load_keeps_valid_records_and_locates_rejections(row: dict[str, Any]) -> None:
    path = BAD / row["file"]
    loaded = load_reports(path)
    assert [report.company.id for report in loaded.reports] == row["valid"]
    assert len(loaded.rejected) == len(row["rejected"])
    for rejection, want in zip(loaded.rejected, row["rejected"], strict=True):
        assert rejection.source == str(path)
        assert rejection.index == want["index"]
        assert rejection.line == want["line"]
        assert rejection.company_id == want["company_id"]
        assert rejection.path == want["path"]
        assert want["message"] in rejection.message


@pytest.mark.parametrize("row", RECORD_ROWS, ids=_ids(RECORD_ROWS))
def test_every_input_record_is_loaded_or_rejected(row: dict[str, Any]) -> None:
    path = BAD / row["file"]
    loaded = load_reports(path)
    assert len(loaded.reports) + len(loaded.rejected) == row["records"]
    assert _count_records(path) == row["records"]
    loaded_at = [loaded.position(i) for i in range(len(loaded.reports))]
    rejected_at = [rejection.index for rejection in loaded.rejected]
    assert sorted(loaded_at + rejected_at) == list(range(row["records"]))


@pytest.mark.parametrize("row", RECORD_ROWS, ids=_ids(RECORD_ROWS))
def test_strict_raises_on_the_first_rejection(row: dict[str, Any]) -> None:
    path = BAD / row["file"]
    first = load_reports(path).rejected[0]
    with pytest.raises(ReportError) as raised:
        load_reports(path, strict=True)
    assert raised.value.location == first.location
    assert raised.value.message.startswith(first.message)
    assert str(raised.value).startswith(str(first))


@pytest.mark.parametrize("row", FILE_ROWS, ids=_ids(FILE_ROWS))
def test_load_raises_a_located_error_for_an_unreadable_file(row: dict[str, Any]) -> None:
    path = BAD / row["file"]
    for strict in (False, True):
        with pytest.raises(ReportError) as raised:
            load_reports(path, strict=strict)
        location = raised.value.location
        assert location.source == str(path)
        assert (location.line, location.column, location.path) == (
            row["error"]["line"],
            row["error"]["column"],
            row["error"]["path"],
        )
        assert row["error"]["message"] in raised.value.message


@pytest.mark.parametrize("row", [r for r in RECORD_ROWS if r["file"].endswith(".json")])
def test_bytes_and_file_objects_give_the_same_rejections(row: dict[str, Any]) -> None:
    path = BAD / row["file"]
    from_path = load_reports(path)
    with path.open("rb") as handle:
        from_handle = load_reports(handle)
    from_bytes = load_reports(path.read_bytes())
    assert from_bytes.source is None
    assert from_handle.source == str(path)
    for loaded in (from_handle, from_bytes):
        assert loaded.reports == from_path.reports
        assert [r.to_dict() | {"source": None} for r in loaded.rejected] == [
            r.to_dict() | {"source": None} for r in from_path.rejected
        ]


def _run_cli(stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    code = "from csrscore.cli.main import run; run()"
    return subprocess.run(
        [sys.executable, "-c", code, "validate", "-"],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=60,
    )


def test_stdin_with_an_unreadable_file_exits_1_without_a_traceback() -> None:
    result = _run_cli((BAD / "truncated.json").read_bytes())
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr.decode() == (
        "csrscore: error: <stdin>:5:1: invalid JSON: "
        "the input ends in the middle of a value; is the file truncated?\n"
    )


def test_stdin_detects_json_lines_and_keeps_line_numbers() -> None:
    result = _run_cli((BAD / "bad_line.jsonl").read_bytes())
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "<stdin>: 2 valid, 1 rejected"
    assert lines[1].startswith("  <stdin>:2 record 1: invalid JSON: ")
