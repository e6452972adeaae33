"""One timed table read in a fresh interpreter, so its peak memory is its own.

    python -m benchmarks.tables_child MODE PATH

Modes: `arrow-csv` (pyarrow's CSV reader alone), `openpyxl` (openpyxl's plain read-only
read of every cell), `score` (csrscore.read_table and score with the iso26000 rubric).
Prints one JSON object: seconds (wall), cpu seconds, rows and peak RSS in KiB.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.engine_e2e import peak_rss_kib


def run(mode: str, path: Path) -> dict[str, Any]:
    if mode == "score":
        import csrscore

        rubric = csrscore.load_rubric("iso26000")
    wall, cpu = time.perf_counter(), time.process_time()
    if mode == "arrow-csv":
        import pyarrow.csv

        rows = pyarrow.csv.read_csv(path).num_rows
    elif mode == "openpyxl":
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = sum(len(list(sheet.iter_rows(values_only=True))) for sheet in workbook) - 1
        workbook.close()
    else:
        scores = csrscore.score(csrscore.read_table(path), rubric)
        rows = len(scores) + len(scores.rejected)
    return {
        "seconds": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rows": rows,
        "peak_rss_kib": peak_rss_kib(),
    }


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], Path(sys.argv[2]))))
