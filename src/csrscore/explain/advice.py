"""Suggested disclosures in words: "disclose gross direct (scope 1) greenhouse gas emissions
(env.ghg.scope1), a number in tCO2e".

The words say what the condition asks for, from the condition and the catalog; the patch
of `improve` says it as data, with a placeholder where any value would do. Both follow the
same branch of an `any` (the first alternative a patch can be built for), so they agree.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import Any

from csrscore.rubric.catalog import Catalog, FieldSpec
from csrscore.rubric.conditions import AllOf, AnyOf, Condition, FieldTest, Not
from csrscore.rubric.model import Criterion

_COMPARISONS = {"gt": "above", "gte": "at least", "lt": "below", "lte": "at most"}
# Tests that qualify a disclosure rather than ask for one.
_QUALIFIERS = {
    "assured": "external assurance",
    "has_evidence": "evidence (a page, quote or URL)",
}


@dataclass
class _Phrase:
    """What one field needs: the ask ("disclose X, a number in t") and its qualifiers."""

    field: str
    ask: str
    qualifiers: list[str]
    generic: bool  # the ask is only "disclose X", which a more precise one replaces

    def text(self, what: str, disclosed: bool) -> str:
        if not self.qualifiers:
            return self.ask
        qualifiers = " and ".join(self.qualifiers)
        if self.generic and disclosed:
            # The value is there; what it lacks is the assurance or the evidence.
            return f"add {qualifiers} to {what}"
        joint = ", with" if "," in self.ask else " with"
        return f"{self.ask}{joint} {qualifiers}"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _either(values: Sequence[Any], word: str = "or") -> str:
    """ "a, b or c"."""
    shown = [_shown(value) for value in values]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {word} {shown[-1]}"


def field_words(key: str, spec: FieldSpec | None) -> str:
    """The field as a reader knows it: its description, then the key to look it up by."""
    description = (spec.description if spec else "").strip().rstrip(".")
    if not description:
        return key
    return f"{_in_sentence(description)} ({key})"


def _in_sentence(text: str) -> str:
    """ "Gross direct ..." reads as "gross direct ..." inside a sentence; "GRI ..." stays."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or first[1:].islower()):
        return text[0].lower() + text[1:]
    return text


def _kind(spec: FieldSpec) -> str:
    """What a value of the field is: "a number in tCO2e", "yes or no", ..."""
    if spec.type == "number":
        if spec.unit == "count":
            return "a count"
        return f"a number in {spec.unit}" if spec.unit else "a number"
    if spec.type == "bool":
        return "yes or no"
    if spec.type == "date":
        return "a date"
    if spec.type == "list":
        return f"a list of {_either(spec.values, 'and')}" if spec.values else "a list"
    if spec.values:
        return f"one of {_either(spec.values)}"
    return "a text"


def _in_unit(spec: FieldSpec | None, number: Any) -> str:
    unit = None if spec is None or spec.unit == "count" else spec.unit
    if not unit:
        return _shown(number)
    return f"{_shown(number)}{unit}" if unit == "%" else f"{_shown(number)} {unit}"


def _statement(key: str, spec: FieldSpec, value: bool) -> str:
    """A yes/no field: its description may be a statement ("The company publishes ...") or
    a name ("Incentives tied to targets"), so it is quoted as written, not rephrased."""
    description = spec.description.strip().rstrip(".")
    answer = "yes" if value else "no"
    quoted = f' ("{description}")' if description else ""
    return f"disclose {key} as {answer}{quoted}"


def _ask(test: FieldTest, spec: FieldSpec) -> str | None:
    what = field_words(test.field, spec)
    op, operand = test.op, test.source_operand if test.source_operand is not None else test.operand
    if op in ("exists", "number", *_QUALIFIERS):
        return f"disclose {what}, {_kind(spec)}"
    if op == "missing":
        return f"withdraw {what}"
    if op == "true" or (op == "eq" and isinstance(operand, bool)):
        return _statement(test.field, spec, op == "true" or bool(operand))
    if op == "ne" and isinstance(operand, bool):
        return _statement(test.field, spec, not operand)
    if op == "eq":
        return f"disclose {what} as {_shown(operand)}"
    if op == "ne":
        return f"disclose {what} as anything but {_shown(operand)}"
    if op in _COMPARISONS and spec.type == "number":
        return f"disclose {what}, a number {_COMPARISONS[op]} {_in_unit(spec, test.operand)}"
    if op == "between" and spec.type == "number":
        low, high = test.operand
        return f"disclose {what}, a number from {_shown(low)} to {_in_unit(spec, high)}"
    if op == "in":
        return f"disclose {what} as {_either(operand)}"
    if op == "not_in":
        return f"disclose {what} as anything but {_either(operand)}"
    if op == "contains":
        return f"disclose {what} including {_shown(operand)}"
    return None


