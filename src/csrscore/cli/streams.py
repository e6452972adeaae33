"""The process around a command: its standard streams and Ctrl-C.

Every way the `csrscore` process can end is one line on stderr and a documented exit code:

- stdout closed (`csrscore rank ... >&-`): Python gives no `sys.stdout` at all; the first
  write says that standard output is closed (exit 1), and `-o FILE` still works.
- a write to stdout that fails (`> /dev/full`, an I/O error): one line, exit 1. The
  descriptor is then pointed at /dev/null so that Python's own flush at exit cannot fail
  a second time with an "Exception ignored" message.
- an encoding that cannot show a character (`PYTHONIOENCODING=ascii`, an old terminal):
  the table's typographic characters fall back to ASCII (a middle dot to `-`), any other
  is escaped visibly (`Soci\\xe9t\\xe9`): the output degrades, the command does not fail.
- Ctrl-C at any moment, including after the output is written while the process ends:
  one line and exit 130 (`end_on_interrupt`, `finish`). Only the interpreter's own start
  (before any csrscore code runs) is beyond reach; see `_csrscore_launch` for the imports.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import signal
import sys
from types import FrameType
from typing import Any

from csrscore.errors import CsrscoreError

ERROR_HANDLER = "csrscore-fallback"
INTERRUPTED = "csrscore: interrupted"
EXIT_INTERRUPTED = 130

# Characters the tables and messages use, written in ASCII where the encoding lacks them.
_ASCII = {
    "\u00b7": "-",  # middle dot
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u2026": "...",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u00d7": "x",
    "\u2212": "-",  # minus sign
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00a0": " ",
}


class OutputError(CsrscoreError):
    """Standard output could not be written (closed, full disk, I/O error)."""


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_ASCII.get(char, char.encode("unicode_escape").decode()) for char in text), (
        error.end
    )


codecs.register_error(ERROR_HANDLER, _fallback)


class _GuardedStdout(io.TextIOBase):
    """stdout as the commands see it: a failed write is an `OutputError`, not a traceback.

    A broken pipe (`| head`) stays a `BrokenPipeError`: that reader went away on purpose.
    """

    def __init__(self, stream: Any) -> None:
        super().__init__()
        self._stream = stream

    def _fail(self, exc: OSError | None) -> OutputError:
        if self._stream is not None:
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, self._stream.fileno())
                os.close(devnull)
        if exc is None:
            return OutputError(
                "standard output is closed; redirect it (> FILE) or write with -o FILE"
            )
        return OutputError(f"cannot write to standard output: {exc.strerror or exc}")

    def write(self, text: str) -> int:
        if self._stream is None:
            raise self._fail(None)
        try:
            written: int = self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._fail(exc) from None
        return written

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._fail(exc) from None

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._stream is not None and bool(self._stream.isatty())

    def fileno(self) -> int:
        if self._stream is None:
            raise OSError("standard output is closed")
        descriptor: int = self._stream.fileno()
        return descriptor

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._stream, "encoding", None) or "utf-8")

    @property
    def buffer(self) -> object:
        if self._stream is None:
            raise self._fail(None)
        return self._stream.buffer


def prepare() -> None:
    """Set up the real process's streams (not used in-process, where tests own them)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=ERROR_HANDLER)
    if sys.stderr is None:  # nowhere to say anything; keep prints from failing
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.stdout = _GuardedStdout(sys.stdout)


def flush() -> None:
    """Flush stdout while errors can still be reported (raises `OutputError`)."""
    sys.stdout.flush()


def say_interrupted() -> None:
    with contextlib.suppress(Exception):
        print(INTERRUPTED, file=sys.stderr, flush=True)


def end_on_interrupt() -> None:
    """From now on, Ctrl-C ends the process at once with one line and exit 130, instead of
    raising KeyboardInterrupt into whatever code runs (for use once the work is done)."""
    signal.signal(signal.SIGINT, _interrupted_now)


def finish(code: int) -> None:
    """End the process with `code`, stdout and stderr flushed.

    Python's own shutdown after `sys.exit` restores the default SIGINT handler, so a Ctrl-C
    during it would kill the process without a word (or, earlier, print a traceback and
    keep exit 0). The work and its output are complete here, so the process ends at once.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _interrupted_now(_signum: int, _frame: FrameType | None) -> None:
    with contextlib.suppress(Exception):
        os.write(2, (INTERRUPTED + "\n").encode())
    os._exit(EXIT_INTERRUPTED)
