"""Located problems found while loading or linting a rubric, as data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from csrscore.errors import Location, RubricError

Severity = Literal["error", "warning"]
NodePath = tuple[str | int, ...]


def format_node_path(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True)
class Finding:
    """One problem `check_rubric` found: an error, or a lint warning, with where it sits."""

    severity: Severity
    code: str
    message: str
    location: Location

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.location}: {prefix}{self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "source": self.location.source,
            "line": self.location.line,
            "path": self.location.path,
        }


@dataclass
class Findings:
    """Collects findings; `locate` maps a node path to a file location."""

    locate: Callable[[NodePath], Location]
    items: list[Finding] = field(default_factory=list)

    def error(self, code: str, message: str, path: NodePath) -> None:
        self.items.append(Finding("error", code, message, self.locate(path)))

    def warning(self, code: str, message: str, path: NodePath) -> None:
        self.items.append(Finding("warning", code, message, self.locate(path)))

    @property
    def errors(self) -> list[Finding]:
        return [item for item in self.items if item.severity == "error"]

    def raise_if_errors(self) -> None:
        errors = self.errors
        if errors:
            raise rubric_error(errors)


def rubric_error(errors: Sequence[Finding]) -> RubricError:
    first = errors[0]
    more = len(errors) - 1
    suffix = f" (and {more} more error{'s' * (more != 1)})" if more else ""
    error = RubricError(first.message + suffix, first.location)
    error.findings = list(errors)  # type: ignore[attr-defined]
    return error
