"""Text for the pages' markup: inert, escaped, and numbers only as numbers.

The templates escape with jinja2's autoescaping and pass every printed string through
`inert` (their `finalize`); the parts built in Python (condition lines on the methodology
page) use the same two steps:

- every text from input or rubric goes through `text()`: `inert` (control and invisible
  characters made visible) and then markupsafe's `escape`; attributes are quoted, so the
  escaped text is safe there too;
- numbers go through `number()` and `raw()`, which accept only ints and floats: the text
  of a number (digits, sign, point, `e`, `inf`, `nan`) holds no markup, so it needs none.

Scorecards hold their company's data as JSON and are drawn by the page's script
(`carddata.py`, `assets/scorecard.js`); their strings pass through `inert` too.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from csrscore.precision import display_number
from csrscore.report.words import Line
from csrscore.textsafe import visible

_DEEPEST = 8  # deeper lines share the last indentation step of the style sheet


def inert(value: Any) -> Any:
    """Every printed string without control or invisible characters (Markup is ours)."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    # Printable ASCII holds none of the characters `visible` escapes: skip its regex.
    return value if value.isascii() and value.isprintable() else visible(value)


@lru_cache(maxsize=1 << 16)
def text(value: Any) -> str:
    """Text from input or rubric, safe between tags and in a quoted attribute.

    Plain str, not Markup, so that joining it with the markup here never escapes the
    markup. Cached: field names, units, values and trace lines repeat from page to page.
    """
    return str(escape(inert(value if isinstance(value, str) else str(value))))


@lru_cache(maxsize=1 << 16)
def number(value: float | int | None, decimals: int) -> str:
    """A number as the page shows it (`display_number`; an em dash when missing).

    Cached: points, weights and shares repeat from criterion to criterion."""
    if value is not None and type(value) not in (int, float):
        raise TypeError(f"not a number: {value!r}")
    return display_number(value, decimals)


def raw(value: float | int | None) -> str:
    """A number in full (a `data-value`, which tests and scripts read back exactly)."""
    if value is None:
        return ""
    if type(value) not in (int, float):
        raise TypeError(f"not a number: {value!r}")
    return repr(value)


def _line_start(depth: int, passed: bool | None) -> str:
    if passed is None:
        return f'<li class="depth-{depth}">'
    css, mark = ("pass", "met") if passed else ("fail", "not met")
    return f'<li class="depth-{depth} {css}"><span class="mark">{mark}</span> '


_LINE_STARTS = {
    (depth, passed): _line_start(depth, passed)
    for depth in range(_DEEPEST + 1)
    for passed in (True, False, None)
}


def _lines(lines: Iterable[Line]) -> str:
    parts = ['<ul class="trace">']
    for depth, line, passed in lines:
        parts.append(f"{_LINE_STARTS[(min(depth, _DEEPEST), passed)]}{text(line)}</li>")
    parts.append("</ul>")
    return "\n".join(parts)


def lines_html(lines: Iterable[Line]) -> Markup:
    """Condition lines (`words.condition_lines`, `words.trace_lines`) as an indented list."""
    return Markup(_lines(lines))
