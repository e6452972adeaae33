"""Columnar form of one field across all reports: what every condition runs over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from csrscore.arrays import BoolArray as BoolArray
from csrscore.arrays import FloatArray as FloatArray
from csrscore.arrays import IntArray as IntArray
from csrscore.arrays import LevelArray as LevelArray


@dataclass(frozen=True)
class Column:
    """One field for N reports.

    Text values are integer codes into `vocabulary`, so text operators run once per
    distinct value and are then gathered. List values are stored flat: item `k` belongs to
    row `list_rows[k]` and has code `list_codes[k]`. Dates are day ordinals in `numbers`.
    """

    present: BoolArray
    assured: BoolArray
    evidence: BoolArray
    booleans: BoolArray
    truth: BoolArray
    numbers: FloatArray
    codes: IntArray
    vocabulary: tuple[str, ...]
    list_rows: IntArray
    list_codes: IntArray

    def __len__(self) -> int:
        return len(self.present)

    def items_in_row_order(self) -> bool:
        """Whether list items are stored by ascending row, as ingestion writes them."""
        return bool(np.all(self.list_rows[1:] >= self.list_rows[:-1]))

    def rows(self, start: int, stop: int, items_in_row_order: bool = False) -> Column:
        """The same field for reports [start, stop) only; list items are renumbered.

        With items in row order (`items_in_row_order()`, which the caller may check once
        for many blocks) a block's items are found by bisection instead of a full scan.
        """
        if items_in_row_order:
            first, last = np.searchsorted(self.list_rows, [start, stop])
            items = slice(int(first), int(last))
            list_rows, list_codes = self.list_rows[items], self.list_codes[items]
        else:
            inside = (self.list_rows >= start) & (self.list_rows < stop)
            list_rows, list_codes = self.list_rows[inside], self.list_codes[inside]
        return Column(
            present=self.present[start:stop],
            assured=self.assured[start:stop],
            evidence=self.evidence[start:stop],
            booleans=self.booleans[start:stop],
            truth=self.truth[start:stop],
            numbers=self.numbers[start:stop],
            codes=self.codes[start:stop],
            vocabulary=self.vocabulary,
            list_rows=list_rows - start,
            list_codes=list_codes,
        )

    def vocabulary_mask(self, keep: list[bool]) -> BoolArray:
        """Per-row truth of a per-distinct-value test; rows without text get False."""
        kept = [code for code, hit in enumerate(keep) if hit]
        dropped = [code for code, hit in enumerate(keep) if not hit]
        # One or two comparisons of the codes cost less than a gather through them.
        if len(kept) <= 2:
            return equals_any(self.codes, kept)
        if len(dropped) <= 2:
            has_text: BoolArray = self.codes >= 0
            return has_text & ~equals_any(self.codes, dropped)
        lookup = np.array([*keep, False], dtype=bool)
        gathered: BoolArray = lookup[self.codes]
        return gathered

    def rows_with_items(self, item_mask: BoolArray) -> BoolArray:
        """Rows whose list holds at least one item selected by `item_mask`."""
        out = np.zeros(len(self.present), dtype=bool)
        # Indexing by the positions of the selected items measured 2.5x faster than by the
        # boolean mask itself (128k rows, 260k items).
        out[self.list_rows[np.flatnonzero(item_mask)]] = True
        return out

    def code_of(self, text: str) -> int:
        try:
            return self.vocabulary.index(text)
        except ValueError:
            return -2  # matches no row: absent text is -1


def equals_any(values: NDArray[Any], candidates: list[Any]) -> BoolArray:
    """Where `values` equals one of a few `candidates`: one comparison each, which for a
    handful costs less than `np.isin` (which sorts) or a gather through a lookup table."""
    result = np.zeros(len(values), dtype=bool)
    for candidate in candidates:
        result |= values == candidate
    return result
