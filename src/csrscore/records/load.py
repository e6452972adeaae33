"""Loading report records from JSON, JSON Lines or Python objects.

Every input record ends up in exactly one of `ReportSet.reports` or `ReportSet.rejected`.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeAlias

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from csrscore.boundedread import RefusedInputError, read_bounded, read_stream
from csrscore.errors import Location, ReportError
from csrscore.gcpause import paused_gc
from csrscore.records.errors import record_problems
from csrscore.records.jsonparse import (
    DuplicateKey,
    DuplicateKeyError,
    parse_json,
    record_rejection,
    split_by_record,
)
from csrscore.records.model import Report

if TYPE_CHECKING:
    from csrscore.records.check import BadValues, UnknownKey
    from csrscore.rubric.catalog import Catalog

__all__ = [
    "MAX_INPUT_BYTES",
    "Rejection",
    "ReportSet",
    "ReportSource",
    "load_reports",
    "register_reader",
]

# Large enough for a million typical records; the CLI's --max-input-size raises it.
MAX_INPUT_BYTES = 1 << 30
RAISE_HINT = "raise it with --max-input-size (or load_reports(..., max_bytes=N))"

ReportSource: TypeAlias = (
    "str | os.PathLike[str] | IO[str] | IO[bytes] | bytes | ReportSet"
    " | Iterable[Report | Mapping[str, Any]] | Mapping[str, Any]"
)

_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_UTF8_BOM = b"\xef\xbb\xbf"
_FIRST_TOKEN = re.compile(rb"\S")


@dataclass(frozen=True)
class Rejection:
    """A record that was not loaded, and why; or, in `ReportSet.treated_as_missing`, one
    value that was dropped from a record that was. Data first; `str()` gives the one-line
    form."""

    index: int
    message: str
    path: str = ""
    company_id: str | None = None
    line: int | None = None
    source: str | None = None

    @property
    def location(self) -> Location:
        return Location(
            source=self.source,
            line=self.line,
            index=self.index,
            company_id=self.company_id,
            path=self.path or None,
        )

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "line": self.line,
            "company_id": self.company_id,
            "path": self.path,
            "message": self.message,
            "source": self.source,
        }


@dataclass(frozen=True)
class ReportSet:
    """Validated reports, the records that were rejected, and any file-level metadata.

    When checked against a catalog (`load_reports(..., catalog=)`), `catalog` is that
    catalog, `warnings` lists the disclosure keys it does not know, and
    `treated_as_missing` the values dropped under `bad_values="as-missing"`.
    """

    reports: tuple[Report, ...]
    rejected: tuple[Rejection, ...] = ()
    source: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    positions: tuple[int, ...] = ()  # input record index of each valid report
    lines: tuple[int | None, ...] = ()  # input line (JSON Lines) of each valid report
    warnings: tuple[UnknownKey, ...] = ()
    treated_as_missing: tuple[Rejection, ...] = ()
    catalog: Catalog | None = field(default=None, repr=False)
    bad_values: BadValues = "reject"

    def position(self, i: int) -> int:
        """The input record index of `reports[i]`."""
        return self.positions[i] if self.positions else i

    def line(self, i: int) -> int | None:
        """The input line of `reports[i]`, for JSON Lines; else None."""
        return self.lines[i] if self.lines else None

    def __len__(self) -> int:
        return len(self.reports)

    def __iter__(self) -> Iterator[Report]:
        return iter(self.reports)

    @property
    def total(self) -> int:
        """How many input records there were, valid or not."""
        return len(self.reports) + len(self.rejected)


class _Wrapped(BaseModel):
    model_config = ConfigDict(extra="allow")
    reports: list[Report]


_REPORT_LIST = TypeAdapter(list[Report])
_WRAPPED = TypeAdapter(_Wrapped)


def load_reports(
    source: ReportSource,
    *,
    strict: bool = False,
    max_bytes: int = MAX_INPUT_BYTES,
    catalog: Catalog | None = None,
    bad_values: BadValues = "reject",
) -> ReportSet:
    """Load and validate reports.

    `source` is a path (JSON, or JSON Lines for `.jsonl`/`.ndjson`), a file object, raw
    bytes, a `ReportSet`, a mapping with a `reports` list, or an iterable of dicts or
    `Report` objects. Invalid records are rejected and the rest load; with `strict=True`
    any rejection raises :class:`ReportError` and nothing loads. A file or stream is read
    only if it is a regular file or a pipe of at most `max_bytes` bytes holding text.

    With a `catalog` (a rubric's `rubric.catalog`, or `load_catalog()`), records are also
    checked against it as scoring checks them: a value of the wrong type, not among the
    listed values, or out of the catalog's range rejects its record; with
    `bad_values="as-missing"` that value is dropped instead (the record scores as if it
    were not disclosed) and listed in `treated_as_missing`.
    """
    with paused_gc(promote=True):  # a loaded report set is long-lived
        result = (
            source
            if isinstance(source, ReportSet)
            else _load(source, max_bytes, catalog, bad_values)
        )
        if catalog is not None:
            # Imported here: the check module builds on this one's ReportSet and Rejection.
            from csrscore.records.check import check_reports

            result = check_reports(result, catalog, bad_values)
    if strict and result.rejected:
        first = result.rejected[0]
        more = len(result.rejected) - 1
        suffix = f" (and {more} more rejected record{'s' * (more != 1)})" if more else ""
        error = ReportError(first.message + suffix, first.location)
        error.rejections = result.rejected  # type: ignore[attr-defined]
        raise error
    return result


# Readers of other formats, registered by the leaves that provide them (csrscore.io adds
# CSV, XLSX, Parquet and data frames), so that records never imports a higher layer. Each
# returns None for a source it does not read. A reader gets the source, the size limit
# (`max_bytes`) every file read must respect, and the catalog (with the bad-values policy):
# given one, it reads by it and checks its records against it (through `load_reports`),
# so rejections name their cells.
Reader: TypeAlias = "Callable[[Any, int, Catalog | None, BadValues], ReportSet | None]"
_READERS: list[Reader] = []


def register_reader(reader: Reader) -> None:
    if reader not in _READERS:
        _READERS.append(reader)


def _load(
    source: ReportSource, max_bytes: int, catalog: Catalog | None, bad_values: BadValues
) -> ReportSet:
    for reader in _READERS:
        loaded = reader(source, max_bytes, catalog, bad_values)
        if loaded is not None:
            return loaded
    if isinstance(source, (str, os.PathLike)):
        name = str(source)
        try:
            data = read_bounded(source, max_bytes, RAISE_HINT)
        except RefusedInputError as exc:
            raise ReportError(str(exc), Location(source=name)) from None
        if Path(source).suffix.lower() in _JSONL_SUFFIXES:
            return _load_jsonl(io.BytesIO(data), name)
        return _load_bytes(data, name)
    if isinstance(source, bytes):
        return _load_bytes(source, None)
    if hasattr(source, "read"):
        stream: Any = source
        stream_name = getattr(stream, "name", None)
        label = stream_name if isinstance(stream_name, str) else None
        if isinstance(stream, io.TextIOBase):
            data = stream.read().encode()
        else:
            try:
                data = read_stream(stream, max_bytes, RAISE_HINT)
            except RefusedInputError as exc:
                raise ReportError(str(exc), Location(source=label)) from None
        if label and Path(label).suffix.lower() in _JSONL_SUFFIXES:
            return _load_jsonl(io.BytesIO(data), label)
        return _load_bytes(data, label)
    if isinstance(source, Mapping):
        return _from_document(source, None)
    return _validate_records(list(source), None)


def _load_bytes(data: bytes, source: str | None) -> ReportSet:
    # Leading whitespace stays in place so that error line numbers match the file; dropping
    # the BOM keeps the fast path open to files saved by editors that add one.
    data = data.removeprefix(_UTF8_BOM)
    first = _FIRST_TOKEN.search(data)
    if first is None:
        raise ReportError(_EMPTY, Location(source))
    head = data[first.start() : first.start() + 1]
    duplicates: tuple[DuplicateKey, ...] = ()
    try:
        document = parse_json(data)
    except DuplicateKeyError as exc:
        document, duplicates = exc.document, exc.duplicates
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and head == b"{":
            return _load_jsonl(io.BytesIO(data), source)
        raise _decode_error(exc, source) from None
    except UnicodeDecodeError as exc:
        raise _encoding_error(exc, data, source) from None
    except RecursionError:
        raise ReportError("JSON nesting is too deep", Location(source)) from None
    if _is_single_record(document) and b"\n" not in data.strip():
        # One record on one line is JSON Lines with a single line, e.g. from `jq -c`.
        return _load_jsonl(io.BytesIO(data), source)
    fast = None if duplicates else _fast_path(document, source)
    return fast if fast is not None else _from_document(document, source, duplicates)


def _is_single_record(document: Any) -> bool:
    return isinstance(document, Mapping) and "reports" not in document and "company" in document


_EMPTY = "the input is empty; expected JSON or JSON Lines"


def _fast_path(document: Any, source: str | None) -> ReportSet | None:
    """Validate the whole document inside pydantic-core when it is entirely valid.

    Most real files are clean, and one call for all records skips the per-record loop.
    Any failure (a bad record) falls back to the per-record path, which produces located
    messages and keeps the valid records. The document is parsed already (`parse_json`
    checks it for repeated keys, which pydantic's own JSON parser would silently drop).
    """
    try:
        if isinstance(document, list):
            reports = _REPORT_LIST.validate_python(document)
            metadata: dict[str, Any] = {}
        elif isinstance(document, dict):
            wrapped = _WRAPPED.validate_python(document)
            reports, metadata = wrapped.reports, dict(wrapped.model_extra or {})
        else:
            return None
    except (ValidationError, ValueError, RecursionError):
        return None
    if len({report.key for report in reports}) != len(reports):
        return None
    return ReportSet(tuple(reports), (), source, metadata, tuple(range(len(reports))))


def _decode_error(exc: json.JSONDecodeError, source: str | None) -> ReportError:
    location = Location(source=source, line=exc.lineno, column=exc.colno)
    message = exc.msg.removesuffix(" at")
    if exc.pos >= len(exc.doc.rstrip()):
        message = "the input ends in the middle of a value; is the file truncated?"
    elif _cut_in_string(exc):
        message = "the input ends inside a string; is the file truncated?"
    return ReportError(f"invalid JSON: {message}", location)


def _cut_in_string(exc: json.JSONDecodeError) -> bool:
    """A string with no closing quote: JSON text cannot hold a raw line break, so the
    string runs to the end of the input, which was cut short."""
    return exc.msg.startswith("Unterminated string")


def json_line_problem(exc: json.JSONDecodeError) -> str:
    """The message for a JSON Lines line that does not parse."""
    if _cut_in_string(exc) or exc.pos >= len(exc.doc.rstrip()):
        return "invalid JSON: the line ends in the middle of a value; is it cut short?"
    return f"invalid JSON: {exc.msg} (column {exc.colno})"


def _encoding_error(exc: UnicodeDecodeError, data: bytes, source: str | None) -> ReportError:
    location = Location(source)
    if exc.encoding.replace("_", "-").lower().startswith("utf-8"):
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        location = Location(
            source, line=data.count(b"\n", 0, exc.start) + 1, column=exc.start - line_start + 1
        )
    return ReportError(f"not UTF-8 text ({exc.reason})", location)


def _from_document(
    document: Any, source: str | None, duplicates: tuple[DuplicateKey, ...] = ()
) -> ReportSet:
    records_at = () if isinstance(document, list) else ("reports",)
    outside, inside = split_by_record(duplicates, records_at)
    if outside:
        # Outside the records a repeat is the file's own structure (two 'reports' arrays):
        # no record can be trusted to be the one the author meant.
        path, message = outside[0].located()
        raise ReportError(message, Location(source, path=path))
    if isinstance(document, list):
        return _validate_records(document, source, inside)
    if isinstance(document, Mapping):
        if "reports" not in document:
            hint = "; this one looks like a single report: wrap it in [ ]"
            raise ReportError(
                "a JSON object must hold a 'reports' array (or give a top-level array)"
                + (hint if _is_single_record(document) else ""),
                Location(source),
            )
        records = document["reports"]
        if not isinstance(records, list):
            raise ReportError("'reports' must be an array", Location(source, path="reports"))
        metadata = {key: value for key, value in document.items() if key != "reports"}
        loaded = _validate_records(records, source, inside)
        return ReportSet(loaded.reports, loaded.rejected, source, metadata, loaded.positions)
    raise ReportError(
        f"expected a JSON array of reports, got {_json_type(document)}", Location(source)
    )


def _load_jsonl(handle: Iterable[bytes | str], source: str | None) -> ReportSet:
    """Read JSON Lines one line at a time; a bad line rejects that record only."""
    reports: list[Report] = []
    rejected: list[Rejection] = []
    positions: list[int] = []
    lines: list[int | None] = []
    first_seen: dict[tuple[str, int], tuple[int, int | None]] = {}
    index = 0
    for line_number, line in enumerate(handle, start=1):
        try:
            text = line.decode("utf-8") if isinstance(line, bytes) else line
        except UnicodeDecodeError as exc:
            message = f"not UTF-8 text ({exc.reason} at column {exc.start + 1})"
            rejected.append(Rejection(index, message, line=line_number, source=source))
            index += 1
            continue
        if line_number == 1:
            text = text.removeprefix("\ufeff")
        if not text.strip():
            continue
        try:
            raw: Any = parse_json(text)
        except DuplicateKeyError as exc:
            repeat = _repeated_keys(exc.document, exc.duplicates, index, line_number, source)
            rejected.append(repeat)
        except json.JSONDecodeError as exc:
            message = json_line_problem(exc)
            rejected.append(Rejection(index, message, line=line_number, source=source))
        except RecursionError:
            message = "JSON nesting is too deep"
            rejected.append(Rejection(index, message, line=line_number, source=source))
        else:
            if _accept(raw, index, source, line_number, reports, rejected, first_seen):
                positions.append(index)
                lines.append(line_number)
        index += 1
    if index == 0:
        raise ReportError(_EMPTY, Location(source))
    return ReportSet(
        tuple(reports), tuple(rejected), source, {}, tuple(positions), lines=tuple(lines)
    )


def _validate_records(
    records: list[Any],
    source: str | None,
    repeating: Mapping[int, list[DuplicateKey]] | None = None,
) -> ReportSet:
    reports: list[Report] = []
    rejected: list[Rejection] = []
    first_seen: dict[tuple[str, int], tuple[int, int | None]] = {}
    positions: list[int] = []
    for index, raw in enumerate(records):
        if repeating and index in repeating:
            rejected.append(_repeated_keys(raw, repeating[index], index, None, source))
        elif _accept(raw, index, source, None, reports, rejected, first_seen):
            positions.append(index)
    return ReportSet(tuple(reports), tuple(rejected), source, {}, tuple(positions))


def _repeated_keys(
    raw: Any,
    duplicates: Sequence[DuplicateKey],
    index: int,
    line: int | None,
    source: str | None,
) -> Rejection:
    """The rejection of a record that repeats a key (`duplicates` has paths from it)."""
    path, message = record_rejection(duplicates)
    return Rejection(index, message, path, _readable_id(raw), line, source)


def _accept(
    raw: Any,
    index: int,
    source: str | None,
    line: int | None,
    reports: list[Report],
    rejected: list[Rejection],
    first_seen: dict[tuple[str, int], tuple[int, int | None]],
) -> bool:
    """Validate one record into `reports` or `rejected`; True when it was accepted."""
    company_id = _readable_id(raw)
    if isinstance(raw, Report):
        report = raw
    elif not isinstance(raw, Mapping):
        message = f"expected a JSON object, got {_json_type(raw)}"
        rejected.append(Rejection(index, message, line=line, source=source))
        return False
    else:
        try:
            report = Report.model_validate(raw)
        except ValidationError as exc:
            problems = record_problems(exc, raw)
            path, message = problems[0]
            if len(problems) > 1:
                message += f" (and {len(problems) - 1} more problem{'s' * (len(problems) > 2)})"
            rejected.append(Rejection(index, message, path, company_id, line, source))
            return False
    first, first_line = first_seen.setdefault(report.key, (index, line))
    if first != index:
        where = f"record {first}" if first_line is None else f"record {first} (line {first_line})"
        rejected.append(
            Rejection(
                index,
                f"duplicate of {where}: same company id and year {report.year}",
                "company.id",
                report.company.id,
                line,
                source,
            )
        )
        return False
    reports.append(report)
    return True


def _readable_id(raw: Any) -> str | None:
    if isinstance(raw, Report):
        return raw.company.id
    if isinstance(raw, Mapping):
        company = raw.get("company")
        if isinstance(company, Mapping):
            company_id = company.get("id")
            if isinstance(company_id, str) and company_id.strip():
                return company_id[:128]
    return None


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
