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
from csrscore.errors import InputError, Location
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


# --- folders (report -o DIR, --format parquet) and binary files (--format xlsx) -----------


def test_a_failed_site_leaves_the_old_site_and_no_temporary_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old site", encoding="utf-8")

    def half(folder: Path) -> None:
        (folder / "index.html").write_text("new", encoding="utf-8")
        (folder / "companies").mkdir()
        raise InputError("the disk is full", Location(source=str(folder / "x.html")))

    with pytest.raises(InputError) as caught:
        safewrite.write_folder(str(site), half)
    assert str(caught.value).startswith(f"{site}/x.html: ")  # not the temporary folder
    assert (site / "index.html").read_text(encoding="utf-8") == "old site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_finished_site_is_moved_in_and_other_files_stay(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    (site / "index.html").write_text("old", encoding="utf-8")

    def full(folder: Path) -> None:
        (folder / "companies").mkdir()
        (folder / "index.html").write_text("new", encoding="utf-8")
        (folder / "companies" / "a.html").write_text("a", encoding="utf-8")

    safewrite.write_folder(str(site), full)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert (site / "companies" / "a.html").read_text(encoding="utf-8") == "a"
    assert (site / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_sigterm_while_a_site_is_written_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(folder: Path) -> None:
        (folder / "index.html").write_text("half", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)

    with pytest.raises(SystemExit) as ended:
        safewrite.write_folder(str(tmp_path / "site"), killed)
    assert ended.value.code == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_report_writes_its_site_through_a_temporary_folder(tmp_path: Path) -> None:
    result = run_cli(["report", EXAMPLES, "-o", str(tmp_path / "site")])
    assert result.code == 0, result.err
    assert (tmp_path / "site" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert result.err_lines[-1] == (
        f"wrote {len(list((tmp_path / 'site').rglob('*.html')))} pages to {tmp_path / 'site'}; "
        f"open {tmp_path / 'site' / 'index.html'}"
    )


def test_xlsx_and_parquet_outputs_follow_the_file_rules(tmp_path: Path) -> None:
    readonly = tmp_path / "ranking.xlsx"
    readonly.write_bytes(b"keep")
    readonly.chmod(0o444)
    result = run_cli(["rank", EXAMPLES, "--format", "xlsx", "-o", str(readonly)])
    assert result.code == 1
    (line,) = result.err_lines
    assert line == f"csrscore: error: {readonly}: is read-only; refusing to replace it"
    assert readonly.read_bytes() == b"keep"
    link = tmp_path / "link.xlsx"
    link.symlink_to(tmp_path / "target.xlsx")
    assert run_cli(["rank", EXAMPLES, "--format", "xlsx", "-o", str(link)]).code == 0
    assert link.is_symlink()
    assert (tmp_path / "target.xlsx").read_bytes()[:2] == b"PK"  # a zip: a workbook
    tables = tmp_path / "tables"
    assert run_cli(["rank", EXAMPLES, "--format", "parquet", "-o", str(tables)]).code == 0
    assert sorted(p.name for p in tables.iterdir()) == [
        "criteria.parquet",
        "groups.parquet",
        "ranking.parquet",
        "rubric.parquet",
    ]
    assert _leftovers(tmp_path) == []


def test_a_254_character_name_is_written(tmp_path: Path) -> None:
    target = tmp_path / ("r" * 254)
    assert run_cli([*RANK_CSV, "-o", str(target)]).code == 0
    assert target.read_text(encoding="utf-8").startswith("rank,")
    assert _leftovers(tmp_path) == []


def test_a_library_failing_inside_a_folder_is_one_located_error(tmp_path: Path) -> None:
    def full_disk(folder: Path) -> None:
        (folder / "ranking.parquet").write_bytes(b"PAR1")
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError) as caught:
        safewrite.write_folder(str(tmp_path / "tables"), full_disk)
    assert str(caught.value) == f"{tmp_path / 'tables'}: cannot write: No space left on device"
    assert list(tmp_path.iterdir()) == []
