"""Fresh copies of JSON-like data, so that no two explanations share an editable part."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None)})


def fresh(value: Any) -> Any:
    """A deep copy of JSON-like data: mappings become dicts, sequences lists."""
    if type(value) in _SCALARS:  # the common case, before the slower ABC checks
        return value
    if isinstance(value, Mapping):
        return {key: fresh(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [fresh(item) for item in value]
    return value
