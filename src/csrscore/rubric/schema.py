"""The JSON Schema of a rubric document (draft 2020-12).

It checks structure only; types of fields against the catalog, regexes, reachability and
other semantics are checked when the rubric is parsed and linted.
"""

from __future__ import annotations

from typing import Any

from csrscore.rubric import bounds

SCHEMA_ID = "https://csrscore.org/schemas/rubric.schema.json"

FIELD_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

_scalar: dict[str, Any] = {"type": ["string", "number", "boolean"], **bounds.VALUE_LIMITS}
_number_or_text: dict[str, Any] = {"type": ["number", "string"], **bounds.VALUE_LIMITS}


def _field_operand(value_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "propertyNames": {"pattern": FIELD_PATTERN},
        "additionalProperties": value_schema,
    }


_field = {"type": "string", "pattern": FIELD_PATTERN}
_count_compare = dict.fromkeys(("gte", "gt", "lte", "lt", "eq"), bounds.COUNT)
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
            name: _field_operand(_number_or_text)
            for name in ("gt", "gte", "lt", "lte")
        },
        "between": _field_operand(
            {"type": "array", "items": _number_or_text, "minItems": 2, "maxItems": 2}
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
            {"type": ["string", "number"], **bounds.VALUE_LIMITS},
            {"type": "array", "items": {"type": ["string", "number"], **bounds.VALUE_LIMITS}},
        ]
    },
}

# 0 is a weight too (shown, counts nothing); between 0 and MIN_WEIGHT is not.
_WEIGHT: dict[str, Any] = {
    **bounds.bounded(0, bounds.MAX_WEIGHT),
    "not": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": bounds.MIN_WEIGHT},
}

_node_common: dict[str, Any] = {
    "id": {"type": "string", "pattern": ID_PATTERN, "maxLength": 128},
    "title": {"type": "string", "minLength": 1},
    "description": {"type": "string"},
    "weight": _WEIGHT,
    "applies_when": {"$ref": "#/$defs/condition"},
    "references": {"$ref": "#/$defs/references"},
}

_level = {
    "title": "level",
    "type": "object",
    "properties": {
        "points": bounds.POINTS,
        "label": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "when": {"$ref": "#/$defs/condition"},
    },
    "required": ["points", "label", "when"],
    "additionalProperties": False,
}


_peers = {
    "title": "peers",
    "type": "object",
    "properties": {
        "method": {"enum": ["min-max", "percentile", "z-score"]},
        "within": {"type": "array", "items": _field, "uniqueItems": True},
    },
    "required": ["method"],
    "additionalProperties": False,
}

_value = {
    "title": "value scoring",
    "type": "object",
    "properties": {
        "field": _field,
        "min": bounds.VALUE,
        "max": bounds.VALUE,
        "direction": {"enum": ["higher", "lower"]},
        "points": bounds.POSITIVE_POINTS,
        "round_to": {
            "anyOf": [
                bounds.grid(bounds.MAX_VALUE),
                {
                    "type": "object",
                    "properties": {
                        "input": bounds.grid(bounds.MAX_VALUE),
                        "points": bounds.grid(bounds.MAX_POINTS),
                    },
                    "minProperties": 1,
                    "additionalProperties": False,
                },
            ]
        },
        "peers": _peers,
    },
    "required": ["field", "points"],
    "additionalProperties": False,
    # Against peers, min and max default to the statistic's range (z-scores have none).
    "if": {"not": {"required": ["peers"]}},
    "then": {"required": ["min", "max"]},
}

_score = {
    "title": "pre-scored indicator",
    "type": "object",
    "properties": {
        "field": _field,
        "scale": bounds.POSITIVE_POINTS,
        "points": bounds.POSITIVE_POINTS,
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
        "points_each": bounds.POSITIVE_POINTS,
        "weights": {"type": "object", "additionalProperties": bounds.POINTS},
        "cap": bounds.POSITIVE_POINTS,
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
                    "at": bounds.VALUE,
                    "points": bounds.POINTS,
                    "label": {"type": "string"},
                },
                "required": ["at", "points"],
                "additionalProperties": False,
            },
        },
        "peers": _peers,
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
        "points_each": bounds.SIGNED_POINTS,
        "count": {
            "type": "object",
            "properties": {"violations": _violation_filter},
            "required": ["violations"],
            "additionalProperties": False,
        },
        "floor": bounds.SIGNED_POINTS,
        "ceiling": bounds.SIGNED_POINTS,
        "points": bounds.SIGNED_POINTS,
        "cap": bounds.POINTS,
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
        "minimum": {"type": "number"},
        "maximum": {"type": "number"},
        "description": {"type": "string"},
        "gri": {"type": "array", "items": {"type": "string"}},
        "decimals": {
            "type": "integer",
            "minimum": 0,
            "maximum": 6,
            "description": "decimal places the field's numbers are shown with",
        },
    },
    "required": ["type"],
    "additionalProperties": False,
    # A range bounds numbers only.
    "if": {"anyOf": [{"required": ["minimum"]}, {"required": ["maximum"]}]},
    "then": {"properties": {"type": {"const": "number"}}},
}

_two_fields = {"type": "array", "items": _field, "minItems": 2, "maxItems": 2}
_derived = {
    "title": "derived field",
    "type": "object",
    "properties": {
        "ratio": _two_fields,
        "share": _two_fields,
        "difference": _two_fields,
        "sum": {"type": "array", "items": _field, "minItems": 2},
        "change": _field,
        "as": {"enum": ["absolute", "percent"]},
        "unit": {"type": "string"},
        "description": {"type": "string"},
    },
    "additionalProperties": False,
    "oneOf": [{"required": [form]} for form in ("ratio", "share", "difference", "sum", "change")],
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
            "scale": bounds.SCALE,
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
            "derived": {
                "type": "object",
                "propertyNames": {"pattern": FIELD_PATTERN},
                "additionalProperties": {"$ref": "#/$defs/derived"},
            },
            "grades": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": bounds.POINTS,
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
            "derived": _derived,
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
