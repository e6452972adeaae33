"""Table files are read within the size limit, and only from regular files and pipes,
as JSON reports are (issue 16 item 5, for the table readers)."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from csrscore import load_reports, read_table, score
from csrscore.errors import ReportError
from csrscore.io.results import result_tables, write_parquet, write_xlsx
from csrscore.io.sheets import UNPACKED_RATIO
from tests.io import files
from tests.io.files import HEADER, ROWS, write_csv

Writer = Callable[[Path], Path]
WRITERS: dict[str, Writer] = {
    "csv": lambda path: write_csv(path, [HEADER, *ROWS]),
    "tsv": lambda path: write_csv(path, [HEADER, *ROWS], delimiter="\t"),
    "xlsx": lambda path: files.write_xlsx(path, {"Data": [HEADER, *ROWS]}),
    "parquet": lambda path: files.write_parquet(path, [HEADER, *ROWS]),
}


@pytest.mark.parametrize("suffix", WRITERS)
def test_a_table_above_the_limit_is_refused_with_the_limit(suffix: str, tmp_path: Path) -> None:
    path = WRITERS[suffix](tmp_path / f"data.{suffix}")
    size = path.stat().st_size
    assert len(read_table(path, max_bytes=size).reports) == 2  # the limit itself is allowed
    with pytest.raises(ReportError) as caught:
        load_reports(path, max_bytes=size - 1)
    assert str(caught.value) == (
        f"{path}: the input is {size} bytes, above the limit of {size - 1} bytes; raise it "
        "with --max-input-size (or load_reports(..., max_bytes=N))"
    )


@pytest.mark.parametrize("suffix", WRITERS)
def test_a_table_named_link_to_a_device_is_refused(suffix: str, tmp_path: Path) -> None:
    link = tmp_path / f"zero.{suffix}"
    os.symlink("/dev/zero", link)
    with pytest.raises(ReportError, match="is a character device, not a regular file or a pipe"):
        load_reports(link)


def test_a_csv_from_a_pipe_is_read(tmp_path: Path) -> None:
    source = WRITERS["csv"](tmp_path / "source.csv")
    fifo = tmp_path / "piped.csv"
    os.mkfifo(fifo)
    writer = os.fork()
    if writer == 0:  # the child feeds the pipe and leaves
        with open(fifo, "wb") as pipe:
            pipe.write(source.read_bytes())
        os._exit(0)
    try:
        assert len(load_reports(fifo).reports) == 2
    finally:
        os.waitpid(writer, 0)


def test_a_workbook_that_unpacks_far_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    path = WRITERS["xlsx"](tmp_path / "data.xlsx")
    bomb = io.BytesIO()
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            out.writestr(item, original.read(item))
        out.writestr("xl/padding.bin", b"\0" * (2 << 20))  # 2 MiB of zeros: a few KB packed
    path.write_bytes(bomb.getvalue())
    limit = (2 << 20) // UNPACKED_RATIO
    assert path.stat().st_size < limit
    with pytest.raises(ReportError, match=f"more than {UNPACKED_RATIO} times the input limit"):
        load_reports(path, max_bytes=limit)


def test_a_250_character_name_is_written_by_the_table_writers(tmp_path: Path) -> None:
    scores = score(load_reports(WRITERS["csv"](tmp_path / "data.csv")), "iso26000")
    tables = result_tables(scores, scores.rank(), None)
    workbook = tmp_path / ("w" * 250 + ".xlsx")
    write_xlsx(tables, workbook)
    assert workbook.read_bytes()[:2] == b"PK"
    folder = tmp_path / "tables"
    write_parquet(tables, folder)
    assert len(list(folder.iterdir())) == 4
    assert not list(tmp_path.rglob(".csrscore-*"))
