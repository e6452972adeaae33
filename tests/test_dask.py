"""`csrscore.dask` on a real `distributed.LocalCluster` of two worker processes: every
total, rank and percentile the same bits as in one process, whatever happens to a worker."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from csrscore import load_rubric, score
from csrscore.chunked import ScoreTable, score_chunks
from csrscore.errors import CsrscoreError
from csrscore.records.stream import write_parquet
from tests.chunked.same import assert_same, example_records, write_jsonl

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402

from csrscore.dask import score_dask  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "score_on_cluster.py"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


def replicated(n: int) -> list[dict[str, Any]]:
    """`n` records: the examples again and again under new company ids (synthetic)."""
    base = example_records()
    return [
        {**base[i % len(base)], "company": {**base[i % len(base)]["company"], "id": f"c{i}"}}
        for i in range(n)
    ]


def test_parquet_pattern_equals_one_process(client: Any, tmp_path: Path) -> None:
    records = replicated(300)
    for number, start in enumerate(range(0, 300, 70)):
        write_parquet(records[start : start + 70], tmp_path / f"part-{number}.parquet")
    table = score_dask(str(tmp_path / "*.parquet"), "iso26000", chunk_size=32)
    assert_same(table, score(records, "iso26000"))
    assert_same(score_chunks(tmp_path, "iso26000"), score(records, "iso26000"))


def test_dataframe_and_any_scheduler(client: Any, tmp_path: Path) -> None:
    records = example_records()
    write_parquet(records[:40], tmp_path / "a.parquet")
    write_parquet(records[40:], tmp_path / "b.parquet")
    frame = dd.read_parquet(str(tmp_path / "*.parquet"))
    assert_same(score_dask(frame, "citi"), score(records, "citi"))
    # The same graph on the threaded scheduler, in this process: the same bits.
    assert_same(score_dask(frame, "citi", scheduler="threads"), score(records, "citi"))


def test_malformed_partition_gives_located_rejections(client: Any) -> None:
    records = example_records()
    broken: list[Any] = [*records[:10], "not a record", {"company": {"id": "x"}, "year": "2023"}]
    whole = [*broken, *records[10:], records[0]]
    bag = db.from_sequence(whole, npartitions=3)  # type: ignore[no-untyped-call]
    table = score_dask(bag, "iso26000")
    one_shot = score(whole, "iso26000")
    assert table.totals.tobytes() == one_shot.totals.tobytes()
    assert table.company_ids == one_shot.company_ids
    messages = [str(r) for r in table.rejected]
    assert messages[0] == "partition 0 record 10: expected a JSON object, got a string"
    assert messages[1] == (
        "partition 0 record 11 company 'x' company.name: required field is missing"
        " (and 1 more problem)"
    )
    # A duplicate in another partition is found when the tables are joined.
    assert messages[2] == (
        f"partition 2 record {len(records) + 2 - 2 * 21} company 'northwind-textiles' "
        "company.id: duplicate of record 0 of partition 0: same company id and year 2023"
    )
    assert len(table) + len(table.rejected) == len(broken) + len(records) - 10 + 1


def test_rubric_is_one_key_of_the_graph(tmp_path: Path) -> None:
    from csrscore.compile.plan import compile_rubric
    from csrscore.dask import _tasks
    from csrscore.rubric import load_rubric

    for number in range(3):
        write_jsonl(tmp_path / f"{number}.jsonl", example_records())
    plan = compile_rubric(load_rubric("iso26000"))
    shipped = dask.delayed(plan, name="csrscore-plan")
    joined = dask.delayed(tuple)(_tasks(dask, tmp_path, shipped, 100))
    graph = dict(joined.__dask_graph__())
    plan_keys = [key for key in graph if "csrscore-plan" in str(key)]
    assert plan_keys == ["csrscore-plan"]
    assert len(graph) == 5  # one task per file, the plan, and the tuple that joins them


def test_worker_killed_mid_run(client: Any, tmp_path: Path) -> None:
    records = replicated(4_000)
    for number, start in enumerate(range(0, 4_000, 250)):
        write_jsonl(tmp_path / f"part-{number:02d}.jsonl", records[start : start + 250])
    result: list[ScoreTable] = []
    run = threading.Thread(
        target=lambda: result.append(score_dask(str(tmp_path / "*.jsonl"), "iso26000"))
    )
    run.start()
    done = _wait_for_first_result(client)
    pids = client.run(os.getpid)
    victim = next(iter(pids.values()))
    os.kill(victim, signal.SIGKILL)
    run.join(timeout=120)
    assert done < 16, "the run finished before a worker could be killed"
    assert result, "the run did not finish"
    assert_same(result[0], score(records, "iso26000"))
    client.wait_for_workers(2, timeout=60)


def _wait_for_first_result(client: Any) -> int:
    """Once a file's table is in a worker's memory, how many files are done."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        states = client.run_on_scheduler(
            lambda dask_scheduler: [
                ts.state for key, ts in dask_scheduler.tasks.items() if "score_file" in str(key)
            ]
        )
        done = sum(state == "memory" for state in states)
        assert isinstance(done, int)
        if done:
            return done
        time.sleep(0.02)
    raise AssertionError("no task finished within a minute")


