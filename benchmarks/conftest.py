"""Collects benchmark timings and prints records/s and the ratio to `json.loads`."""

from __future__ import annotations

from collections import defaultdict

import pytest

# size label -> what was timed -> (records, best seconds)
TIMINGS: defaultdict[str, dict[str, tuple[int, float]]] = defaultdict(dict)

BASELINE = "json.loads"


@pytest.fixture
def timings() -> defaultdict[str, dict[str, tuple[int, float]]]:
    return TIMINGS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TIMINGS:
        return
    terminalreporter.section("report loading: records/s (best round)")
    for size, rows in TIMINGS.items():
        baseline = rows.get(BASELINE)
        for name, (records, seconds) in rows.items():
            ratio = ""
            if baseline is not None and name != BASELINE:
                ratio = f"  {seconds / baseline[1]:5.2f}x the time of json.loads"
            rate = f"{records / seconds:>10,.0f} records/s"
            terminalreporter.write_line(f"{size:>5} {name:<32} {seconds:8.3f} s {rate}{ratio}")
