"""Writing `-o FILE` without destroying what should survive.

- A device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written in place: replacing it
  with a regular file would, as root, destroy `/dev/null` for the whole machine.
- A symbolic link is followed: the file it points to is replaced, and the link stays.
- A regular file is replaced atomically: a temporary file in the same folder, then a rename,
  so a reader never sees half a ranking. SIGTERM and SIGHUP during the write remove the
  temporary file before the process ends, as Ctrl-C already did.
- A read-only file, a folder, and a file this run read its reports from are refused.
- A folder of files (`report -o DIR`, Parquet tables) is written into a temporary folder
  beside it, then moved in: a failure never leaves half a site (`write_folder`).
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from types import FrameType

from csrscore.errors import InputError, Location

# Files the current command read its input from (filled by cli.reports.read_reports).
_INPUTS: set[Path] = set()


def protect_input(name: str) -> None:
    """Remember that this run reads `name`, so that `-o` never overwrites it."""
    with suppress(OSError):
        _INPUTS.add(Path(name).resolve())


def forget_inputs() -> None:
    """Start a command with no protected inputs (main() runs several in one test process)."""
    _INPUTS.clear()


def write_file(text: str, output: str) -> None:
    target, status = _checked_target(output)
    if status is not None and not stat.S_ISREG(status.st_mode):
        _write_in_place(text, target, output)
        return

    def fill(handle: int, _temporary: str) -> None:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            write_text(stream, text)

    _replace_atomically(target, output, status, fill)


def write_binary(output: str, write: Callable[[Path], None]) -> None:
    """`-o FILE` for a file a library writes by path (XLSX): the same rules as text."""
    target, status = _checked_target(output)
    if status is not None and not stat.S_ISREG(status.st_mode):
        _guarded(lambda: write(target), output)
        return

    def fill(handle: int, temporary: str) -> None:
        os.close(handle)
        write(Path(temporary))

    _replace_atomically(target, output, status, fill)


def write_folder(output: str, write: Callable[[Path], None]) -> None:
    """`-o DIR` for a folder of files (the report site, Parquet tables), never half-written.

    `write` fills a new temporary folder beside the target; only when it has finished are
    its files moved into the target, one rename each, with SIGINT, SIGTERM and SIGHUP held
    back meanwhile. A failure or a signal before that leaves the target as it was and no
    temporary folder. Files already in the target that this run does not write are kept.
    """
    if not output:
        raise InputError("the output path is empty", Location(source="-o"))
    target = Path(output).resolve()
    if target.exists() and not target.is_dir():
        raise InputError("is a file; give a folder", Location(source=output))
    if target == target.parent:
        raise InputError("is the root folder; give a folder of its own", Location(source=output))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=".csrscore-", suffix=".tmp"))
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", Location(source=output)) from None
    try:
        with _signals_end_the_write():
            try:
                write(temporary)
            except InputError as exc:  # name the files as the user will find them
                source = (exc.location.source or "").replace(str(temporary), output)
                raise InputError(exc.message, replace(exc.location, source=source)) from None
            except OSError as exc:  # a full disk, from a library's own writer
                raise InputError(
                    f"cannot write: {exc.strerror or exc}", Location(source=output)
                ) from None
        _guarded(lambda: _move_into(temporary, target), output)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _move_into(source: Path, target: Path) -> None:
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        target.mkdir(exist_ok=True)
        for folder, _subfolders, files in os.walk(source):
            destination = target / Path(folder).relative_to(source)
            destination.mkdir(exist_ok=True)
            for name in files:
                os.replace(Path(folder) / name, destination / name)
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _guarded(action: Callable[[], None], output: str) -> None:
    try:
        action()
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", Location(source=output)) from None


def _checked_target(output: str) -> tuple[Path, os.stat_result | None]:
    """The file `-o` names (symbolic links followed) and its status (None if new), after
    refusing an empty name, a folder, an input of this run and a read-only file."""
    if not output:
        raise InputError("the output path is empty", Location(source="-o"))
    target = Path(output).resolve()  # through symbolic links, to the file they name
    try:
        status = target.stat()
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", Location(source=output)) from None
    if status is None or not stat.S_ISREG(status.st_mode):
        if status is not None and stat.S_ISDIR(status.st_mode):
            raise InputError("is a folder; give a file name", Location(source=output))
        return target, status
    if target in _INPUTS:
        raise InputError(
            "is the file the reports are read from; write the results elsewhere",
            Location(source=output),
        )
    if not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        # Checked on the mode bits, not with os.access: root may write anything, but a
        # file someone made read-only is not meant to be replaced.
        raise InputError("is read-only; refusing to replace it", Location(source=output))
    return target, status


def _write_in_place(text: str, target: Path, output: str) -> None:
    try:
        with open(target, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", Location(source=output)) from None


def _replace_atomically(
    target: Path,
    output: str,
    status: os.stat_result | None,
    fill: Callable[[int, str], None],
) -> None:
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".csrscore-", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", Location(source=output)) from None
    try:
        with _signals_end_the_write():
            fill(handle, temporary)  # closes the handle
            # mkstemp creates 0600; give the file the mode the replaced file or open() had.
            os.chmod(temporary, _mode(status))
            os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        # A full disk or a failed rename: one located line, and the old file as it was.
        raise InputError(
            f"cannot write: {exc.strerror or exc}", Location(source=output)
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(stream: object, text: str) -> None:
    """One write of the whole text (a seam the tests use to interrupt a write)."""
    stream.write(text)  # type: ignore[attr-defined]


def _mode(status: os.stat_result | None) -> int:
    if status is not None:
        return status.st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class _Ended(BaseException):
    """Raised by SIGTERM or SIGHUP during a write, so the temporary file is removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _signals_end_the_write() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def end(signum: int, _frame: FrameType | None) -> None:
        raise _Ended(signum)

    caught = (signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, end) for signum in caught}
    try:
        yield
    except _Ended as ended:
        # The caller removes the temporary file on the way out; end as the signal would have.
        raise SystemExit(128 + ended.signum) from None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
