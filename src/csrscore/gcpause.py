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
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
