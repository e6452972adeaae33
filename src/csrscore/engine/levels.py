"""Conditions -> the level matrix, the applicability mask and the criterion points.

This is the only stage that evaluates conditions. Everything after it (group scores,
totals, re-weighting) is arithmetic on the arrays returned here.

Reports are taken in blocks of rows. Within a block each criterion's conditions, levels
and points are computed one after the other, so the block's temporaries stay in the
processor's cache; over all reports at once, at a million reports, every step went to
main memory and most of the time was spent waiting for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from csrscore.compile.plan import Plan
from csrscore.engine.checklist import ChecklistPoints, checklist_points
from csrscore.engine.columns import BoolArray, Column, LevelArray
from csrscore.engine.evaluate import ConditionEvaluator, RowsEvaluate
from csrscore.engine.peers import PeerResult, all_peer_groups, peer_statistics
from csrscore.engine.points import ComputedPoints, Points, ValuePoints, level_table
from csrscore.rubric.model import Criterion, Group

# 256k rows. Smaller blocks keep more in cache but pay Python's per-call overhead more
# often (about 26 ms a block at 250 criteria). At 1M x 250, user CPU (least of 5
# interleaved runs) was 0.96-1.00 s at 256k, 0.98 s at 512k, 1.14-1.19 s at 128k and
# 1.45 s at 64k.
BLOCK_ROWS = 262_144


@dataclass(frozen=True)
class Evaluation:
    """Views with companies on the first axis. The arrays behind them are criterion-major
    (one contiguous row per criterion), which is how they are computed and aggregated."""

    levels: LevelArray  # N x C; -1 where N/A, 0 where no level reached, k for level k
    points: Points  # looked up from the levels (value criteria: from their numbers)
    group_applicable: BoolArray  # N x G; the group's own applies_when and its ancestors'
    # Criterion index -> its peer statistics, for peer-relative criteria.
    peers: Mapping[int, PeerResult] = field(default_factory=dict)


def applicable_mask(levels: LevelArray) -> BoolArray:
    """Where each criterion applies: exactly where its level is not -1. Not stored beside
    the levels by the engine (at a million companies, 250 MB more)."""
    mask: BoolArray = np.greater_equal(levels, 0)
    return mask


def level_dtype(plan: Plan) -> type[np.signedinteger[Any]]:
    """The narrowest integer type that holds every level number of the plan."""
    return np.int8 if plan.level_points.shape[1] <= 127 else np.int16


@dataclass(frozen=True)
class _Ladder:
    """How one criterion's reached options become a level number.

    Options are ranked by (points, position), so later options win ties; the level is the
    option of the best reached rank. `level_of_rank` is None when rank and level coincide.
    """

    order: tuple[int, ...]  # option indexes, worst rank first
    level_of_rank: LevelArray | None


def _ladder(points: list[float], dtype: Any) -> _Ladder:
    order = tuple(sorted(range(len(points)), key=lambda k: (points[k], k)))
    if order == tuple(range(len(points))):
        return _Ladder(order, None)
    return _Ladder(order, np.array([0, *(k + 1 for k in order)], dtype=dtype))


class _Scratch:
    """Per-block buffers reused by every criterion, so no temporary is allocated per step."""

    def __init__(self, rows: int, dtype: Any) -> None:
        self.rank = np.empty(rows, dtype=dtype)
        self.step = np.empty(rows, dtype=dtype)
        self.mask = np.empty(rows, dtype=bool)
        self.applicable = np.empty(rows, dtype=bool)

    def cut(self, rows: int) -> _Scratch:
        view = _Scratch.__new__(_Scratch)
        view.rank, view.step = self.rank[:rows], self.step[:rows]
        view.mask, view.applicable = self.mask[:rows], self.applicable[:rows]
        return view


def _best_rank(
    reached: list[BoolArray], ladder: _Ladder, out: LevelArray, scratch: _Scratch
) -> LevelArray:
    """Level of the best reached option into `out`; 0 if none is reached.

    A running maximum of the ranks touches each mask once instead of scattering through it.
    """
    rank = out if ladder.level_of_rank is None else scratch.rank
    rank.fill(0)
    level_type = scratch.step.dtype.type
    for position, k in enumerate(ladder.order, start=1):
        # A numpy scalar of the level type: a Python int past 127 cannot meet an int8 array.
        np.multiply(reached[k].view(np.int8), level_type(position), out=scratch.step)
        np.maximum(rank, scratch.step, out=rank)
    if ladder.level_of_rank is not None:
        out[...] = ladder.level_of_rank[rank]  # fancy indexing by int8 beats take here
    return out


def _criterion_levels(
    criterion: Criterion,
    ladder: _Ladder | None,
    evaluate: RowsEvaluate,
    columns: dict[str, Column],
    rows: slice,
    level: LevelArray,
    scratch: _Scratch,
) -> None:
    """One criterion's levels into `level` for a block of rows."""
    if criterion.value is not None or criterion.peers is not None:
        # Level 1 where a value is given; its points are computed from it when read (and
        # peer bands are placed once every peer is known: `_peer_levels`).
        assert criterion.scored_field is not None
        values = columns[criterion.scored_field].numbers[rows]
        np.logical_not(np.isnan(values, out=scratch.mask), out=level, casting="unsafe")
        return
    if criterion.checklist is not None:
        # Level 1 where the list is disclosed, even empty; points come from its items.
        np.copyto(level, columns[criterion.checklist.field].present[rows], casting="unsafe")
        return
    assert ladder is not None
    if criterion.bands is not None:
        bands = criterion.bands
        values = columns[bands.field].numbers[rows]
        compare = np.greater_equal if bands.direction == "higher" else np.less_equal
        reached = [compare(values, step.at) for step in bands.steps]
        _best_rank(reached, ladder, level, scratch)
        return
    satisfied = [evaluate(option.when) for option in criterion.levels]
    if criterion.cumulative:
        # The level is the length of the unbroken run of holding levels from the first.
        level.fill(0)
        run = scratch.mask
        run.fill(True)
        for holds in satisfied:
            np.logical_and(run, holds, out=run)
            np.add(level, run.view(np.int8), out=level)
        return
    _best_rank(satisfied, ladder, level, scratch)


