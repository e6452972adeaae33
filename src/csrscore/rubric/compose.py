"""`extends`: build a variant of a rubric from its parent plus overrides, drops,
replacements and additions, all addressed by node id."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from csrscore.rubric.findings import Findings, NodePath
from csrscore.rubric.parse import suggest

COMPOSITION_KEYS = ("extends", "overrides", "drop", "replace", "add")


def iter_nodes(data: dict[str, Any]) -> Iterator[tuple[NodePath, dict[str, Any], list[Any]]]:
    """Every group and criterion dict with its path and the list that holds it."""

    def walk(
        node: dict[str, Any], path: NodePath
    ) -> Iterator[tuple[NodePath, dict[str, Any], list[Any]]]:
        for key in ("groups", "criteria"):
            children = node.get(key)
            if isinstance(children, list):
                for i, child in enumerate(children):
                    if isinstance(child, dict):
                        yield (*path, key, i), child, children
                        yield from walk(child, (*path, key, i))

    yield from walk(data, ())
    adjustments = data.get("adjustments")
    if isinstance(adjustments, list):
        for i, item in enumerate(adjustments):
            if isinstance(item, dict):
                yield ("adjustments", i), item, adjustments


def merge(parent: dict[str, Any], child: dict[str, Any], findings: Findings) -> dict[str, Any]:
    """The parent with the child's top-level keys and node edits applied."""
    merged = copy.deepcopy(parent)
    for key, value in child.items():
        if key not in COMPOSITION_KEYS:
            merged[key] = copy.deepcopy(value)

    def find(node_id: str, path: NodePath) -> tuple[dict[str, Any], list[Any]] | None:
        for _, node, holder in iter_nodes(merged):
            if node.get("id") == node_id:
                return node, holder
        known = [str(node.get("id")) for _, node, _ in iter_nodes(merged)]
        findings.error(
            "extends",
            f"no node with id {node_id!r} in the parent rubric{suggest(node_id, known)}",
            path,
        )
        return None

    for node_id, patch in child.get("overrides", {}).items():
        found = find(node_id, ("overrides", node_id))
        if found:
            found[0].update(copy.deepcopy(patch))
    for i, node_id in enumerate(child.get("drop", [])):
        found = find(node_id, ("drop", i))
        if found:
            found[1].remove(found[0])
    for node_id, replacement in child.get("replace", {}).items():
        found = find(node_id, ("replace", node_id))
        if found:
            node, holder = found
            holder[holder.index(node)] = {"id": node_id, **copy.deepcopy(replacement)}
    for node_id, additions in child.get("add", {}).items():
        found = find(node_id, ("add", node_id))
        if found:
            for key in ("groups", "criteria"):
                if key in additions:
                    found[0].setdefault(key, []).extend(copy.deepcopy(additions[key]))
    return merged
