"""The terminal path: rich tables, colours and the progress bar on a terminal; the same bytes
as ever when piped; NO_COLOR; untrusted text never read as markup; --quiet and --verbose.

The terminal cases run the real console script under a pseudo-terminal (`pty`), so that
rich sees what it sees in a user's shell; the piped cases run it with pipes.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Any

import pytest

import csrscore.cli.progress
import csrscore.cli.rank
import csrscore.cli.sensitivity_cmd
import csrscore.cli.terminal
import csrscore.engine
from csrscore.cli.main import build_parser
from tests.cli.runner import (
    ANSI_ESCAPE,
    EXAMPLES,
    ROOT,
    TINY_REPORTS,
    TINY_RUBRIC,
    cached_run,
    command_paths,
    run_cli,
)

SCRIPT = Path(sys.executable).with_name("csrscore")
STYLE = re.compile(r"\x1b\[[0-9;]*m")
TINY_RANK = ("rank", TINY_REPORTS, "--rubric", TINY_RUBRIC)
SENSITIVITY_ARGS = ("sensitivity", TINY_REPORTS, "--rubric", TINY_RUBRIC, "--samples", "20")
HOSTILE_NAME = "[bold red]x[/] \x1b[31mred\x1b[0m :smile:"


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    # Screens compared here must not depend on the machine's speed: on a loaded machine a
    # run can pass the bar's one-second wait. The bar has its own tests.
    return {**env, "TERM": "xterm-256color", "CSRSCORE_PROGRESS_DELAY": "3600", **extra}


def in_terminal(argv: tuple[str, ...], stdout: Any = None, **env: str) -> tuple[int, str]:
    """Run the console script with stderr, and stdout unless given, on a pseudo-terminal
    120 columns wide; returns its exit code and what the terminal received (newlines as
    "\\n")."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(
        [str(SCRIPT), *argv],
        cwd=ROOT,
        env=_environment(**env),
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
    code = process.wait(timeout=60)
    return code, received.decode("utf-8").replace("\r\n", "\n")


def piped(argv: tuple[str, ...], **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(SCRIPT), *argv],
        cwd=ROOT,
        env=_environment(**env),
        capture_output=True,
        check=False,
        timeout=60,
    )


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("terminal") / "reports.json"
    records = json.loads((ROOT / TINY_REPORTS).read_text(encoding="utf-8"))
    records[0]["company"]["name"] = HOSTILE_NAME
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


# --- piped: the plain format, byte for byte ---------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        TINY_RANK,
        ("rank", EXAMPLES, "--rubric", "citi", "--by", "sector", "--top", "2"),
        SENSITIVITY_ARGS,
        ("audit", EXAMPLES, "--section", "weights"),
    ],
    ids=" ".join,
)
def test_piped_output_is_the_plain_format_whatever_the_environment(argv: tuple[str, ...]) -> None:
    """Rich installed, FORCE_COLOR and a colour TERM set: a pipe still gets the plain text
    that the in-process runner (and the docs' transcripts) pin."""
    completed = piped(argv, FORCE_COLOR="1", TTY_COMPATIBLE="1")
    plain = cached_run(*argv)
    assert completed.returncode == plain.code == 0
    assert completed.stdout.decode("utf-8") == plain.out
    assert ANSI_ESCAPE.encode() not in completed.stdout + completed.stderr


# --- on a terminal: rich ------------------------------------------------------------------------


def test_rank_on_a_terminal_is_a_rich_table_with_the_same_figures() -> None:
    code, screen = in_terminal(TINY_RANK)
    assert code == 0
    assert "\x1b[1m" in screen  # bold headers
    text = STYLE.sub("", screen)
    assert "─" * 10 in text  # rich's rule under the header, not the plain dashes
    plain = cached_run(*TINY_RANK).out
    assert text != plain
    # Same header line and the same cells, row by row.
    assert text.splitlines()[0] == plain.splitlines()[0]
    plain_rows = [line.split() for line in plain.splitlines()[4:]]
    rich_rows = [line.split() for line in text.splitlines()[4:] if line.strip()]
    assert rich_rows == plain_rows


