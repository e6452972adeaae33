"""Reading report records a chunk at a time: JSON Lines files, directories, globs, Parquet
datasets or an iterator of dicts, with memory bounded by the chunk size.

Each record goes through the loader's own per-record validation (`load._accept`), with one
duplicate check shared by every chunk, so a chunked read accepts and rejects exactly what
`load_reports` would, with the same messages. A chunk never spans two files, so every
`ReportSet` it yields has one `source`; indexes (`positions`, `Rejection.index`) count the
records of that file (or of the iterator) from 0, and JSON Lines rejections give the line.
"""

from __future__ import annotations

import glob
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeAlias

from csrscore.errors import Location, ReportError
from csrscore.records.jsonparse import (
    DuplicateKey,
    DuplicateKeyError,
    parse_json,
    record_rejection,
    split_by_record,
)
from csrscore.records.load import (
    _JSONL_SUFFIXES,
    _UTF8_BOM,
    Rejection,
    ReportSet,
    _accept,
    _readable_id,
    json_line_problem,
    load_reports,
)
from csrscore.records.model import Report

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "JSON_COLUMNS",
    "ChunkSource",
    "Seen",
    "file_chunks",
    "parquet_record",
    "record_chunks",
    "source_files",
    "validated_chunks",
    "write_parquet",
]

ChunkSource: TypeAlias = "str | os.PathLike[str] | Iterable[Mapping[str, Any] | Report]"

# Records validated and scored at once. A realistic record (~100 disclosures) takes about
# 40 KB while its chunk is scored (benchmarks/bench_chunked.py), so 10,000 keep a chunk
# near 400 MB; larger chunks save little time.
DEFAULT_CHUNK_SIZE = 10_000
_PARQUET_SUFFIXES = (".parquet", ".pq")
# Parquet holds a record's nested, mixed-type parts (a disclosure may be a number in one
# report and text in the next) as JSON text in these columns.
JSON_COLUMNS = ("disclosures", "violations", "report")

Seen: TypeAlias = "dict[tuple[str, int], tuple[int, int | None]]"


def source_files(pattern: str | os.PathLike[str]) -> list[str]:
    """The files a path names: the file itself, a directory's JSON Lines and Parquet files,
    or a glob's matches, sorted so every run reads them in the same order."""
    text = os.fspath(pattern)
    path = Path(text)
    if path.is_dir():
        found = [str(p) for p in sorted(path.rglob("*")) if _readable(p)]
        if not found:
            raise ReportError("no .jsonl, .ndjson or .parquet files here", Location(text))
        return found
    if path.exists():
        return [text]
    if glob.has_magic(text):
        found = sorted(p for p in glob.glob(text, recursive=True) if Path(p).is_file())
        if not found:
            raise ReportError("no file matches this pattern", Location(text))
        return found
    raise ReportError("no such file or directory", Location(text))


