"""The JSON Schema (draft 2020-12) of `Explanation.to_dict()`."""

from __future__ import annotations

from typing import Any

SCHEMA_ID = "https://csrscore.org/schemas/explanation.schema.json"

_number = {"type": "number"}
_nullable_number = {"type": ["number", "null"]}
_text = {"type": "string"}
_nullable_text = {"type": ["string", "null"]}
_any_value = {"type": ["string", "number", "boolean", "array", "object", "null"]}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


_trace = {
    # anyOf rather than oneOf: the branches are disjoint by "kind", and anyOf stops at the
    # first match, which keeps validation of deep traces fast.
    "anyOf": [
        _object(
            {
                "kind": {"const": "test"},
                "test": _text,
                "field": _text,
                "expected": _any_value,
                "actual": _any_value,
                "present": {"type": "boolean"},
                "passed": {"type": "boolean"},
                "negated": {"type": "boolean"},
            },
            ["kind", "test", "field", "expected", "actual", "present", "passed"],
        ),
        _object(
            {
                "kind": {"enum": ["all", "any"]},
                "passed": {"type": "boolean"},
                "items": {"type": "array", "items": {"$ref": "#/$defs/trace"}},
            }
        ),
        _object(
            {
                "kind": {"const": "not"},
                "passed": {"type": "boolean"},
                "item": {"$ref": "#/$defs/trace"},
                "negated": {"type": "boolean"},
            },
            ["kind", "passed", "item"],
        ),
        _object(
            {
                "kind": {"const": "published_within_days"},
                "expected": {"type": "integer"},
                "actual": {"type": ["integer", "null"]},
                "present": {"type": "boolean"},
                "passed": {"type": "boolean"},
                "negated": {"type": "boolean"},
            },
            ["kind", "expected", "actual", "present", "passed"],
        ),
        _object(
            {
                "kind": {"const": "violations"},
                "filter": {"type": "object"},
                "expected": {"type": "object"},
                "actual": {"type": "integer"},
                "records": {"type": "array", "items": _text},
                "passed": {"type": "boolean"},
                "negated": {"type": "boolean"},
            },
            ["kind", "filter", "expected", "actual", "records", "passed"],
        ),
    ]
}

_level = _object(
    {
        "level": {"type": "integer", "minimum": 1},
        "points": _number,
        "label": _text,
        "holds": {"type": "boolean"},
        "trace": {"$ref": "#/$defs/trace"},
    }
)

_derived = _object(
    {
        "field": _text,
        "form": _text,
        "value": _nullable_number,
        "unit": _nullable_text,
        "inputs": {
            "type": "array",
            "items": _object(
                {
                    "field": _text,
                    "value": _any_value,
                    "unit": _nullable_text,
                    "year": {"type": "integer"},
                    "derived": {"$ref": "#/$defs/derived"},
                },
                ["field", "value", "unit"],
            ),
        },
        "formula": _text,
        "missing_because": _nullable_text,
    }
)

_criterion = _object(
    {
        "id": _text,
        "title": _text,
        "description": _text,
        "references": {"type": "object"},
        "kind": {"enum": ["levels", "value", "score", "bands", "checklist"]},
        "applicable": {"type": "boolean"},
        "level": {"type": "integer", "minimum": -1},
        "label": _nullable_text,
        "level_description": _nullable_text,
        "points": _number,
        "max_points": _number,
        "contribution": _number,
        "weight_in_total": _number,
        "levels": {"type": "array", "items": _level},
        "value": _object(
            {
                "field": _text,
                "actual": _any_value,
                "present": {"type": "boolean"},
                "scale": _number,
                "input_grid": _number,
                "scored_as": _number,
                "points_grid": _number,
                "derived": {"$ref": "#/$defs/derived"},
                "peers": _object(
                    {
                        "method": {"enum": ["min-max", "percentile", "z-score"]},
                        "group": {"type": "object"},
                        "size": {"type": "integer", "minimum": 0},
                        "peers": {"type": "array", "items": _text},
                        "lowest": _nullable_number,
                        "highest": _nullable_number,
                        "mean": _nullable_number,
                        "sd": _nullable_number,
                        "statistic": _nullable_number,
                        "note": _nullable_text,
                    }
                ),
            },
            ["field", "actual", "present"],
        ),
        "checklist": _object(
            {
                "field": _text,
                "present": {"type": "boolean"},
                "counted": {
                    "type": "array",
                    "items": _object({"item": _text, "points": _number}),
                },
                "not_counted": {"type": "array", "items": _text},
                "missing": {"type": "array", "items": _text},
                "uncapped_points": _number,
                "cap": _nullable_number,
            }
        ),
        "evidence": {
            "type": "array",
            "items": _object(
                {
                    "field": _text,
                    "value": _any_value,
                    "unit": _nullable_text,
                    "assured": {"type": "boolean"},
                    "evidence": {"type": ["object", "null"]},
                }
            ),
        },
        "not_applicable_because": _object(
            {
                "node": _text,
                "trace": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/trace"}]},
                "declared": {
                    "type": "array",
                    "items": _object({"field": _text, "reason": _text}),
                },
            },
            ["node", "trace"],
        ),
    },
    [
        "id",
        "title",
        "kind",
        "applicable",
        "level",
        "points",
        "max_points",
        "contribution",
        "weight_in_total",
    ],
)