def _words(text: str) -> list[str]:
    """The words of an output, without the rules under table headers."""
    return sorted(word for word in text.split() if set(word) - set("-─"))


@pytest.mark.parametrize(
    "argv",
    [
        ("rank", EXAMPLES, "--rubric", "citi", "--compare-years", "2023", "2024"),
        SENSITIVITY_ARGS,
        ("audit", EXAMPLES, "--rubric", "citi", "--section", "weights"),
    ],
    ids=lambda argv: argv[0],
)
def test_other_tables_on_a_terminal_show_the_plain_words(argv: tuple[str, ...]) -> None:
    code, screen = in_terminal(argv)
    assert code == 0
    text = STYLE.sub("", screen)
    assert "─" * 10 in text
    assert _words(text) == _words(cached_run(*argv).out)


def test_no_color_on_a_terminal_has_no_escapes_at_all() -> None:
    code, screen = in_terminal(TINY_RANK, NO_COLOR="1")
    assert code == 0
    assert "\x1b" not in screen
    assert "─" * 10 in screen  # still rich's table: only colour and style are off


def test_an_empty_no_color_does_not_count() -> None:
    code, screen = in_terminal(TINY_RANK, NO_COLOR="")
    assert code == 0
    assert "\x1b[1m" in screen


def test_untrusted_text_is_neither_markup_nor_escapes_on_a_terminal(
    hostile_reports: Path,
) -> None:
    code, screen = in_terminal(("rank", str(hostile_reports), "--rubric", TINY_RUBRIC))
    assert code == 0
    text = STYLE.sub("", screen)
    # Rich's markup, emoji codes and the input's escape sequence all print as characters.
    assert "[bold red]x[/] \\x1b[31mred\\x1b[0m :smile:" in text
    assert "\x1b[31m" not in screen
    assert "\x1b[1;31m" not in screen  # what "[bold red]" would have become


def test_warnings_on_a_terminal_are_coloured_and_inert(tmp_path: Path) -> None:
    records = [
        {"company": {"id": "co", "name": "Co"}, "year": 2024},
        {"company": {"id": "[red]b[/]"}, "year": 2024},
    ]
    path = tmp_path / "reports.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    code, screen = in_terminal(("rank", str(path), "--verbose"))
    assert code == 0
    (line,) = [line for line in screen.splitlines() if "rejected: " in line]
    assert "\x1b[33m" in line  # the "csrscore: warning: rejected:" prefix in yellow
    assert "company '[red]b[/]'" in STYLE.sub("", line)


def test_stdout_redirected_from_a_terminal_is_plain(tmp_path: Path) -> None:
    """`csrscore rank ... > file` in a shell: stderr is still the terminal, stdout is not."""
    records = json.loads((ROOT / TINY_REPORTS).read_text(encoding="utf-8"))
    records.append({"company": {"id": "[bad]"}, "year": 2024})
    path = tmp_path / "reports.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    argv = ("rank", str(path), "--rubric", TINY_RUBRIC)
    with (tmp_path / "out.txt").open("w+b") as redirected:
        code, screen = in_terminal(argv, stdout=redirected)
        redirected.seek(0)
        written = redirected.read().decode("utf-8")
    plain = run_cli(argv)
    assert code == plain.code == 0
    assert written == plain.out
    # The warning went to the terminal, in colour.
    assert "\x1b[33mcsrscore: warning:" in screen
    assert STYLE.sub("", screen).strip() == plain.err.strip()


def test_output_to_a_file_is_plain_even_from_a_terminal(tmp_path: Path) -> None:
    target = tmp_path / "ranking.txt"
    code, screen = in_terminal((*TINY_RANK, "--output", str(target)))
    assert (code, screen) == (0, "")
    assert target.read_text(encoding="utf-8") == cached_run(*TINY_RANK).out


