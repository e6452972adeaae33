"""Reading an input file or stream whole, within a size limit, refusing what is not data.

Every input (reports, rubrics, catalogs) is untrusted and may be anything a path can name:
`/dev/zero` or `/dev/urandom` never end, a symbolic link can lead to either, a folder or a
socket cannot be read as text. Only regular files and pipes (and a terminal on stdin) are
read; a regular file larger than the limit is refused before reading, a pipe as soon as it
passes the limit, and a NUL byte in the first block marks binary data, which no JSON or
YAML text holds.
"""

from __future__ import annotations

import os
import re
import stat
from typing import IO, Any

__all__ = [
    "BINARY_PROBE",
    "RefusedInputError",
    "describe_size",
    "read_bounded",
    "read_stream",
    "refuse_url",
]

BINARY_PROBE = 64 * 1024
_CHUNK = 1024 * 1024
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


class RefusedInputError(Exception):
    """Why an input was not read; the caller adds the location and its error class."""


def describe_size(size: int) -> str:
    """`1 GiB` for a round size (limits are), else the exact count of bytes."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def refuse_url(name: str) -> None:
    """Nothing is fetched from the network: a URL would otherwise be read as a path (with
    its `//` collapsed) and fail as a missing file."""
    if _URL.match(name):
        raise RefusedInputError("URLs are not supported; download the file and give its path")


def read_bounded(
    path: str | os.PathLike[str], limit: int, raise_hint: str = "", *, binary: bool = False
) -> bytes:
    """The bytes of the file at `path` (symbolic links followed), at most `limit` of them.
    `binary` formats (XLSX, Parquet) skip the NUL-byte check that refuses binary data."""
    if os.fspath(path) == "":
        raise RefusedInputError("no file name given")
    refuse_url(os.fspath(path))
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise RefusedInputError(exc.strerror or str(exc)) from None
    if stat.S_ISDIR(os.fstat(descriptor).st_mode):  # Linux opens a folder; fdopen would fail
        os.close(descriptor)
        raise RefusedInputError("is a folder, not a file")
    with os.fdopen(descriptor, "rb") as handle:
        return read_stream(handle, limit, raise_hint, binary=binary)


def read_stream(
    handle: IO[bytes] | Any, limit: int, raise_hint: str = "", *, binary: bool = False
) -> bytes:
    """The bytes of an open binary stream, checked as `read_bounded` checks a file."""
    info = _stat(handle)
    if info is not None:
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise RefusedInputError("is a folder, not a file")
        if stat.S_ISREG(mode) and info.st_size > limit:
            shown = describe_size(info.st_size)
            raise RefusedInputError(_too_large(f"is {shown}, above", limit, raise_hint))
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or _is_terminal(handle)):
            raise RefusedInputError(f"is {_kind(mode)}, not a regular file or a pipe")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = handle.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        if not binary and size < BINARY_PROBE and b"\x00" in chunk[: BINARY_PROBE - size]:
            offset = size + chunk.index(b"\x00")
            raise RefusedInputError(f"holds binary data (a NUL byte at offset {offset}), not text")
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise RefusedInputError(_too_large("is larger than", limit, raise_hint))
    return b"".join(chunks)


def _too_large(what: str, limit: int, raise_hint: str) -> str:
    hint = f"; {raise_hint}" if raise_hint else ""
    return f"the input {what} the limit of {describe_size(limit)}{hint}"


def _stat(handle: Any) -> os.stat_result | None:
    try:
        return os.fstat(handle.fileno())
    except (AttributeError, OSError, ValueError):  # in-memory streams have no descriptor
        return None


def _is_terminal(handle: Any) -> bool:
    try:
        return bool(handle.isatty())
    except (AttributeError, ValueError):
        return False


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
