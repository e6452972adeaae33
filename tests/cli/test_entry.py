"""The entry point itself: help, version, exit codes, error lines, colour, Ctrl-C.

The terminal path (rich tables, the progress bar, --quiet and --verbose) is tested in
test_terminal.py.

Most tests call `main()` in-process; the installed console script is run as a subprocess
only where the process boundary is the point (the script itself, --version, --debug's
traceback, SIGINT).
"""

from __future__ import annotations

import os
import platform
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import csrscore
from csrscore.cli.main import build_parser
from csrscore.cli.render import use_colour
from csrscore.errors import ReportError
from tests.cli.runner import (
    ANSI_ESCAPE,
    BAD_REPORTS,
    BAD_RUBRICS,
    EXAMPLES,
    ROOT,
    TINY_REPORTS,
    TINY_RUBRIC,
    Result,
    cached_run,
    command_paths,
    run_cli,
)

SCRIPT = Path(sys.executable).with_name("csrscore")
SEVERAL = str(BAD_REPORTS / "several_problems.json")
TRUNCATED = str(BAD_REPORTS / "truncated.json")
GT_ON_TEXT = str(BAD_RUBRICS / "gt_on_text.yaml")


COMMANDS = command_paths(build_parser())


def test_every_command_is_discovered() -> None:
    names = {" ".join(path) for path in COMMANDS}
    expected = {"", "rank", "explain", "validate", "schema", "rubric"}
    expected |= {"rubric list", "rubric show", "rubric check"}
    assert expected <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "csrscore")
def test_help_on_every_command_has_an_example(path: tuple[str, ...]) -> None:
    result = run_cli([*path, "--help"])
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith(f"usage: {' '.join(('csrscore', *path))}")
    example = re.search(r"^(?:examples?:\s*\n?\s*)(csrscore .+)$", result.out, flags=re.MULTILINE)
    assert example, result.out
    assert example.group(1).startswith(" ".join(("csrscore", *path)))


def test_version() -> None:
    assert run_cli(["--version"]) == Result(0, f"csrscore {csrscore.__version__}\n", "")


# --- exit codes and error lines ------------------------------------------------------------

# name: (argv, stdin, the error line after "csrscore: error: ", as a regular expression)
INPUT_ERRORS: dict[str, tuple[list[str], bytes | None, str]] = {
    "missing file": (
        ["rank", "no-such-file.json", "--rubric", "citi"],
        None,
        r"no-such-file\.json: No such file or directory",
    ),
    "bad JSON with line:column": (
        ["rank", TRUNCATED, "--rubric", "citi"],
        None,
        re.escape(TRUNCATED) + r":5:1: invalid JSON: .+",
    ),
    "bad JSON on stdin": (["validate", "-"], b"{", r"<stdin>:1:2: invalid JSON: .+"),
    "bad rubric": (
        ["rank", EXAMPLES, "--rubric", GT_ON_TEXT],
        None,
        re.escape(GT_ON_TEXT) + r":11 groups\[0\]\.criteria\[0\]\.applies_when\.gt: .+",
    ),
    "unknown rubric name": (
        ["rank", EXAMPLES, "--rubric", "no-such-rubric"],
        None,
        r"no-such-rubric: no shipped rubric named 'no-such-rubric'; .+",
    ),
    "unknown company": (
        ["explain", EXAMPLES, "northwind", "--rubric", "citi"],
        None,
        r"no scored company 'northwind' "
        r"\(did you mean 'northwind-textiles' \(Northwind Textiles \(synthetic\)\)\?\)",
    ),
    "rejected under --strict": (
        ["rank", SEVERAL, "--rubric", "citi", "--strict"],
        None,
        re.escape(SEVERAL) + r" record 1 company 'beta' company\.name: 1 report\(s\) rejected .+",
    ),
    "validate a missing file": (
        ["validate", "no-such-file.json"],
        None,
        r"no-such-file\.json: No such file or directory",
    ),
}


@pytest.mark.parametrize(
    ("argv", "stdin", "message"), INPUT_ERRORS.values(), ids=INPUT_ERRORS.keys()
)
def test_input_errors_exit_1_with_exactly_one_line(
    argv: list[str], stdin: bytes | None, message: str
) -> None:
    result = run_cli(argv, stdin=stdin)
    assert result.code == 1
    assert result.out == ""
    (line,) = result.err_lines
    assert re.fullmatch("csrscore: error: " + message, line), line
    assert result.err.endswith("\n")


USAGE_ERRORS = {
    "no command": [],
    "unknown command": ["score", EXAMPLES],
    "bad --format": ["rank", EXAMPLES, "--format", "xml"],
    "--top 0": ["rank", EXAMPLES, "--top", "0"],
    "--top -1": ["rank", EXAMPLES, "--top", "-1"],
    "bad --ties": ["rank", EXAMPLES, "--ties", "olympic"],
    "missing REPORTS": ["rank"],
    "missing COMPANY": ["explain", EXAMPLES],
    "unknown option": ["validate", EXAMPLES, "--strict"],
    "unknown rubric action": ["rubric", "lint", "x.yaml"],
}


