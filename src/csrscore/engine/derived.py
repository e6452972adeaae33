"""Derived fields -> columns, computed from their input columns in a few array operations.

Each derived field becomes a number column like any disclosure, so conditions, value and
band scoring read it unchanged. Why a value is missing is kept per row (`why_missing`), so
an explanation can say it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from csrscore.engine.columns import Column, FloatArray, IntArray
from csrscore.rubric.derived import DerivedField

# Reasons a derived value is missing, by code; code 0 means it was computed.
COMPUTED, INPUT_MISSING, ZERO_DENOMINATOR, NO_PREVIOUS, PREVIOUS_MISSING, PREVIOUS_ZERO = range(6)
WHY_MISSING = (
    "",
    "an input is missing",
    "the denominator is 0",
    "the company has no record for the previous year",
    "the previous year's value is missing",
    "the previous year's value is 0",
)
ReasonArray = NDArray[np.int8]


@dataclass(frozen=True)
class DerivedColumn:
    """One derived field's values (NaN where missing), the reason per row, and for a
    change the row of each record's previous-year record (-1 where there is none)."""

    field: DerivedField
    values: FloatArray
    why_missing: ReasonArray
    previous: IntArray | None = None


def previous_year_rows(company_ids: Sequence[str], years: IntArray) -> IntArray:
    """Per record, the row of the same company's record for the year before, or -1."""
    n = len(company_ids)
    previous = np.full(n, -1, dtype=np.int64)
    if n < 2:
        return previous
    codes = np.unique(np.asarray(company_ids, dtype=str), return_inverse=True)[1].ravel()
    order = np.lexsort((years, codes))
    sorted_codes, sorted_years = codes[order], years[order]
    # Company-years are unique, so the record before a company's year y in this order is
    # its year y - 1 exactly when it has one.
    follows = (sorted_codes[1:] == sorted_codes[:-1]) & (sorted_years[1:] == sorted_years[:-1] + 1)
    previous[order[1:][follows]] = order[:-1][follows]
    return previous


def number_column(values: FloatArray) -> Column:
    n = len(values)
    present = ~np.isnan(values)
    empty = np.zeros(n, dtype=bool)
    nothing = np.zeros(0, dtype=np.int64)
    return Column(
        present=present,
        assured=empty,
        evidence=empty,
        booleans=empty,
        truth=empty,
        numbers=values,
        codes=np.full(n, -1, dtype=np.int64),
        vocabulary=(),
        list_rows=nothing,
        list_codes=nothing,
    )


def _compute(
    field: DerivedField, inputs: list[FloatArray], previous: IntArray | None
) -> tuple[FloatArray, ReasonArray]:
    missing = np.zeros(len(inputs[0]), dtype=bool)
    for numbers in inputs:
        missing |= np.isnan(numbers)
    why = np.where(missing, INPUT_MISSING, COMPUTED).astype(np.int8)
    # Inputs near the float limit may overflow to +-inf: beyond every rubric bound, such a
    # value scores as the end of the scale it passes (and inf - inf is NaN, as missing).
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if field.form in ("ratio", "share"):
            numerator, denominator = inputs
            why[~missing & (denominator == 0)] = ZERO_DENOMINATOR
            result = numerator / denominator
            if field.form == "share":
                result = result * 100.0
        elif field.form == "sum":
            result = inputs[0].copy()
            for numbers in inputs[1:]:
                result += numbers
        elif field.form == "difference":
            result = inputs[0] - inputs[1]
        else:
            assert previous is not None
            current = inputs[0]
            has_previous = previous >= 0
            before = np.where(has_previous, current[previous], np.nan)
            why[~missing & ~has_previous] = NO_PREVIOUS
            why[(why == COMPUTED) & np.isnan(before)] = PREVIOUS_MISSING
            if field.change_as == "percent":
                why[(why == COMPUTED) & (before == 0)] = PREVIOUS_ZERO
                result = (current - before) / np.abs(before) * 100.0
            else:
                result = current - before
    values: FloatArray = np.where(why == COMPUTED, result, np.nan)
    return values, why


def derived_columns(
    fields: Sequence[DerivedField],
    columns: Mapping[str, Column],
    company_ids: Sequence[str],
    years: IntArray,
) -> dict[str, DerivedColumn]:
    """Every derived field in `fields` (in computation order), reading `columns` and the
    derived fields computed before it."""
    out: dict[str, DerivedColumn] = {}
    previous: IntArray | None = None
    for field in fields:
        if field.form == "change" and previous is None:
            previous = previous_year_rows(company_ids, years)
        inputs = [
            out[name].values if name in out else columns[name].numbers for name in field.inputs
        ]
        values, why = _compute(field, inputs, previous if field.form == "change" else None)
        for array in (values, why):
            array.setflags(write=False)
        out[field.name] = DerivedColumn(
            field, values, why, previous if field.form == "change" else None
        )
    return out
