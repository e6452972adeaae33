"""The scorecard's repeated parts (criteria, group rows, condition traces) built in Python.

A scorecard of a 70-criterion rubric shows about 4,000 values. As jinja2 expressions each
one costs an escape, a finalize call and a new Markup object, and each macro call a new
context: 7 ms a page, most of a 10k-page build. Here the same markup is assembled from
string constants, so only the values pay:

- every text from input or rubric goes through `text()`: `inert` (control and invisible
  characters made visible) and then markupsafe's `escape`; attributes are quoted, so the
  escaped text is safe there too;
- numbers go through `number()` and `raw()`, which accept only ints and floats: the text
  of a number (digits, sign, point, `e`, `inf`, `nan`) holds no markup, so it needs none.

What every scorecard of a rubric shows alike (criterion headings, ladder rungs) is built
once in `RubricFragments`. The page around these parts is the `scorecard.html` template.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from csrscore.precision import display_number
from csrscore.report.scorecard import safe_link
from csrscore.report.words import Line, trace_lines, value_text
from csrscore.rubric.model import Level, Rubric
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


def trace_html(trace: dict[str, Any]) -> Markup:
    """An explanation's condition trace in words, as an indented list."""
    return Markup(_lines(trace_lines(trace)))


def group_rows_html(rows: Iterable[tuple[int, dict[str, Any]]]) -> Markup:
    """The groups table's rows: each group of an explanation with its depth in the tree."""
    out = []
    for depth, g in rows:
        out.append(
            f'<tr class="depth-{min(depth, _DEEPEST)}" id="group-{text(g["id"])}">'
            f'<th scope="row">{text(g["title"])}</th>'
            f'<td class="num" data-value="{raw(g.get("score"))}">{number(g.get("score"), 1)}</td>'
            f'<td class="num">{number(g["points_earned"], 2)} / '
            f"{number(g['points_possible'], 2)}</td>"
            f'<td class="num">{number(g["weight_in_total"] * 100, 1)}</td>'
            f'<td class="num" data-value="{raw(g["contribution"])}">'
            f"{number(g['contribution'], 2)}</td>"
            f'<td class="num">{raw(g["not_applicable"])}</td></tr>'
        )
    return Markup("\n".join(out))


def improvements_html(steps: list[dict[str, Any]]) -> Markup:
    """The improvement path (`explain`'s `improvements`), each step with what is missing."""
    out = []
    for step in steps:
        out.append(
            f"<li><strong>{text(step['title'])}</strong> <code>{text(step['criterion'])}</code>:"
            f' +<span data-value="{raw(step["gain_next"])}">{number(step["gain_next"], 2)}'
            f"</span> to the total at the next level, +{number(step['gain_top'], 2)} at the top."
        )
        for test in step.get("missing") or ():
            if test["kind"] == "value":
                field = text(test["field"])
                out.append(f"<p>Disclose a better value for <code>{field}</code>.</p>")
            else:
                out.append(_lines(trace_lines(test)))
        out.append("</li>")
    return Markup("\n".join(out))


