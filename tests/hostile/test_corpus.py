"""Every case of the hostile-input corpus ends with the documented exit code and one
located line on stderr, with no traceback, no hang and no file left behind."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.cli.runner import run_cli
from tests.hostile.corpus import Case, build

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
