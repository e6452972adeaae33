"""Today's sensitivity returns, bit for bit, what the code before the speed work returned.

The expected values (fixtures/exact.json) come from `python -m tests.sensitivity.exact_cases`
run on that code; see the module for the cases. Every value is compared through its JSON
text, so a float must keep every bit and a NaN must stay a NaN.
"""

from __future__ import annotations

import json

import pytest

from tests.sensitivity.exact_cases import CASES, EXACT, summary

EXPECTED = json.loads(EXACT.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_are_bit_for_bit_the_pinned_ones(name: str) -> None:
    expected = EXPECTED[name]
    found = summary(CASES[name]())
    assert found.keys() == expected.keys()
    for key, value in expected.items():
        assert json.dumps(found[key]) == json.dumps(value), key


def test_the_cases_are_all_pinned() -> None:
    assert sorted(EXPECTED) == sorted(CASES)
