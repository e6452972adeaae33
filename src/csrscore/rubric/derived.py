"""Derived indicators: numeric fields a rubric computes from other numeric fields.

The vocabulary is closed and declarative (no expressions are parsed or evaluated):

- ratio [a, b]: a / b
- share [part, whole]: part / whole x 100 (a percentage)
- sum [a, b, ...]: a + b + ...
- difference [a, b]: a - b
- change a (as: absolute | percent): a this year against a in the same company's record of
  the year before; percent is (a - previous) / |previous| x 100

A derived value is missing when any input is missing, when a denominator (ratio, share,
percent change) is 0, or, for a change, when the company has no record for the year
before. The reason is kept and explained.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from csrscore.rubric.catalog import FieldSpec

DerivedForm: TypeAlias = Literal["ratio", "share", "sum", "difference", "change"]
ChangeAs: TypeAlias = Literal["absolute", "percent"]
FORMS: tuple[DerivedForm, ...] = ("ratio", "share", "sum", "difference", "change")


@dataclass(frozen=True)
class DerivedField:
    """One derived field; `inputs` in the order the formula reads them."""

    name: str
    form: DerivedForm
    inputs: tuple[str, ...]
    change_as: ChangeAs = "absolute"
    unit: str | None = None
    description: str = ""

    @property
    def spec(self) -> FieldSpec:
        return FieldSpec(
            self.name, "number", origin="derived", unit=self.unit, description=self.description
        )

    @property
    def cross_record(self) -> bool:
        """Whether a value depends on another record (the previous year's)."""
        return self.form == "change"
