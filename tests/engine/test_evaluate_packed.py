"""Condition results kept packed eight rows to a byte, filled a block of rows at a time."""

from __future__ import annotations

from itertools import pairwise
from typing import Any
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csrscore import load_rubric, score
from csrscore.engine import levels
from csrscore.engine.evaluate import pack_into, unpack
from csrscore.rubric.conditions import AnyOf, FieldTest


@given(
    bits=st.lists(st.booleans(), max_size=70),
    cuts=st.lists(st.integers(min_value=0, max_value=70), max_size=8),
)
def test_blocks_pack_to_the_whole(bits: list[bool], cuts: list[int]) -> None:
    """Any split into blocks, byte-aligned or not, packs to what the whole array packs to."""
    whole = np.array(bits, dtype=bool)
    bounds = sorted({0, len(bits), *(c for c in cuts if c <= len(bits))})
    packed = np.zeros((len(bits) + 7) // 8, dtype=np.uint8)
    for start, stop in pairwise(bounds):
        pack_into(packed, start, whole[start:stop])
    assert packed.tolist() == np.packbits(whole).tolist()
    assert unpack(packed, len(bits)).tolist() == bits


RUBRIC: dict[str, Any] = {
    "rubric": "shared-parts",
    "version": "1",
    "title": "An adjustment that shares a part with a criterion",
    "fields": {"a": {"type": "number"}, "b": {"type": "bool"}},
    "groups": [
        {
            "id": "only",
            "title": "Only",
            "criteria": [
                {
                    "id": "c",
                    "title": "C",
                    "levels": [
                        {"points": 1, "label": "Some", "when": {"gte": {"a": 5}}},
                        {"points": 2, "label": "More", "when": {"true": "b"}},
                    ],
                }
            ],
        }
    ],
    # First evaluated after every block of the criteria: its part `gte a 5` must then be
    # read back for all rows, not just the last block's.
    "adjustments": [
        {
            "id": "bonus",
            "title": "Bonus",
            "points": 1,
            "when": {"any": [{"gte": {"a": 5}}, {"missing": "b"}]},
        }
    ],
}


def _records(n: int) -> list[dict[str, Any]]:
    return [
        {
            "company": {"id": f"co{i:02d}", "name": f"Company {i}"},
            "year": 2024,
            "disclosures": {"a": i, **({"b": i % 3 == 0} if i % 4 else {})},
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("block_rows", [1, 3, 8, 64])
def test_late_condition_reads_earlier_blocks(block_rows: int) -> None:
    rubric = load_rubric(RUBRIC)
    records = _records(21)
    with patch.object(levels, "BLOCK_ROWS", block_rows):
        scores = score(records, rubric)
    a = np.arange(21)
    has_b = a % 4 != 0
    bonus = AnyOf((FieldTest("gte", "a", 5), FieldTest("missing", "b", None)))
    expected = (a >= 5) | ~has_b
    assert scores.condition_results[bonus].tolist() == expected.tolist()
    assert scores.adjustments[:, 0].tolist() == expected.astype(float).tolist()


def test_results_are_read_only_and_fresh() -> None:
    scores = score(_records(10), load_rubric(RUBRIC))
    condition = FieldTest("gte", "a", 5)
    first = scores.condition_results[condition]
    assert first.dtype == np.bool_
    assert not first.flags.writeable
    assert first.tolist() == [i >= 5 for i in range(10)]
    assert scores.condition_results[condition] is not first
    assert condition in scores.condition_results
    assert len(scores.condition_results) == len(list(scores.condition_results))
