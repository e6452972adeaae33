"""Loading reports: file forms, input kinds, metadata, line numbers, duplicates, strict mode."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from csrscore.errors import ReportError
from csrscore.records import Report, ReportSet, load_reports
from csrscore.records import load as load_module
from tests.records.factory import json_bytes, jsonl_bytes, record

RECORDS = [
    record("acme", disclosures={"env.ghg.scope1": 1250.5, "gov.code_of_conduct": True}),
    record("beta", disclosures={"lab.policies": ["child labour"]}),
    record("gamma", 2022),
]
IDS = ["acme", "beta", "gamma"]
BAD_RECORD = {**record("bad"), "year": "2023"}


def _ids(loaded: ReportSet) -> list[str]:
    return [report.company.id for report in loaded]


# --- the three file forms ----------------------------------------------------------------


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    path.write_bytes(json_bytes(RECORDS))
    loaded = load_reports(path)
    assert _ids(loaded) == IDS
    assert loaded.rejected == ()
    assert loaded.source == str(path)
    assert loaded.metadata == {}


@pytest.mark.parametrize("with_bad_record", [False, True], ids=["fast", "per-record"])
def test_object_form_keeps_metadata(tmp_path: Path, with_bad_record: bool) -> None:
    records = [*RECORDS, BAD_RECORD] if with_bad_record else RECORDS
    document = {"source": "survey 2023", "version": 2, "reports": records, "notes": None}
    path = tmp_path / "reports.json"
    path.write_bytes(json_bytes(document))
    loaded = load_reports(path)
    assert _ids(loaded) == IDS
    assert len(loaded.rejected) == int(with_bad_record)
    assert loaded.metadata == {"source": "survey 2023", "version": 2, "notes": None}


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson", ".JSONL"])
def test_json_lines_by_suffix(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"reports{suffix}"
    path.write_bytes(jsonl_bytes(RECORDS))
    loaded = load_reports(path)
    assert _ids(loaded) == IDS
    assert loaded.source == str(path)


def test_json_lines_detected_without_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    path.write_bytes(jsonl_bytes(RECORDS))
    assert _ids(load_reports(path)) == IDS
    assert _ids(load_reports(jsonl_bytes(RECORDS))) == IDS


def test_json_lines_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(RECORDS[0]),
        "",
        json.dumps(BAD_RECORD),
        "   ",
        json.dumps(RECORDS[1]),
        '{"company": {"id": "delta", "name": "Delta"}, "year": 2023,',
        json.dumps(RECORDS[2]),
    ]
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load_reports(path)
    assert _ids(loaded) == IDS
    assert [(r.index, r.line, r.company_id) for r in loaded.rejected] == [
        (1, 3, "bad"),
        (3, 6, None),
    ]
    assert str(loaded.rejected[0]) == (
        f"{path}:3 record 1 company 'bad' year: must be an integer, got '2023'"
    )
    assert loaded.total == 5


def test_json_lines_from_a_text_stream_with_a_name(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_bytes(jsonl_bytes([RECORDS[0], BAD_RECORD]))
    with path.open(encoding="utf-8") as handle:
        loaded = load_reports(handle)
    assert _ids(loaded) == ["acme"]
    assert loaded.rejected[0].line == 2


def test_json_lines_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + jsonl_bytes(RECORDS))
    assert _ids(load_reports(path)) == IDS


def test_an_empty_json_lines_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_bytes(b"\n\n")
    with pytest.raises(ReportError, match="the input is empty"):
        load_reports(path)


# --- input kinds -------------------------------------------------------------------------


def test_path_as_str_and_as_path(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    path.write_bytes(json_bytes(RECORDS))
    assert load_reports(str(path)).reports == load_reports(path).reports


def test_binary_and_text_file_objects(tmp_path: Path) -> None:
    path = tmp_path / "reports.json"
    path.write_bytes(json_bytes(RECORDS))
    with path.open("rb") as binary:
        from_binary = load_reports(binary)
    with path.open(encoding="utf-8") as text:
        from_text = load_reports(text)
    assert _ids(from_binary) == _ids(from_text) == IDS
    assert from_binary.source == from_text.source == str(path)


def test_unnamed_streams_and_bytes_have_no_source() -> None:
    for source in (io.BytesIO(json_bytes(RECORDS)), io.StringIO(json.dumps(RECORDS))):
        loaded = load_reports(source)
        assert _ids(loaded) == IDS
        assert loaded.source is None
    assert load_reports(json_bytes(RECORDS)).source is None


def test_python_objects() -> None:
    assert _ids(load_reports(RECORDS)) == IDS
    assert _ids(load_reports(iter(RECORDS))) == IDS
    assert _ids(load_reports(tuple(RECORDS))) == IDS
    loaded = load_reports({"reports": RECORDS, "source": "survey"})
    assert _ids(loaded) == IDS
    assert loaded.metadata == {"source": "survey"}


def test_report_objects_and_report_sets_pass_through() -> None:
    reports = load_reports(RECORDS)
    assert load_reports(reports) is reports
    mixed = load_reports([reports.reports[0], RECORDS[1], reports.reports[2]])
    assert mixed.reports == reports.reports


def test_duplicate_report_objects_are_rejected() -> None:
    report = Report.model_validate(RECORDS[0])
    loaded = load_reports([report, RECORDS[0]])
    assert loaded.reports == (report,)
    assert loaded.rejected[0].message.startswith("duplicate of record 0")


# --- rejection behaviour -----------------------------------------------------------------


def test_valid_records_beside_bad_ones_still_load() -> None:
    records = [BAD_RECORD, RECORDS[0], 7, RECORDS[1], {"year": 2023}, RECORDS[2]]
    loaded = load_reports(json_bytes(records))
    assert _ids(loaded) == IDS
    assert [r.index for r in loaded.rejected] == [0, 2, 4]
    assert loaded.total == len(records)
    assert len(loaded) == 3


def test_the_duplicate_message_names_the_first_occurrence() -> None:
    records = [RECORDS[0], RECORDS[1], record("acme", 2022), RECORDS[0]]
    loaded = load_reports(records)
    (duplicate,) = loaded.rejected
    assert (duplicate.index, duplicate.company_id, duplicate.path) == (3, "acme", "company.id")
    assert duplicate.message == "duplicate of record 0: same company id and year 2023"
    assert _ids(loaded) == ["acme", "beta", "acme"]


def test_the_json_lines_duplicate_message_names_the_first_line() -> None:
    loaded = load_reports(jsonl_bytes([RECORDS[0], RECORDS[1], RECORDS[0]]))
    (duplicate,) = loaded.rejected
    assert duplicate.line == 3
    assert duplicate.message.startswith("duplicate of record 0 (line 1):")


def test_strict_raises_and_loads_nothing() -> None:
    records = [RECORDS[0], BAD_RECORD, RECORDS[1], 5]
    with pytest.raises(ReportError) as raised:
        load_reports(json_bytes(records), strict=True)
    error = raised.value
    assert str(error) == (
        "<input> record 1 company 'bad' year: must be an integer, got '2023'"
        " (and 1 more rejected record)"
    )
    assert error.location.index == 1
    assert [r.index for r in error.rejections] == [1, 3]  # type: ignore[attr-defined]


def test_strict_loads_everything_when_all_records_are_valid() -> None:
    assert _ids(load_reports(json_bytes(RECORDS), strict=True)) == IDS


def test_rejection_as_data_and_text() -> None:
    loaded = load_reports(jsonl_bytes([BAD_RECORD]))
    (rejection,) = loaded.rejected
    assert rejection.to_dict() == {
        "index": 0,
        "line": 1,
        "company_id": "bad",
        "path": "year",
        "message": "must be an integer, got '2023'",
        "source": None,
    }
    assert str(rejection) == "<input>:1 record 0 company 'bad' year: must be an integer, got '2023'"


def test_a_record_with_several_problems_counts_the_rest() -> None:
    bad = {"company": {"id": "bad", "name": ""}, "year": 1800, "disclosure": {}}
    (rejection,) = load_reports([bad]).rejected
    assert rejection.path == "company.name"
    assert rejection.message == "must not be empty (and 2 more problems)"


# --- whole-file problems -----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.json"
    with pytest.raises(ReportError) as raised:
        load_reports(path)
    assert str(raised.value) == f"{path}: No such file or directory"


def test_a_directory_is_not_a_report_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as raised:
        load_reports(tmp_path)
    assert raised.value.location.source == str(tmp_path)


def test_error_lines_count_leading_blank_lines() -> None:
    data = b"\n\n\n[" + json_bytes(RECORDS[0]) + b",\n  {]\n"
    with pytest.raises(ReportError) as raised:
        load_reports(data)
    assert (raised.value.location.line, raised.value.location.column) == (5, 4)


def test_json_lines_detected_after_leading_blank_lines_keep_line_numbers() -> None:
    data = b"\n\n" + jsonl_bytes([RECORDS[0], BAD_RECORD])
    assert load_reports(data).rejected[0].line == 4


def test_json_with_a_byte_order_mark_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_per_record_path(monkeypatch)
    assert _ids(load_reports(b"\xef\xbb\xbf" + json_bytes(RECORDS))) == IDS


def test_utf16_json_loads() -> None:
    assert _ids(load_reports(json.dumps(RECORDS).encode("utf-16"))) == IDS


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ReportError, match="nesting is too deep"):
        load_reports(b"[" * 100_000)


def test_deep_nesting_rejects_one_json_lines_record() -> None:
    data = jsonl_bytes([RECORDS[0]]) + b"[" * 100_000 + b"\n" + jsonl_bytes([RECORDS[1]])
    loaded = load_reports(_Named(data, "deep.jsonl"))
    assert _ids(loaded) == ["acme", "beta"]
    assert loaded.rejected[0].message == "JSON nesting is too deep"


@pytest.mark.parametrize("where", ["year", "disclosure"])
@pytest.mark.parametrize("form", ["json", "jsonl"])
def test_an_integer_too_long_for_python_rejects_one_record(where: str, form: str) -> None:
    digits = "9" * 5000
    if where == "year":
        bad = f'{{"company": {{"id": "bad", "name": "Bad"}}, "year": {digits}}}'
    else:
        bad = (
            f'{{"company": {{"id": "bad", "name": "Bad"}}, "year": 2023,'
            f' "disclosures": {{"env.energy.total": {digits}}}}}'
        )
    good = json.dumps(RECORDS[0])
    data = f"[{good}, {bad}]" if form == "json" else f"{good}\n{bad}\n"
    loaded = load_reports(_Named(data.encode(), f"big.{form}"))
    assert _ids(loaded) == ["acme"]
    (rejection,) = loaded.rejected
    assert rejection.company_id == "bad"
    expected = {"year": "must be an integer", "disclosure": "must be a finite number"}[where]
    assert rejection.message.startswith(expected)


def test_top_level_types_are_named_in_json_terms() -> None:
    for data, name in [(b"null", "null"), (b'"x"', "a string"), (b"true", "a boolean")]:
        with pytest.raises(ReportError, match=f"got {name}$"):
            load_reports(data)


# --- the fast path -----------------------------------------------------------------------


def _forbid_per_record_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any) -> None:
        raise AssertionError("the per-record path was used for a clean file")

    monkeypatch.setattr(load_module, "_accept", fail)


def test_clean_files_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_per_record_path(monkeypatch)
    assert _ids(load_reports(json_bytes(RECORDS))) == IDS
    assert _ids(load_reports(b"\n  " + json_bytes({"reports": RECORDS, "x": 1}))) == IDS


BORDERLINE = [
    {"year": 2023.0},
    {"year": True},
    {"report": {"published": "2023-01-01T00:00:00"}},
    {"report": {"published": "946684800"}},
    {"report": {"published": 946684800}},
    {"report": {"published": "2023-02-29"}},
    {"report": {"published": "2024-02-29", "language": "zh-Hans"}},
    {"disclosures": {"env.x": {"value": 1, "assured": 1}}},
    {"disclosures": {"env.x": {"value": 1, "evidence": {"page": 3.0}}}},
    {"disclosures": {"env.x": "1"}},
    {"disclosures": {"env.x": 18446744073709551617}},
    {"disclosures": {"env.x": 1e308}},
    {"disclosures": {"env.x": -0.0}},
    {"disclosures": {"env.x": []}},
    {"disclosures": {"env.x": {}}},
    {"disclosures": {"env.x\n": 1}},
    {"company": {"id": "acme\n", "name": "Acme"}},
    {"company": {"id": "acme", "name": "Acme", "country": "de"}},
    {"company": {"id": "acme", "name": "Acme", "sector": "Energy"}},
    {"violations": [{"id": "v1", "date": "2023-01-01", "status": "open", "public_response": 0}]},
    {"extensions": {"big": 10**30, "nested": {"a": [1, "b", None]}}},
]


@pytest.mark.parametrize("fields", BORDERLINE, ids=[json.dumps(f)[:40] for f in BORDERLINE])
def test_the_fast_path_agrees_with_the_per_record_path(fields: dict[str, Any]) -> None:
    candidate = record("acme", **fields)
    alone = load_reports(json_bytes([candidate]))
    beside_a_bad_record = load_reports(json_bytes([candidate, BAD_RECORD]))
    assert alone.reports == beside_a_bad_record.reports
    assert len(alone.rejected) + 1 == len(beside_a_bad_record.rejected)


class _Named(io.BytesIO):
    """An in-memory binary file with a name, as `open()` gives."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
