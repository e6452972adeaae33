"""Writing a `ScoreTable` as JSON Lines or Parquet, atomically.

The rows go to a temporary file beside the target, which is renamed over it only once
complete: a run that fails (or is interrupted) part way leaves no partial output, and an
existing file stays as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from csrscore.chunked.table import ScoreTable
from csrscore.errors import InputError, Location
from csrscore.rank import RankMethod

__all__ = ["atomic_path", "write_table"]


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path in the target's folder, renamed to the target on success."""
    final = Path(target)
    try:
        handle, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", Location(str(final))) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_table(
    table: ScoreTable,
    target: str | os.PathLike[str],
    method: RankMethod = "competition",
    by: str | Sequence[str] | None = None,
) -> None:
    """Write one row per company with its rank and percentile: Parquet for a `.parquet`
    target (needs pyarrow), JSON Lines otherwise."""
    with atomic_path(target) as temporary:
        if Path(target).suffix.lower() in (".parquet", ".pq"):
            _write_parquet(table, temporary, method, by)
        else:
            with temporary.open("w", encoding="utf-8") as stream:
                for record in table.records(method, by):
                    stream.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")


def _write_parquet(
    table: ScoreTable, path: Path, method: RankMethod, by: str | Sequence[str] | None
) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("writing Parquet needs pyarrow: pip install 'csrscore[parquet]'") from None
    groups: Any = (
        pa.StructArray.from_arrays(
            [
                pa.array(table.group_scores[:, g] * 100.0, from_pandas=True)  # NaN -> null
                for g in range(len(table.group_ids))
            ],
            names=list(table.group_ids),
        )
        if table.group_ids
        else pa.nulls(len(table))
    )
    columns = {
        "company_id": pa.array(table.company_ids, pa.string()),
        "name": pa.array(table.names, pa.string()),
        "sector": pa.array(table.sectors, pa.string()),
        "country": pa.array(table.countries, pa.string()),
        "year": pa.array(table.years),
        "rank": pa.array(table.rank(method, by)),
        "percentile": pa.array(table.percentile(by)),
        "total": pa.array(np.asarray(table.totals)),
        "grade": pa.array(table.grades, pa.string()),
        "base": pa.array(np.asarray(table.base)),
        "groups": groups,
    }
    pq.write_table(pa.table(columns), path)
