"""What a value, band or checklist criterion read and how it turned it into points."""

from __future__ import annotations

from typing import Any

import numpy as np

from csrscore.engine.grid import snap_into
from csrscore.explain.trace import display_value
from csrscore.records.model import Report
from csrscore.rubric.model import Criterion


def snapped(number: float, grid: float) -> float:
    """One number on a grid, by the engine's own arithmetic."""
    cell = np.array([number], dtype=np.float64)
    return float(snap_into(cell, grid, cell)[0])


def value_detail(criterion: Criterion, field: str, report: Report) -> dict[str, Any]:
    present, actual = display_value(report, field)
    detail: dict[str, Any] = {"field": field, "actual": actual, "present": present}
    spec = criterion.value
    if spec is not None and spec.scale is not None:
        detail["scale"] = spec.scale
    if spec is not None and spec.input_grid is not None:
        detail["input_grid"] = spec.input_grid
        if present and isinstance(actual, float):
            detail["scored_as"] = snapped(actual, spec.input_grid)
    if spec is not None and spec.points_grid is not None:
        detail["points_grid"] = spec.points_grid
    return detail


def checklist_detail(criterion: Criterion, report: Report) -> dict[str, Any]:
    """Which items counted (with their points), which were listed but do not count, and
    which countable items the list lacks."""
    checklist = criterion.checklist
    assert checklist is not None
    disclosure = report.disclosures.get(checklist.field)
    listed = disclosure.value if disclosure is not None else ()
    distinct = list(dict.fromkeys(listed if isinstance(listed, tuple) else ()))
    uncapped, _ = checklist.earned(distinct)
    return {
        "field": checklist.field,
        "present": disclosure is not None,
        "counted": [
            {"item": item, "points": checklist.item_points(item)}
            for item in distinct
            if checklist.counts(item)
        ],
        "not_counted": [item for item in distinct if not checklist.counts(item)],
        "missing": [item for item in checklist.expected if item not in distinct],
        "uncapped_points": uncapped,
        "cap": checklist.cap,
    }
