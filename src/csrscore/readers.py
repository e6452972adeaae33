"""Readers of other formats for `load_reports`, named now and imported on the first load.

The table readers (`csrscore.io`: CSV, XLSX, Parquet, data frames) register themselves
with `records.load.register_reader` when their module is imported. `import csrscore` only
names that module here, and the loader imports what is named before its first read, so a
program that never loads reports does not pay for the readers, and the records layer never
imports a higher one.
"""

from __future__ import annotations

import importlib

_PENDING: list[str] = []


def provide(module: str) -> None:
    """Import `module` (which registers readers) before the next load."""
    if module not in _PENDING:
        _PENDING.append(module)


def import_pending() -> None:
    while _PENDING:
        importlib.import_module(_PENDING.pop(0))
