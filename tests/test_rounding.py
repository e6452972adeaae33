"""One rounding rule (`Rounding`) for ranks, percentiles and grades; publisher rounding in
the rubric. Totals and ranks below are worked out by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from csrscore import load_rubric, score
from csrscore.precision import ROUNDING_MODES, TIE_BASES, Rounding
from csrscore.rank import percentiles, rank_totals


def test_a_float_half_rounds_as_the_exact_half() -> None:
    noisy = 16.499999999999996  # 16.5 in exact arithmetic
    assert Rounding(0, "half-up").round_one(noisy) == 17.0
    assert Rounding(0, "half-even").round_one(noisy) == 16.0
    assert Rounding(0, "floor").round_one(noisy) == 16.0
    assert Rounding(0, "half-up").round_one(16.49) == 16.0
    assert Rounding(1, "half-up").round_one(1.05 - 1e-15) == 1.1
    assert Rounding(2, "half-up").round_one(1.005) == 1.01  # 1.00499999999999989 in binary


def test_float_noise_at_a_seventh_decimal_half_does_not_split_a_tie() -> None:
    totals = np.array([0.19531250000000003, 0.1953125])
    assert rank_totals(totals, ["a", "b"]).tolist() == [1, 1]
    assert percentiles(totals).tolist() == [50.0, 50.0]


def test_grades_follow_the_rule_that_ranks_follow() -> None:
    data = _rubric({"decimals": 6, "mode": "half-even"})
    data["grades"] = {"A": 86.116821, "B": 0}
    rubric = load_rubric(data)
    totals = [86.1168205, 86.11682]
    assert [rubric.grade_for(t) for t in totals] == ["B", "B"]
    assert rank_totals(np.array(totals), ["a", "b"], rounding=rubric.rounding).tolist() == [1, 1]


def _rubric(rounding: dict[str, Any] | None) -> dict[str, Any]:
    """One criterion worth 3 points on a scale of 50: totals 0, 16.67, 33.33 and 50."""
    data: dict[str, Any] = {
        "rubric": "rounding",
        "version": "1",
        "title": "Rounding",
        "scale": 50,
        "fields": {"t.n": {"type": "number"}},
        "grades": {"A": 17, "B": 0},
        "groups": [
            {
                "id": "g",
                "title": "G",
                "criteria": [
                    {
                        "id": "c",
                        "title": "C",
                        "value": {"field": "t.n", "min": 0, "max": 100, "points": 3},
                    }
                ],
            }
        ],
    }
    if rounding is not None:
        data["rounding"] = rounding
    return data


def _records(values: list[float]) -> list[dict[str, Any]]:
    return [
        {"company": {"id": f"c{i}", "name": f"C{i}"}, "year": 2024, "disclosures": {"t.n": v}}
        for i, v in enumerate(values)
    ]


def test_publisher_rounding_decides_ties_and_grades() -> None:
    # t.n = 33 -> 3 x 0.33 = 0.99 of 3 points -> 16.5 of 50 (16.499999999999996 in floats);
    # t.n = 33.6 -> 16.8; t.n = 34.4 -> 17.2.
    records = _records([33.0, 33.6, 34.4])
    exact = score(records, load_rubric(_rubric(None)))
    assert exact.rank().tolist() == [3, 2, 1]
    published = score(records, load_rubric(_rubric({"decimals": 0})))  # half-up by default
    assert published.published_totals.tolist() == [17.0, 17.0, 17.0]
    assert published.rank().tolist() == [1, 1, 1]
    assert published.grades == ("A", "A", "A")
    assert exact.grades == ("B", "B", "A")
    by_exact = score(records, load_rubric(_rubric({"decimals": 0, "ties": "exact"})))
    assert by_exact.rank().tolist() == [3, 2, 1]
    floor = Rounding(0, "floor")  # 16, 16, 17
    assert published.rank(rounding=floor).tolist() == [2, 2, 1]
    assert published.rank(rounding=Rounding(1, "floor")).tolist() == [3, 2, 1]


@given(
    totals=st.lists(
        st.floats(0, 100, allow_nan=False).map(lambda x: round(x * 8) / 8 + 1e-15 * (x % 3)),
        min_size=1,
        max_size=30,
    ),
    decimals=st.integers(0, 3),
    mode=st.sampled_from(ROUNDING_MODES),
    ties=st.sampled_from(TIE_BASES),
)
def test_rank_order_never_contradicts_the_order_of_rounded_totals(
    totals: list[float], decimals: int, mode: Any, ties: Any
) -> None:
    rule = Rounding(decimals, mode, ties)
    values = np.array(totals)
    ranks = rank_totals(values, [str(i) for i in range(len(values))], rounding=rule)
    published = rule.round(values)
    for i in range(len(values)):
        for j in range(len(values)):
            if published[i] > published[j]:
                assert ranks[i] < ranks[j]
            if ties == "rounded" and published[i] == published[j]:
                assert ranks[i] == ranks[j]


def test_rank_cli_overrides_the_rubric_rounding(tmp_path: Any) -> None:
    import json

    import yaml

    from tests.cli.runner import run_cli

    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(yaml.safe_dump(_rubric(None)), encoding="utf-8")
    reports = tmp_path / "reports.json"
    reports.write_text(json.dumps(_records([33.0, 33.6, 34.4])), encoding="utf-8")
    argv = ["rank", str(reports), "--rubric", str(rubric)]
    exact = json.loads(run_cli([*argv, "--format", "json"]).out)["companies"]
    assert [(c["rank"], c["grade"]) for c in exact] == [(1, "A"), (2, "B"), (3, "B")]
    rounded = json.loads(run_cli([*argv, "--decimals", "0", "--format", "json"]).out)
    assert [(c["rank"], c["grade"]) for c in rounded["companies"]] == [(1, "A")] * 3
    table = run_cli([*argv, "--decimals", "0", "--rounding", "floor"]).out.splitlines()
    assert [line.split()[0] + " " + line.split()[4] for line in table[-3:]] == [
        "1 17",
        "2 16",
        "2 16",
    ]


def test_explain_shows_the_published_total_beside_the_exact_one() -> None:
    scores = score(_records([33.0, 33.6]), load_rubric(_rubric({"decimals": 0})))
    summary = scores.explain("c1").to_dict()["summary"]
    assert (round(summary["total"], 9), summary["published_total"]) == (16.8, 17.0)
    assert "total 16.80 (published 17) / 50" in str(scores.explain("c1"))
    plain = score(_records([33.6]), load_rubric(_rubric(None))).explain("c0")
    assert "published" not in str(plain)


def test_rank_top_keeps_companies_tied_at_the_cut_together(tmp_path: Any) -> None:
    import json

    import yaml

    from tests.cli.runner import run_cli

    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(yaml.safe_dump(_rubric({"decimals": 0})), encoding="utf-8")
    reports = tmp_path / "reports.json"
    # Published totals 20, 17, 17, 10: --top 2 cuts inside the tie at rank 2.
    reports.write_text(json.dumps(_records([40.0, 33.0, 33.6, 20.0])), encoding="utf-8")
    argv = ["rank", str(reports), "--rubric", str(rubric), "--top", "2", "--format", "json"]
    shown = json.loads(run_cli(argv).out)["companies"]
    assert [(c["company_id"], c["rank"]) for c in shown] == [("c0", 1), ("c1", 2), ("c2", 2)]
