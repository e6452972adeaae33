"""Warnings about data that scores, but probably not as meant.

- A field the catalog gives in percent (`unit: "%"`, or a range of 0 to 100) whose values
  are all between 0 and 1: a spreadsheet stores 57% as 0.57, which then scores as 0.57%.
  Values beyond the range itself never get here: loading rejects them (records.check).
- An `applies_when` that compares `company.sector` with a sector no company has, though
  one differs from it only in case or spacing (`Banking` against the slug `banking`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from csrscore.engine.columns import Column
from csrscore.rubric.catalog import FieldSpec
from csrscore.rubric.conditions import FieldTest, leaves
from csrscore.rubric.model import Rubric


@dataclass(frozen=True)
class SanityWarning:
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


def share_scale_warnings(
    rubric: Rubric, columns: Mapping[str, Column]
) -> tuple[SanityWarning, ...]:
    found = []
    for name, column in columns.items():
        spec = rubric.catalog.get(name)
        if spec is None or spec.type != "number" or not _percent_scale(spec):
            continue
        values = column.numbers[~np.isnan(column.numbers)]
        # All within [0, 1] and not all 0 or 1 exactly (yes/no answers coded as numbers).
        if len(values) and values.min() >= 0 and values.max() <= 1 and np.any(values % 1):
            found.append(
                SanityWarning(
                    name,
                    f"the catalog gives percent (0 to 100), but all {len(values)} value(s) "
                    "lie between 0 and 1; if the file stores 57% as 0.57 (as spreadsheets "
                    "do), multiply by 100, or it scores as 0.57%",
                )
            )
    return tuple(found)


def _percent_scale(spec: FieldSpec) -> bool:
    """Declared 0 to 100: by its range if it has a maximum (a share declared 0 to 1 holds
    fractions by design), else by its percent unit."""
    if spec.maximum is not None:
        return spec.maximum == 100
    return spec.unit == "%"


def _folded(text: str) -> str:
    return re.sub(r"[\s_-]+", "-", text.strip().lower())


def sector_warnings(rubric: Rubric, sectors: Sequence[str | None]) -> tuple[SanityWarning, ...]:
    present = {sector for sector in sectors if sector is not None}
    if not present:
        return ()
    found = []
    for node in rubric.root.walk():
        if node.applies_when is None:
            continue
        for leaf in leaves(node.applies_when):
            if not isinstance(leaf, FieldTest) or leaf.field != "company.sector":
                continue
            operand = leaf.operand
            named = operand if isinstance(operand, tuple) else (operand,)
            for sector in named:
                if not isinstance(sector, str) or sector in present:
                    continue
                # A slug no company has is normal (a rubric lists sectors the data may
                # lack); one that differs from the data's only in case or spacing is not.
                close = [s for s in sorted(present) if s == _folded(sector)]
                if close:
                    found.append(
                        SanityWarning(
                            f"{node.id}.applies_when",
                            f"company.sector {sector!r} matches no company (the data has "
                            f"{close[0]!r}); sectors are compared exactly",
                        )
                    )
    return tuple(found)
