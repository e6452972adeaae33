"""Rubric regular expressions, compiled by RE2 so that every match runs in linear time.

A rubric is untrusted input, and so is the text it is matched against. Python's `re`
backtracks: `^(a+)+$` against a 35-character name, or `(.*a){12}$` against a long quote,
never finishes. RE2 (google-re2) matches in time linear in the text whatever the pattern,
and it refuses the two features that cannot be matched that way, backreferences and
lookaround. Those are reported at rubric load (and so by `rubric check`) with the reason.
"""

from __future__ import annotations

from typing import Any

import re2  # type: ignore[import-untyped]

# A pattern longer than this is not a criterion anyone writes by hand; refusing it keeps
# compile time and the size of the compiled program small.
MAX_PATTERN_LENGTH = 1000


class Pattern:
    """A compiled rubric pattern; `found_in(text)` is `re.search(pattern, text) is not None`.

    It calls RE2's compiled program directly: the `re2` module's own `search` builds a
    match object with Python-level offset bookkeeping, which made matching 100,000 distinct
    texts 6.7 times slower than Python's `re`; the direct call is on par with it
    (measured in the notes of csrscore issue 16). `tests/rubric/test_regex.py` checks both
    against `re` so that a change in the binding's internals shows up there.
    """

    __slots__ = ("_program", "pattern")

    def __init__(self, pattern: str, compiled: Any) -> None:
        self.pattern = pattern
        self._program = compiled._regexp

    def found_in(self, text: str) -> bool:
        encoded = text.encode("utf-8", "surrogatepass")
        spans = self._program.Match(_UNANCHORED, encoded, 0, len(encoded))
        return bool(spans[0][0] >= 0)

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r})"


class RegexError(ValueError):
    """A pattern RE2 cannot compile; the message says why in rubric terms."""


_UNANCHORED = re2._Anchor.UNANCHORED
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print every rejected pattern to stderr
_OPTIONS.never_capture = True  # operators only ask whether a pattern matches

_LINEAR = "rubric regexes run on RE2, which matches in linear time"

# RE2's message for each unsupported construct -> what to tell the rubric author.
_UNSUPPORTED = (
    ("invalid perl operator: (?=", "lookahead '(?=...)' is not supported"),
    ("invalid perl operator: (?!", "negative lookahead '(?!...)' is not supported"),
    ("invalid perl operator: (?<=", "lookbehind '(?<=...)' is not supported"),
    ("invalid perl operator: (?<!", "negative lookbehind '(?<!...)' is not supported"),
    ("invalid perl operator: (?P", "backreferences '(?P=name)' are not supported"),
    ("invalid perl operator: (?>", "atomic groups '(?>...)' are not supported"),
    ("invalid escape sequence: \\Z", "'\\Z' is written '\\z' (end of text)"),
)


def compile_pattern(pattern: str) -> Pattern:
    """`pattern` compiled by RE2; raises `RegexError` with a message for rubric authors."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise RegexError(
            f"regular expression of {len(pattern)} characters is longer than the "
            f"{MAX_PATTERN_LENGTH} allowed"
        )
    try:
        compiled = re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        raise RegexError(_explain(exc)) from None
    return Pattern(pattern, compiled)


def _explain(exc: Exception) -> str:
    detail = exc.args[0] if exc.args else ""
    reason = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
    for fragment, message in _UNSUPPORTED:
        if reason.startswith(fragment):
            return f"{message} ({_LINEAR})"
    if reason.startswith("bad repetition operator: ") and reason.endswith("+"):
        return f"possessive quantifiers such as 'a++' are not supported ({_LINEAR})"
    escape = reason.removeprefix("invalid escape sequence: \\")
    if escape != reason and escape[:1].isdigit():
        return f"backreferences '\\{escape}' are not supported ({_LINEAR})"
    return f"invalid regular expression: {reason}"
