"""The `derived` section of a rubric -> `DerivedField`s in computation order, checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csrscore.rubric.catalog import Catalog
from csrscore.rubric.derived import FORMS, DerivedField, DerivedForm
from csrscore.rubric.findings import Findings
from csrscore.rubric.parse import suggest


def _inputs(form: DerivedForm, data: Mapping[str, Any]) -> tuple[str, ...]:
    argument = data[form]
    return (argument,) if isinstance(argument, str) else tuple(argument)


def parse_derived(
    section: Mapping[str, Mapping[str, Any]], catalog: Catalog, findings: Findings
) -> tuple[DerivedField, ...]:
    """The `derived` section (already schema-valid) in computation order: every field
    after the derived fields it reads. Unknown or non-numeric inputs, names that shadow a
    catalog field and cycles are located errors."""
    parsed: dict[str, DerivedField] = {}
    for name, data in section.items():
        form = next(key for key in FORMS if key in data)
        parsed[name] = DerivedField(
            name=name,
            form=form,
            inputs=_inputs(form, data),
            change_as=data.get("as", "absolute"),
            unit=data.get("unit"),
            description=data.get("description", ""),
        )
        if "as" in data and form != "change":
            findings.error(
                "derived",
                f"'as' says how a change is measured; a {form} has no 'as'",
                ("derived", name, "as"),
            )
        if catalog.get(name) is not None:
            findings.error(
                "derived",
                f"derived field {name!r} has the name of a catalog field; choose another name",
                ("derived", name),
            )
    for name, derived in parsed.items():
        for i, source in enumerate(derived.inputs):
            where = ("derived", name, derived.form) + ((i,) if derived.form != "change" else ())
            spec = catalog.get(source)
            if source in parsed:
                continue
            if spec is None:
                known = [*catalog.fields, *parsed]
                findings.error(
                    "unknown-field",
                    f"derived field {name!r} reads unknown field {source!r}"
                    f"{suggest(source, known)}; declare it in the catalog, under 'fields' "
                    "or under 'derived'",
                    where,
                )
            elif spec.type != "number":
                findings.error(
                    "type",
                    f"derived field {name!r} reads {source!r}, which is {spec.type}; "
                    "derived fields compute with numbers only",
                    where,
                )
    return _ordered(parsed, findings)


def _ordered(parsed: Mapping[str, DerivedField], findings: Findings) -> tuple[DerivedField, ...]:
    """Depth-first topological order; a cycle is reported once, at its first member."""
    done: dict[str, DerivedField] = {}
    visiting: list[str] = []
    reported: set[str] = set()

    def visit(name: str) -> None:
        if name in done or name in reported:
            return
        if name in visiting:
            cycle = [*visiting[visiting.index(name) :], name]
            reported.update(cycle)
            findings.error(
                "derived-cycle",
                f"derived fields form a cycle: {' -> '.join(cycle)}",
                ("derived", cycle[0]),
            )
            return
        visiting.append(name)
        for source in parsed[name].inputs:
            if source in parsed:
                visit(source)
        visiting.pop()
        if name not in reported:
            done[name] = parsed[name]

    for name in parsed:
        visit(name)
    # Members of a cycle are kept (the error stops loading anyway), so that criteria
    # reading them are not also reported as reading unknown fields.
    return (*done.values(), *(parsed[name] for name in parsed if name in reported))
