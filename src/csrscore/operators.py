"""The condition operators, in one table: name -> types, operand kind, and two functions.

`scalar` tests one value (the reference evaluator uses it); `vector` tests a whole
:class:`Column` at once (the engine uses it). A `vector` result may be a view of the
column's own arrays (`exists` is `present` itself), so callers only read it. Adding an
operator means adding one entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeAlias

import numpy as np

if TYPE_CHECKING:
    # Types only: the engine evaluates with this table and the rubric checks conditions
    # against it, so importing either package from here would close a circle.
    from csrscore.engine.columns import BoolArray, Column
    from csrscore.rubric.catalog import FieldType
    from csrscore.rubric.regex import Pattern

OperandKind: TypeAlias = Literal["none", "scalar", "order", "range", "list", "item", "regex"]


class FieldValue(NamedTuple):
    """One field of one report, as the scalar operators see it."""

    present: bool
    value: Any = None
    assured: bool = False
    evidence: bool = False


MISSING = FieldValue(False)


@dataclass(frozen=True)
class Operator:
    name: str
    types: frozenset[FieldType]
    operand: OperandKind
    scalar: Callable[[FieldValue, Any], bool]
    vector: Callable[[Column, Any], BoolArray]
    disclosure_only: bool = False


def kind_of(value: Any) -> str:
    """The value kind used for type-safe equality: a bool is never equal to 1."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    return "list"


def _same_kind(field: FieldValue, operand: Any) -> bool:
    return field.present and kind_of(field.value) == kind_of(operand)


def _is_number(field: FieldValue) -> bool:
    return field.present and kind_of(field.value) == "number"


# --- vector helpers -------------------------------------------------------------------


def _v_eq(column: Column, operand: Any) -> BoolArray:
    result: BoolArray
    if isinstance(operand, bool):
        result = column.booleans & (column.truth == operand)
    elif isinstance(operand, (int, float)):
        result = column.numbers == operand
    else:
        result = column.codes == column.code_of(operand)
    return result


def _v_ne(column: Column, operand: Any) -> BoolArray:
    result: BoolArray
    if isinstance(operand, bool):
        result = column.booleans & (column.truth != operand)
    elif isinstance(operand, (int, float)):
        result = ~np.isnan(column.numbers) & (column.numbers != operand)
    else:
        result = (column.codes >= 0) & (column.codes != column.code_of(operand))
    return result


def _v_in(column: Column, operand: tuple[Any, ...]) -> BoolArray:
    from csrscore.engine.columns import equals_any  # see the import of Column above

    numbers = [v for v in operand if kind_of(v) == "number"]
    texts = {v for v in operand if isinstance(v, str)}
    hit = (
        np.isin(column.numbers, numbers)
        if len(numbers) > 4
        else equals_any(column.numbers, numbers)
    )
    if texts:
        hit |= column.vocabulary_mask([v in texts for v in column.vocabulary])
    return hit


def _v_not_in(column: Column, operand: tuple[Any, ...]) -> BoolArray:
    has_value = ~np.isnan(column.numbers) | (column.codes >= 0)
    return has_value & ~_v_in(column, operand)


def _v_contains(column: Column, operand: str) -> BoolArray:
    in_list = column.rows_with_items(column.list_codes == column.code_of(operand))
    in_text = column.vocabulary_mask([operand in v for v in column.vocabulary])
    return in_list | in_text


def _v_matches(column: Column, operand: Pattern) -> BoolArray:
    keep = [operand.found_in(v) for v in column.vocabulary]
    in_text = column.vocabulary_mask(keep)
    in_list = column.rows_with_items(np.array(keep, dtype=bool)[column.list_codes])
    return in_text | in_list


def _compare(op: Callable[[Any, Any], Any]) -> Callable[[Column, Any], BoolArray]:
    def vector(column: Column, operand: float) -> BoolArray:
        # NaN compares False, which is exactly "missing or not a number".
        result: BoolArray = op(column.numbers, operand)
        return result

    return vector


