"""Turning pydantic validation errors into one located line per problem."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

_SHORT_FORMS = "a bool, a finite number, a string, a list of strings, or an object with 'value'"


def format_path(loc: Sequence[int | str]) -> str:
    """Render a pydantic location as `disclosures["env.ghg.scope1"].evidence.page`."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i > 0 and loc[i - 1] in ("disclosures", "extensions"):
            out += f'["{part}"]'
        else:
            out += f".{part}" if out else part
    return out


def _disclosure_message(raw: Any) -> str:
    if isinstance(raw, float) and not math.isfinite(raw):
        return "must be a finite number"
    if isinstance(raw, list):
        return "a list value may hold only strings"
    return f"must be {_SHORT_FORMS}, got {type(raw).__name__ if raw is not None else 'null'}"


def _message(error: ErrorDetails) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field is missing"
    return str(error["msg"])


def record_problems(exc: ValidationError, raw: Any) -> list[tuple[str, str]]:
    """Return (field path, message) pairs, collapsing the disclosure-union noise.

    A bad disclosure value fails every branch of the short/long union, so pydantic reports
    five errors for one mistake. We keep one: the long-form errors when the input was an
    object, a single plain message otherwise.
    """
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    disclosures = raw.get("disclosures") if isinstance(raw, Mapping) else None
    for error in exc.errors():
        loc = list(error["loc"])
        if len(loc) >= 3 and loc[0] == "disclosures" and loc[2] != "[key]":
            key = loc[1]
            value = disclosures.get(key) if isinstance(disclosures, Mapping) else None
            if isinstance(value, Mapping):
                if loc[2] != "LongDisclosure" or len(loc) == 3:
                    continue
                path = format_path([*loc[:2], *loc[3:]])
                message = _message(error)
                if loc[3] == "value" and len(loc) > 4:
                    message = _disclosure_message(value.get("value"))
                    path = format_path(loc[:2]) + ".value"
                elif loc[3] == "value" and error["type"] != "missing":
                    message = _disclosure_message(value.get("value"))
            else:
                path, message = format_path(loc[:2]), _disclosure_message(value)
        elif len(loc) >= 3 and loc[0] == "disclosures":
            path, message = (
                format_path(loc[:2]),
                ("disclosure keys are lower-case dotted identifiers such as 'env.ghg.scope1'"),
            )
        else:
            path, message = format_path([p for p in loc if not _is_union_tag(p)]), _message(error)
        if path not in seen:
            seen.add(path)
            problems.append((path, message))
    return problems


def _is_union_tag(part: int | str) -> bool:
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool"})
