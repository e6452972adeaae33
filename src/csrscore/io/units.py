"""Named unit conversions: a column's unit to the unit the catalog holds a key in."""

from __future__ import annotations

# factor such that value_in_to = value_in_from * factor; each pair also works backwards.
_FACTORS: dict[tuple[str, str], float] = {
    ("fraction", "%"): 100.0,
    ("kg", "t"): 1e-3,
    ("kt", "t"): 1e3,
    ("Mt", "t"): 1e6,
    ("kgCO2e", "tCO2e"): 1e-3,
    ("ktCO2e", "tCO2e"): 1e3,
    ("MtCO2e", "tCO2e"): 1e6,
    ("kWh", "MWh"): 1e-3,
    ("GWh", "MWh"): 1e3,
    ("TWh", "MWh"): 1e6,
    ("GJ", "MWh"): 1 / 3.6,
    ("m3", "megalitres"): 1e-3,
    ("litres", "megalitres"): 1e-6,
    ("thousand m3", "megalitres"): 1.0,
    ("km2", "ha"): 100.0,
    ("USD", "USD thousand"): 1e-3,
    ("USD", "USD million"): 1e-6,
    ("USD thousand", "USD million"): 1e-3,
    ("USD billion", "USD million"): 1e3,
    ("days", "weeks"): 1 / 7,
}


def conversion(from_unit: str, to_unit: str | None) -> float | None:
    """The factor from `from_unit` to `to_unit`; None when no conversion is known.

    A key the catalog gives no unit takes numbers as they are.
    """
    if to_unit is None or from_unit == to_unit:
        return 1.0
    if (from_unit, to_unit) in _FACTORS:
        return _FACTORS[from_unit, to_unit]
    if (to_unit, from_unit) in _FACTORS:
        return 1.0 / _FACTORS[to_unit, from_unit]
    return None


def known_units() -> list[str]:
    return sorted({unit for pair in _FACTORS for unit in pair})
