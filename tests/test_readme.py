"""The README's Python example runs, and its two commands are what CI runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    (block,) = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
    exec(compile(block, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "(synthetic)" in lines[0]


def test_exactly_two_sh_commands_open_the_readme() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL)
    first, second = blocks[0].strip(), blocks[1].strip()
    assert first.endswith("csrscore rank examples/reports.json")
    for tool in ("pytest", "ruff check", "mypy"):
        assert tool in second


def test_python_examples_are_formatted() -> None:
    """The README's code reads as the project's code does: `ruff format` leaves it alone."""
    for block in re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", "format", "--check", "--stdin-filename", "x.py", "-"],
            input=block,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
