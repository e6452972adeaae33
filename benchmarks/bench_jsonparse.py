"""What catching repeated JSON keys costs, against `json.loads` on the same bytes.

`parse_json` (csrscore.records.jsonparse) must notice a key an object gives twice, which
`json.loads`, orjson and pydantic's `validate_json` all drop silently. The ways to notice:

- jiter with `catch_duplicate_keys=True` (what `parse_json` does on a clean document);
- the standard library with an `object_pairs_hook` (what it does when jiter refuses);
- and, for the loader's whole-document path, parsing first and validating the Python objects
  (`validate_python`) against today's `validate_json` on the bytes, which cannot be told to
  catch repeats.

Each is timed on synthetic records (`benchmarks.synthetic`) and on realistic ones
(`benchmarks.realistic.spread`), as one document and as JSON Lines, and printed as a ratio to
`json.loads` measured in the same run. Run:

    python -m benchmarks.bench_jsonparse [N]    # N records, default 2000

or `pytest benchmarks/bench_jsonparse.py --benchmark-enable` for the pytest-benchmark form.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import jiter
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.realistic import spread
from benchmarks.synthetic import make_records
from csrscore.records.jsonparse import parse_json
from csrscore.records.load import _REPORT_LIST


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("repeated key")
    return obj


def candidates(records: list[dict[str, Any]]) -> dict[str, Callable[[], Any]]:
    data = json.dumps(records, separators=(",", ":")).encode()
    lines = [json.dumps(record, separators=(",", ":")).encode() for record in records]
    return {
        "json.loads": lambda: json.loads(data),
        "json.loads + object_pairs_hook": lambda: json.loads(data, object_pairs_hook=_pairs_hook),
        "jiter": lambda: jiter.from_json(data),
        "jiter, catch_duplicate_keys": lambda: jiter.from_json(data, catch_duplicate_keys=True),
        "parse_json": lambda: parse_json(data),
        "validate_json (loader before)": lambda: _REPORT_LIST.validate_json(data),
        "parse_json + validate_python (loader now)": lambda: _REPORT_LIST.validate_python(
            parse_json(data)
        ),
        "parse_json + validate_json": lambda: (
            parse_json(data),
            _REPORT_LIST.validate_json(data),
        ),
        "lines: json.loads": lambda: [json.loads(line) for line in lines],
        "lines: parse_json": lambda: [parse_json(line) for line in lines],
        "lines: object_pairs_hook": lambda: [
            json.loads(line, object_pairs_hook=_pairs_hook) for line in lines
        ],
    }


def best_times(functions: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """The best of `rounds` for each, the candidates interleaved so that a burst of load
    on the shared machine hits all of them alike."""
    best = dict.fromkeys(functions, float("inf"))
    enabled = gc.isenabled()
    gc.disable()  # as the loader runs (csrscore.gcpause)
    try:
        for _ in range(rounds):
            for name, function in functions.items():
                start = time.perf_counter()
                result = function()
                best[name] = min(best[name], time.perf_counter() - start)
                del result
                gc.collect()
    finally:
        if enabled:
            gc.enable()
    return best


def main(n: int) -> None:
    for label, records in (("synthetic", make_records(n)), ("realistic", spread(n))):
        size = len(json.dumps(records, separators=(",", ":")))
        times = best_times(candidates(records), rounds=7)
        print(f"{label}: {n} records, {size / 1e6:.1f} MB")
        base = times["json.loads"]
        for name, seconds in times.items():
            print(f"  {name:44s} {seconds * 1000:8.1f} ms  {seconds / base:5.2f}x json.loads")
        loader = times["parse_json + validate_python (loader now)"]
        before = times["validate_json (loader before)"]
        print(f"  whole-document load, now / before: {loader / before:.2f}x")


@pytest.mark.parametrize("kind", ["synthetic", "realistic"])
@pytest.mark.parametrize(
    "name",
    [
        "json.loads",
        "parse_json",
        "validate_json (loader before)",
        "parse_json + validate_python (loader now)",
    ],
)
def test_parse(benchmark: BenchmarkFixture, kind: str, name: str) -> None:
    records = make_records(2000) if kind == "synthetic" else spread(2000)
    function = candidates(records)[name]
    # pytest-benchmark ships py.typed but leaves `pedantic` unannotated.
    result = benchmark.pedantic(  # type: ignore[no-untyped-call]
        function, rounds=3, iterations=1, warmup_rounds=0
    )
    assert len(result) == 2000


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
