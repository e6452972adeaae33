"""Start-up time: `import csrscore` and short commands, before and after a change, in one run.

    python -m benchmarks.bench_import [--before REF] [--runs 10]

Each case runs in a fresh interpreter, `--runs` times per tree, the two trees alternating
so that the shared machine's drift hits both alike; the table gives each tree's median
wall time and their ratio. The trees are the working tree (`src/`) and, with `--before`,
the `src/`, `rubrics/`, `schemas/` and `examples/` of a git commit, extracted to a
temporary directory and put first on PYTHONPATH. `-X importtime` adds, per tree, the
cumulative import time the interpreter reports for `import csrscore`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name -> Python code run with `python -c`
CASES: dict[str, str] = {
    "import csrscore": "import csrscore",
    "from csrscore import score, load_reports, load_rubric": (
        "from csrscore import score, load_reports, load_rubric"
    ),
    "csrscore --help": "from csrscore.cli.main import main; main(['--help'])",
    "csrscore --version": "from csrscore.cli.main import main; main(['--version'])",
    "csrscore rubric check rubrics/citi.yaml": (
        "from csrscore.cli.main import main; main(['rubric', 'check', 'rubrics/citi.yaml'])"
    ),
    "csrscore validate examples/reports.json": (
        "from csrscore.cli.main import main; main(['validate', 'examples/reports.json'])"
    ),
    "csrscore rank examples/reports.json": (
        "from csrscore.cli.main import main; main(['rank', 'examples/reports.json'])"
    ),
}


def extract(ref: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", ref, "src", "rubrics", "schemas", "examples"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def run_once(tree: Path, code: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, check=False
    )
    return time.perf_counter() - start


def importtime(tree: Path) -> float:
    """Seconds `-X importtime` reports for `import csrscore`, cumulative."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import csrscore"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in done.stderr.splitlines():
        fields = [field.strip() for field in line.removeprefix("import time:").split("|")]
        if len(fields) == 3 and fields[2] == "csrscore":
            return int(fields[1]) / 1e6
    raise RuntimeError("csrscore not in the -X importtime output")


def measure(trees: dict[str, Path], runs: int) -> dict[str, dict[str, list[float]]]:
    times: dict[str, dict[str, list[float]]] = {case: {n: [] for n in trees} for case in CASES}
    for code in CASES.values():  # untimed: writes the extracted tree's bytecode
        for tree in trees.values():
            run_once(tree, code)
    for _ in range(runs):
        for case, code in CASES.items():
            for name, tree in trees.items():
                times[case][name].append(run_once(tree, code))
    return times


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--before", help="a git commit to compare with (default: none)")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="csrscore-import-") as temporary:
        trees = {"now": ROOT}
        if args.before:
            trees = {"before": extract(args.before, Path(temporary)), **trees}
        print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        times = measure(trees, args.runs)
        cumulative = {name: importtime(tree) for name, tree in trees.items()}
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    names = list(trees)
    header = " | ".join(f"{name} (median of {args.runs}, s)" for name in names)
    print(f"case | {header}" + (" | ratio" if len(names) == 2 else ""))
    for case, by_tree in times.items():
        medians = [statistics.median(by_tree[name]) for name in names]
        cells = " | ".join(f"{m:.3f}" for m in medians)
        ratio = f" | {medians[0] / medians[1]:.1f}x" if len(names) == 2 else ""
        print(f"{case} | {cells}{ratio}")
    cells = " | ".join(f"{cumulative[name]:.3f}" for name in names)
    print(f"-X importtime, import csrscore (cumulative) | {cells}")


if __name__ == "__main__":
    main()
