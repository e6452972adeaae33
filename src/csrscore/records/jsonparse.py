"""Parsing one JSON document, with every repeated object key found and located.

JSON parsers keep the last of two equal keys in an object and say nothing, so a record with
`"year": 2023, ..., "year": 2024` would score as 2024 and a document with two `reports`
arrays would lose the first. `parse_json` refuses to guess: a document that repeats a key
raises `DuplicateKeyError`, which lists each repeat with its path from the document root,
and the loader rejects the record that holds it (or refuses the file, at the top level).

Clean documents, the common case, are parsed by jiter (pydantic's Rust JSON parser, as a
package of its own), which checks for repeats as it parses at about the cost of
`json.loads` (benchmarks/bench_jsonparse.py). Anything jiter refuses goes to the standard
library, which decides what the document is and words any error as the rest of csrscore
expects (`json.JSONDecodeError` with its line and column), and which finds every repeat and
its path; so both parsers accept exactly what `json.loads` accepts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import jiter

from csrscore.records.errors import format_path

__all__ = [
    "DuplicateKey",
    "DuplicateKeyError",
    "JsonPath",
    "parse_json",
    "record_rejection",
    "split_by_record",
]

JsonPath: TypeAlias = "tuple[str | int, ...]"


@dataclass(frozen=True)
class DuplicateKey:
    """A key that one object of the document gives more than once."""

    path: JsonPath  # from the document root to the key, the key last
    count: int  # how many times the object gives it

    def located(self) -> tuple[str, str]:
        """(field path, message), as a rejection shows them."""
        times = "twice" if self.count == 2 else f"{self.count} times"
        message = (
            f"key appears {times} in its object; give each key once"
            " (a JSON reader would silently keep only the last value)"
        )
        return format_path(self.path), message


class DuplicateKeyError(ValueError):
    """The document is valid JSON, but an object in it repeats a key.

    `document` is the parse as `json.loads` gives it (each repeated key keeps its last
    value), so a caller can still read the other records and a record's company id;
    `duplicates` lists every repeat, in document order.
    """

    def __init__(self, document: Any, duplicates: Sequence[DuplicateKey]) -> None:
        first = duplicates[0]
        super().__init__(f"{format_path(first.path)}: {first.located()[1]}")
        self.document = document
        self.duplicates = tuple(duplicates)


def parse_json(data: bytes | str) -> Any:
    """`json.loads`, except that a repeated key raises `DuplicateKeyError`, and integers
    too long for Python's int parser become floats.

    Errors are those of `json.loads`: `json.JSONDecodeError`, `UnicodeDecodeError` and
    `RecursionError`.
    """
    try:
        raw = data.encode() if isinstance(data, str) else data
        return jiter.from_json(raw, catch_duplicate_keys=True)
    except ValueError:  # UnicodeEncodeError (a lone surrogate in `data`) is one too
        # A repeat, an error, or what jiter refuses and `json.loads` accepts: a UTF-16
        # text, a lone surrogate escape, an integer of more than 4300 digits.
        pass
    return _parse_slowly(data)


class _Repeating(dict[str, Any]):
    """An object that gives some keys more than once: the parse keeps the last value of
    each, as `json.loads` does, and remembers how often each repeated key came."""

    repeats: dict[str, int]


def _keep_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    repeating = _Repeating(obj)
    repeating.repeats = {key: n for key, n in Counter(k for k, _ in pairs).items() if n > 1}
    return repeating


def _parse_slowly(data: bytes | str) -> Any:
    try:
        document = json.loads(data, object_pairs_hook=_keep_repeats)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except ValueError:
        # Python refuses integers of more than 4300 digits (a guard against slow
        # conversions) from deep inside the decoder, which would lose the whole file. Read
        # as a float such a number becomes infinity, and the record that holds it is
        # rejected with a located message like any other out-of-range value.
        document = json.loads(data, object_pairs_hook=_keep_repeats, parse_int=_int_or_float)
    duplicates = _find_repeats(document)
    if duplicates:
        raise DuplicateKeyError(document, duplicates)
    return document


def _int_or_float(digits: str) -> int | float:
    try:
        return int(digits)
    except ValueError:
        return float(digits)


def _find_repeats(document: Any) -> list[DuplicateKey]:
    """Every repeat in the parsed document, in document order. Iterative: a document
    nested as deep as the parser allows must not overflow the stack here."""
    found: list[DuplicateKey] = []
    stack: list[tuple[JsonPath, Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value, _Repeating):
                found += [DuplicateKey((*path, key), n) for key, n in value.repeats.items()]
            children = list(value.items())
        elif isinstance(value, list):
            children = list(enumerate(value))
        else:
            continue
        stack += [((*path, key), child) for key, child in reversed(children)]
    return found


def split_by_record(
    duplicates: Sequence[DuplicateKey], records_at: JsonPath
) -> tuple[list[DuplicateKey], dict[int, list[DuplicateKey]]]:
    """Sort repeats into those outside the records, which refuse the file, and those
    inside record i of the array at `records_at`, which reject that record: `()` for a
    document that is an array of records, `("reports",)` for one that holds them under
    `reports`. The repeats inside a record get paths from the record."""
    outside: list[DuplicateKey] = []
    inside: dict[int, list[DuplicateKey]] = {}
    depth = len(records_at)
    for duplicate in duplicates:
        path = duplicate.path
        record = path[depth] if len(path) > depth + 1 and path[:depth] == records_at else None
        if isinstance(record, int):
            within = DuplicateKey(path[depth + 1 :], duplicate.count)
            inside.setdefault(record, []).append(within)
        else:
            outside.append(duplicate)
    return outside, inside


def record_rejection(duplicates: Sequence[DuplicateKey]) -> tuple[str, str]:
    """(field path, message) for a record that repeats keys (paths from the record): the
    first repeat, and how many more there are."""
    path, message = duplicates[0].located()
    more = len(duplicates) - 1
    if more:
        message += f" (and {more} more repeated key{'s' * (more != 1)})"
    return path, message
