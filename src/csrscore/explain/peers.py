"""Peer context for every company at once: its sector's totals within the same year, and
the criteria where most sector peers earn more points.

Computed once per set with one sort per sector-year, so explaining a company costs the
same however many peers it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from csrscore.engine.columns import BoolArray, FloatArray, IntArray
from csrscore.engine.scores import Scores


@dataclass(frozen=True)
class Peers:
    size: IntArray  # N: companies in the sector-year, the company included
    median_total: FloatArray  # N
    best_total: FloatArray  # N
    ahead: IntArray  # N x C: peers earning strictly more points on the criterion
    behind_most: BoolArray  # N x C: applicable, and more than half of the peers are ahead


def _sector_year_rows(scores: Scores) -> dict[tuple[Any, int], IntArray]:
    groups: dict[tuple[Any, int], list[int]] = {}
    for row, key in enumerate(scores.company_field(("sector", "year"))):
        groups.setdefault(key, []).append(row)
    return {key: np.array(rows, dtype=np.int64) for key, rows in groups.items()}


def compute_peers(scores: Scores) -> Peers:
    n, c = scores.points.shape
    size = np.zeros(n, dtype=np.int64)
    median = np.zeros(n)
    best = np.zeros(n)
    ahead = np.zeros((n, c), dtype=np.int64)
    for rows in _sector_year_rows(scores).values():
        block = scores.points[rows]
        ordered = np.sort(block, axis=0)
        for column in range(c):
            # A company never earns more than itself, so counting over the whole group
            # counts exactly the other members.
            ahead[rows, column] = len(rows) - np.searchsorted(
                ordered[:, column], block[:, column], side="right"
            )
        totals = scores.totals[rows]
        size[rows] = len(rows)
        median[rows] = np.median(totals)
        best[rows] = totals.max()
    others = (size - 1)[:, None]
    behind_most = (others > 0) & (scores.levels >= 0) & (ahead * 2 > others)
    return Peers(size, median, best, ahead, behind_most)
