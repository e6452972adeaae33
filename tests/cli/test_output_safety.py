"""`-o FILE` writes where it should and never destroys what should survive (issue 16)."""

from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path

import pytest

from csrscore.cli import safewrite
from csrscore.cli.safewrite import write_file
from csrscore.errors import InputError
from tests.cli.runner import ROOT, run_cli

EXAMPLES = str(ROOT / "examples" / "reports.json")
RANK_CSV = ["rank", EXAMPLES, "--format", "csv"]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".csrscore-"))


def test_a_regular_file_is_replaced_with_the_results(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    assert run_cli([*RANK_CSV, "-o", str(out)]).code == 0
    assert out.read_text(encoding="utf-8").startswith("rank,")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_the_input_file_is_never_overwritten(tmp_path: Path) -> None:
    reports = tmp_path / "reports.json"
    reports.write_bytes(Path(EXAMPLES).read_bytes())
    before = reports.read_bytes()
    result = run_cli(["rank", str(reports), "-o", str(reports)])
    assert result.code == 1
    (line,) = result.err_lines
    assert "is the file the reports are read from" in line
    assert reports.read_bytes() == before


def test_a_symbolic_link_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert run_cli([*RANK_CSV, "-o", str(link)]).code == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("rank,")


def test_a_device_is_written_in_place() -> None:
    assert run_cli([*RANK_CSV, "-o", os.devnull]).code == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "locked.csv"
    out.write_text("keep", encoding="utf-8")
    out.chmod(0o444)
    result = run_cli([*RANK_CSV, "-o", str(out)])
    assert result.code == 1
    (line,) = result.err_lines
    assert "is read-only" in line
    assert out.read_text(encoding="utf-8") == "keep"


@pytest.mark.parametrize(("name", "message"), [("", "is empty"), (".", "is a folder")])
def test_an_empty_name_or_a_folder_is_one_line(
    name: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli([*RANK_CSV, "-o", name])
    assert result.code == 1
    (line,) = result.err_lines
    assert message in line
    assert "Traceback" not in result.err


def test_sigterm_during_a_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(stream: object, text: str) -> None:
        stream.write(text[:10])  # type: ignore[attr-defined]
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)  # the handler runs here

    monkeypatch.setattr(safewrite, "write_text", interrupted)
    target = tmp_path / "out.csv"
    with pytest.raises(SystemExit) as ended:
        write_file("rank,company\n1,x\n", str(target))
    assert ended.value.code == 128 + signal.SIGTERM
    assert not target.exists()
    assert _leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_a_missing_folder_is_one_located_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write here"):
        write_file("x\n", str(tmp_path / "missing" / "out.csv"))
