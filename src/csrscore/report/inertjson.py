"""JSON for a page's data with every string inert, in one pass over the encoded text.

A scorecard's data holds a few hundred strings from input files (values, quotes, URLs,
trace lines). Passing each through `textsafe.visible` before encoding costs a call per
string; here the encoded text is scanned once instead. `json.dumps` (ASCII output) writes
every character that `visible` escapes as a JSON escape (`\\u202e`, `\\n`, `\\u0007`) or,
for DEL, as itself, so those are the only places to look: each becomes the JSON of the
visible escape (the text `\\u202e`), exactly as if the string had been made inert first.
A test checks that equivalence on arbitrary nested data.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from csrscore.textsafe import visible

# An escaped backslash first, so that the text `\\u0007` (a backslash, then "u0007") is
# never read as an escape; then the escapes that may stand for a control character.
_ESCAPE = re.compile(r"\\\\|\\u([0-9a-f]{4})|\\([nrtbf])|\x7f")
_SHORT = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


@lru_cache(maxsize=256)
def _shown(character: str, written: str) -> str:
    made = visible(character)
    return written if made == character else json.dumps(made)[1:-1]


def _replace(match: re.Match[str]) -> str:
    written = match.group()
    if written == "\\\\":
        return written
    code, short = match.group(1), match.group(2)
    if code is not None:
        return _shown(chr(int(code, 16)), written)
    return _shown(_SHORT[short] if short is not None else written, written)


def inert_dumps(data: Any, **options: Any) -> str:
    """`json.dumps(data, **options)` (ASCII output) with every string made inert."""
    text = json.dumps(data, ensure_ascii=True, **options)
    return _ESCAPE.sub(_replace, text) if "\\" in text or "\x7f" in text else text
