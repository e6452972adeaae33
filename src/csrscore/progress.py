"""Progress of long work inside the library, for whoever shows it (the CLI's bar).

A loop that can run for seconds (validating records, ranking sensitivity samples) calls
`advance(stage, done, total)` every so often: `done` more units of the stage's `total`
are finished. Nobody listens by default, and then a call costs one global look-up. The
command line listens (`listening`) while a command runs and draws a progress bar on a
terminal. Calls may come from worker threads; a listener must accept that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

# stage ("loading", "sampling", ...), units just done, the stage's total units
Listener = Callable[[str, int, int], None]

_listener: Listener | None = None


def advance(stage: str, done: int, total: int) -> None:
    """Report that `done` more of the `total` units of `stage` are finished."""
    listener = _listener
    if listener is not None:
        listener(stage, done, total)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Send every `advance` to `listener` until the block ends."""
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous


def counted(items: Sequence[T], stage: str, every: int = 1024) -> Iterator[T]:
    """`items`, reporting them to `stage` `every` at a time (and the rest at the end)."""
    total = len(items)
    if _listener is None:
        yield from items
        return
    reported = 0
    for index, item in enumerate(items, start=1):
        yield item
        if index - reported >= every:
            advance(stage, index - reported, total)
            reported = index
    if total > reported:
        advance(stage, total - reported, total)
