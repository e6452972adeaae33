"""The stages of a long run: a progress bar on a terminal, timings with --verbose.

The bar is rich's, on stderr, and only on a terminal (see `cli.terminal`). Nothing is drawn
during the first second, so quick runs stay silent; nothing at all when stderr is a pipe or
a file, under --quiet, or without rich, so logs stay clean.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType

from csrscore.cli import terminal

DELAY_SECONDS = 1.0


class Progress:
    def __init__(self, stages: list[str]) -> None:
        self.stages = stages
        self.index = 0
        self._bar = terminal.progress_bar()
        self._task = (
            None
            if self._bar is None
            else self._bar.add_task(stages[0] if stages else "", total=max(len(stages), 1))
        )
        self._timer: threading.Timer | None = None
        self._stage_started = time.perf_counter()
        self._timings: list[tuple[str, float]] = []

    def advance(self, stage: str) -> None:
        """Mark that `stage` has begun."""
        if stage not in self.stages:
            return
        self._close_stage()
        self.index = self.stages.index(stage)
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=self.index, description=stage)

    def _close_stage(self) -> None:
        now = time.perf_counter()
        if self.stages:
            self._timings.append((self.stages[self.index], now - self._stage_started))
        self._stage_started = now

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._timer = threading.Timer(DELAY_SECONDS, self._bar.start)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()
        if self._bar is not None:
            self._bar.stop()  # transient: the bar is erased, and output starts on a clean line
        if kind is None:
            self._close_stage()
            terminal.note(
                " · ".join(f"{stage} {seconds:.2f} s" for stage, seconds in self._timings)
            )
