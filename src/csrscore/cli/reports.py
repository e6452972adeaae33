"""Reading REPORTS arguments, including `-` for stdin."""

from __future__ import annotations

import sys
from typing import Any

from csrscore.records import ReportSet, load_reports


class _NamedStream:
    """A stdin wrapper with a readable name for error locations."""

    def __init__(self, handle: Any, name: str) -> None:
        self._handle = handle
        self.name = name

    def read(self) -> bytes:
        data: bytes = self._handle.read()
        return data


def read_reports(name: str, *, strict: bool = False) -> ReportSet:
    if name == "-":
        stdin: Any = _NamedStream(sys.stdin.buffer, "<stdin>")
        return load_reports(stdin, strict=strict)
    return load_reports(name, strict=strict)
