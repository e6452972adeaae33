"""A compiled rubric crosses process boundaries (Dask ships it to workers): its RE2
patterns are pickled by their text and compiled again, matching as before."""

from __future__ import annotations

import pickle

from csrscore.compile.plan import compile_rubric
from csrscore.rubric import load_rubric
from csrscore.rubric.regex import compile_pattern


def test_pattern_round_trips() -> None:
    copy = pickle.loads(pickle.dumps(compile_pattern("(?i)^alpha|ray$")))
    assert copy.pattern == "(?i)^alpha|ray$"
    assert copy.found_in("ALPHA one")
    assert copy.found_in("gamma ray")
    assert not copy.found_in("beta")


def test_compiled_shipped_rubrics_round_trip() -> None:
    for name in ("iso26000", "citi"):
        plan = compile_rubric(load_rubric(name))
        copy = pickle.loads(pickle.dumps(plan))
        assert copy.criterion_ids == plan.criterion_ids
        assert copy.rubric.content_hash == plan.rubric.content_hash
