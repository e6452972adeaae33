"""Shell completion: the script bash sources completes commands and options for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import run_cli

BIN = Path(sys.executable).parent


def _complete_in_bash(line: str) -> list[str]:
    """What bash offers after `line`, with the script `csrscore completion bash` printed."""
    words = line.split(" ")
    script = f"""
source <(csrscore completion bash)
COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}
COMP_WORDS=({" ".join(repr(word) for word in words)}); COMP_CWORD={len(words) - 1}
_python_argcomplete csrscore
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, check=True, timeout=60
    )
    return [word.strip() for word in result.stdout.splitlines() if word.strip()]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_and_options() -> None:
    assert _complete_in_bash("csrscore ra") == ["rank"]
    assert _complete_in_bash("csrscore rank x --for") == ["--format"]
    assert set(_complete_in_bash("csrscore schema ")) >= {"report", "rubric", "scores"}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_shell_gets_a_script_that_calls_csrscore_back(shell: str) -> None:
    result = run_cli(["completion", shell])
    assert result.code == 0
    assert "_ARGCOMPLETE" in result.out
    assert "csrscore" in result.out


def test_unknown_shell_is_a_usage_error() -> None:
    result = run_cli(["completion", "powershell"])
    assert result.code == 2
    assert "invalid choice: 'powershell'" in result.err
