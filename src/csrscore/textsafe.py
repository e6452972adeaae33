"""Untrusted text made inert for the places it is shown: terminals, text files and spreadsheets.

Company names, quotes, URLs, disclosure keys and rubric titles come from files that anyone
can write. Every renderer passes such text through one of these functions, so that a name
can neither drive a terminal (ESC sequences, BEL, CR that overwrites a line), split a row,
nor become a formula when a CSV or XLSX file is opened in a spreadsheet program.
"""

from __future__ import annotations

import re

# C0 controls (tab and newline included: a name never legitimately holds them, and either
# would split a table cell or a line), DEL, C1 controls, and the Unicode format characters
# that reorder or hide text (bidi overrides and isolates, zero-width marks, line and
# paragraph separators): the set that "Trojan Source" (CVE-2021-42574) abuses.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")

# OWASP "CSV Injection": a cell that starts with one of these is read as a formula by
# Excel, LibreOffice or Google Sheets (tab and CR too, since some programs strip them and
# then see the formula).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control and invisible formatting character written as an escape.

    The result holds no character that a terminal or a text viewer acts on, and it is
    still readable: ESC becomes ``\\x1b``, a newline ``\\x0a``. A backslash is left alone,
    so the function is not reversible; it is for showing text, not for storing it.
    """
    return _UNSAFE.sub(_escape, text)


def spreadsheet_cell(text: str) -> str:
    """`text` as a CSV or XLSX cell that a spreadsheet program shows and never evaluates.

    Control characters are escaped as by `visible`, and a cell that would start a formula
    gets a leading apostrophe, which spreadsheets show as text (the OWASP recommendation).
    Text that is a plain number with a sign ("-3.5") is left alone so that numbers written
    as text stay numbers.
    """
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        text = "'" + text
    return visible(text)


def markdown_cell(text: str) -> str:
    """`text` as one Markdown table cell: escaped as by `visible` (so a newline cannot end
    the row), `<` and `>` as entities so that no HTML tag is rendered, and `|` kept inside
    the cell. `&` stays as written, so "Oil & Gas" reads the same in the Markdown source;
    an entity written in the input only ever renders as the character it names."""
    escaped = visible(text).replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("|", "\\|")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text
