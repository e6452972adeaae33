"""A repeated JSON key never loses data: it rejects its record, or refuses the file when it
is outside the records, the same way through every reader (issue 16, item 6)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from csrscore.errors import ReportError
from csrscore.records import ReportSet, load_reports
from csrscore.records.load import _REPORT_LIST
from csrscore.records.stream import record_chunks, write_parquet
from tests.records.factory import record
from tests.records.strategies import records

GOOD = json.dumps(record("good", disclosures={"env.ghg.scope1": 5}))
REPEATS = "key appears twice in its object; give each key once"

# A record text that repeats a key at some depth -> the path that names it.
REPEATING = {
    "year": ('{"company": {"id": "r", "name": "R"}, "year": 2023, "year": 2024}', "year"),
    "company": (
        '{"company": {"id": "r", "name": "R"}, "company": {"id": "r", "name": "S"}, "year": 2024}',
        "company",
    ),
    "company-id": ('{"company": {"id": "x", "name": "R", "id": "r"}, "year": 2024}', "company.id"),
    "disclosure": (
        '{"company": {"id": "r", "name": "R"}, "year": 2024,'
        ' "disclosures": {"env.ghg.scope1": 5, "env.ghg.scope1": 7}}',
        'disclosures["env.ghg.scope1"]',
    ),
    "disclosure-value": (
        '{"company": {"id": "r", "name": "R"}, "year": 2024,'
        ' "disclosures": {"env.ghg.scope1": {"value": 5, "unit": "t", "value": 7}}}',
        'disclosures["env.ghg.scope1"].value',
    ),
    "evidence-page": (
        '{"company": {"id": "r", "name": "R"}, "year": 2024, "disclosures": {"env.ghg.scope1":'
        ' {"value": 5, "evidence": {"page": 1, "page": 2}}}}',
        'disclosures["env.ghg.scope1"].evidence.page',
    ),
}


def _rejection_of(loaded: ReportSet) -> tuple[Any, ...]:
    (rejection,) = loaded.rejected
    return rejection.index, rejection.line, rejection.company_id, rejection.path


def _only_good(loaded: ReportSet) -> None:
    assert [report.company.id for report in loaded] == ["good"]


@pytest.mark.parametrize("case", REPEATING, ids=str)
def test_in_an_array_the_record_is_rejected_and_the_rest_load(tmp_path: Path, case: str) -> None:
    text, path = REPEATING[case]
    file = tmp_path / "reports.json"
    file.write_text(f"[\n{GOOD},\n{text}\n]")
    loaded = load_reports(file)
    _only_good(loaded)
    assert _rejection_of(loaded) == (1, None, "r", path)
    assert REPEATS in loaded.rejected[0].message
    assert str(loaded.rejected[0]).startswith(f"{file} record 1 company 'r' {path}: key appears")


@pytest.mark.parametrize("case", REPEATING, ids=str)
def test_under_reports_the_record_is_rejected_and_the_metadata_kept(case: str) -> None:
    text, path = REPEATING[case]
    loaded = load_reports(f'{{"source": "x", "reports": [{GOOD}, {text}]}}'.encode())
    _only_good(loaded)
    assert loaded.metadata == {"source": "x"}
    assert _rejection_of(loaded) == (1, None, "r", path)


@pytest.mark.parametrize("case", REPEATING, ids=str)
def test_in_json_lines_the_rejection_keeps_its_line(tmp_path: Path, case: str) -> None:
    text, path = REPEATING[case]
    file = tmp_path / "reports.jsonl"
    file.write_text(f"{GOOD}\n\n{text}\n")
    loaded = load_reports(file)
    _only_good(loaded)
    assert _rejection_of(loaded) == (1, 3, "r", path)


@pytest.mark.parametrize("case", REPEATING, ids=str)
def test_a_single_record_document_is_rejected(tmp_path: Path, case: str) -> None:
    text, path = REPEATING[case]
    file = tmp_path / "one.json"
    file.write_text(text + "\n")
    loaded = load_reports(file)
    assert loaded.reports == ()
    assert _rejection_of(loaded) == (0, 1, "r", path)


@pytest.mark.parametrize(
    ("document", "path"),
    [
        (f'{{"reports": [{GOOD}], "reports": []}}', "reports"),
        (f'{{"reports": [], "reports": [{GOOD}]}}', "reports"),
        (f'{{"source": "a", "reports": [{GOOD}], "source": "b"}}', "source"),
    ],
)
def test_a_repeat_outside_the_records_refuses_the_file(
    tmp_path: Path, document: str, path: str
) -> None:
    file = tmp_path / "reports.json"
    file.write_text(document)
    with pytest.raises(ReportError) as caught:
        load_reports(file)
    assert caught.value.location.path == path
    assert str(caught.value) == f"{file} {path}: {REPEATS}" + (
        " (a JSON reader would silently keep only the last value)"
    )


def test_three_times_and_more_repeats_are_counted() -> None:
    text = (
        '[{"company": {"id": "r", "name": "R"}, "year": 2024, "year": 2024, "year": 2024,'
        ' "disclosures": {"a.b": 1, "a.b": 1}}]'
    )
    (rejection,) = load_reports(text.encode()).rejected
    assert rejection.path == "year"
    assert rejection.message.startswith("key appears 3 times in its object")
    assert rejection.message.endswith("(and 1 more repeated key)")


def test_every_input_form_rejects_the_same_way(tmp_path: Path) -> None:
    text, _ = REPEATING["year"]
    data = f"[{GOOD}, {text}]".encode()
    file = tmp_path / "reports.json"
    file.write_bytes(data)
    forms = [load_reports(data), load_reports(io.BytesIO(data)), load_reports(file)]
    assert {(len(f.reports), *_rejection_of(f)) for f in forms} == {(1, 1, None, "r", "year")}
    with pytest.raises(ReportError, match="year: key appears twice"):
        load_reports(data, strict=True)


def test_a_repeat_of_identical_values_is_still_refused() -> None:
    # The same value twice loses nothing, but it says the record was put together by hand
    # or by a faulty exporter; one rule, with no exceptions, is easier to trust.
    text = '[{"company": {"id": "r", "name": "R"}, "year": 2024, "year": 2024}]'
    assert _rejection_of(load_reports(text.encode())) == (0, None, "r", "year")


# --- the chunked reader -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_the_chunked_reader_rejects_what_the_loader_rejects(tmp_path: Path, suffix: str) -> None:
    lines = [GOOD, *(text for text, _ in REPEATING.values())]
    file = tmp_path / f"reports{suffix}"
    file.write_text("[" + ",\n".join(lines) + "]" if suffix == ".json" else "\n".join(lines))
    whole = load_reports(file)
    chunks = list(record_chunks(file, chunk_size=2))
    assert [r.company.id for chunk in chunks for r in chunk.reports] == ["good"]
    assert [rejection for chunk in chunks for rejection in chunk.rejected] == list(whole.rejected)
    assert len(whole.rejected) == len(REPEATING)


def test_the_chunked_reader_refuses_a_repeat_outside_the_records(tmp_path: Path) -> None:
    file = tmp_path / "reports.json"
    file.write_text(f'{{"reports": [{GOOD}], "reports": []}}')
    with pytest.raises(ReportError, match="reports: key appears twice"):
        list(record_chunks(file))


def test_a_repeat_in_a_parquet_json_column_rejects_its_record(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    file = tmp_path / "reports.parquet"
    rows = [
        {**record("good"), "disclosures": '{"env.ghg.scope1": 5}'},
        {**record("r"), "disclosures": '{"env.ghg.scope1": 5, "env.ghg.scope1": 7}'},
    ]
    write_parquet(rows, file)
    (chunk,) = record_chunks(file)
    assert [report.company.id for report in chunk.reports] == ["good"]
    assert _rejection_of(chunk) == (1, None, "r", 'disclosures["env.ghg.scope1"]')


# --- the fast path ------------------------------------------------------------------------


def test_the_whole_document_path_loads_what_pydantic_loads_from_the_bytes() -> None:
    """The loader validates a clean document from its parsed form (to catch repeats
    first); the reports are those pydantic builds from the bytes, value for value."""
    examples = Path(__file__).resolve().parents[2] / "examples" / "reports.json"
    records = json.loads(examples.read_text(encoding="utf-8"))["reports"]
    data = json.dumps(records).encode()
    loaded = load_reports(data)
    assert loaded.rejected == ()
    assert list(loaded.reports) == _REPORT_LIST.validate_json(data)
    assert [r.model_dump_json() for r in loaded] == [
        r.model_dump_json() for r in _REPORT_LIST.validate_json(data)
    ]


@given(st.lists(records, max_size=4))
def test_any_valid_records_load_as_pydantic_loads_their_bytes(items: list[Any]) -> None:
    data = json.dumps(items).encode()
    try:
        expected = _REPORT_LIST.validate_json(data)
    except ValidationError:
        return
    loaded = load_reports(data)
    if len({report.key for report in expected}) == len(expected):
        assert [r.model_dump_json() for r in loaded] == [r.model_dump_json() for r in expected]