_group = _object(
    {
        "id": _text,
        "title": _text,
        "score": _nullable_number,
        "weight": _number,
        "weight_in_total": _number,
        "contribution": _number,
        "points_earned": _number,
        "points_possible": _number,
        "not_applicable": {"type": "integer", "minimum": 0},
        "children": {
            "type": "array",
            "items": {
                "anyOf": [
                    _object({"criterion": _text}),
                    {"$ref": "#/$defs/group"},
                ]
            },
        },
    }
)


def explanation_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "csrscore explanation",
        **_object(
            {
                "schema_version": _text,
                "rubric": _object({"name": _text, "version": _text, "hash": _text}),
                "company": _object(
                    {
                        "id": _text,
                        "name": _text,
                        "sector": _nullable_text,
                        "country": _nullable_text,
                        "year": {"type": "integer"},
                    }
                ),
                "summary": _object(
                    {
                        "total": _number,
                        "published_total": _number,
                        "scale": _number,
                        "grade": _text,
                        "base": _number,
                        "adjustments": _number,
                        "clamp": _number,
                        "rank": {"type": "integer", "minimum": 1},
                        "of": {"type": "integer", "minimum": 1},
                        "sector_rank": {"type": "integer", "minimum": 1},
                        "sector_of": {"type": "integer", "minimum": 1},
                        "percentile": _number,
                    }
                ),
                "groups": {"type": "array", "items": {"$ref": "#/$defs/group"}},
                "criteria": {"type": "array", "items": _criterion},
                "adjustments": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": _text,
                            "title": _text,
                            "kind": {"enum": ["count", "points", "cap", "clamp"]},
                            "effect": _number,
                            "applies": {"type": "boolean"},
                            "filter": {"type": "object"},
                            "records": {"type": "array", "items": _text},
                            "points_each": _number,
                            "floor": _nullable_number,
                            "ceiling": _nullable_number,
                            "cap": _number,
                            "trace": {"$ref": "#/$defs/trace"},
                        },
                        "required": ["id", "title", "kind", "effect", "applies"],
                        "additionalProperties": False,
                    },
                },
                "improvements": {
                    "type": "array",
                    "items": _object(
                        {
                            "criterion": _text,
                            "title": _text,
                            "current_points": _number,
                            "next_points": _number,
                            "top_points": _number,
                            "gain_next": _number,
                            "gain_top": _number,
                            "target_level": {"type": ["integer", "null"]},
                            "missing": {"type": "array", "items": {"type": "object"}},
                            "suggestion": {"type": ["object", "null"]},
                            "advice": {
                                "type": "array",
                                "items": _text,
                                "description": "what to disclose, in words, a phrase per "
                                "field; `suggestion` says it as data",
                            },
                        }
                    ),
                },
                "peers": _object(
                    {
                        "sector": _nullable_text,
                        "year": {"type": "integer"},
                        "companies": {"type": "integer"},
                        "median_total": _number,
                        "best_total": _number,
                        "behind_most_peers": {
                            "type": "array",
                            "items": _object(
                                {
                                    "criterion": _text,
                                    "peers_ahead": {"type": "integer"},
                                    "peers": {"type": "integer"},
                                }
                            ),
                        },
                    }
                ),
            }
        ),
        "$defs": {"trace": _trace, "group": _group, "derived": _derived},
    }
