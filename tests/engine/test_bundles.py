"""Bundled point sums: the combined index and table, the cut into bundles, and the same
bits from the engine's `Points` as from a points matrix."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from csrscore import load_reports, load_rubric, score
from csrscore.compile.plan import compile_rubric
from csrscore.engine import bundles as bundles_module
from csrscore.engine.aggregate import aggregate
from csrscore.engine.bundles import Bundle, BundleIndex, bundle_table, bundles
from csrscore.engine.points import Points, level_table
from tests.engine.strategies import report_records, rubrics


def _ladder(cid: str, steps: int) -> dict[str, Any]:
    return {
        "id": cid,
        "title": cid,
        "levels": [
            {"points": k, "label": f"L{k}", "when": {"gte": {"a": k}}} for k in range(1, steps + 1)
        ],
    }


def _plan(children: list[dict[str, Any]]) -> Any:
    rubric = load_rubric(
        {
            "rubric": "bundles",
            "version": "1",
            "title": "Ladders of several lengths and one value criterion",
            "fields": {"a": {"type": "number"}},
            "groups": [{"id": "g", "title": "G", "criteria": children}],
        }
    )
    return compile_rubric(rubric)


VALUE = {
    "id": "v",
    "title": "v",
    "value": {"field": "a", "min": 0, "max": 10, "direction": "higher", "points": 5},
}


def test_runs_of_ladders_are_cut_at_the_table_limit_and_at_value_criteria() -> None:
    # Widths (levels + 2): 6, 6, 6, 6, 6 -> 6^4 = 1296 fits; a fifth would make 7776.
    children = [_ladder(f"c{i}", 4) for i in range(5)] + [VALUE, _ladder("d", 1), _ladder("e", 1)]
    plan = _plan(children)
    cut = bundles(plan, range(len(plan.criteria)))
    assert [b.criteria for b in cut] == [(0, 1, 2, 3), (4,), (5,), (6, 7)]
    assert [b.widths for b in cut] == [(6, 6, 6, 6), (6,), (0,), (3, 3)]
    with patch.object(bundles_module, "MAX_TABLE", 36):
        assert [b.criteria for b in bundles(plan, range(8))] == [(0, 1), (2, 3), (4,), (5,), (6, 7)]


@given(
    widths=st.lists(st.integers(2, 12), min_size=2, max_size=4),
    rows=st.integers(1, 40),
    data=st.data(),
    wide_levels=st.booleans(),
)
def test_index_and_table_read_each_combination(
    widths: list[int], rows: int, data: st.DataObject, wide_levels: bool
) -> None:
    """Entry index(levels) of the table is the sum, in order, of each criterion's entry
    for its level; level -1 (N/A) reads each table row's last entry."""
    dtype = np.int16 if wide_levels else np.int8
    levels = np.stack(
        [data.draw(hnp.arrays(dtype, rows, elements=st.integers(-1, w - 2))) for w in widths]
    )
    padded = max(widths)
    tables = data.draw(
        hnp.arrays(np.float64, (len(widths), padded), elements=st.floats(0, 100, allow_nan=False))
    )
    bundle = Bundle(tuple(range(len(widths))), tuple(widths))
    start = data.draw(st.integers(0, rows - 1))
    block = slice(start, rows)
    index = BundleIndex(rows)(bundle, levels, block)
    table = bundle_table(bundle, tables)
    assert table.shape == (bundle.size,)
    for row in range(start, rows):
        expected = 0.0
        for c in range(len(widths)):
            level = int(levels[c, row])
            expected = expected + tables[c, -1 if level == -1 else level]
        assert table[index[row - start]] == expected


@given(
    rubric_data=rubrics(),
    records=report_records(),
    flip_policy=st.booleans(),
    small_tables=st.booleans(),
    data=st.data(),
)
def test_points_and_points_matrix_give_the_same_bits(
    rubric_data: dict[str, Any],
    records: list[dict[str, Any]],
    flip_policy: bool,
    small_tables: bool,
    data: st.DataObject,
) -> None:
    """Sensitivity and explanations aggregate a points matrix; the engine aggregates
    `Points`. Under any policy, aggregations and bundle cut the sums agree to the bit."""
    scores = score(load_reports(records, strict=True), load_rubric(rubric_data))
    plan = scores.plan
    policy = plan.rubric.na_policy
    kinds = st.sampled_from(["arithmetic", "geometric"])
    count = len(plan.groups)
    aggregations = data.draw(st.lists(kinds, min_size=count, max_size=count))
    # Weights other than the default (max points) make every product inexact, so a
    # difference in the order of additions shows in the last bits.
    weights = st.floats(0.01, 10, allow_nan=False)
    options: dict[str, Any] = {
        "na_policy": ("zero" if policy == "exclude" else "exclude") if flip_policy else policy,
        "aggregations": aggregations,
        "criterion_weights": data.draw(
            hnp.arrays(np.float64, len(plan.criteria), elements=weights)
        ),
        "group_weights": data.draw(hnp.arrays(np.float64, count, elements=weights)),
    }
    limit = 16 if small_tables else bundles_module.MAX_TABLE
    with patch.object(bundles_module, "MAX_TABLE", limit):
        from_points = aggregate(plan, scores.point_table, None, scores.group_applicable, **options)
        from_matrix = aggregate(
            plan, scores.points, scores.applicable, scores.group_applicable, **options
        )
    np.testing.assert_array_equal(from_points.group_scores, from_matrix.group_scores)
    np.testing.assert_array_equal(from_points.base, from_matrix.base)


@given(
    steps=st.lists(st.integers(1, 5), min_size=3, max_size=7),
    rows=st.integers(1, 30),
    data=st.data(),
)
def test_bundled_sums_of_one_group_match_the_matrix_to_the_bit(
    steps: list[int], rows: int, data: st.DataObject
) -> None:
    """Every criterion a ladder, so the group is all bundles of several criteria."""
    plan = _plan([_ladder(f"c{i}", k) for i, k in enumerate(steps)])
    assert any(len(b.criteria) >= 3 for b in bundles(plan, range(len(steps))))
    levels = np.stack(
        [data.draw(hnp.arrays(np.int8, rows, elements=st.integers(-1, k))) for k in steps]
    )
    points = Points(level_table(plan.level_points), levels, {})
    weights = data.draw(
        hnp.arrays(np.float64, len(steps), elements=st.floats(0.01, 10, allow_nan=False))
    )
    group_applicable = np.ones((rows, len(plan.groups)), dtype=bool)
    from_points = aggregate(plan, points, None, group_applicable, criterion_weights=weights)
    from_matrix = aggregate(
        plan, points.matrix(), levels.T >= 0, group_applicable, criterion_weights=weights
    )
    np.testing.assert_array_equal(from_points.group_scores, from_matrix.group_scores)
