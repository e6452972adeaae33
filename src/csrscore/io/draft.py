"""`csrscore mapping init`: a draft mapping from a table's header row.

Each header is matched to a record field or to the catalog key whose name and description
share the most words with it; a unit in brackets ("Scope 1 (kt)") becomes the column's unit
when a conversion to the catalog's unit is known. The draft is for a person to check: what
could not be matched is listed under `ignore` with a comment and reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from csrscore.io.columns import default_target
from csrscore.io.sheets import Sheet
from csrscore.io.units import conversion
from csrscore.rubric.catalog import Catalog, FieldSpec

_UNIT = re.compile(r"\s*[\(\[]([^\)\]]{1,20})[\)\]]\s*$")
_WORD = re.compile(r"[a-z]+|[0-9]+")
_STOP = frozenset({"of", "the", "and", "in", "on", "for", "to", "a", "an", "by", "with", "total"})
_RECORD_WORDS = {
    "company.id": {"id", "identifier", "ticker", "isin", "code"},
    "company.name": {"company", "name", "firm"},
    "company.sector": {"sector", "industry"},
    "company.country": {"country", "domicile"},
    "year": {"year", "fy", "period"},
}


@dataclass(frozen=True)
class Match:
    header: str
    target: str | None
    unit: str | None = None


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in _STOP}


def match_header(header: str, catalog: Catalog) -> Match:
    target = default_target(header)
    if target is not None:
        return Match(header, target)
    unit_match = _UNIT.search(header)
    name = header[: unit_match.start()] if unit_match else header
    unit = unit_match.group(1).strip() if unit_match else None
    words = _words(name)
    if not words:
        return Match(header, None)
    for field, clues in _RECORD_WORDS.items():
        if words <= clues:
            return Match(header, field)
    best: tuple[float, str] | None = None
    for spec in catalog:
        score = _score(words, spec)
        if score > 0 and (best is None or score > best[0]):
            best = (score, spec.name)
    if best is None or best[0] < 0.75:
        return Match(header, None)
    field_spec = catalog.fields[best[1]]
    if unit is not None and (unit == field_spec.unit or field_spec.type != "number" or unit == "%"):
        unit = None
    if unit is not None and conversion(unit, field_spec.unit) is None:
        unit = None
    return Match(header, best[1], unit)


def _score(words: set[str], spec: FieldSpec) -> float:
    key_words = set(_WORD.findall(spec.name.replace("_", " ").replace(".", " ")))
    described = _words(spec.description) | key_words
    covered = len(words & described) / len(words)
    return covered + 0.5 * len(words & key_words) / max(len(key_words), 1)


def draft_mapping(sheet: Sheet, catalog: Catalog, command: str) -> tuple[str, list[str]]:
    """YAML text of a draft mapping, and the headers it could not match."""
    matches = [match_header(str(cell).strip(), catalog) for cell in sheet.header if cell]
    unmatched = [match.header for match in matches if match.target is None]
    targets = {match.target for match in matches}
    layout = "long" if {"key", "value"} <= targets else "wide"
    lines = [
        f"# Drafted by `{command}`: check every line before use.",
        "csrscore_mapping: 1",
        f"layout: {layout}",
        "columns:",
    ]
    for match in matches:
        if match.target is None or _needs_no_mapping(match):
            continue
        target = match.target
        value = target if match.unit is None else f"{{target: {target}, unit: {match.unit}}}"
        lines.append(f"  {json.dumps(match.header, ensure_ascii=False)}: {value}")
    if lines[-1] == "columns:":
        lines[-1] = "columns: {}"
    if unmatched:
        lines.append("ignore:  # not matched: map each under columns, or keep it ignored")
        lines += [f"  - {json.dumps(header, ensure_ascii=False)}" for header in unmatched]
    return "\n".join(lines) + "\n", unmatched


def _needs_no_mapping(match: Match) -> bool:
    return default_target(match.header) == match.target