def test_cli_on_the_cluster(client: Any, tmp_path: Path) -> None:
    from tests.cli.runner import run_cli

    records = example_records()
    write_jsonl(tmp_path / "a.jsonl", records[:31])
    write_jsonl(tmp_path / "b.jsonl", records[31:])
    address = client.scheduler.address
    streamed = run_cli(["rank", str(tmp_path), "--scheduler", address, "--format", "json"])
    assert streamed.code == 0, streamed.err
    ranks = {
        (r["company_id"], r["year"]): r["rank"]
        for r in map(json.loads, streamed.out.split("\n")[:-1])
    }
    whole = score(records, "iso26000")
    expected = whole.rank(by="year").tolist()
    assert ranks == {
        (cid, int(year)): rank
        for cid, year, rank in zip(whole.company_ids, whole.years, expected, strict=True)
    }


def test_example_script_runs_small(client: Any, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("score_on_cluster", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    score_on_cluster = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score_on_cluster)
    data, output = tmp_path / "data", tmp_path / "scores.parquet"
    address = client.scheduler.address
    argv = ["--n", "900", "--files", "4", "--scheduler", address, "--data", str(data)]
    assert score_on_cluster.main([*argv, "-o", str(output)]) == 0
    assert len(list(data.glob("*.parquet"))) == 4
    table = score_chunks(data, "iso26000")
    assert len(table) == 900
    assert not table.rejected
    import pyarrow.parquet as pq

    written = pq.read_table(output).to_pydict()
    assert written["total"] == table.totals.tolist()
    assert written["rank"] == table.rank(by="year").tolist()


def test_doc_example(client: Any, tmp_path: Path) -> None:
    from tests.chunked.test_docs import BLOCKS, run_block

    namespace = run_block(BLOCKS[1], tmp_path)
    assert_same(namespace["table"], score(example_records(), "iso26000"))  # type: ignore[arg-type]


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(CsrscoreError, match=r"pip install 'csrscore\[dask\]'"):
        score_dask("x.jsonl")


def test_a_rubric_that_reads_other_records_is_refused(client: Any, tmp_path: Path) -> None:
    from tests.chunked.test_cross_record import PEERS, RECORDS

    write_jsonl(tmp_path / "a.jsonl", RECORDS)
    bag = db.from_sequence(RECORDS, npartitions=2)  # type: ignore[no-untyped-call]
    for data in (str(tmp_path / "*.jsonl"), bag):
        with pytest.raises(CsrscoreError, match="cannot be exact for this rubric"):
            score_dask(data, load_rubric(PEERS))
