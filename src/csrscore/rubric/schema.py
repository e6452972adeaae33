"""The JSON Schema of a rubric document (draft 2020-12).

It checks structure only; types of fields against the catalog, regexes, reachability and
other semantics are checked when the rubric is parsed and linted.
"""

from __future__ import annotations

from typing import Any

SCHEMA_ID = "https://csrscore.org/schemas/rubric.schema.json"

FIELD_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

_scalar: dict[str, Any] = {"type": ["string", "number", "boolean"]}


def _field_operand(value_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "propertyNames": {"pattern": FIELD_PATTERN},
        "additionalProperties": value_schema,
    }


_field = {"type": "string", "pattern": FIELD_PATTERN}
_count_compare = {
    name: {"type": "integer", "minimum": 0} for name in ("gte", "gt", "lte", "lt", "eq")
}
_one_or_many = {
    "anyOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "string"}, "minItems": 1},
    ]
}
_violation_filter: dict[str, Any] = {
    "type": "object",
    "title": "violations filter",
    "properties": {
        "status": {
            "anyOf": [
                {"$ref": "#/$defs/violation_status"},
                {
                    "type": "array",
                    "items": {"$ref": "#/$defs/violation_status"},
                    "minItems": 1,
                },
            ]
        },
        "category": _one_or_many,
        "public_response": {"type": "boolean"},
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "within_years": {"type": "integer", "minimum": 1, "maximum": 100},
    },
    "additionalProperties": False,
}

_condition = {
    "title": "condition",
    "type": "object",
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {
        **dict.fromkeys(("exists", "missing", "true", "number", "assured"), _field),
        "has_evidence": _field,
        **{name: _field_operand(_scalar) for name in ("eq", "ne")},
        **{
            name: _field_operand({"type": ["number", "string"]})
            for name in ("gt", "gte", "lt", "lte")
        },
        "between": _field_operand(
            {"type": "array", "items": {"type": ["number", "string"]}, "minItems": 2, "maxItems": 2}
        ),
        **{
            name: _field_operand({"type": "array", "items": _scalar, "minItems": 1})
            for name in ("in", "not_in")
        },
        "contains": _field_operand({"type": "string"}),
        "matches": _field_operand({"type": "string", "maxLength": 500}),
        "violations": {
            "title": "violations condition",
            "type": "object",
            "properties": {**_violation_filter["properties"], **_count_compare},
            "additionalProperties": False,
        },
        "published_within_days": {"type": "integer", "minimum": 0, "maximum": 3660},
        "all": {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1},
        "any": {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1},
        "not": {"$ref": "#/$defs/condition"},
    },
    "additionalProperties": False,
}

_references = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [
            {"type": ["string", "number"]},
            {"type": "array", "items": {"type": ["string", "number"]}},
        ]
    },
}

_node_common: dict[str, Any] = {
    "id": {"type": "string", "pattern": ID_PATTERN, "maxLength": 128},
    "title": {"type": "string", "minLength": 1},
    "description": {"type": "string"},
    "weight": {"type": "number", "minimum": 0},
    "applies_when": {"$ref": "#/$defs/condition"},
    "references": {"$ref": "#/$defs/references"},
}

_level = {
    "title": "level",
    "type": "object",
    "properties": {
        "points": {"type": "number", "minimum": 0},
        "label": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "when": {"$ref": "#/$defs/condition"},
    },
    "required": ["points", "label", "when"],
    "additionalProperties": False,
}

_grid = {"type": "number", "exclusiveMinimum": 0}

_value = {
    "title": "value scoring",
    "type": "object",
    "properties": {
        "field": _field,
        "min": {"type": "number"},
        "max": {"type": "number"},
        "direction": {"enum": ["higher", "lower"]},
        "points": {"type": "number", "exclusiveMinimum": 0},
        "round_to": {
            "anyOf": [
                _grid,
                {
                    "type": "object",
                    "properties": {"input": _grid, "points": _grid},
                    "minProperties": 1,
                    "additionalProperties": False,
                },
            ]
        },
    },
    "required": ["field", "min", "max", "points"],
    "additionalProperties": False,
}

_score = {
    "title": "pre-scored indicator",
    "type": "object",
    "properties": {
        "field": _field,
        "scale": {"type": "number", "exclusiveMinimum": 0},
        "points": {"type": "number", "exclusiveMinimum": 0},
    },
    # `scale` is required too, but usually given once in `criterion_defaults`: the parser
    # checks it after the defaults are merged, so that editors accept the shared form.
    "required": ["field"],
    "additionalProperties": False,
}

_checklist = {
    "title": "checklist",
    "type": "object",
    "properties": {
        "field": _field,
        "items": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "any_item": {"const": True},
        "matching": {"type": "string", "maxLength": 500},
        "points_each": {"type": "number", "exclusiveMinimum": 0},
        "weights": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}},
        "cap": {"type": "number", "exclusiveMinimum": 0},
    },
    "required": ["field"],
    "additionalProperties": False,
    "oneOf": [{"required": ["items"]}, {"required": ["any_item"]}, {"required": ["matching"]}],
}

