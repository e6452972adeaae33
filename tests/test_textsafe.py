"""Untrusted text is inert wherever it is shown."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from csrscore.textsafe import FORMULA_PREFIXES, spreadsheet_cell, visible


def test_terminal_controls_are_escaped_visibly() -> None:
    name = "Acme\x1b[2J\x1b]8;;http://evil\x07link\x1b]8;;\x07\rOK\nnext\u202eevil"
    shown = visible(name)
    assert shown == (
        "Acme\\x1b[2J\\x1b]8;;http://evil\\x07link\\x1b]8;;\\x07\\x0dOK\\x0anext\\u202eevil"
    )


def test_plain_text_is_unchanged() -> None:
    assert visible("Société Générale — 東京 (Ltd.)") == "Société Générale — 東京 (Ltd.)"


@given(st.text())
def test_visible_output_has_no_control_characters(text: str) -> None:
    shown = visible(text)
    assert all(ch.isprintable() or ch == " " or ord(ch) > 0x9F for ch in shown)
    assert not any(0x00 <= ord(ch) <= 0x1F or 0x7F <= ord(ch) <= 0x9F for ch in shown)


def test_formula_cells_are_neutralised() -> None:
    assert spreadsheet_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert spreadsheet_cell("+1+cmd|' /C calc'!A0") == "'+1+cmd|' /C calc'!A0"
    assert spreadsheet_cell("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_cell("\t=1") == "'\\x09=1"
    assert spreadsheet_cell("-3.5") == "-3.5"
    assert spreadsheet_cell("Acme") == "Acme"


@given(st.text())
def test_spreadsheet_cells_never_start_a_formula(text: str) -> None:
    cell = spreadsheet_cell(text)
    if cell.startswith(FORMULA_PREFIXES):
        float(cell)  # only a plain signed number may keep its sign
