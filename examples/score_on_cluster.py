"""Score a million SYNTHETIC company-years on a Dask cluster, from a partitioned Parquet dataset.

Every record is invented: each is one of the 60 shipped example reports
(examples/reports.json, themselves synthetic) under a new company id, with some
disclosures dropped and some figures scaled at random, so the totals spread out like a
real index's while many ties remain.

    python examples/score_on_cluster.py                      # 1M records, 2 local workers
    python examples/score_on_cluster.py --n 20000 --workers 2
    python examples/score_on_cluster.py --scheduler tcp://scheduler:8786 --data /shared/reports

Needs the `dask` extra: pip install 'csrscore[dask]'. With --scheduler, --data must be a
folder every worker can read at the same path (see docs/cluster.md).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from csrscore.dask import score_dask
from csrscore.records.stream import JSON_COLUMNS, write_parquet

EXAMPLES = Path(__file__).resolve().with_name("reports.json")
VARIANTS = 32  # distinct synthetic versions of each example report


def _variant(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A copy of an example report with ~15% of its disclosures dropped and ~30% of its
    figures changed."""
    copy: dict[str, Any] = json.loads(json.dumps(record))
    disclosures = copy["disclosures"]
    for key in list(disclosures):
        roll = rng.random()
        if roll < 0.15:
            del disclosures[key]
        elif roll < 0.45 and not key.endswith("_year"):  # a scaled year is no year
            disclosures[key] = _changed(disclosures[key], rng)
    return copy


def _changed(disclosure: Any, rng: random.Random) -> Any:
    if isinstance(disclosure, dict) and "value" in disclosure:
        return {**disclosure, "value": _changed(disclosure["value"], rng)}
    if isinstance(disclosure, bool):
        return not disclosure
    if isinstance(disclosure, (int, float)):
        # A value that could be a percentage stays one (the catalog's shares are 0 to 100).
        scaled = round(
            disclosure * rng.uniform(0.5, 1.5), 1 if isinstance(disclosure, float) else None
        )
        return min(100, scaled) if disclosure <= 100 else scaled
    return disclosure


def _encoded(record: dict[str, Any]) -> dict[str, Any]:
    return {
        key: json.dumps(value) if key in JSON_COLUMNS else value for key, value in record.items()
    }


def generate(n: int, folder: Path, files: int, seed: int = 0) -> list[Path]:
    """Write `n` synthetic records as `files` Parquet files in `folder`; the same seed, the
    same data. One file's records are built at a time, so memory stays small."""
    data = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    examples: list[dict[str, Any]] = data["reports"] if isinstance(data, dict) else data
    rng = random.Random(seed)
    # The JSON columns are encoded once per variant, not once per record.
    variants = [[_encoded(_variant(record, rng)) for _ in range(VARIANTS)] for record in examples]
    folder.mkdir(parents=True, exist_ok=True)
    per_file = -(-n // files)
    written = []
    for number, start in enumerate(range(0, n, per_file)):
        rows = []
        for index in range(start, min(n, start + per_file)):
            example, copy = index % len(examples), index // len(examples)
            record = dict(variants[example][copy % VARIANTS])
            company = dict(record["company"])
            company["id"] = f"{company['id']}-{copy}"
            rows.append({**record, "company": company})
        path = folder / f"part-{number:05d}.parquet"
        write_parquet(rows, path)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="records (default 1M)")
    parser.add_argument("--files", type=int, default=20, help="Parquet files (partitions)")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler instead")
    parser.add_argument("--data", type=Path, help="folder for the dataset (default: a temp one)")
    parser.add_argument("--output", "-o", type=Path, help="write the scores here (.parquet)")
    parser.add_argument("--rubric", default="iso26000")
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.data or Path(scratch) / "reports"
        started = time.perf_counter()
        if not any(folder.glob("*.parquet")):
            generate(args.n, folder, args.files)
        print(f"data: {folder} ({time.perf_counter() - started:.1f} s)")
        if args.scheduler:
            client = Client(args.scheduler)
            cluster = None
        else:
            cluster = LocalCluster(
                n_workers=args.workers, threads_per_worker=1, dashboard_address=None
            )
            client = Client(cluster)
        try:
            started = time.perf_counter()
            table = score_dask(str(folder / "*.parquet"), args.rubric)
            seconds = time.perf_counter() - started
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        print(
            f"scored {len(table)} company-years, {len(table.rejected)} rejected, "
            f"in {seconds:.1f} s ({len(table) / seconds:,.0f} a second)"
        )
        ranks = table.rank(by="year")
        best = sorted(range(len(table)), key=lambda i: (ranks[i], table.company_ids[i]))[:5]
        for i in best:
            print(f"  {ranks[i]:>6}  {table.company_ids[i]:<36} {table.totals[i]:7.2f}")
        if args.output:
            from csrscore.chunked import write_table

            write_table(table, args.output, by="year")
            print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
