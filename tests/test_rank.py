"""Ranks and percentiles: tie handling, methods and groups."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csrscore.rank import percentiles, rank_totals

TOTALS = np.array([50.0, 70.0, 70.0 + 1e-12, 10.0, 50.0])
IDS = ["e", "b", "a", "d", "c"]


def test_competition_ranks_share_and_skip() -> None:
    assert rank_totals(TOTALS, IDS, "competition").tolist() == [3, 1, 1, 5, 3]


def test_dense_ranks_do_not_skip() -> None:
    assert rank_totals(TOTALS, IDS, "dense").tolist() == [2, 1, 1, 3, 2]


def test_ordinal_breaks_ties_by_company_id() -> None:
    assert rank_totals(TOTALS, IDS, "ordinal").tolist() == [4, 2, 1, 5, 3]


def test_float_noise_does_not_split_a_tie() -> None:
    assert rank_totals(np.array([0.1 + 0.2, 0.3]), ["x", "y"]).tolist() == [1, 1]


def test_ranks_within_groups() -> None:
    sectors = ["s", "t", "s", "t", None]
    assert rank_totals(TOTALS, IDS, "competition", sectors).tolist() == [2, 1, 1, 2, 1]


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown rank method"):
        rank_totals(TOTALS, IDS, "olympic")  # type: ignore[arg-type]


def test_percentiles_count_ties_as_half() -> None:
    result = percentiles(np.array([10.0, 20.0, 20.0, 30.0]))
    assert result.tolist() == pytest.approx([0.0, 50.0, 50.0, 100.0])
    assert percentiles(np.array([5.0])).tolist() == [100.0]


def test_empty_input() -> None:
    assert rank_totals(np.array([]), []).tolist() == []


@given(st.lists(st.sampled_from([0.0, 1.5, 2.0, 99.0]), min_size=1, max_size=30))
def test_rank_properties(values: list[float]) -> None:
    totals = np.array(values)
    ids = [f"c{i:02d}" for i in range(len(values))]
    competition = rank_totals(totals, ids, "competition")
    dense = rank_totals(totals, ids, "dense")
    ordinal = rank_totals(totals, ids, "ordinal")
    assert sorted(ordinal.tolist()) == list(range(1, len(values) + 1))
    for i in range(len(values)):
        assert competition[i] == 1 + int((totals > totals[i]).sum())
        assert dense[i] == 1 + len({v for v in values if v > values[i]})


@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 1.5, 2.0, 99.0]), st.sampled_from(["s", "t", None])),
        min_size=1,
        max_size=30,
    ),
    st.permutations(range(30)),
)
def test_ranks_match_their_definition(rows: list[tuple[float, str | None]], ids: list[int]) -> None:
    """Every method, overall and within groups, against a per-company count; ids are
    shuffled so that ordinal's tie-break by id differs from input order."""
    totals = np.array([total for total, _ in rows])
    sectors = [sector for _, sector in rows]
    names = [f"c{k:02d}" for k in ids[: len(rows)]]
    for groups in (None, sectors):
        peers = [
            [j for j in range(len(rows)) if groups is None or groups[j] == groups[i]]
            for i in range(len(rows))
        ]
        ranks = {
            m: rank_totals(totals, names, m, groups).tolist()
            for m in ("competition", "dense", "ordinal")
        }
        for i, mine in enumerate(peers):
            above = [j for j in mine if totals[j] > totals[i]]
            tied_before = [j for j in mine if totals[j] == totals[i] and names[j] < names[i]]
            assert ranks["competition"][i] == 1 + len(above)
            assert ranks["dense"][i] == 1 + len({float(totals[j]) for j in above})
            assert ranks["ordinal"][i] == 1 + len(above) + len(tied_before)