def presence_flipped(condition: Not) -> FieldTest | None:
    """`not missing X` as `exists X` and `not exists X` as `missing X`: the only negations
    a disclosure can be suggested for."""
    inner = condition.item
    if isinstance(inner, FieldTest) and inner.op in ("missing", "exists"):
        flipped = "exists" if inner.op == "missing" else "missing"
        return FieldTest(flipped, inner.field, None, None)
    return None


def _phrases(condition: Condition, catalog: Catalog, possible: Any) -> list[_Phrase] | None:
    if isinstance(condition, AllOf):
        phrases: list[_Phrase] = []
        for item in condition.items:
            found = _phrases(item, catalog, possible)
            if found is None:
                return None
            for phrase in found:
                _add(phrases, phrase)
        return phrases
    if isinstance(condition, AnyOf):
        for item in condition.items:
            if possible is None or possible(item):
                found = _phrases(item, catalog, possible)
                if found is not None:
                    return found
        return None
    if isinstance(condition, Not):
        flipped = presence_flipped(condition)
        return None if flipped is None else _phrases(flipped, catalog, possible)
    if not isinstance(condition, FieldTest):
        return None
    spec = catalog.get(condition.field)
    if spec is None or spec.origin != "disclosure":
        return None
    ask = _ask(condition, spec)
    if ask is None:
        return None
    qualifier = _QUALIFIERS.get(condition.op)
    generic = condition.op in ("exists", "number", *_QUALIFIERS)
    return [_Phrase(condition.field, ask, [qualifier] if qualifier else [], generic)]


def _add(phrases: list[_Phrase], new: _Phrase) -> None:
    """One phrase per field where one ask covers it: a qualifier joins the field's ask, and
    a precise ask ("a number at least 90%") replaces a plain "disclose X"."""
    for phrase in phrases:
        if phrase.field != new.field or not (new.generic or phrase.generic):
            continue
        if phrase.generic and not new.generic:
            phrase.ask, phrase.generic = new.ask, False
        phrase.qualifiers += [q for q in new.qualifiers if q not in phrase.qualifiers]
        return
    phrases.append(new)


def condition_words(
    condition: Condition,
    catalog: Catalog,
    possible: Any = None,
    disclosed: Container[str] = (),
) -> list[str] | None:
    """What to disclose for `condition` to hold, a phrase per field; None when no patch
    can be built (`possible(item)` tells, for an `any`, which alternative a patch is built
    for). `disclosed`: the keys the report already discloses."""
    phrases = _phrases(condition, catalog, possible)
    if phrases is None:
        return None
    return [
        phrase.text(field_words(phrase.field, catalog.get(phrase.field)), phrase.field in disclosed)
        for phrase in phrases
    ]


def value_words(criterion: Criterion, catalog: Catalog) -> str:
    """What raises a value, band or checklist criterion's points."""
    field = criterion.scored_field or ""
    spec = catalog.get(field)
    what = field_words(field, spec)
    # A computed field (stats.*) is raised through the disclosures it counts.
    disclosed = spec is None or spec.origin == "disclosure"
    kind = f", {_kind(spec)}" if spec is not None and disclosed else ""
    direction, best = _best(criterion)
    if direction is None:
        if criterion.checklist is not None:
            return f"disclose more of the items in {what}"
        return f"disclose {what}{kind}"
    higher = direction == "higher"
    if disclosed:
        verb = "disclose a higher" if higher else "disclose a lower"
    else:
        verb = "raise" if higher else "lower"
    bound = "or more" if higher else "or less"
    return f"{verb} {what}{kind}; full points at {_in_unit(spec, best)} {bound}"


def _best(criterion: Criterion) -> tuple[str | None, float]:
    """The direction a value or band criterion rewards, and where its points are full."""
    if criterion.value is not None:
        value = criterion.value
        return value.direction, value.high if value.direction == "higher" else value.low
    if criterion.bands is not None and criterion.bands.steps:
        bands = criterion.bands
        top = max(bands.steps, key=lambda band: band.points)
        return bands.direction, top.at
    return None, 0.0