_bands = {
    "title": "bands",
    "type": "object",
    "properties": {
        "field": _field,
        "direction": {"enum": ["higher", "lower"]},
        "steps": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "at": {"type": "number"},
                    "points": {"type": "number", "minimum": 0},
                    "label": {"type": "string"},
                },
                "required": ["at", "points"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["field", "steps"],
    "additionalProperties": False,
}

_criterion: dict[str, Any] = {
    "title": "criterion",
    "type": "object",
    "properties": {
        **_node_common,
        "levels": {"type": "array", "items": _level, "minItems": 1},
        "cumulative": {"type": "boolean"},
        "value": _value,
        "score": _score,
        "bands": _bands,
        "checklist": _checklist,
    },
    "required": ["id", "title"],
    "additionalProperties": False,
    "oneOf": [
        {"required": ["levels"]},
        {"required": ["value"]},
        {"required": ["score"]},
        {"required": ["bands"]},
        {"required": ["checklist"]},
    ],
}

# Shared criterion keys (see rubric/defaults.py); a scoring form here may be partial,
# since each criterion is checked in full once the defaults are merged into it.
_criterion_defaults: dict[str, Any] = {
    "title": "criterion defaults",
    "type": "object",
    "properties": {
        key: {"type": "object"} if key in ("value", "score", "bands", "checklist") else value
        for key, value in _criterion["properties"].items()
        if key != "id"
    },
    "additionalProperties": False,
}

_group: dict[str, Any] = {
    "title": "group",
    "type": "object",
    "properties": {
        **_node_common,
        "criterion_defaults": {"$ref": "#/$defs/criterion_defaults"},
        "aggregation": {"$ref": "#/$defs/aggregation"},
        "groups": {"type": "array", "items": {"$ref": "#/$defs/group"}},
        "criteria": {"type": "array", "items": {"$ref": "#/$defs/criterion"}},
    },
    "required": ["id", "title"],
    "additionalProperties": False,
    "anyOf": [{"required": ["groups"]}, {"required": ["criteria"]}],
}

_adjustment = {
    "title": "adjustment",
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "title": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "references": {"$ref": "#/$defs/references"},
        "when": {"$ref": "#/$defs/condition"},
        "points_each": {"type": "number"},
        "count": {
            "type": "object",
            "properties": {"violations": _violation_filter},
            "required": ["violations"],
            "additionalProperties": False,
        },
        "floor": {"type": "number"},
        "ceiling": {"type": "number"},
        "points": {"type": "number"},
        "cap": {"type": "number", "minimum": 0},
    },
    "required": ["id", "title"],
    "additionalProperties": False,
    "oneOf": [
        {"required": ["points_each", "count"]},
        {"required": ["points", "when"]},
        {"required": ["cap", "when"]},
    ],
}

_field_spec = {
    "type": "object",
    "properties": {
        "type": {"enum": ["bool", "number", "text", "enum", "list"]},
        "values": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "unit": {"type": "string"},
        "description": {"type": "string"},
        "gri": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["type"],
    "additionalProperties": False,
}

_node_patch = {
    "type": "object",
    "properties": {
        key: value
        for key, value in {
            **_node_common,
            **_criterion["properties"],
            **_group["properties"],
        }.items()
        if key != "id"
    },
    "additionalProperties": False,
}


def rubric_schema() -> dict[str, Any]:
    """Return the draft 2020-12 JSON Schema of a rubric document."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "csrscore rubric",
        "type": "object",
        "properties": {
            "rubric": {"type": "string", "pattern": ID_PATTERN, "maxLength": 128},
            "version": {"type": "string", "minLength": 1},
            "title": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "scale": {"type": "number", "exclusiveMinimum": 0},
            "na_policy": {"enum": ["exclude", "zero"]},
            "weights": {"enum": ["max-points", "applicable-points"]},
            "rounding": {
                "type": "object",
                "properties": {
                    "decimals": {"type": "integer", "minimum": 0, "maximum": 6},
                    "mode": {"enum": ["half-up", "half-even", "floor"]},
                    "ties": {"enum": ["rounded", "exact"]},
                },
                "additionalProperties": False,
            },
            "aggregation": {"$ref": "#/$defs/aggregation"},
            "criterion_defaults": {"$ref": "#/$defs/criterion_defaults"},
            "catalog": {"type": "string", "minLength": 1},
            "fields": {
                "type": "object",
                "propertyNames": {"pattern": FIELD_PATTERN},
                "additionalProperties": {"$ref": "#/$defs/field_spec"},
            },
            "grades": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {"type": "number", "minimum": 0},
            },
            "references": {"$ref": "#/$defs/references"},
            "groups": {"type": "array", "items": {"$ref": "#/$defs/group"}, "minItems": 1},
            "adjustments": {"type": "array", "items": {"$ref": "#/$defs/adjustment"}},
            "extends": {"type": "string", "minLength": 1},
            "overrides": {"type": "object", "additionalProperties": {"$ref": "#/$defs/node_patch"}},
            "drop": {"type": "array", "items": {"type": "string"}},
            "replace": {"type": "object", "additionalProperties": {"type": "object"}},
            "add": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "groups": {"type": "array", "items": {"$ref": "#/$defs/group"}},
                        "criteria": {"type": "array", "items": {"$ref": "#/$defs/criterion"}},
                    },
                    "additionalProperties": False,
                },
            },
        },
        "required": ["rubric", "version", "title"],
        "additionalProperties": False,
        "anyOf": [{"required": ["groups"]}, {"required": ["extends"]}],
        "$defs": {
            "condition": _condition,
            "references": _references,
            "aggregation": {"enum": ["arithmetic", "geometric"]},
            "violation_status": {"enum": ["open", "responded", "corrected", "closed"]},
            "group": _group,
            "criterion": _criterion,
            "criterion_defaults": _criterion_defaults,
            "adjustment": _adjustment,
            "field_spec": _field_spec,
            "node_patch": _node_patch,
        },
    }


def catalog_schema() -> dict[str, Any]:
    """The JSON Schema of a disclosure catalog file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "csrscore disclosure catalog",
        "type": "object",
        "properties": {
            "catalog": {"type": "string"},
            "version": {"type": "string"},
            "description": {"type": "string"},
            "fields": {
                "type": "object",
                "propertyNames": {"pattern": FIELD_PATTERN},
                "additionalProperties": _field_spec,
            },
        },
        "required": ["fields"],
        "additionalProperties": False,
    }