def _s_compare(op: Callable[[Any, Any], bool]) -> Callable[[FieldValue, Any], bool]:
    return lambda field, operand: _is_number(field) and op(field.value, operand)


_ANY: frozenset[FieldType] = frozenset({"bool", "number", "text", "enum", "list", "date"})
_ORDERED: frozenset[FieldType] = frozenset({"number", "date"})
_EQUATABLE: frozenset[FieldType] = frozenset({"bool", "number", "text", "enum", "date"})
_TEXTUAL: frozenset[FieldType] = frozenset({"text", "enum"})

OPERATORS: Mapping[str, Operator] = {
    op.name: op
    for op in (
        Operator("exists", _ANY, "none", lambda f, _: f.present, lambda c, _: c.present),
        Operator("missing", _ANY, "none", lambda f, _: not f.present, lambda c, _: ~c.present),
        Operator(
            "true",
            frozenset({"bool"}),
            "none",
            lambda f, _: f.present and f.value is True,
            lambda c, _: c.booleans & c.truth,
        ),
        Operator(
            "number",
            frozenset({"number"}),
            "none",
            lambda f, _: _is_number(f),
            lambda c, _: np.equal(c.numbers, c.numbers),  # False only for NaN (missing)
        ),
        Operator(
            "assured",
            _ANY,
            "none",
            lambda f, _: f.present and f.assured,
            lambda c, _: c.present & c.assured,
            disclosure_only=True,
        ),
        Operator(
            "has_evidence",
            _ANY,
            "none",
            lambda f, _: f.present and f.evidence,
            lambda c, _: c.present & c.evidence,
            disclosure_only=True,
        ),
        Operator("eq", _EQUATABLE, "scalar", lambda f, x: _same_kind(f, x) and f.value == x, _v_eq),
        Operator("ne", _EQUATABLE, "scalar", lambda f, x: _same_kind(f, x) and f.value != x, _v_ne),
        Operator("gt", _ORDERED, "order", _s_compare(lambda v, x: v > x), _compare(np.greater)),
        Operator(
            "gte",
            _ORDERED,
            "order",
            _s_compare(lambda v, x: v >= x),
            _compare(np.greater_equal),
        ),
        Operator("lt", _ORDERED, "order", _s_compare(lambda v, x: v < x), _compare(np.less)),
        Operator(
            "lte", _ORDERED, "order", _s_compare(lambda v, x: v <= x), _compare(np.less_equal)
        ),
        Operator(
            "between",
            _ORDERED,
            "range",
            lambda f, x: _is_number(f) and x[0] <= f.value <= x[1],
            lambda c, x: (c.numbers >= x[0]) & (c.numbers <= x[1]),
        ),
        Operator(
            "in",
            frozenset({"number", "text", "enum"}),
            "list",
            lambda f, x: any(_same_kind(f, v) and f.value == v for v in x),
            _v_in,
        ),
        Operator(
            "not_in",
            frozenset({"number", "text", "enum"}),
            "list",
            lambda f, x: (
                f.present and kind_of(f.value) in {kind_of(v) for v in x} and f.value not in x
            ),
            _v_not_in,
        ),
        Operator(
            "contains",
            frozenset({"text", "list"}),
            "item",
            lambda f, x: f.present and isinstance(f.value, (str, tuple)) and x in f.value,
            _v_contains,
        ),
        Operator(
            "matches",
            frozenset({"text", "enum", "list"}),
            "regex",
            lambda f, x: (
                f.present
                and (
                    x.found_in(f.value)
                    if isinstance(f.value, str)
                    else isinstance(f.value, tuple) and any(x.found_in(v) for v in f.value)
                )
            ),
            _v_matches,
        ),
    )
}

FIELD_OPERATORS = frozenset(OPERATORS)
COMBINATORS = frozenset({"all", "any", "not"})
RECORD_OPERATORS = frozenset({"violations", "published_within_days"})
ALL_OPERATOR_NAMES = FIELD_OPERATORS | COMBINATORS | RECORD_OPERATORS
