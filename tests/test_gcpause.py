"""The collector pause around bulk work, and promotion of what it loads."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from csrscore import load_reports
from csrscore.gcpause import paused_gc
from tests.cli.runner import EXAMPLES, ROOT


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _generation_of(target: object) -> int | None:
    # Listing a generation allocates, which could start a collection and move objects.
    gc.disable()
    try:
        for generation in range(3):
            if any(obj is target for obj in gc.get_objects(generation=generation)):
                return generation
        return None
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_on")
@pytest.mark.parametrize("promote", [False, True])
def test_the_collector_is_off_inside_and_restored_after(promote: bool) -> None:
    with paused_gc(promote=promote):
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc(promote=promote):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_on")
def test_promotion_moves_what_the_block_made_to_the_oldest_generation() -> None:
    gc.collect()
    with paused_gc():
        young = [[i] for i in range(10)]
    assert _generation_of(young) == 0
    with paused_gc(promote=True):
        promoted = [[i] for i in range(10)]
    assert _generation_of(promoted) == 2
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("collector_on")
def test_promotion_leaves_objects_the_program_froze_alone() -> None:
    gc.collect()
    frozen = [[1], [2]]
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with paused_gc(promote=True):
            young = [[i] for i in range(10)]
        assert gc.get_freeze_count() == before
        assert _generation_of(young) == 0
        assert _generation_of(frozen) is None  # still in the permanent generation
    finally:
        gc.unfreeze()


@pytest.mark.usefixtures("collector_on")
def test_loaded_reports_start_in_the_oldest_generation() -> None:
    loaded = load_reports(ROOT / EXAMPLES)
    assert _generation_of(loaded.reports[0]) == 2
    assert gc.get_freeze_count() == 0