@dataclass(frozen=True)
class RubricFragments:
    """A rubric's criterion sections: what all companies share is escaped once, and
    `criterion()` adds one company's explanation of a criterion."""

    openings: dict[str, str]  # criterion id -> the section's opening tag and heading
    rungs: dict[str, list[tuple[str, str]]]  # criterion id -> per level (fails, holds)

    @classmethod
    def of(cls, rubric: Rubric) -> RubricFragments:
        openings = {
            c.id: f'<section class="criterion" id="criterion-{text(c.id)}">\n'
            f"<h3>{text(c.title)} <code>{text(c.id)}</code></h3>"
            for c in rubric.criteria
        }
        rungs = {
            c.id: [
                (_rung(k, level, holds=False), _rung(k, level, holds=True))
                for k, level in enumerate(c.levels, start=1)
            ]
            for c in rubric.criteria
        }
        return cls(openings, rungs)

    def criterion(self, item: dict[str, Any]) -> Markup:
        """One criterion of an explanation (`explain --format json`'s `criteria` entry)."""
        parts = [self.openings[item["id"]]]
        if not item["applicable"]:
            because = item["not_applicable_because"]
            parts.append(
                f"<p><strong>Not applicable</strong> (rule of <code>{text(because['node'])}"
                "</code>).</p>"
            )
            if because["trace"]:
                parts.append(_lines(trace_lines(because["trace"])))
        else:
            parts.append(_points(item))
            if item.get("level_description"):
                parts.append(f'<p class="level-text">{text(item["level_description"])}</p>')
            value = item.get("value")
            if value is not None and item["kind"] != "levels":
                shown = value_text(value["actual"]) if value["present"] else "not disclosed"
                field = text(value["field"])
                parts.append(f"<p>Scored on <code>{field}</code>: {text(shown)}.</p>")
            if item["levels"]:
                parts.append(self._ladder(item))
        if item.get("evidence"):
            parts.append(_evidence(item["evidence"]))
        parts.append("</section>")
        return Markup("\n".join(parts))

    def _ladder(self, item: dict[str, Any]) -> str:
        """The levels, each marked as holding or not, with the condition trace of the level
        reached and of the next one (what is missing)."""
        reached = item["level"]
        parts = ['<ol class="levels">']
        for (fails, holds), level in zip(self.rungs[item["id"]], item["levels"], strict=True):
            parts.append(holds if level["holds"] else fails)
            if level["level"] in (reached, reached + 1):
                parts.append(_lines(trace_lines(level["trace"])))
            parts.append("</li>")
        parts.append("</ol>")
        return "\n".join(parts)


def _rung(number: int, level: Level, *, holds: bool) -> str:
    css, verdict = ("pass", "holds") if holds else ("fail", "does not hold")
    return (
        f'<li class="{css}">Level {number}, {display_number(level.points, 2)} points: '
        f"{text(level.label)} — {verdict}"
    )


def _points(item: dict[str, Any]) -> str:
    reached = ""
    if item["kind"] == "levels":
        reached = f", level {raw(item['level'])}"
        if item.get("label"):
            reached += f": <strong>{text(item['label'])}</strong>"
    return (
        f'<p class="points"><span data-value="{raw(item["points"])}">'
        f"{number(item['points'], 2)}</span> of {number(item['max_points'], 2)} points"
        f'{reached}; adds <span data-value="{raw(item["contribution"])}">'
        f"{number(item['contribution'], 2)}</span> to the total.</p>"
    )


_EVIDENCE_HEAD = (
    '<table class="evidence"><caption>Disclosures used</caption>\n<thead><tr>'
    '<th scope="col">Field</th><th scope="col">Value</th><th scope="col">Evidence</th>'
    "</tr></thead>\n<tbody>"
)


def _evidence(entries: list[dict[str, Any]]) -> str:
    rows = [_EVIDENCE_HEAD]
    for entry in entries:
        value = text(value_text(entry["value"]))
        if entry["unit"]:
            value += f" {text(entry['unit'])}"
        if entry["assured"]:
            value += ' <span class="tag">assured</span>'
        rows.append(
            f'<tr><th scope="row"><code>{text(entry["field"])}</code></th><td>{value}</td>'
            f"<td>{_where(entry['evidence'])}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _where(evidence: dict[str, Any] | None) -> str:
    """Page, quote and URL; the URL a link only when it is http(s) (`safe_link`)."""
    if not evidence:
        return "—"
    parts = []
    if evidence.get("page") is not None:
        parts.append(f"page {text(evidence['page'])}")
    if evidence.get("quote"):
        parts.append(f"<q>{text(evidence['quote'])}</q>")
    url = evidence.get("url")
    if url:
        href = safe_link(url)
        if href is None:
            parts.append(f'<span class="evidence-url inert">{text(url)}</span>')
        else:
            parts.append(
                f'<a class="evidence-url" href="{text(href)}" '
                f'rel="noopener noreferrer nofollow">{text(url)}</a>'
            )
    return " ".join(parts)
