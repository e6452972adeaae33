"""The published JSON Schema of a report record, generated from the model."""

from __future__ import annotations

from typing import Any

from csrscore.records.model import Report

SCHEMA_ID = "https://csrscore.org/schemas/report.schema.json"


def report_schema() -> dict[str, Any]:
    """Return the draft 2020-12 JSON Schema for one report record."""
    schema = Report.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "csrscore company report",
        **{key: value for key, value in schema.items() if key != "title"},
    }
