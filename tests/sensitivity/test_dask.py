"""Sensitivity with its samples evaluated elsewhere: on a real `distributed.LocalCluster` of
two worker processes, and piece by piece in this process; the same bits as one process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from csrscore import Scores
from csrscore.sensitivity import Uniform, batch, sensitivity
from csrscore.sensitivity.analysis import Setup
from tests.sensitivity.exact_cases import _scores, summary

OPTIONS: dict[str, dict[str, Any]] = {
    # Two configurations, so each matrix has pieces of scattered rows; with the indices.
    "replicated-switches": {"samples": 90, "seed": 4, "aggregation": 0.4, "na_policy": 0.3},
    # Every group, then mixed aggregations: the group-by-group path.
    "spread-mixed": {
        "samples": 70,
        "seed": 9,
        "weights": {"*": Uniform(0.3)},
        "aggregation": 0.5,
        "by": ("year", "sector"),
        "bootstrap": 30,
    },
    "synthetic-plain": {"samples": 60, "seed": 2, "indices": False, "by": None},
}
DATA = {
    "replicated-switches": "replicated",
    "spread-mixed": "spread",
    "synthetic-plain": "synthetic",
}


@pytest.fixture
def small_products(monkeypatch: pytest.MonkeyPatch) -> None:
    """Products of a few rows each (the budgets are read where the pieces are cut, in this
    process), so that every matrix is shared out among several tasks."""
    monkeypatch.setattr(batch, "SHARE_ELEMENTS", 8 * 71 * 12)
    monkeypatch.setattr(batch, "GROUP_PATH_ELEMENTS", 9 * 400)


def assert_same(found: Any, expected: Any) -> None:
    """Every output, through its JSON text: each float to the last bit."""
    left, right = summary(found), summary(expected)
    assert left.keys() == right.keys()
    for key in right:
        assert json.dumps(left[key]) == json.dumps(right[key]), key


@pytest.mark.usefixtures("small_products")
@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_pieces_in_any_grouping_and_order_give_the_same_result(name: str) -> None:
    scores: Scores = _scores(DATA[name])
    options = dict(OPTIONS[name])
    samples, seed = options.pop("samples"), options.pop("seed")
    expected = sensitivity(scores, samples, seed, **options)
    setup = Setup.of(
        scores,
        samples,
        seed,
        weights=options.pop("weights", Uniform(0.2)),
        aggregation=options.pop("aggregation", False),
        na_policy=options.pop("na_policy", False),
        indices=options.pop("indices", True),
        by=options.pop("by", "year"),
        bootstrap=options.pop("bootstrap", 200),
    )
    run = setup.run
    shipped = run.without_outputs()
    rng = np.random.default_rng(0)
    for matrix in reversed(range(run.matrices)):
        pieces = run.pieces(matrix)
        assert len(pieces) > 2
        order = rng.permutation(len(pieces))
        cuts = sorted(rng.choice(np.arange(1, len(pieces)), size=2, replace=False))
        for group in np.split(order, cuts):
            run.store(shipped.evaluate(matrix, [pieces[i] for i in group]))
    assert_same(setup.result(run.summarise(2)), expected)


# --- on a cluster ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


@pytest.mark.usefixtures("small_products")
@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_on_a_local_cluster_the_same_bits_as_one_process(client: Any, name: str) -> None:
    from csrscore.dask_sensitivity import sensitivity_dask

    scores = _scores(DATA[name])
    options = dict(OPTIONS[name])
    expected = sensitivity(scores, **options)
    found = sensitivity_dask(scores, **options)
    assert_same(found, expected)
    # Both workers took part.
    assert len(client.scheduler_info()["workers"]) == 2


def test_the_issue_case_shape_on_a_cluster_with_default_products(client: Any) -> None:
    """Without small products: one task per matrix of the design (25 here)."""
    from csrscore.dask_sensitivity import sensitivity_dask

    scores = _scores("replicated")
    assert_same(sensitivity_dask(scores, 300, 1), sensitivity(scores, 300, 1))


def test_any_scheduler_without_a_cluster() -> None:
    pytest.importorskip("dask")
    from csrscore.dask_sensitivity import sensitivity_dask

    scores = _scores("synthetic")
    expected = sensitivity(scores, 40, 3, aggregation=0.5)
    assert_same(sensitivity_dask(scores, 40, 3, aggregation=0.5, scheduler="threads"), expected)


def test_cli_dask_local_prints_what_one_process_prints() -> None:
    pytest.importorskip("distributed")
    from tests.cli.runner import EXAMPLES, run_cli

    argv = ["sensitivity", EXAMPLES, "--rubric", "citi", "--samples", "60", "--format", "json"]
    plain = run_cli(argv)
    on_dask = run_cli([*argv, "--dask", "local", "--switch-aggregation"])
    assert plain.code == on_dask.code == 0
    assert run_cli([*argv, "--switch-aggregation"]).out == on_dask.out
    assert json.loads(on_dask.out)["samples"] == 60
