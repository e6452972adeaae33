"""The JSON Schema of `csrscore rank --format json` output."""

from __future__ import annotations

from typing import Any

SCHEMA_ID = "https://csrscore.org/schemas/scores.schema.json"

_nullable_text = {"type": ["string", "null"]}
_number = {"type": "number"}


def scores_schema() -> dict[str, Any]:
    company = {
        "type": "object",
        "properties": {
            "company_id": {"type": "string"},
            "name": {"type": "string"},
            "sector": _nullable_text,
            "country": _nullable_text,
            "attributes": {
                "type": "object",
                "description": "the company's attributes, as in the record; present when "
                "some company of the run has attributes",
                "additionalProperties": {
                    "type": ["boolean", "number", "string", "array"],
                    "items": {"type": "string"},
                },
            },
            "year": {"type": "integer"},
            "rank": {"type": "integer", "minimum": 1},
            "percentile": {"type": "number", "minimum": 0, "maximum": 100},
            "total": _number,
            "published_total": {
                **_number,
                "description": "the total as the rubric's rounding publishes it; ranks, "
                "percentiles and grades are decided on it",
            },
            "grade": {"type": "string"},
            "base": _number,
            "groups": {
                "type": "object",
                "description": "group id -> score in percent of the group's possible score; "
                "null when the group is N/A",
                "additionalProperties": {"type": ["number", "null"]},
            },
            "criteria": {
                "type": "object",
                "description": "criterion id -> points earned; null when N/A",
                "additionalProperties": {"type": ["number", "null"]},
            },
            "adjustments": {
                "type": "object",
                "description": "adjustment id -> points it changed the total by",
                "additionalProperties": _number,
            },
        },
        "required": [
            "company_id",
            "name",
            "sector",
            "country",
            "year",
            "rank",
            "percentile",
            "total",
            "published_total",
            "grade",
            "base",
            "groups",
            "criteria",
            "adjustments",
        ],
        "additionalProperties": False,
    }
    rejection = {
        "type": "object",
        "properties": {
            "index": {"type": "integer"},
            "line": {"type": ["integer", "null"]},
            "company_id": _nullable_text,
            "path": {"type": "string"},
            "message": {"type": "string"},
            "source": _nullable_text,
        },
        "required": ["index", "message"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "csrscore ranking",
        "type": "object",
        "properties": {
            "csrscore": {"type": "string", "description": "csrscore version"},
            "rubric": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "version": {"type": "string"},
                    "hash": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
                },
                "required": ["name", "version", "hash"],
                "additionalProperties": False,
            },
            "source": _nullable_text,
            "scored": {"type": "integer", "minimum": 0},
            "rejected": {"type": "array", "items": rejection},
            "treated_as_missing": {
                "type": "array",
                "items": rejection,
                "description": "values scored as not disclosed (--bad-values as-missing)",
            },
            "warnings": {"type": "array", "items": {"type": "string"}},
            "ranking": {
                "type": "object",
                "properties": {
                    "ties": {"enum": ["competition", "dense", "ordinal"]},
                    "by": _nullable_text,
                    "per_year": {
                        "type": "boolean",
                        "description": "ranks are within each year (--by year, or several years)",
                    },
                    "top": {"type": ["integer", "null"]},
                },
                "required": ["ties", "by", "per_year", "top"],
                "additionalProperties": False,
            },
            "companies": {"type": "array", "items": company},
        },
        "required": [
            "csrscore",
            "rubric",
            "source",
            "scored",
            "rejected",
            "warnings",
            "ranking",
            "companies",
        ],
        "additionalProperties": False,
    }
