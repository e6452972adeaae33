"""Rubric regexes run on RE2: the same answers as Python's `re` where both apply, bounded
time on patterns that make `re` backtrack, and clear messages for what RE2 refuses."""

from __future__ import annotations

import re
import time

import pytest
import re2  # type: ignore[import-untyped]
from hypothesis import given
from hypothesis import strategies as st

from csrscore import RubricError, load_rubric
from csrscore.rubric.regex import MAX_PATTERN_LENGTH, RegexError, compile_pattern
from tests.rubric.builders import group, record, rubric_data, run, single

LINEAR = "(rubric regexes run on RE2, which matches in linear time)"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(a)\1", rf"backreferences '\1' are not supported {LINEAR}"),
        (r"(?P<n>a)(?P=n)", f"backreferences '(?P=name)' are not supported {LINEAR}"),
        (r"sustain(?=ability)", f"lookahead '(?=...)' is not supported {LINEAR}"),
        (r"a(?!b)", f"negative lookahead '(?!...)' is not supported {LINEAR}"),
        (r"(?<=net )zero", f"lookbehind '(?<=...)' is not supported {LINEAR}"),
        (r"(?<!not )zero", f"negative lookbehind '(?<!...)' is not supported {LINEAR}"),
        (r"(?>a+)b", f"atomic groups '(?>...)' are not supported {LINEAR}"),
        ("a*+", f"possessive quantifiers such as 'a++' are not supported {LINEAR}"),
        (r"end\Z", rf"'\Z' is written '\z' (end of text) {LINEAR}"),
        ("(sustainab", "invalid regular expression: missing ): (sustainab"),
        ("a" * (MAX_PATTERN_LENGTH + 1), f"longer than the {MAX_PATTERN_LENGTH} allowed"),
        ("(a{1000}){1000}", "invalid regular expression: invalid repetition size: {1000}"),
    ],
)
def test_unsupported_patterns_are_explained(pattern: str, message: str) -> None:
    with pytest.raises(RegexError) as caught:
        compile_pattern(pattern)
    assert message in str(caught.value)


def test_rubric_load_locates_a_lookbehind() -> None:
    data = rubric_data(group("g", single("c", {"matches": {"gov.committee": "(?<=a)b"}})))
    with pytest.raises(RubricError) as caught:
        load_rubric(data)
    assert str(caught.value).endswith(
        f"groups[0].criteria[0].levels[0].when.matches: lookbehind '(?<=...)' is not "
        f"supported {LINEAR}"
    )


@pytest.mark.parametrize(
    ("pattern", "text"),
    [("^(a+)+$", "a" * 5_000 + "b"), ("(.*a){12}$", "a" * 9_000 + "b"), ("(x+x+)+y", "x" * 5_000)],
)
def test_catastrophic_patterns_finish_quickly(pattern: str, text: str) -> None:
    """Each of these takes `re` longer than the age of the universe on this text."""
    data = rubric_data(group("g", single("c", {"matches": {"gov.committee": pattern}})))
    rubric = load_rubric(data)
    started = time.perf_counter()
    scores = run(rubric, [record(disclosures={"gov.committee": text})])
    assert time.perf_counter() - started < 5
    assert scores.totals.tolist() == [0.0]


# A grammar of constructs both engines support with the same meaning on ASCII text without
# newlines (Python's `$` also matches before a final newline, RE2's does not; docs/rubrics.md).
ATOMS = st.sampled_from(["a", "b", "ab", ".", "[ab]", "[^a]", "\\d", "x", "(a|b)", "^", "$"])
QUANTIFIERS = st.sampled_from(["", "*", "+", "?", "{2}", "{1,3}", "*?"])
PATTERNS = st.lists(st.tuples(ATOMS, QUANTIFIERS).map("".join), min_size=1, max_size=5).map(
    "".join
)


@given(pattern=PATTERNS, text=st.text(alphabet="ab1x ", max_size=12))
def test_re2_agrees_with_re(pattern: str, text: str) -> None:
    try:
        expected = re.search(pattern, text) is not None
    except re.error:  # e.g. "^*": a pattern neither engine should be asked to run
        return
    assert compile_pattern(pattern).found_in(text) == expected
    assert (re2.search(pattern, text) is not None) == expected  # the binding's public path
