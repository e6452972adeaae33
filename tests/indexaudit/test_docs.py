"""Every example in docs/audit.md runs and prints what the page shows.

`console` blocks are `$ csrscore ...` commands followed by their exact output; `python`
blocks are executed, and a `# ` comment line after a `print` is a line it must print. All
run from the repository root. To refresh the console outputs after a deliberate change:

    .venv/bin/python -m tests.indexaudit.test_docs
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from csrscore.cli.main import main

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "audit.md"
FENCE = re.compile(r"^```(?P<language>\w+)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def _blocks(language: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [m["body"] for m in FENCE.finditer(text) if m["language"] == language]


def _run(command: str) -> str:
    argv = shlex.split(command)
    assert argv[0] == "csrscore"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv[1:]) == 0
    return out.getvalue()


def _console(body: str) -> tuple[str, str]:
    first, _, expected = body.partition("\n")
    assert first.startswith("$ ")
    return first[2:], expected


@pytest.mark.parametrize("body", _blocks("console"), ids=lambda b: b.partition("\n")[0][2:])
def test_console_examples_print_what_the_page_shows(
    body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    command, expected = _console(body)
    assert _run(command) == expected


@pytest.mark.parametrize("body", _blocks("python"))
def test_python_examples_print_what_the_page_shows(
    body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    expected = [line[2:] for line in body.splitlines() if line.startswith("# ")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(body, str(DOC), "exec"), {})
    assert out.getvalue().splitlines() == expected


def test_every_section_is_shown_on_the_page() -> None:
    from csrscore.cli.audit_cmd import SECTIONS

    shown = "\n".join(_blocks("console"))
    for section in SECTIONS:
        assert f"--section {section}" in shown


def _refresh() -> None:
    text = DOC.read_text(encoding="utf-8")

    def replace(match: re.Match[str]) -> str:
        if match["language"] != "console":
            return match.group(0)
        command, _ = _console(match["body"])
        return f"```console\n$ {command}\n{_run(command)}```"

    DOC.write_text(FENCE.sub(replace, text), encoding="utf-8")


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    _refresh()
