"""`criterion_defaults`: what the criteria of a rubric or group share, written once.

An index that publishes 30 indicator scores on one scale has 30 criteria that differ only
in id, title, field and weight. A rubric (at the top level) or a group gives the rest once
under `criterion_defaults`; it is merged into every criterion below it, the nearest
defaults first. A criterion's own keys always win, and mappings merge key by key, so
`score: {scale: 100}` in the defaults and `score: {field: sc1}` in a criterion make
`score: {field: sc1, scale: 100}`. A scoring form in the defaults (`levels`, `value`,
`score`, `bands`, `checklist`) is used only by criteria that give no form of their own.

Expansion happens on the plain data before the schema check, so every criterion is then
checked, parsed and scored as if it had been written out in full.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

DEFAULTS_KEY = "criterion_defaults"
FORMS = ("levels", "value", "score", "bands", "checklist")


def _merge_under(defaults: Mapping[str, Any], node: dict[str, Any]) -> None:
    for key, value in defaults.items():
        if key not in node:
            node[key] = copy.deepcopy(value)
        elif isinstance(value, Mapping) and isinstance(node[key], dict):
            _merge_under(value, node[key])


def _criterion_with(defaults: Mapping[str, Any], criterion: dict[str, Any]) -> None:
    own_form = any(form in criterion for form in FORMS)
    shared = {
        key: value
        for key, value in defaults.items()
        if not (own_form and key in FORMS and key not in criterion)
    }
    _merge_under(shared, criterion)


def has_defaults(data: Any) -> bool:
    """Whether any criterion_defaults appear in the rubric data (top level or a group)."""
    if isinstance(data, dict):
        if DEFAULTS_KEY in data:
            return True
        return any(has_defaults(child) for child in _children(data.get("groups")))
    return False


def _children(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def apply_defaults(data: Any) -> None:
    """Merge every `criterion_defaults` into the criteria below it, in place. Shapes the
    schema rejects are left alone for the schema check to report."""

    def walk(node: dict[str, Any], inherited: list[Mapping[str, Any]]) -> None:
        own = node.get(DEFAULTS_KEY)
        chain = [own, *inherited] if isinstance(own, Mapping) else inherited
        for child in _children(node.get("criteria")):
            if isinstance(child, dict):
                for defaults in chain:  # nearest first: what it sets, outer ones keep
                    _criterion_with(defaults, child)
        for child in _children(node.get("groups")):
            if isinstance(child, dict):
                walk(child, chain)

    if isinstance(data, dict):
        walk(data, [])


def expanded(data: Any) -> Any:
    """A copy of `data` with its defaults applied; `data` itself when it has none."""
    if not has_defaults(data):
        return data
    copied = copy.deepcopy(data)
    apply_defaults(copied)
    return copied