@dataclass(frozen=True)
class _Tree:
    """Static applicability facts of the rubric tree, in plan order."""

    group_parent: tuple[int | None, ...]  # per group, its parent's plan index
    criterion_parent: tuple[int, ...]
    # Whether a node's applicability can ever be False: its own applies_when or an
    # ancestor's. Criteria that cannot skip the N/A masking altogether.
    group_conditional: tuple[bool, ...]
    criterion_conditional: tuple[bool, ...]


def _tree(plan: Plan) -> _Tree:
    group_position = {gp.group.id: i for i, gp in enumerate(plan.groups)}
    criterion_position = {c.id: i for i, c in enumerate(plan.criteria)}
    group_parent: list[int | None] = [None] * len(plan.groups)
    criterion_parent = [0] * len(plan.criteria)
    for g, group_plan in enumerate(plan.groups):
        for child in group_plan.group.children:
            if isinstance(child, Group):
                group_parent[group_position[child.id]] = g
            else:
                criterion_parent[criterion_position[child.id]] = g
    group_conditional = [False] * len(plan.groups)
    for g in reversed(range(len(plan.groups))):  # post-order reversed: parents first
        parent = group_parent[g]
        inherited = parent is not None and group_conditional[parent]
        group_conditional[g] = inherited or plan.groups[g].group.applies_when is not None
    criterion_conditional = tuple(
        group_conditional[criterion_parent[c]] or criterion.applies_when is not None
        for c, criterion in enumerate(plan.criteria)
    )
    return _Tree(
        tuple(group_parent),
        tuple(criterion_parent),
        tuple(group_conditional),
        criterion_conditional,
    )


def _ladders(plan: Plan, dtype: Any) -> list[_Ladder | None]:
    ladders: list[_Ladder | None] = []
    for criterion in plan.criteria:
        if criterion.continuous:
            ladders.append(None)
        elif criterion.bands is not None:
            ladders.append(_ladder([s.points for s in criterion.bands.steps], dtype))
        else:
            ladders.append(_ladder([option.points for option in criterion.levels], dtype))
    return ladders


