"""One disclosed value: its two input forms, their validation, and the normalized tuple.

A 100k-report file holds ten million disclosures, so how they are validated decides how
fast a file loads. pydantic-core's own validation of the typed forms below cost four
times the JSON parse; most of that goes to trying each member of the value union and to
a regex per key. `checked` is an exact-type Python check of the common, valid case. Any
input it is not sure of (an unusual type, a bad value, anything that needs an error
message) goes to pydantic's validation instead, which locates the error, so the fast path
never decides that something is invalid.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, NamedTuple, TypeAlias

from pydantic import Field, StrictBool, StrictStr, StringConstraints
from typing_extensions import NotRequired, TypedDict

DISCLOSURE_KEY_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
KEY_MAX = 128
TEXT_MAX = 10_000
UNIT_MAX = 64
URL_MAX = 2_000
PAGE_MAX = 100_000

Text: TypeAlias = Annotated[StrictStr, StringConstraints(max_length=TEXT_MAX)]
FiniteNumber: TypeAlias = Annotated[float, Field(allow_inf_nan=False, strict=True)]
DisclosureKey: TypeAlias = Annotated[
    str, StringConstraints(max_length=KEY_MAX, pattern=DISCLOSURE_KEY_PATTERN)
]
# The short form of a disclosure value. Smart union mode keeps `true` a bool and `1` a number.
DisclosureValue: TypeAlias = StrictBool | FiniteNumber | Text | list[Text]


class Evidence(TypedDict, closed=True):
    """Where in the report a disclosure can be checked."""

    page: NotRequired[Annotated[int, Field(ge=0, le=PAGE_MAX, strict=True)]]
    url: NotRequired[Annotated[StrictStr, StringConstraints(max_length=URL_MAX)]]
    quote: NotRequired[Text]


class LongDisclosure(TypedDict, closed=True):
    """The long form as written in a report file."""

    value: DisclosureValue
    unit: NotRequired[Annotated[StrictStr, StringConstraints(max_length=UNIT_MAX)]]
    evidence: NotRequired[Evidence]
    assured: NotRequired[StrictBool]
    note: NotRequired[Text]


class Disclosure(NamedTuple):
    """One disclosed value, with what backs it. Both input forms normalize to this."""

    value: bool | float | str | tuple[str, ...]
    unit: str | None = None
    evidence: Evidence | None = None
    assured: bool = False
    note: str | None = None


def denormalize(disclosure: Disclosure) -> DisclosureValue | dict[str, Any]:
    """The input form of a disclosure: short when only the value is set, long otherwise."""
    value = list(disclosure.value) if isinstance(disclosure.value, tuple) else disclosure.value
    if disclosure == Disclosure(disclosure.value):
        return value
    long_form: dict[str, Any] = {"value": value}
    if disclosure.unit is not None:
        long_form["unit"] = disclosure.unit
    if disclosure.evidence is not None:
        long_form["evidence"] = dict(disclosure.evidence)
    if disclosure.assured:
        long_form["assured"] = True
    if disclosure.note is not None:
        long_form["note"] = disclosure.note
    return long_form


# tuple.__new__ fills the named tuple in C; Disclosure(...) goes through a Python-level
# __new__, which cost as much again as the rest of the normalization.
_filled = tuple.__new__


def normalize(raw: dict[str, DisclosureValue | LongDisclosure]) -> dict[str, Disclosure]:
    """Both input forms, as pydantic validated them, as `Disclosure` tuples."""
    out: dict[str, Disclosure] = {}
    for key, value in raw.items():
        kind = type(value)
        if kind is dict:
            long_form: LongDisclosure = value  # type: ignore[assignment]
            inner = long_form["value"]
            fields: tuple[Any, ...] = (
                tuple(inner) if type(inner) is list else inner,
                long_form.get("unit"),
                long_form.get("evidence"),
                long_form.get("assured", False),
                long_form.get("note"),
            )
        elif kind is list:
            fields = (tuple(value), None, None, False, None)  # type: ignore[arg-type]
        else:
            fields = (value, None, None, False, None)
        out[key] = _filled(Disclosure, fields)
    return out


_KEY = re.compile(DISCLOSURE_KEY_PATTERN)
# Keys and short texts repeat across reports, yet JSON gives every report its own copies:
# ten million key strings cost a gigabyte, and lookups by key compared characters where
# they could compare identities. So each distinct key is matched against the pattern once,
# and it and each short text are then stored once (as pydantic's own string cache did).
# The bounds keep a stream of distinct strings from growing the tables without limit.
_valid_keys: dict[str, str] = {}
_shared: dict[str, str] = {}
_TABLE_LIMIT = 100_000
_SHARED_LONGEST = 64
# pydantic turns an integer into the float nearest to it; within 2**53 that is exact, and
# beyond it pydantic's own validation decides.
_EXACT_INT = 2**53
_LONG_FIELDS = frozenset(LongDisclosure.__annotations__)
_EVIDENCE_FIELDS = frozenset(Evidence.__annotations__)


class _UnsureError(Exception):
    """The fast check cannot vouch for this input; pydantic must validate it."""


def checked(raw: Any) -> dict[str, Disclosure] | None:
    """The normalized disclosures when `raw` is certainly valid; None to defer to pydantic.

    Values must be of exact types: a str or int subclass, a tuple for a list or a mapping
    that is not a dict is left to pydantic, which accepts or rejects it on its own rules.
    """
    if type(raw) is not dict:
        return None
    out: dict[str, Disclosure] = {}
    try:
        for key, value in raw.items():
            key = _valid_keys.get(key) or _checked_key(key)
            form = None
            if type(value) is dict:
                form = value
                if "value" not in form or not _LONG_FIELDS.issuperset(form):
                    raise _UnsureError
                value = form["value"]
            # The commonest values are tested inline: a call per disclosure would cost a
            # fifth of the whole check.
            kind = type(value)
            if kind is float:
                if value - value != 0.0:  # inf or NaN
                    raise _UnsureError
            elif kind is str:
                if len(value) > TEXT_MAX:
                    raise _UnsureError
                value = _shared.get(value) or _share(value)
            elif kind is not bool:
                value = _short(value)
            if form is None:
                out[key] = _filled(Disclosure, (value, None, None, False, None))
            else:
                out[key] = _long(form, value)
    except _UnsureError:
        return None
    return out


def _checked_key(key: Any) -> str:
    if type(key) is not str or len(key) > KEY_MAX or _KEY.fullmatch(key) is None:
        raise _UnsureError
    if len(_valid_keys) < _TABLE_LIMIT:
        _valid_keys[key] = key
    return key


def _share(text: str) -> str:
    if len(text) > _SHARED_LONGEST:
        return text
    known = _shared.get(text)
    if known is not None:
        return known
    if len(_shared) < _TABLE_LIMIT:
        _shared[text] = text
    return text


def _short(value: Any) -> float | tuple[str, ...]:
    """The rarer short forms: an integer or a list of texts."""
    kind = type(value)
    if kind is int and -_EXACT_INT <= value <= _EXACT_INT:
        return float(value)
    if kind is list:
        return tuple([_text(item, TEXT_MAX) for item in value])
    raise _UnsureError  # a long form inside a long form, None, or any other type


def _text(value: Any, longest: int) -> str:
    if type(value) is not str or len(value) > longest:
        raise _UnsureError
    return _share(value)


_ABSENT: Any = object()


def _long(form: dict[str, Any], value: Any) -> Disclosure:
    """The long form around its already checked `value`."""
    unit = form.get("unit", _ABSENT)
    unit = None if unit is _ABSENT else _text(unit, UNIT_MAX)
    evidence = form.get("evidence")
    if evidence is not None or "evidence" in form:
        evidence = _evidence(evidence)
    assured = form.get("assured", False)
    if type(assured) is not bool:
        raise _UnsureError
    note = form.get("note", _ABSENT)
    note = None if note is _ABSENT else _text(note, TEXT_MAX)
    return _filled(Disclosure, (value, unit, evidence, assured, note))


def _evidence(raw: Any) -> Evidence:
    if type(raw) is not dict or not _EVIDENCE_FIELDS.issuperset(raw):
        raise _UnsureError
    # A new dict in the schema's field order, as pydantic builds it.
    out: Evidence = {}
    page = raw.get("page", _ABSENT)
    if page is not _ABSENT:
        if type(page) is not int or not 0 <= page <= PAGE_MAX:
            raise _UnsureError
        out["page"] = page
    if "url" in raw:
        out["url"] = _text(raw["url"], URL_MAX)
    if "quote" in raw:
        out["quote"] = _text(raw["quote"], TEXT_MAX)
    return out
