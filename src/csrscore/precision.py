"""Numeric precision shared by grading and ranking."""

# Totals are compared (for grades and ranks) after rounding to this many decimal places,
# so that float noise such as 28.999999999999996 never changes a grade or splits a tie.
TIE_DECIMALS = 6