def test_without_rich_a_terminal_gets_the_plain_table(monkeypatch: pytest.MonkeyPatch) -> None:
    # `import rich...` now raises ImportError, also for submodules imported earlier.
    for name in ["rich", *(name for name in sys.modules if name.startswith("rich."))]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = run_cli(TINY_RANK, terminal=True)
    assert result.code == 0
    # As before rich: the plain table, with only the header line in bold.
    assert STYLE.sub("", result.out) == cached_run(*TINY_RANK).out


def test_a_table_too_long_for_rich_is_plain_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    drawn = run_cli(TINY_RANK, terminal=True)
    assert "─" in drawn.out
    monkeypatch.setattr(csrscore.cli.terminal, "RICH_MAX_ROWS", 3)  # the ranking has 4 rows
    long = run_cli(TINY_RANK, terminal=True)
    assert STYLE.sub("", long.out) == cached_run(*TINY_RANK).out


# --- the progress bar -------------------------------------------------------------------------


@pytest.fixture
def slow_scoring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scoring that takes half a second, with the progress bar's delay made 0, so the bar
    (refreshed ten times a second) is drawn during it."""
    original = csrscore.engine.score

    def slow_score(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return original(*args, **kwargs)

    monkeypatch.setattr(csrscore.cli.progress, "DELAY_SECONDS", 0.0)
    monkeypatch.setattr(csrscore.cli.rank, "score", slow_score)
    monkeypatch.setattr(csrscore.cli.sensitivity_cmd, "score", slow_score)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.mark.usefixtures("slow_scoring")
@pytest.mark.parametrize("argv", [TINY_RANK, SENSITIVITY_ARGS], ids=lambda argv: argv[0])
def test_progress_bar_on_a_terminal_is_drawn_on_stderr_and_erased(argv: tuple[str, ...]) -> None:
    result = run_cli(argv, terminal=True)
    assert result.code == 0
    assert "scoring" in result.err
    assert "━" in result.err  # rich's bar
    # Transient: the bar's line is erased after it was last drawn.
    assert result.err.rfind("\x1b[2K") > result.err.rfind("━")
    assert "━" not in result.out
    assert "scoring" not in result.out


@pytest.mark.usefixtures("slow_scoring")
def test_no_progress_bar_when_stderr_is_not_a_terminal_or_quiet() -> None:
    assert run_cli(TINY_RANK).err == ""
    assert run_cli([*TINY_RANK, "--quiet"], terminal=True).err == ""


def test_no_progress_bar_on_a_run_shorter_than_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    # The wait is made long so that a loaded machine cannot turn this run into a slow one.
    monkeypatch.setenv("CSRSCORE_PROGRESS_DELAY", "60")
    result = run_cli(["rank", EXAMPLES, "--rubric", "citi"], terminal=True)
    assert result.code == 0
    assert result.err == ""


@pytest.mark.parametrize(
    ("setting", "seconds"),
    [("0", 0.0), ("2.5", 2.5), ("-1", 1.0), ("inf", 1.0), ("nan", 1.0), ("soon", 1.0), ("", 1.0)],
)
def test_the_wait_before_the_bar_can_be_set(
    monkeypatch: pytest.MonkeyPatch, setting: str, seconds: float
) -> None:
    monkeypatch.setenv("CSRSCORE_PROGRESS_DELAY", setting)
    assert csrscore.cli.progress.delay_seconds() == seconds


# --- --quiet and --verbose ----------------------------------------------------------------------


def _leaf_commands() -> list[tuple[str, ...]]:
    parser = build_parser()
    paths = [path for path in command_paths(parser) if path]
    return [p for p in paths if not any(q[: len(p)] == p and q != p for q in paths)]


@pytest.mark.parametrize("command", _leaf_commands(), ids=" ".join)
def test_every_command_takes_quiet_and_verbose(command: tuple[str, ...]) -> None:
    parser = build_parser()
    for name in command:
        (action,) = [a for a in parser._actions if a.dest == "command" or a.choices]
        parser = action.choices[name]  # type: ignore[index]
    options = {option for action in parser._actions for option in action.option_strings}
    assert {"-q", "--quiet", "-v", "--verbose"} <= options


def test_quiet_and_verbose_exclude_each_other() -> None:
    result = run_cli([*TINY_RANK, "--quiet", "--verbose"])
    assert result.code == 2
    assert "not allowed with argument" in result.err


@pytest.fixture(scope="module")
def many_warnings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One scored report with 14 unknown fields (14 catalog warnings) and one rejected."""
    unknown = {f"x.unknown_{k:02d}": True for k in range(14)}
    records = [
        {"company": {"id": "co", "name": "Synthetic"}, "year": 2024, "disclosures": unknown},
        {"company": {"id": "bad"}, "year": "next"},
    ]
    path = tmp_path_factory.mktemp("warnings") / "reports.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_quiet_leaves_stdout_and_silences_warnings(many_warnings: Path) -> None:
    # Keys outside the catalog warn only with --warn-unknown-keys.
    normal = run_cli(["rank", str(many_warnings), "--warn-unknown-keys"])
    quiet = run_cli(["rank", str(many_warnings), "--warn-unknown-keys", "--quiet"])
    assert normal.code == quiet.code == 0
    assert len(normal.err_lines) == 12  # rejected count, 10 warnings, "... and 4 more"
    assert (quiet.out, quiet.err) == (normal.out, "")