@pytest.mark.parametrize("argv", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_errors_exit_2(argv: list[str]) -> None:
    result = run_cli(argv)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("usage: csrscore")
    assert re.fullmatch(r"csrscore( \w+)*: error: .+", result.err_lines[-1])
    assert "Traceback" not in result.err


def test_top_0_says_why() -> None:
    last = run_cli(["rank", EXAMPLES, "--top", "0"]).err_lines[-1]
    assert last == "csrscore rank: error: argument --top: must be at least 1"


def test_top_not_a_number_says_why() -> None:
    result = run_cli(["rank", EXAMPLES, "--top", "x"])
    assert result.code == 2
    assert re.search(r"invalid \w+ value", result.err) is None


def test_debug_lets_the_exception_through() -> None:
    with pytest.raises(ReportError, match="No such file or directory"):
        run_cli(["--debug", "rank", "no-such-file.json", "--rubric", "citi"])


# --- colour and progress ---------------------------------------------------------------------


def test_use_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert use_colour(None) is True
    assert use_colour("-") is True
    assert use_colour("ranking.txt") is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_colour(None) is False
    monkeypatch.setenv("NO_COLOR", "")  # https://no-color.org: an empty value does not count
    assert use_colour(None) is True
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert use_colour(None) is False


PIPED_OUTPUTS = [
    ("rank", EXAMPLES),
    ("rank", EXAMPLES, "--format", "markdown"),
    ("rank", EXAMPLES, "--format", "csv"),
    ("rank", EXAMPLES, "--format", "json"),
    ("explain", EXAMPLES, "northwind-textiles"),
    ("rubric", "show", "iso26000"),
    ("rubric", "list"),
    ("validate", EXAMPLES),
]


@pytest.mark.parametrize("argv", PIPED_OUTPUTS, ids=" ".join)
def test_piped_output_has_no_escapes(argv: tuple[str, ...]) -> None:
    result = cached_run(*argv)
    assert result.code == 0
    assert ANSI_ESCAPE not in result.out + result.err


@pytest.mark.parametrize(
    "argv",
    [
        ["rank", TINY_REPORTS, "--rubric", TINY_RUBRIC],
        ["rubric", "show", TINY_RUBRIC],
        ["rubric", "check", "tests/rubric/fixtures/bad/gt_on_text.yaml"],
    ],
    ids=" ".join,
)
def test_no_color_is_respected_on_a_terminal(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = run_cli(argv, terminal=True)
    assert result.out
    assert ANSI_ESCAPE not in result.out + result.err


# --- the installed console script ----------------------------------------------------------


SCRIPT_RUNS = {
    "rank": ("rank", EXAMPLES, "--rubric", "citi", "--top", "3"),
    "version": ("--version",),
    "debug": ("--debug", "rank", "no-such-file.json", "--rubric", "citi"),
}


@pytest.fixture(scope="module")
def script_runs() -> dict[str, subprocess.CompletedProcess[str]]:
    """The console script run once per case, all at the same time (start-up is the cost)."""
    assert SCRIPT.exists(), f"the console script is not installed next to {sys.executable}"
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    processes = {
        name: subprocess.Popen(
            [str(SCRIPT), *argv],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, argv in SCRIPT_RUNS.items()
    }
    runs = {}
    for name, process in processes.items():
        out, err = process.communicate(timeout=60)
        runs[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return runs


def test_console_script_runs_and_pipes_plain_text(
    script_runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    completed = script_runs["rank"]
    assert (completed.returncode, completed.stderr) == (0, "")
    assert completed.stdout == cached_run(*SCRIPT_RUNS["rank"]).out
    assert ANSI_ESCAPE not in completed.stdout


def test_console_script_version(
    script_runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    completed = script_runs["version"]
    assert (completed.returncode, completed.stdout) == (0, f"csrscore {csrscore.__version__}\n")


def test_console_script_debug_shows_the_traceback(
    script_runs: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    debug = script_runs["debug"]
    assert debug.returncode == 1
    assert debug.stderr.startswith("Traceback (most recent call last):")
    assert debug.stderr.rstrip().endswith(
        "csrscore.errors.ReportError: no-such-file.json: No such file or directory"
    )


READ_SYSCALL = {"x86_64": "0", "aarch64": "63"}  # Linux syscall numbers of read(2)


def wait_until_reading_stdin(pid: int, timeout: float = 30.0) -> None:
    """Block until the process's main thread sits in read(0, ...), so the signal lands
    inside `main()` and not during start-up imports. Without Linux's /proc/PID/syscall,
    wait a generous start-up time instead."""
    syscall = Path(f"/proc/{pid}/syscall")
    read = READ_SYSCALL.get(platform.machine())
    if read is None or not syscall.exists():
        time.sleep(5.0)
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if syscall.read_text().split()[:2] == [read, "0x0"]:
            return
        time.sleep(0.05)
    raise AssertionError("csrscore never started reading stdin")


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child needs POSIX")
def test_ctrl_c_exits_130_without_a_traceback() -> None:
    assert SCRIPT.exists()
    with subprocess.Popen(
        [str(SCRIPT), "rank", "-"],
        cwd=ROOT,
        # A job started in the background by a non-interactive shell (as CI may be)
        # inherits SIGINT ignored, and Python then installs no KeyboardInterrupt handler;
        # give the child the default disposition, as a terminal would.
        preexec_fn=_default_sigint,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        wait_until_reading_stdin(process.pid)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert out == ""
    assert err == "csrscore: interrupted\n"
