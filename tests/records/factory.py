"""Small builders for report records, shared by the record tests."""

from __future__ import annotations

import json
from typing import Any


def record(company_id: str = "acme", year: int = 2023, **fields: Any) -> dict[str, Any]:
    """A valid report record as a plain dict; keyword arguments add or replace fields."""
    return {"company": {"id": company_id, "name": company_id.title()}, "year": year, **fields}


def json_bytes(records: Any) -> bytes:
    return json.dumps(records, allow_nan=True).encode()


def jsonl_bytes(records: list[Any]) -> bytes:
    return b"".join(json.dumps(item).encode() + b"\n" for item in records)