def test_quiet_still_prints_errors() -> None:
    result = run_cli(["rank", "no-such-file.json", "--quiet"])
    assert result.code == 1
    assert result.err_lines == ["csrscore: error: no-such-file.json: No such file or directory"]


def test_verbose_lists_every_warning_and_rejection_and_the_timings(many_warnings: Path) -> None:
    result = run_cli(["rank", str(many_warnings), "--warn-unknown-keys", "--verbose"])
    assert result.code == 0
    assert result.out == run_cli(["rank", str(many_warnings)]).out
    lines = result.err_lines
    assert sum("is not in the catalog" in line for line in lines) == 14
    (rejected,) = [line for line in lines if line.startswith("csrscore: warning: rejected: ")]
    assert f"{many_warnings} record 1 company 'bad'" in rejected  # located
    stages = re.compile(r"csrscore: loading \d+\.\d\d s · scoring \d+\.\d\d s")
    assert sum(bool(stages.fullmatch(line)) for line in lines) == 1
    assert re.fullmatch(r"csrscore: rank took \d+\.\d\d s", lines[-1])


@pytest.mark.parametrize(
    ("argv", "name"),
    [(("validate", EXAMPLES), "validate"), (("rubric", "show", "citi"), "rubric show")],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_verbose_times_commands_without_stages(argv: tuple[str, ...], name: str) -> None:
    result = run_cli([*argv, "--verbose"])
    assert result.code == 0
    assert result.out == cached_run(*argv).out
    assert re.fullmatch(rf"csrscore: {name} took \d+\.\d\d s\n", result.err)


def test_quiet_silences_the_summary_of_import_not_its_rejections() -> None:
    argv = ["import", "examples/spreadsheet.csv", "--mapping", "examples/spreadsheet-mapping.yaml"]
    normal = run_cli(argv)
    quiet = run_cli([*argv, "--quiet"])
    assert normal.code == quiet.code == 1  # the example holds one bad cell, on purpose
    summary, *rejections = normal.err_lines
    assert summary == "examples/spreadsheet.csv: 5 record(s), 1 rejected"
    assert (quiet.out, quiet.err_lines) == (normal.out, rejections)
