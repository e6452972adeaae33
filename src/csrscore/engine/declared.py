"""Disclosures a company declares not applicable -> the criteria that become N/A for it.

A criterion is N/A for a company when a field its levels test or its value scoring reads
is among the disclosures the company marks `not_applicable` (with a reason), as it is
when its `applies_when` fails.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from csrscore.compile.plan import Plan
from csrscore.engine.columns import BoolArray
from csrscore.records.model import Report


def declared_not_applicable(plan: Plan, reports: Sequence[Report]) -> dict[int, BoolArray]:
    """Criterion index -> where it is declared N/A; only criteria declared N/A somewhere."""
    # One cheap test per report; the marked ones are few.
    marked = [row for row, report in enumerate(reports) if report.not_applicable]
    if not marked:
        return {}
    rows_of: dict[str, list[int]] = {}
    for row in marked:
        for key in reports[row].not_applicable:
            rows_of.setdefault(key, []).append(row)
    out: dict[int, BoolArray] = {}
    for c, criterion in enumerate(plan.criteria):
        keys = criterion.fields_read & rows_of.keys()
        if keys:
            mask = np.zeros(len(reports), dtype=bool)
            for key in keys:
                mask[rows_of[key]] = True
            out[c] = mask
    return out
