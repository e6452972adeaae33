"""One exception hierarchy, rooted in :class:`CsrscoreError`.

Input problems carry a :class:`Location`, so every message a user sees is one line that
says where the problem is: file, line or record index, company id and field path.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CsrscoreError",
    "InputError",
    "Location",
    "ReportError",
    "RubricError",
    "UnknownCompanyError",
    "UsageError",
]


@dataclass(frozen=True)
class Location:
    """Where an input problem sits. Every part is optional; present parts are rendered."""

    source: str | None = None
    line: int | None = None
    column: int | None = None
    index: int | None = None
    company_id: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        head = self.source or "<input>"
        if self.line is not None:
            head += f":{self.line}"
            if self.column is not None:
                head += f":{self.column}"
        parts = [head]
        if self.index is not None:
            parts.append(f"record {self.index}")
        if self.company_id is not None:
            parts.append(f"company {self.company_id!r}")
        if self.path:
            parts.append(self.path)
        return " ".join(parts)


class CsrscoreError(Exception):
    """Base class of every error csrscore raises on purpose."""


class InputError(CsrscoreError):
    """A problem with user input, located precisely enough to fix it."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.message = " ".join(message.split())
        self.location = location or Location()
        super().__init__(f"{self.location}: {self.message}")


class ReportError(InputError):
    """A report file or record that cannot be read or does not validate."""


class RubricError(InputError):
    """A rubric that cannot be loaded, does not validate, or fails lint."""


class UnknownCompanyError(CsrscoreError):
    """A company id that is not in the scored set."""


class UsageError(CsrscoreError, ValueError):
    """A request that cannot be met as asked (a bad option combination, an unknown field)."""
