"""The progress bar of loads and sensitivity runs, seen on a real pseudo-terminal.

The command runs in a child process whose stderr (and stdout, unless given) is a `pty`,
as in a user's shell. The bar's one-second delay is set to 0 in the child, so that a run of
a second or two on this machine shows it; everything else is the real command. The shares
come from the library: records validated while loading (`csrscore.progress`), the share of
the sampling done (`sensitivity(..., progress=)`).
"""

from __future__ import annotations

import copy
import errno
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import csrscore.progress
from tests.cli.runner import ROOT

SHARE = re.compile(r"\b\d{1,3}%")
NO_DELAY = "import csrscore.cli.progress as bar; bar.DELAY_SECONDS = 0\n"
WITHOUT_RICH = "import sys; sys.modules['rich'] = None\n"
RUN = "from csrscore.cli.main import run; run()"


def child(argv: tuple[str, ...], prelude: str) -> list[str]:
    return [sys.executable, "-c", prelude + RUN, *argv]


def on_terminal(
    argv: tuple[str, ...], prelude: str = NO_DELAY, stdout: Any = None
) -> tuple[int, str]:
    """Run `csrscore ARGV` with stderr (and stdout unless given) on a pseudo-terminal;
    its exit code and what the terminal received."""
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    process = subprocess.Popen(
        child(argv, prelude),
        cwd=ROOT,
        env={**env, "TERM": "xterm-256color"},
        stdin=subprocess.DEVNULL,
        stdout=secondary if stdout is None else stdout,
        stderr=secondary,
    )
    os.close(secondary)
    received = bytearray()
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError as error:  # EIO: the child closed the terminal
            if error.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        received += chunk
    os.close(primary)
    return process.wait(timeout=300), received.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def big_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """4,000 copies of the shipped examples (about 40 MB), as JSON Lines and a JSON
    array: loading them takes a second or more here, and reports progress 3 times."""
    directory = tmp_path_factory.mktemp("progress")
    examples = json.loads((ROOT / "examples" / "reports.json").read_text(encoding="utf-8"))
    records = []
    for index in range(4_000):
        record = copy.deepcopy(examples["reports"][index % len(examples["reports"])])
        record["company"]["id"] += f"-{index}"
        records.append(record)
    lines = directory / "reports.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    array = directory / "reports.json"
    # One record invalid, so the JSON array takes the per-record path, which reports.
    records[5]["year"] = "next"
    array.write_text(json.dumps(records), encoding="utf-8")
    return {"jsonl": lines, "json": array}


@pytest.mark.parametrize("form", ["jsonl", "json"])
def test_loading_shows_its_share_on_stderr_and_erases_it(
    big_reports: dict[str, Path], form: str
) -> None:
    argv = ("rank", str(big_reports[form]), "--rubric", "citi", "--format", "csv")
    code, screen = on_terminal(argv, stdout=subprocess.DEVNULL)
    assert code == 0  # the invalid record is listed as rejected; the rest is ranked
    assert "loading" in screen
    assert "━" in screen  # rich's bar
    assert SHARE.search(screen)
    assert screen.rfind("\x1b[2K") > screen.rfind("━")  # transient: erased at the end


def test_the_csv_on_stdout_carries_nothing_of_the_bar(
    big_reports: dict[str, Path], tmp_path: Path
) -> None:
    argv = ("rank", str(big_reports["jsonl"]), "--rubric", "citi", "--format", "csv")
    with (tmp_path / "out.csv").open("wb") as out:
        code, screen = on_terminal(argv, stdout=out)
    assert code == 0
    assert "loading" in screen
    written = (tmp_path / "out.csv").read_bytes()
    piped = subprocess.run(child(argv, NO_DELAY), cwd=ROOT, capture_output=True, check=True)
    assert written == piped.stdout
    assert written.startswith(b"rank,")
    assert b"\x1b" not in written


def test_sensitivity_shows_the_samples_ranked() -> None:
    argv = ("sensitivity", "examples/reports.json", "--samples", "3000", "--format", "json")
    code, screen = on_terminal(argv, stdout=subprocess.DEVNULL)
    assert code == 0
    assert re.search(r"sampling \d+%", screen)  # `sensitivity`'s callback, a tenth at a time


def test_nothing_on_stderr_when_it_is_a_pipe(big_reports: dict[str, Path]) -> None:
    argv = ("rank", str(big_reports["jsonl"]), "--rubric", "citi", "--format", "json")
    done = subprocess.run(child(argv, NO_DELAY), cwd=ROOT, capture_output=True, check=True)
    assert done.stderr == b""
    json.loads(done.stdout)


def test_quiet_draws_nothing(big_reports: dict[str, Path]) -> None:
    argv = ("rank", str(big_reports["jsonl"]), "--rubric", "citi", "--quiet", "--format", "csv")
    code, screen = on_terminal(argv, stdout=subprocess.DEVNULL)
    assert (code, screen) == (0, "")


def test_without_rich_a_plain_line_shows_the_share_and_is_erased(
    big_reports: dict[str, Path],
) -> None:
    argv = ("rank", str(big_reports["jsonl"]), "--rubric", "citi", "--format", "csv")
    code, screen = on_terminal(argv, NO_DELAY + WITHOUT_RICH, stdout=subprocess.DEVNULL)
    assert code == 0
    assert "\rcsrscore: loading" in screen
    assert re.search(r"csrscore: loading \d{1,3}%", screen)
    assert "\x1b" not in screen  # no escape codes: plain text only
    assert screen.endswith("\r")  # the line is blanked and the cursor back at its start
    last = screen.rstrip("\r").rsplit("\r", 1)[-1]
    assert last.strip() == ""


def test_the_library_reports_to_one_listener_at_a_time() -> None:
    seen: list[tuple[str, int, int]] = []
    csrscore.progress.advance("loading", 1, 2)  # nobody listens: nothing happens
    with csrscore.progress.listening(lambda *call: seen.append(call)):
        items = list(csrscore.progress.counted(list(range(2500)), "loading", every=1000))
    csrscore.progress.advance("loading", 1, 2)
    assert items == list(range(2500))
    assert seen == [("loading", 1000, 2500), ("loading", 1000, 2500), ("loading", 500, 2500)]


def test_a_command_without_a_bar_of_its_own_shows_the_load(big_reports: dict[str, Path]) -> None:
    code, screen = on_terminal(("validate", str(big_reports["jsonl"]), "--rubric", "citi"))
    assert code == 0
    assert "loading" in screen
    assert SHARE.search(screen)
