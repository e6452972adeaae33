"""Peer statistics: each company's value as min-max, percentile or z-score within its group.

Everything is computed over the members sorted by (group, value), so sums run in the same
order whatever order the records came in, and a company's statistic is the same bits.
The rules (groups, the middle for groups that cannot tell members apart) are in
`csrscore.rubric.peers`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from csrscore.engine.columns import BoolArray, Column, FloatArray, IntArray
from csrscore.rubric.catalog import FieldSpec
from csrscore.rubric.peers import MIDDLE, PeerScoring


@dataclass(frozen=True)
class PeerResult:
    """One criterion's peer statistics. Per row: `group` (every row), `members` and
    `statistic` (NaN for non-members). Per group: its size and the statistics of its
    members' values (NaN for a group without members)."""

    scoring: PeerScoring
    group: IntArray
    members: BoolArray
    statistic: FloatArray
    size: IntArray
    lowest: FloatArray
    highest: FloatArray
    mean: FloatArray
    sd: FloatArray


def _codes(column: Column, spec: FieldSpec) -> IntArray:
    """Integer codes of one grouping field; rows without a value share one code."""
    if spec.type in ("text", "enum"):
        return column.codes
    if spec.type == "bool":
        codes: IntArray = column.booleans.astype(np.int64) + column.truth.astype(np.int64)
        return codes
    # NaN (missing) is one value to np.unique, as a missing text is one code.
    return np.unique(column.numbers, return_inverse=True)[1].ravel().astype(np.int64)


def peer_groups(
    scoring: PeerScoring, columns: Mapping[str, Column], specs: Mapping[str, FieldSpec]
) -> IntArray:
    """Group number per row: rows with equal values of every grouping field share one.
    Numbered by the sorted values, so the numbering does not depend on row order."""
    parts = [_codes(columns[name], specs[name]) for name in scoring.grouping]
    if any(len(part) == 0 for part in parts):
        return np.zeros(0, dtype=np.int64)
    # Text codes follow first appearance; their ranks in the vocabulary's sorted order do not.
    ordered = []
    for name, part in zip(scoring.grouping, parts, strict=True):
        vocabulary = columns[name].vocabulary
        if specs[name].type in ("text", "enum") and vocabulary:
            rank = np.empty(len(vocabulary) + 1, dtype=np.int64)
            rank[np.argsort(np.array(vocabulary, dtype=str), kind="stable")] = np.arange(
                len(vocabulary)
            )
            rank[-1] = -1
            part = rank[part]
        ordered.append(part)
    stacked = np.stack(ordered, axis=1)
    inverse: IntArray = np.unique(stacked, axis=0, return_inverse=True)[1].ravel()
    return inverse.astype(np.int64)


def peer_statistics(
    scoring: PeerScoring, values: FloatArray, members: BoolArray, group: IntArray
) -> PeerResult:
    n = len(values)
    groups = int(group.max()) + 1 if n else 0
    rows = np.flatnonzero(members)
    order = rows[np.lexsort((values[rows], group[rows]))]
    sorted_group, sorted_values = group[order], values[order]
    size = np.bincount(sorted_group, minlength=groups)
    # Values near the float limit overflow the mean or the spread to inf: the statistic is
    # then NaN and scores as a missing value would, never as inf.
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        mean = np.bincount(sorted_group, sorted_values, minlength=groups) / size
        squares = (sorted_values - mean[sorted_group]) ** 2
        sd = np.sqrt(np.bincount(sorted_group, squares, minlength=groups) / size)
    first = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
    last = first + size - 1
    lowest = np.full(groups, np.nan)
    highest = np.full(groups, np.nan)
    filled = size > 0
    lowest[filled] = sorted_values[first[filled]]
    highest[filled] = sorted_values[last[filled]]
    method = scoring.method
    middle = MIDDLE[method]
    g = sorted_group
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if method == "min-max":
            span = highest[g] - lowest[g]
            statistic = np.where(span > 0, 100.0 * (sorted_values - lowest[g]) / span, middle)
        elif method == "z-score":
            statistic = np.where(sd[g] > 0, (sorted_values - mean[g]) / sd[g], middle)
        else:
            statistic = _percentile_ranks(sorted_group, sorted_values, first, size, middle)
    out = np.full(n, np.nan)
    out[order] = statistic
    return PeerResult(scoring, group, members, out, size, lowest, highest, mean, sd)


def _percentile_ranks(
    sorted_group: IntArray,
    sorted_values: FloatArray,
    first: IntArray,
    size: IntArray,
    middle: float,
) -> FloatArray:
    """100 x (mean rank - 1) / (size - 1) over members sorted by (group, value)."""
    m = len(sorted_values)
    if m == 0:
        return np.zeros(0)
    position = np.arange(m) - first[sorted_group]  # 0-based rank within the group
    starts = np.ones(m, dtype=bool)
    starts[1:] = (sorted_group[1:] != sorted_group[:-1]) | (sorted_values[1:] != sorted_values[:-1])
    run = np.cumsum(starts) - 1
    ends = np.ones(m, dtype=bool)
    ends[:-1] = starts[1:]
    run_first, run_last = position[starts], position[ends]
    mean_rank = (run_first[run] + run_last[run]) / 2.0
    divisor = size[sorted_group] - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        ranks: FloatArray = np.where(divisor > 0, 100.0 * mean_rank / divisor, middle)
    return ranks


def all_peer_groups(
    scorings: Sequence[PeerScoring], columns: Mapping[str, Column], specs: Mapping[str, FieldSpec]
) -> dict[tuple[str, ...], IntArray]:
    """Group numbers per distinct grouping, computed once each."""
    out: dict[tuple[str, ...], IntArray] = {}
    for scoring in scorings:
        if scoring.grouping not in out:
            out[scoring.grouping] = peer_groups(scoring, columns, specs)
    return out
