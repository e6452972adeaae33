"""Loading report records from JSON, JSON Lines or Python objects.

Every input record ends up in exactly one of `ReportSet.reports` or `ReportSet.rejected`.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeAlias

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from csrscore.errors import Location, ReportError
from csrscore.records.errors import record_problems
from csrscore.records.model import Report

__all__ = ["Rejection", "ReportSet", "ReportSource", "load_reports"]

ReportSource: TypeAlias = (
    "str | os.PathLike[str] | IO[str] | IO[bytes] | bytes | ReportSet"
    " | Iterable[Report | Mapping[str, Any]] | Mapping[str, Any]"
)

_JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class Rejection:
    """A record that was not loaded, and why. Data first; `str()` gives the one-line form."""

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
    """Validated reports, the records that were rejected, and any file-level metadata."""

    reports: tuple[Report, ...]
    rejected: tuple[Rejection, ...] = ()
    source: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

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


def load_reports(source: ReportSource, *, strict: bool = False) -> ReportSet:
    """Load and validate reports.

    `source` is a path (JSON, or JSON Lines for `.jsonl`/`.ndjson`), a file object, raw
    bytes, a `ReportSet`, a mapping with a `reports` list, or an iterable of dicts or
    `Report` objects. Invalid records are rejected and the rest load; with `strict=True`
    any rejection raises :class:`ReportError` and nothing loads.
    """
    result = _load(source)
    if strict and result.rejected:
        first = result.rejected[0]
        more = len(result.rejected) - 1
        suffix = f" (and {more} more rejected record{'s' * (more != 1)})" if more else ""
        error = ReportError(first.message + suffix, first.location)
        error.rejections = result.rejected  # type: ignore[attr-defined]
        raise error
    return result


def _load(source: ReportSource) -> ReportSet:
    if isinstance(source, ReportSet):
        return source
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(source)
        try:
            if path.suffix.lower() in _JSONL_SUFFIXES:
                with path.open("rb") as handle:
                    return _load_jsonl(handle, name)
            data = path.read_bytes()
        except OSError as exc:
            raise ReportError(exc.strerror or str(exc), Location(source=name)) from None
        return _load_bytes(data, name)
    if isinstance(source, bytes):
        return _load_bytes(source, None)
    if hasattr(source, "read"):
        stream: Any = source
        stream_name = getattr(stream, "name", None)
        label = stream_name if isinstance(stream_name, str) else None
        if label and Path(label).suffix.lower() in _JSONL_SUFFIXES:
            return _load_jsonl(stream, label)
        text: str | bytes = stream.read()
        return _load_bytes(text.encode() if isinstance(text, str) else text, label)
    if isinstance(source, Mapping):
        return _from_document(source, None)
    return _validate_records(list(source), None)


def _load_bytes(data: bytes, source: str | None) -> ReportSet:
    stripped = data.lstrip()
    if stripped.startswith(b"\xef\xbb\xbf"):
        stripped = stripped[3:].lstrip()
    if not stripped:
        raise ReportError("the input is empty; expected JSON or JSON Lines", Location(source))
    fast = _fast_path(stripped, source)
    if fast is not None:
        return fast
    try:
        document = json.loads(stripped)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and stripped[:1] == b"{":
            return _load_jsonl(io.BytesIO(stripped), source)
        raise _decode_error(exc, source) from None
    except UnicodeDecodeError as exc:
        raise ReportError(f"not UTF-8 text ({exc.reason})", Location(source)) from None
    except RecursionError:
        raise ReportError("JSON nesting is too deep", Location(source)) from None
    return _from_document(document, source)


def _fast_path(data: bytes, source: str | None) -> ReportSet | None:
    """Validate the whole document inside pydantic-core when it is entirely valid.

    Most real files are clean, and this skips building Python dicts for every record.
    Any failure (bad JSON, a bad record) falls back to the per-record path, which
    produces located messages and keeps the valid records.
    """
    try:
        if data[:1] == b"[":
            reports = _REPORT_LIST.validate_json(data)
            metadata: dict[str, Any] = {}
        elif data[:1] == b"{":
            wrapped = _WRAPPED.validate_json(data)
            reports, metadata = wrapped.reports, dict(wrapped.model_extra or {})
        else:
            return None
    except (ValidationError, ValueError, RecursionError):
        return None
    if len({report.key for report in reports}) != len(reports):
        return None
    return ReportSet(tuple(reports), (), source, metadata)


def _decode_error(exc: json.JSONDecodeError, source: str | None) -> ReportError:
    location = Location(source=source, line=exc.lineno, column=exc.colno)
    return ReportError(f"invalid JSON: {exc.msg.removesuffix(' at')}", location)


def _from_document(document: Any, source: str | None) -> ReportSet:
    if isinstance(document, list):
        return _validate_records(document, source)
    if isinstance(document, Mapping):
        if "reports" not in document:
            raise ReportError(
                "a JSON object must hold a 'reports' array (or give a top-level array)",
                Location(source),
            )
        records = document["reports"]
        if not isinstance(records, list):
            raise ReportError("'reports' must be an array", Location(source, path="reports"))
        metadata = {key: value for key, value in document.items() if key != "reports"}
        loaded = _validate_records(records, source)
        return ReportSet(loaded.reports, loaded.rejected, source, metadata)
    raise ReportError(
        f"expected a JSON array of reports, got {type(document).__name__}", Location(source)
    )


def _load_jsonl(handle: Iterable[bytes | str], source: str | None) -> ReportSet:
    """Read JSON Lines one line at a time; a bad line rejects that record only."""
    reports: list[Report] = []
    rejected: list[Rejection] = []
    first_seen: dict[tuple[str, int], int] = {}
    index = 0
    for line_number, line in enumerate(handle, start=1):
        text = line.decode("utf-8", errors="replace") if isinstance(line, bytes) else line
        if not text.strip():
            continue
        try:
            raw: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            message = f"invalid JSON: {exc.msg} (column {exc.colno})"
            rejected.append(Rejection(index, message, line=line_number, source=source))
        else:
            _accept(raw, index, source, line_number, reports, rejected, first_seen)
        index += 1
    return ReportSet(tuple(reports), tuple(rejected), source)


def _validate_records(records: list[Any], source: str | None) -> ReportSet:
    reports: list[Report] = []
    rejected: list[Rejection] = []
    first_seen: dict[tuple[str, int], int] = {}
    for index, raw in enumerate(records):
        _accept(raw, index, source, None, reports, rejected, first_seen)
    return ReportSet(tuple(reports), tuple(rejected), source)


def _accept(
    raw: Any,
    index: int,
    source: str | None,
    line: int | None,
    reports: list[Report],
    rejected: list[Rejection],
    first_seen: dict[tuple[str, int], int],
) -> None:
    company_id = _readable_id(raw)
    if isinstance(raw, Report):
        report = raw
    elif not isinstance(raw, Mapping):
        message = f"expected a JSON object, got {_json_type(raw)}"
        rejected.append(Rejection(index, message, line=line, source=source))
        return
    else:
        try:
            report = Report.model_validate(raw)
        except ValidationError as exc:
            problems = record_problems(exc, raw)
            path, message = problems[0]
            if len(problems) > 1:
                message += f" (and {len(problems) - 1} more problem{'s' * (len(problems) > 2)})"
            rejected.append(Rejection(index, message, path, company_id, line, source))
            return
    first = first_seen.setdefault(report.key, index)
    if first != index:
        rejected.append(
            Rejection(
                index,
                f"duplicate of record {first}: same company id and year {report.year}",
                "company.id",
                report.company.id,
                line,
                source,
            )
        )
        return
    reports.append(report)


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
