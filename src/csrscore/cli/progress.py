"""A progress bar on stderr for long runs, shown only on a terminal.

Nothing is drawn during the first second, so quick runs stay silent, and nothing at all
when stderr is a pipe or a file, so logs stay clean.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

DELAY_SECONDS = 1.0
WIDTH = 24


class Progress:
    def __init__(self, stages: list[str], stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.stages = stages
        self.index = 0
        self.enabled = self.stream.isatty()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = time.monotonic()
        self._drawn = False

    def advance(self, stage: str) -> None:
        """Mark that `stage` has begun."""
        if stage in self.stages:
            self.index = self.stages.index(stage)

    def _draw(self) -> None:
        done = self.index / max(len(self.stages), 1)
        filled = int(done * WIDTH)
        bar = "=" * filled + ">" + " " * (WIDTH - filled - 1)
        elapsed = time.monotonic() - self._started
        stage = self.stages[self.index] if self.stages else ""
        self.stream.write(f"\r[{bar[:WIDTH]}] {stage} {elapsed:5.1f}s ")
        self.stream.flush()
        self._drawn = True

    def _run(self) -> None:
        if self._stop.wait(DELAY_SECONDS):
            return
        while not self._stop.wait(0.1):
            self._draw()

    def __enter__(self) -> Progress:
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._drawn:
            self.stream.write("\r" + " " * (WIDTH + 30) + "\r")
            self.stream.flush()