def evaluate_levels(
    plan: Plan,
    evaluate: ConditionEvaluator,
    columns: dict[str, Column],
    n: int,
    declared: Mapping[int, BoolArray] | None = None,
) -> Evaluation:
    """`declared`: per criterion, where a company declares a field it reads not applicable
    (see `engine.declared`); those companies get N/A."""
    declared = declared or {}
    criteria_count = len(plan.criteria)
    dtype = level_dtype(plan)
    levels = np.empty((criteria_count, n), dtype=dtype)
    group_applicable = np.empty((len(plan.groups), n), dtype=bool)
    tree = _tree(plan)
    ladders = _ladders(plan, dtype)
    scratch = _Scratch(min(n, BLOCK_ROWS), dtype)
    # With no reports there is still one (empty) block, so that every condition is
    # evaluated and listed in the results, as explanations expect.
    for start in range(0, max(n, 1), BLOCK_ROWS):
        stop = min(n, start + BLOCK_ROWS)
        rows = slice(start, stop)
        block_evaluate = evaluate.rows(start, stop)
        block_scratch = scratch.cut(stop - start)
        for g in reversed(range(len(plan.groups))):  # parents before their children
            own = plan.groups[g].group.applies_when
            parent = tree.group_parent[g]
            mask = group_applicable[g, rows]
            if parent is None:
                mask.fill(True)
            else:
                mask[...] = group_applicable[parent, rows]
            if own is not None:
                np.logical_and(mask, block_evaluate(own), out=mask)
        for i, criterion in enumerate(plan.criteria):
            level = levels[i, rows]
            _criterion_levels(
                criterion, ladders[i], block_evaluate, columns, rows, level, block_scratch
            )
            if tree.criterion_conditional[i] or i in declared:
                applies = group_applicable[tree.criterion_parent[i], rows]
                if criterion.applies_when is not None:
                    holds = block_evaluate(criterion.applies_when)
                    applies = np.logical_and(applies, holds, out=block_scratch.applicable)
                if i in declared:
                    applies = np.logical_and(
                        applies, ~declared[i][rows], out=block_scratch.applicable
                    )
                _mark_not_applicable(level, applies, block_scratch)
    peers = _peer_levels(plan, columns, levels, ladders)
    continuous: dict[int, ComputedPoints] = {}
    for i, criterion in enumerate(plan.criteria):
        if criterion.value is not None:
            numbers = peers[i].statistic if i in peers else columns[criterion.value.field].numbers
            continuous[i] = ValuePoints(criterion.value, numbers)
        elif criterion.checklist is not None:
            column = columns[criterion.checklist.field]
            continuous[i] = ChecklistPoints(checklist_points(criterion.checklist, column))
    points = Points(level_table(plan.level_points), levels, continuous)
    return Evaluation(levels.T, points, group_applicable.T, peers)


def _peer_levels(
    plan: Plan, columns: dict[str, Column], levels: LevelArray, ladders: list[_Ladder | None]
) -> dict[int, PeerResult]:
    """Peer statistics of every peer-relative criterion, once its levels say who is a
    peer (1: applies and has a value); peer bands then get their levels from them."""
    scorings = [c.peers for c in plan.criteria if c.peers is not None]
    if not scorings:
        return {}
    groups = all_peer_groups(scorings, columns, plan.fields)
    results: dict[int, PeerResult] = {}
    for i, criterion in enumerate(plan.criteria):
        scoring = criterion.peers
        if scoring is None:
            continue
        assert criterion.scored_field is not None
        members = levels[i] == 1
        result = peer_statistics(
            scoring, columns[criterion.scored_field].numbers, members, groups[scoring.grouping]
        )
        results[i] = result
        ladder = ladders[i]
        if criterion.bands is not None and ladder is not None:
            bands = criterion.bands
            compare = np.greater_equal if bands.direction == "higher" else np.less_equal
            reached = [compare(result.statistic, step.at) for step in bands.steps]
            placed = np.empty_like(levels[i])
            _best_rank(reached, ladder, placed, _Scratch(len(placed), placed.dtype))
            np.copyto(levels[i], placed, where=members)
    return results


def _mark_not_applicable(level: LevelArray, mask: BoolArray, scratch: _Scratch) -> None:
    """Level -1 where `mask` is False, by arithmetic rather than a masked copy (which
    took 300 us a block against 5 us for the two operations)."""
    # mask - 1 is 0 where applicable and -1 (all bits set) where not.
    np.subtract(mask.view(np.int8), scratch.step.dtype.type(1), out=scratch.step)
    np.bitwise_or(level, scratch.step, out=level)
