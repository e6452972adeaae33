"""Column lookups against plain per-row loops, on every path they take (few values kept,
few dropped, a gather; list items in any order)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from csrscore.engine.columns import Column


@st.composite
def columns(draw: st.DrawFn) -> tuple[Column, list[bool], list[bool]]:
    size = draw(st.integers(0, 12))
    vocabulary = tuple(f"v{i}" for i in range(draw(st.integers(0, 8))))
    codes = draw(st.lists(st.integers(-1, len(vocabulary) - 1), min_size=size, max_size=size))
    items = draw(
        st.lists(
            st.tuples(st.integers(0, max(size - 1, 0)), st.integers(0, max(len(vocabulary), 1))),
            max_size=3 * size,
        )
    )
    keep = draw(st.lists(st.booleans(), min_size=len(vocabulary), max_size=len(vocabulary)))
    item_mask = draw(st.lists(st.booleans(), min_size=len(items), max_size=len(items)))
    flags = np.zeros(size, dtype=bool)
    column = Column(
        present=flags,
        assured=flags,
        evidence=flags,
        booleans=flags,
        truth=flags,
        numbers=np.full(size, np.nan),
        codes=np.array(codes, dtype=np.int64),
        vocabulary=vocabulary,
        list_rows=np.array([row for row, _ in items], dtype=np.int64),
        list_codes=np.array([code for _, code in items], dtype=np.int64),
    )
    return column, keep, item_mask


@given(columns())
def test_vocabulary_mask_equals_a_loop(case: tuple[Column, list[bool], list[bool]]) -> None:
    column, keep, _ = case
    expected = [code >= 0 and keep[code] for code in column.codes.tolist()]
    assert column.vocabulary_mask(keep).tolist() == expected


@given(columns())
def test_rows_with_items_equals_a_loop(case: tuple[Column, list[bool], list[bool]]) -> None:
    column, _, item_mask = case
    selected = {row for row, hit in zip(column.list_rows.tolist(), item_mask, strict=True) if hit}
    expected = [row in selected for row in range(len(column))]
    mask = np.array(item_mask, dtype=bool)
    assert column.rows_with_items(mask).tolist() == expected
