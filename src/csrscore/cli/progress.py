"""The stages of a long run: a progress bar on a terminal, timings with --verbose.

The bar is drawn on stderr, and only when stderr is a terminal (see `cli.terminal`).
Nothing is drawn during the first second, so quick runs stay silent; nothing at all when
stderr is a pipe or a file, or under --quiet, so logs and piped output stay clean. With
rich (the `cli` extra) it is rich's bar; without it, one plain line (`csrscore: loading
45%`) rewritten in place. Either is erased before the command prints its output.

What a stage has done comes from the library (`csrscore.progress`): records validated
while loading. A stage the library says nothing about (scoring) shows as running, without a
share; `sensitivity` moves through its own stages as its `progress` callback reports.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from types import TracebackType

from csrscore import progress
from csrscore.cli import terminal

DELAY_SECONDS = 1.0
DELAY_VARIABLE = "CSRSCORE_PROGRESS_DELAY"


def delay_seconds() -> float:
    """How long a run stays silent before its bar appears: `CSRSCORE_PROGRESS_DELAY` when it
    is a finite number of seconds >= 0, else one second. A terminal recorder or a screen test
    sets it to keep a slow machine's run free of the bar; anything unreadable is ignored
    rather than fatal, as a display setting should be."""
    try:
        chosen = float(os.environ.get(DELAY_VARIABLE, ""))
    except ValueError:
        return DELAY_SECONDS
    return chosen if 0 <= chosen < float("inf") else DELAY_SECONDS
PLAIN_REFRESH_SECONDS = 0.2


class Progress:
    """`with Progress(["loading", "scoring"]) as bar:` ... `bar.advance("scoring")` ..."""

    def __init__(self, stages: list[str], *, timings: bool = True) -> None:
        self.stages = stages
        self._note_timings = timings  # with --verbose
        self.index = 0
        self._lock = threading.Lock()
        self._stage = stages[0] if stages else ""
        self._done = 0
        self._total: int | None = None  # None: the stage's share is not known
        self._bar = terminal.progress_bar()
        self._plain = None if self._bar is not None else _PlainLine.if_wanted()
        # A task per stage: rich cannot turn a task with a total back into one without.
        self._task = None if self._bar is None else self._bar.add_task(self._stage, total=None)
        self._timer: threading.Timer | None = None
        self._stage_started = time.perf_counter()
        self._timings: list[tuple[str, float]] = []
        self._listening = progress.listening(self._reported)
        self._outer: Progress | None = None

    def advance(self, stage: str) -> None:
        """Mark that `stage` has begun."""
        if stage not in self.stages:
            return
        self._close_stage()
        self.index = self.stages.index(stage)
        with self._lock:
            self._begin(stage)

    def _begin(self, stage: str) -> None:
        self._stage, self._done, self._total = stage, 0, None
        if self._bar is not None:
            if self._task is not None:
                self._bar.update(self._task, visible=False)
            self._task = self._bar.add_task(stage, total=None)

    def _reported(self, stage: str, done: int, total: int) -> None:
        """From the library, possibly on a worker thread: `done` more units of `stage`."""
        with self._lock:
            if stage != self._stage:
                self._begin(stage)
            self._done += done
            self._total = total
            if self._bar is not None and self._task is not None:
                self._bar.update(self._task, completed=self._done, total=total)

    def line(self) -> str:
        """The stage and its share done, as the plain line shows them."""
        with self._lock:
            stage, done, total = self._stage, self._done, self._total
        share = f" {100 * done // total}%" if total else ""
        return f"{stage}{share}"

    def _close_stage(self) -> None:
        now = time.perf_counter()
        if self.stages:
            self._timings.append((self.stages[self.index], now - self._stage_started))
        self._stage_started = now

    def _start(self) -> None:
        if self._bar is not None:
            self._bar.start()
        elif self._plain is not None:
            self._plain.start(self.line)

    def __enter__(self) -> Progress:
        global _active
        self._outer, _active = _active, self
        self._listening.__enter__()
        if self._bar is not None or self._plain is not None:
            self._timer = threading.Timer(delay_seconds(), self._start)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        global _active
        _active = self._outer
        self._listening.__exit__(kind, error, trace)
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()
        if self._bar is not None:
            self._bar.stop()  # transient: the bar is erased, and output starts on a clean line
        if self._plain is not None:
            self._plain.stop()
        if kind is None and self._note_timings:
            self._close_stage()
            terminal.note(
                " · ".join(f"{stage} {seconds:.2f} s" for stage, seconds in self._timings)
            )


_active: Progress | None = None  # the bar of the command running, if it draws one


def loading() -> AbstractContextManager[object]:
    """A bar for a command's loading alone, unless one shows the whole run already."""
    return nullcontext() if _active is not None else Progress(["loading"], timings=False)


class _PlainLine:
    """The bar without rich: `csrscore: STAGE NN%` on the stderr terminal, rewritten in
    place a few times a second by a daemon thread, and erased at the end."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._width = 0

    @classmethod
    def if_wanted(cls) -> _PlainLine | None:
        """A plain line when stderr is a terminal, rich is missing and not --quiet."""
        if terminal.current().quiet or not sys.stderr.isatty():
            return None
        try:
            import rich  # noqa: F401
        except ImportError:
            return cls()
        return None  # rich is there, but the command chose no bar (NO_COLOR does not stop it)

    def start(self, line: Callable[[], str]) -> None:
        def draw() -> None:
            while True:
                self._write(f"{terminal.PROGRAM}: {line()}")
                if self._stop.wait(PLAIN_REFRESH_SECONDS):
                    return

        self._thread = threading.Thread(target=draw, daemon=True)
        self._thread.start()

    def _write(self, text: str) -> None:
        padding = " " * max(0, self._width - len(text))
        sys.stderr.write(f"\r{text}{padding}")
        sys.stderr.flush()
        self._width = len(text)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            sys.stderr.write("\r" + " " * self._width + "\r")
            sys.stderr.flush()
