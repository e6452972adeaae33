"""Today's sensitivity returns, bit for bit, what the code before the speed work returned.

The expected values (fixtures/exact.json) come from `python -m tests.sensitivity.exact_cases`
run on that code; see the module for the cases. Every value is compared through its JSON
text, so a float must keep every bit and a NaN must stay a NaN.
"""

from __future__ import annotations

import json

import pytest

from csrscore.sensitivity import batch
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


@pytest.mark.parametrize("name", ["realistic-replicated-indices", "synthetic-by-year"])
def test_the_indices_matrices_need_not_start_from_a(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A_B^(i) computed in full, nothing of A kept: the same bits as starting from A's
    effective weights; and with smaller products, A kept for some of them only: the same
    bits as keeping none."""
    monkeypatch.setattr(batch, "KEPT_SHARE_ELEMENTS", 0)
    found = summary(CASES[name]())
    for key, value in EXPECTED[name].items():
        assert json.dumps(found[key]) == json.dumps(value), key
    monkeypatch.setattr(batch, "SHARE_ELEMENTS", 2_000)
    none_kept = summary(CASES[name]())
    monkeypatch.setattr(batch, "KEPT_SHARE_ELEMENTS", 40_000)
    assert json.dumps(summary(CASES[name]())) == json.dumps(none_kept)
