"""Fields whose type the criterion that scores them makes plain, so they need no `fields:`.

A `value`, `score` or `bands` criterion reads a number and a `checklist` a list: a key
scored that way that neither the catalog nor `fields:` declares is taken as a disclosure of
that type. Keys tested in level conditions still need a declaration (an operator such as
`eq` does not say whether `"3"` is text or a number), as do built-in names. A key close to
one the catalog knows is more likely a typo than a new indicator, so it is declared all the
same but `rubric check` says so.
"""

from __future__ import annotations

import difflib
from typing import Any

from csrscore.rubric.catalog import RESERVED_PREFIXES, Catalog, FieldSpec, FieldType
from csrscore.rubric.compose import iter_nodes
from csrscore.rubric.findings import Findings

SCORED_TYPES: dict[str, FieldType] = {
    "value": "number",
    "score": "number",
    "bands": "number",
    "checklist": "list",
}


def inferred_fields(data: Any, catalog: Catalog, findings: Findings) -> dict[str, FieldSpec]:
    found: dict[str, FieldSpec] = {}
    if not isinstance(data, dict):
        return found
    known = [spec.name for spec in catalog]
    for path, node, _ in iter_nodes(data):
        for form, field_type in SCORED_TYPES.items():
            scored = node.get(form)
            name = scored.get("field") if isinstance(scored, dict) else None
            if not isinstance(name, str) or name in catalog or name in found:
                continue
            if name.startswith(RESERVED_PREFIXES) or name == "year":
                continue  # the parser reports an unknown built-in field
            found[name] = FieldSpec(
                name, field_type, description=f"declared by its {form} criterion"
            )
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
            if close:
                findings.warning(
                    "inferred-field",
                    f"{name!r} is not in the catalog, so it is taken as a new {field_type} "
                    f"disclosure; did you mean {close[0]!r}?",
                    (*path, form, "field"),
                )
    return found
