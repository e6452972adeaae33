"""`csrscore report` on the command line: its output, errors and the missing extra."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli.runner import EXAMPLES, ROOT, run_cli


def test_writes_a_site(tmp_path: Path) -> None:
    result = run_cli(
        [
            "report",
            str(ROOT / "tests/cli/fixtures/tiny-reports.json"),
            "--rubric",
            str(ROOT / "tests/cli/fixtures/tiny-rubric.yaml"),
            "-o",
            str(tmp_path),
        ]
    )
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err.startswith("wrote ")
    assert (tmp_path / "index.html").is_file()
    assert (tmp_path / "methodology.html").is_file()


def test_unwritable_output_is_one_located_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli(["report", str(ROOT / EXAMPLES), "-o", str(blocker / "site")])
    assert result.code == 1
    assert len(result.err_lines) == 1
    assert result.err_lines[0].startswith(f"csrscore: error: {blocker / 'site'}: cannot write")


def test_missing_extra_is_one_line_naming_it() -> None:
    # jinja2 made unimportable, as in an install without the `report` extra.
    code = (
        "import sys; sys.modules['jinja2'] = None\n"
        "from csrscore.cli.main import main\n"
        f"sys.exit(main(['report', {str(ROOT / EXAMPLES)!r}, '-o', 'unused']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "csrscore: error: csrscore report needs jinja2: pip install 'csrscore[report]'"
    ]
    assert not Path("unused").exists()
