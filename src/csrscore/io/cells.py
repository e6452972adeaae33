"""Reading one spreadsheet cell as the value a record field or disclosure key holds.

This converts text to typed values (numbers with separators and units, yes/no, lists); it
does not decide whether a record is valid, which stays with the record model that every
input goes through.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any, Final

from csrscore.io.mapping import CellRules
from csrscore.io.units import conversion
from csrscore.textsafe import visible


class CellValueError(Exception):
    """A cell that cannot be read as its column's type; the message says what was expected."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


NOT_DISCLOSED: Final = _Marker("NOT_DISCLOSED")
NOT_APPLICABLE: Final = _Marker("NOT_APPLICABLE")
# A formula cell saved without its computed value (openpyxl reads it as empty).
UNCOMPUTED: Final = _Marker("UNCOMPUTED")

Converter = Callable[[Any], Any]

_SPACES = str.maketrans("", "", "\u00a0\u202f\u2009 '")
_GROUPED = {
    ".": re.compile(r"[+-]?\d{1,3}(?:([,\u00a0\u202f\u2009 '])\d{3})(?:\1\d{3})*(?:\.\d+)?"),
    ",": re.compile(r"[+-]?\d{1,3}(?:([.\u00a0\u202f\u2009 '])\d{3})(?:\1\d{3})*(?:,\d+)?"),
}
_PLAIN = {
    ".": re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"),
    ",": re.compile(r"[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?"),
}
_SPREADSHEET_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
)


def shown(value: Any) -> str:
    """A cell value as an error message quotes it: short, with controls made visible."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(visible(text))
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(int(value))
    return visible(repr(value))


class CellReader:
    """Turns cells into values by the mapping's cell rules and a resolved decimal mark."""

    def __init__(self, rules: CellRules, decimal: str) -> None:
        self.rules = rules
        self.decimal = decimal
        self._missing = {text.strip().lower(): NOT_DISCLOSED for text in rules.not_disclosed}
        self._missing.update(
            {text.strip().lower(): NOT_APPLICABLE for text in rules.not_applicable}
        )
        self._true = {text.strip().lower() for text in rules.true}
        self._false = {text.strip().lower() for text in rules.false}

    def status(self, value: Any) -> _Marker | None:
        """NOT_DISCLOSED, NOT_APPLICABLE, or None for a cell that holds a value."""
        if value is None:
            return NOT_DISCLOSED
        if isinstance(value, str):
            marker = self._missing.get(value.strip().lower())
            if marker is not None:
                return marker
            if value.strip() in _SPREADSHEET_ERRORS:
                raise CellValueError(f"a value, got the spreadsheet error {value.strip()}")
        elif value is UNCOMPUTED:
            raise CellValueError(
                "a value, got a formula that was never computed (the file was saved by a "
                "program that does not calculate formulas; open and save it in a spreadsheet)"
            )
        elif isinstance(value, float) and math.isnan(value):
            return NOT_DISCLOSED
        return None

    # --- converters, one per column type ----------------------------------------------

    def number_converter(self, unit: str | None, catalog_unit: str | None) -> Converter:
        factor = 1.0 if unit is None else conversion(unit, catalog_unit)
        if factor is None:  # checked when the columns are resolved
            raise ValueError(f"no conversion from {unit} to {catalog_unit}")
        percent = conversion("%", catalog_unit) if catalog_unit else None
        expected = "a number" + (f" in {unit or catalog_unit}" if unit or catalog_unit else "")

        def read(value: Any) -> float:
            kind = type(value)
            if kind is float or kind is int:
                number = float(value)
            elif kind is str:
                number, is_percent = self._parse_number(value, expected)
                if is_percent:
                    if percent is None:
                        raise CellValueError(f"{expected}, got a percentage")
                    number *= percent
                    return _finite(number, expected)
            else:
                raise CellValueError(f"{expected}, got {_kind(value)}")
            return _finite(number * factor, expected)

        return read

    def _parse_number(self, value: str, expected: str) -> tuple[float, bool]:
        text = value.strip()
        if self.decimal == "." and "_" not in text:
            try:
                return float(text), False
            except ValueError:
                pass
        is_percent = text.endswith("%")
        if is_percent:
            text = text[:-1].rstrip()
        if _PLAIN[self.decimal].fullmatch(text):
            digits = text
        elif _GROUPED[self.decimal].fullmatch(text):
            grouping = "," if self.decimal == "." else "."
            digits = text.translate(_SPACES).replace(grouping, "")
        else:
            hint = ""
            if self.decimal == "." and _PLAIN[","].fullmatch(text):
                hint = " (a decimal comma? set cells.decimal: ',' in the mapping)"
            raise CellValueError(f"{expected}, got {shown(value)}{hint}")
        return float(digits.replace(",", ".")), is_percent

    def boolean(self, value: Any) -> bool:
        if type(value) is bool:
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            text = value.strip().lower()
            if text in self._true:
                return True
            if text in self._false:
                return False
        choices = "/".join(self.rules.true[:3]) + " or " + "/".join(self.rules.false[:2])
        raise CellValueError(f"yes or no ({choices}), got {shown(value)}")

    def text(self, value: Any) -> str:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, bool):
            raise CellValueError(f"text, got {_kind(value)}")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, (int, float)):
            return repr(value)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        raise CellValueError(f"text, got {_kind(value)}")

    def list_converter(self, separator: str | None) -> Converter:
        split_on = separator or self.rules.list_separator

        def read(value: Any) -> list[str]:
            if isinstance(value, (list, tuple)):
                return [self.text(item) for item in value]
            return [part.strip() for part in self.text(value).split(split_on) if part.strip()]

        return read

    def year(self, value: Any) -> int:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.year
        return self._whole(value, "a year such as 2024")

    def _whole(self, value: Any, expected: str) -> int:
        """A whole number, also from text such as "2023.0" (pandas writes years so)."""
        number: float | None = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                number = None
        if number is not None and number.is_integer():
            return int(number)
        raise CellValueError(f"{expected}, got {shown(value)}")

    def date(self, value: Any) -> str:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            return value.strip()
        raise CellValueError(f"a date as YYYY-MM-DD, got {shown(value)}")

    def page(self, value: Any) -> int:
        return self._whole(value, "a page number")

    def inferred(self, value: Any) -> bool | float | str:
        """A key the catalog does not know: bool and number cells as they are, text as a
        number when it reads as one."""
        if isinstance(value, (bool, float, int)):
            return value if isinstance(value, bool) else float(value)
        text = self.text(value)
        try:
            number, is_percent = self._parse_number(text, "")
        except CellValueError:
            return text
        return text if is_percent else number


def _finite(number: float, expected: str) -> float:
    if math.isfinite(number):
        return number
    raise CellValueError(f"{expected}, got a number out of range")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    return shown(value)
