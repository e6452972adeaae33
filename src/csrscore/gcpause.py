"""Pausing Python's cyclic garbage collector around bulk work.

Loading, scoring and explaining allocate millions of small objects without reference
cycles. While they run, the collector would rescan every live object (including the whole
report set) again and again; measured, that was a quarter of the load time at 10k reports
and made explaining a large set quadratic. Reference counting still frees everything.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc(*, promote: bool = False) -> Iterator[None]:
    """The collector off for the block, back to its previous state after.

    With `promote`, everything the block allocated (with every other tracked object) moves
    straight to the oldest generation when it ends: for a freshly loaded report set, which
    lives on, this skips the young and then middle collections that would each walk its
    million objects (0.4-0.5 s apiece at 10k reports) only to keep them all. It is done
    with `gc.freeze()` and `gc.unfreeze()`, which splice the generation lists in constant
    time, and skipped when the program has frozen objects of its own, which unfreezing
    would release.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if promote and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
