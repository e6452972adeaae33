"""Displayed numbers do not depend on float noise."""

from __future__ import annotations

from csrscore.precision import display_number


def test_float_noise_never_tips_an_exact_half() -> None:
    below, above = 0.37499999999999994, 0.37500000000000006  # 0.375 from two summation orders
    assert display_number(below, 2) == display_number(above, 2) == display_number(0.375, 2)


def test_display_number_formats_and_marks_missing() -> None:
    assert display_number(12.3456, 2) == "12.35"
    assert display_number(40.625, 1) == "40.6"
    assert display_number(None, 2) == "—"