def _readable(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in (*_JSONL_SUFFIXES, *_PARQUET_SUFFIXES)


def is_parquet(path: str) -> bool:
    return Path(path).suffix.lower() in _PARQUET_SUFFIXES


def record_chunks(source: ChunkSource, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[ReportSet]:
    """Validated chunks of at most `chunk_size` records (valid and rejected together)."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    seen: Seen = {}
    if isinstance(source, (str, os.PathLike)):
        for name in source_files(source):
            yield from file_chunks(name, chunk_size, seen)
    else:
        yield from validated_chunks(((raw, None) for raw in source), None, chunk_size, seen)


def file_chunks(name: str, chunk_size: int, seen: Seen | None = None) -> Iterator[ReportSet]:
    """One file's validated chunks; `seen` carries the duplicate check across files."""
    seen = {} if seen is None else seen
    try:
        if is_parquet(name):
            yield from validated_chunks(_parquet_rows(name, chunk_size), name, chunk_size, seen)
        elif Path(name).suffix.lower() == ".json":
            yield from validated_chunks(_json_rows(name), name, chunk_size, seen)
        else:
            with open(name, "rb") as handle:
                yield from validated_chunks(_jsonl_rows(handle, name), name, chunk_size, seen)
    except OSError as exc:
        raise ReportError(exc.strerror or str(exc), Location(name)) from None


class _Unreadable:
    """A line that is not a JSON value, or a record that repeats a key: rejected with this
    message, never validated."""

    def __init__(self, message: str, path: str = "", company_id: str | None = None) -> None:
        self.message = message
        self.path = path
        self.company_id = company_id

    @classmethod
    def repeating(cls, raw: Any, duplicates: list[DuplicateKey]) -> _Unreadable:
        path, message = record_rejection(duplicates)
        return cls(message, path, _readable_id(raw))


def _jsonl_rows(handle: Iterable[bytes], name: str) -> Iterator[tuple[Any, int | None]]:
    # The same decoding as `load._load_jsonl`, one line at a time.
    for line_number, line in enumerate(handle, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield (
                _Unreadable(f"not UTF-8 text ({exc.reason} at column {exc.start + 1})"),
                (line_number),
            )
            continue
        if line_number == 1:
            text = text.removeprefix("\ufeff")
        if not text.strip():
            continue
        try:
            yield parse_json(text), line_number
        except DuplicateKeyError as exc:
            yield _Unreadable.repeating(exc.document, list(exc.duplicates)), line_number
        except json.JSONDecodeError as exc:
            yield _Unreadable(json_line_problem(exc)), line_number
        except RecursionError:
            yield _Unreadable("JSON nesting is too deep"), line_number


def _json_rows(name: str) -> Iterator[tuple[Any, int | None]]:
    """A JSON document's records (an array, or an object with a `reports` array). The
    document is parsed whole, so memory is bounded only for JSON Lines and Parquet."""
    with open(name, "rb") as handle:
        data = handle.read().removeprefix(_UTF8_BOM)
    inside: dict[int, list[DuplicateKey]] = {}
    try:
        document = parse_json(data)
    except DuplicateKeyError as exc:
        document = exc.document
        records_at = ("reports",) if isinstance(document, Mapping) else ()
        outside, inside = split_by_record(exc.duplicates, records_at)
        if outside:
            document = None  # a repeat in the file's own structure: the loader refuses it
    except (ValueError, RecursionError):
        document = None
    records = document.get("reports") if isinstance(document, Mapping) else document
    if not isinstance(records, list):
        # JSON Lines under a .json name, or a broken document: the loader decides which,
        # and raises its own located error for the latter.
        load_reports(name)
        yield from _jsonl_rows(data.splitlines(keepends=True), name)
        return
    del document
    for index, raw in enumerate(records):
        yield (_Unreadable.repeating(raw, inside[index]) if index in inside else raw), None


def _parquet_rows(name: str, chunk_size: int) -> Iterator[tuple[Any, int | None]]:
    parquet = _pyarrow_parquet()
    try:
        with parquet.ParquetFile(name) as file:
            for batch in file.iter_batches(batch_size=chunk_size):
                for row in batch.to_pylist():
                    yield parquet_record(row), None
    except _arrow_error() as exc:
        raise ReportError(f"not a readable Parquet file ({exc})", Location(name)) from None


def parquet_record(row: Mapping[str, Any]) -> Any:
    """A report record from one Parquet row: JSON text columns decoded, null columns
    dropped (as a missing key in JSON). Text that is not JSON is kept, and rejected by the
    validator with the column as its path."""
    record = {}
    for key, value in row.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue  # null, or NaN where pandas had no value: a missing key
        if hasattr(value, "tolist"):  # numpy values from a pandas frame
            value = value.tolist()
        if key in JSON_COLUMNS and isinstance(value, str):
            try:
                value = parse_json(value)
            except DuplicateKeyError as exc:
                return _Unreadable.repeating(row, [_under(key, d) for d in exc.duplicates])
            except (ValueError, RecursionError):
                return _Unreadable(f"{key}: invalid JSON text in the Parquet column")
        record[key] = value
    return record


def _under(column: str, duplicate: DuplicateKey) -> DuplicateKey:
    """A repeat in a JSON column, with its path from the record."""
    return DuplicateKey((column, *duplicate.path), duplicate.count)


def write_parquet(records: Iterable[Mapping[str, Any]], path: str | os.PathLike[str]) -> None:
    """Write report records as one Parquet file in the layout `parquet_record` reads:
    `company` a struct column, `year` an integer, the JSON_COLUMNS as JSON text. A text
    value in a JSON column is taken as JSON text already (a record never holds one)."""
    parquet = _pyarrow_parquet()
    import pyarrow

    def encoded(key: str, value: Any) -> Any:
        if key not in JSON_COLUMNS or isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

    rows = [{key: encoded(key, value) for key, value in record.items()} for record in records]
    parquet.write_table(pyarrow.Table.from_pylist(rows), path, compression="zstd")


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise ReportError(
            "reading Parquet needs pyarrow: pip install 'csrscore[parquet]'"
        ) from None
    return parquet


def _arrow_error() -> type[Exception]:
    import pyarrow

    error: type[Exception] = pyarrow.ArrowException
    return error


def validated_chunks(
    rows: Iterable[tuple[Any, int | None]], source: str | None, chunk_size: int, seen: Seen
) -> Iterator[ReportSet]:
    """(raw record, line or None) pairs validated into chunks of `chunk_size` records."""
    reports: list[Report] = []
    rejected: list[Rejection] = []
    positions: list[int] = []
    lines: list[int | None] = []

    def chunk() -> ReportSet:
        return ReportSet(
            tuple(reports), tuple(rejected), source, {}, tuple(positions), lines=tuple(lines)
        )

    for index, (raw, line) in enumerate(rows):
        if isinstance(raw, _Unreadable):
            rejected.append(Rejection(index, raw.message, raw.path, raw.company_id, line, source))
        elif _accept(raw, index, source, line, reports, rejected, seen):
            positions.append(index)
            lines.append(line)
        if len(reports) + len(rejected) == chunk_size:
            yield chunk()
            reports, rejected, positions, lines = [], [], [], []
    if reports or rejected:
        yield chunk()
