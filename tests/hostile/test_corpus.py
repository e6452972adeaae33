"""Every case of the hostile-input corpus ends with the documented exit code and one
located line on stderr, with no traceback, no hang and no file left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.cli.runner import run_cli
from tests.hostile.corpus import (
    FOLDER,
    Case,
    OutputCase,
    ProcessCase,
    build,
    build_items,
    build_numbers_and_streams,
    build_outputs,
)

TIMEOUT = 20  # seconds; RE2 answers these in milliseconds, a backtracking engine never


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    build(folder)
    return folder


def _cases() -> list[Case]:
    """The case list (the files are built again, per module, by the `corpus` fixture)."""
    with tempfile.TemporaryDirectory() as scratch:
        return build(Path(scratch))


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case.name)
def test_case(case: Case, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corpus)
    before = sorted(p.name for p in corpus.rglob("*"))
    if case.process or case.stdin:
        with open(case.stdin or "/dev/null", "rb") as stdin:
            done = subprocess.run(
                [sys.executable, "-c", "from csrscore.cli.main import run; run()", *case.argv],
                stdin=stdin,
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        code, out, err = done.returncode, done.stdout.decode(), done.stderr.decode()
    else:
        result = run_cli(case.argv)
        code, out, err = result.code, result.out, result.err
    assert code == case.code, err
    assert "Traceback" not in out + err
    lines = err.splitlines()
    if case.message:
        assert len(lines) == 1, err
        assert case.message in lines[0]
    else:
        assert not [line for line in lines if "error" in line], err
    for fragment in case.stdout_excludes:
        assert fragment not in out + err
    for fragment in case.stdout_includes:
        assert fragment in out
    assert sorted(p.name for p in corpus.rglob("*")) == before  # no partial file left


# --- Numbers in rubrics, the process and its streams, table readers -----------------------

# The process as the console script starts it: through the launcher outside the package.
COMMAND = [sys.executable, "-c", "from _csrscore_launch import run; run()"]


def _both() -> tuple[list[Case], list[ProcessCase]]:
    with tempfile.TemporaryDirectory() as scratch:
        build(Path(scratch))
        return build_numbers_and_streams(Path(scratch))


@pytest.fixture(scope="module")
def corpus_b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus_b")
    build(folder)
    build_numbers_and_streams(folder)
    return folder


def _files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.mark.parametrize("case", _both()[0], ids=lambda case: case.name)
def test_number_and_message_case(
    case: Case, corpus_b: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus_b)
    before = _files(corpus_b)
    result = run_cli(case.argv)
    assert result.code == case.code, result.err
    assert "Traceback" not in result.out + result.err
    if case.message:
        (line,) = result.err_lines
        assert case.message in line
    else:
        assert not [line for line in result.err_lines if "error" in line], result.err
    for fragment in case.stdout_includes:
        assert fragment in result.out
    assert _files(corpus_b) == before  # no partial file, no temporary file or folder


def _run_process(case: ProcessCase, folder: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, **dict(case.env)}
    if case.stdout == "closed":
        # `>&-`: the child starts with descriptor 1 closed.
        return subprocess.run(
            [*COMMAND, *case.argv],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=lambda: os.close(1),
            timeout=TIMEOUT,
            check=False,
        )
    if case.stdout == "pipe":
        return subprocess.run(
            [*COMMAND, *case.argv],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    with open(case.stdout, "wb") as stdout:
        return subprocess.run(
            [*COMMAND, *case.argv],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
            check=False,
        )


@pytest.mark.parametrize("case", _both()[1], ids=lambda case: case.name)
def test_process_case(case: ProcessCase, corpus_b: Path) -> None:
    before = _files(corpus_b)
    done = _run_process(case, corpus_b)
    out, err = (done.stdout or b"").decode("ascii", "replace"), done.stderr.decode()
    assert done.returncode == case.code, err
    assert "Traceback" not in out + err
    assert "Exception ignored" not in err
    lines = err.splitlines()
    if case.message:
        assert case.message in lines[-1]
        if case.usage:
            assert lines[0].startswith("usage: csrscore")
        else:
            assert len(lines) == 1, err
    else:
        assert lines == [], err
    for fragment in case.stdout_includes:
        assert fragment in out
    if case.env == (("PYTHONIOENCODING", "ascii"),):
        assert out.isascii()
    assert _files(corpus_b) == before


def _interrupted(folder: Path, delay: float) -> tuple[int, bytes, str]:
    # The delay counts from the start of csrscore's entry point, `run()`: Python's own
    # start-up and the console script's first imports, which no program can guard, take a
    # varying time on a loaded machine.
    ready, started = os.pipe()
    code = f"import os; from _csrscore_launch import run; os.write({started}, b'.'); run()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "rank", "accents.json"],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(started,),
    )
    os.close(started)
    os.read(ready, 1)
    os.close(ready)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=TIMEOUT)
    return process.returncode, out, err.decode()


@pytest.mark.parametrize("delay", [0.01, 0.05, 0.2, 0.5, 1.0, 2.0])
def test_ctrl_c_at_any_moment_is_one_line_and_130(corpus_b: Path, delay: float) -> None:
    """Whenever SIGINT lands (in the imports, while scoring, while writing), the process
    either finished first (exit 0, complete output, nothing on stderr) or ends with one
    line and 130; never a traceback, never "interrupted" with exit 0."""
    code, out, err = _interrupted(corpus_b, delay)
    assert "Traceback" not in err
    if code == 0:
        assert err == ""
        assert out.endswith(b"\n")
    else:
        assert (code, err) == (130, "csrscore: interrupted\n")


def test_ctrl_c_after_the_output_is_written_is_one_line_and_130(corpus_b: Path) -> None:
    """The last milliseconds: the whole ranking has been read from the pipe when SIGINT
    lands, while the process is ending."""
    complete = subprocess.run(
        [*COMMAND, "rank", "accents.json"], cwd=corpus_b, capture_output=True, check=True
    ).stdout
    process = subprocess.Popen(
        [*COMMAND, "rank", "accents.json"],
        cwd=corpus_b,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    out = process.stdout.read(len(complete))
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=TIMEOUT)
    err = process.stderr.read().decode()
    process.stdout.close()
    process.stderr.close()
    assert out == complete
    assert "Traceback" not in err
    # The process may have ended before the signal came; if not, it says so and exits 130.
    assert (code, err) in ((0, ""), (130, "csrscore: interrupted\n"))


# --- Data the loader must not lose, more output formats, -o, also-fix ---------------------


def _items() -> list[Case]:
    with tempfile.TemporaryDirectory() as scratch:
        build(Path(scratch))
        return build_items(Path(scratch))


@pytest.fixture(scope="module")
def corpus_c(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus_c")
    build(folder)
    build_items(folder)
    return folder


def _run(case: Case, folder: Path) -> tuple[int, str, str]:
    if case.stdin:
        with open(folder / case.stdin, "rb") as stdin:
            done = subprocess.run(
                [*COMMAND, *case.argv],
                cwd=folder,
                stdin=stdin,
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        return done.returncode, done.stdout.decode(), done.stderr.decode()
    result = run_cli(case.argv)
    return result.code, result.out, result.err


@pytest.mark.parametrize("case", _items(), ids=lambda case: case.name)
def test_item_case(case: Case, corpus_c: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corpus_c)
    before = _files(corpus_c)
    code, out, err = _run(case, corpus_c)
    assert code == case.code, err
    assert "Traceback" not in out + err
    lines = err.splitlines()
    if case.message:
        assert len(lines) == 1, err
        assert case.message in lines[0]
    else:
        assert lines == [], err
    for fragment in case.stdout_excludes:
        assert fragment.replace(FOLDER, str(corpus_c)) not in out + err
    for fragment in case.stdout_includes:
        assert fragment in out
    assert _files(corpus_c) == before  # no partial file, no temporary file


def _outputs() -> list[OutputCase]:
    with tempfile.TemporaryDirectory() as scratch:
        return build_outputs(Path(scratch))


@pytest.mark.parametrize("case", _outputs(), ids=lambda case: case.name)
def test_output_case(case: OutputCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_outputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = _files(tmp_path)
    kept = {name: (tmp_path / name).read_bytes() for name in case.unchanged}
    null = os.stat("/dev/null").st_rdev
    result = run_cli(case.argv)
    assert result.code == case.code, result.err
    assert "Traceback" not in result.out + result.err
    if case.message:
        (line,) = result.err_lines
        assert case.message in line
    else:
        assert result.err_lines == []
    for name, data in kept.items():
        assert (tmp_path / name).read_bytes() == data
    created = [case.written] if case.written and case.written not in before else []
    assert _files(tmp_path) == sorted([*before, *created])  # no temporary file is left
    if case.written:
        assert (tmp_path / case.written).read_text(encoding="utf-8").startswith("rank,")
    if case.link:
        assert (tmp_path / case.link).is_symlink()
    assert os.stat("/dev/null").st_rdev == null  # still the device, never a file


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
@pytest.mark.parametrize("delay", [0.3, 1.0, 2.5])
def test_a_signal_during_rank_o_leaves_the_whole_file_or_none(
    tmp_path: Path, signum: signal.Signals, delay: float
) -> None:
    """Whenever SIGTERM or SIGHUP lands, `-o` leaves either the complete results or no file
    at all: never a partial file or a `.NAME.tmp` beside it, never a traceback."""
    build_outputs(tmp_path)
    reference = subprocess.run(
        [*COMMAND, "rank", "in.json", "--format", "csv"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
        timeout=TIMEOUT,
    ).stdout
    before = _files(tmp_path)
    ready, started = os.pipe()
    code = f"import os; from _csrscore_launch import run; os.write({started}, b'.'); run()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "rank", "in.json", "--format", "csv", "-o", "out.csv"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(started,),
    )
    os.close(started)
    os.read(ready, 1)
    os.close(ready)
    time.sleep(delay)
    process.send_signal(signum)
    _, err = process.communicate(timeout=TIMEOUT)
    assert "Traceback" not in err.decode()
    assert len(err.splitlines()) <= 1
    if (tmp_path / "out.csv").exists():
        assert process.returncode in (0, 128 + signum)
        assert (tmp_path / "out.csv").read_bytes() == reference
        assert _files(tmp_path) == sorted([*before, "out.csv"])
    else:
        assert process.returncode in (-signum, 128 + signum)
        assert _files(tmp_path) == before
