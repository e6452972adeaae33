"""Numeric precision shared by grading and ranking."""

# Totals are compared (for grades and ranks) after rounding to this many decimal places,
# so that float noise such as 28.999999999999996 never changes a grade or splits a tie.
TIE_DECIMALS = 6


def display_number(value: float | None, decimals: int) -> str:
    """A number for people, with `decimals` places; "—" for None.

    The value is rounded to TIE_DECIMALS places first, so float noise never tips an exact
    half (0.375 computed as 0.37499999999999994) to the other side.
    """
    return "—" if value is None else f"{round(value, TIE_DECIMALS):.{decimals}f}"
