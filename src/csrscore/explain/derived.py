"""How a derived value was computed for one company: its inputs, the formula with the
numbers filled in ("12.4 t/M = 18,250 t / 1,472 M"), or why it is missing."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from csrscore.engine.derived import COMPUTED, WHY_MISSING, DerivedColumn
from csrscore.explain.trace import display_value
from csrscore.records.model import Report
from csrscore.rubric.catalog import Catalog

_SIGNS = {"ratio": "/", "share": "/", "sum": "+", "difference": "-"}


def number_text(value: float) -> str:
    """About four significant digits, thousands separated, never in exponent form."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    decimals = min(6, max(0, 3 - math.floor(math.log10(abs(value)))))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _with_unit(value: Any, unit: str | None) -> str:
    shown = number_text(value) if isinstance(value, (int, float)) else "missing"
    return f"{shown} {unit}" if unit and shown != "missing" else shown


class DerivedExplainer:
    """Derived-field details for any row, from the engine's derived columns."""

    def __init__(
        self,
        derived: Mapping[str, DerivedColumn],
        reports: Sequence[Report],
        catalog: Catalog,
    ) -> None:
        self.derived = derived
        self.reports = reports
        self.catalog = catalog

    def value(self, name: str, row: int) -> float | None:
        number = float(self.derived[name].values[row])
        return None if math.isnan(number) else number

    def _input(self, name: str, row: int) -> dict[str, Any]:
        report = self.reports[row]
        spec = self.catalog.get(name)
        unit = spec.unit if spec is not None else None
        if name in self.derived:
            value: Any = self.value(name, row)
        else:
            present, value = display_value(report, name)
            disclosure = report.disclosures.get(name)
            if disclosure is not None and disclosure.unit:
                unit = disclosure.unit
            value = value if present else None
        entry = {"field": name, "value": value, "unit": unit}
        if name in self.derived:
            entry["derived"] = self.detail(name, row)
        return entry

    def detail(self, name: str, row: int) -> dict[str, Any]:
        column = self.derived[name]
        field = column.field
        value = self.value(name, row)
        inputs = [self._input(source, row) for source in field.inputs]
        if field.form == "change":
            previous = -1 if column.previous is None else int(column.previous[row])
            inputs[0]["year"] = int(self.reports[row].year)
            before = {"field": field.inputs[0], "value": None, "unit": inputs[0]["unit"]}
            if previous >= 0:
                before = self._input(field.inputs[0], previous)
            before["year"] = int(self.reports[row].year) - 1
            inputs.append(before)
        why = int(column.why_missing[row])
        return {
            "field": name,
            "form": field.form if field.form != "change" else f"change ({field.change_as})",
            "value": value,
            "unit": field.unit,
            "inputs": inputs,
            "formula": _formula(name, field.form, field.change_as, value, field.unit, inputs),
            "missing_because": None if why == COMPUTED else WHY_MISSING[why],
        }


def _formula(
    name: str,
    form: str,
    change_as: str,
    value: float | None,
    unit: str | None,
    inputs: list[dict[str, Any]],
) -> str:
    terms = [_with_unit(entry["value"], entry["unit"]) for entry in inputs]
    if form == "change":
        now, before = terms
        right = (
            f"({now} - {before}) / |{before}| x 100"
            if change_as == "percent"
            else (f"{now} - {before}")
        )
    else:
        right = f" {_SIGNS[form]} ".join(terms) + (" x 100" if form == "share" else "")
    unit = "%" if form == "share" or (form == "change" and change_as == "percent") else unit
    return f"{name} {_with_unit(value, unit)} = {right}"
