"""What importing csrscore and starting a command imports: only what the work needs.

`import csrscore` binds its public names on first use (PEP 562), and a command imports
its own module only (`cli.main.COMMANDS`). Each case runs in a fresh interpreter and
checks `sys.modules`; how long imports take is measured by benchmarks/bench_import.py,
not here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

import csrscore
from csrscore.cli.main import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[1]

# The analyses, writers and readers on top of the engine, and the heavy libraries.
ANALYSES = (
    "csrscore.explain",
    "csrscore.sensitivity",
    "csrscore.report",
    "csrscore.io",
    "csrscore.dask",
    "csrscore.indexaudit",
    "csrscore.chunked",
    "csrscore.compare",
)
LIBRARIES = ("dask", "pandas", "pyarrow", "openpyxl", "jinja2", "plotly", "scipy", "rich")
CORE = ("numpy", "pydantic", "jsonschema", "yaml", "csrscore.engine", "csrscore.records")


def imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return set(modules)


def command(*argv: str) -> str:
    """Code that runs the `csrscore` command with `argv` in-process, as the console script."""
    return (
        "import sys\nfrom csrscore.cli.main import main\n"
        f"try:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass"
    )


def test_import_csrscore_imports_nothing_heavy() -> None:
    modules = imported_after("import csrscore")
    assert not modules & {*ANALYSES, *LIBRARIES, *CORE}
    assert "csrscore.errors" in modules  # the exceptions are there for `except` clauses


def test_every_public_name_imports_from_a_fresh_interpreter() -> None:
    code = (
        "import csrscore\n"
        "for name in csrscore.__all__:\n"
        "    exec(f'from csrscore import {name}')\n"
        "    assert getattr(csrscore, name) is not None, name"
    )
    modules = imported_after(code)
    assert {"csrscore.engine", "csrscore.sensitivity", "csrscore.io"} <= modules


def test_a_public_name_imports_only_its_own_stage() -> None:
    modules = imported_after("from csrscore import load_rubric")
    assert "csrscore.rubric" in modules
    assert not modules & {*ANALYSES, "csrscore.engine", *LIBRARIES}


def test_submodules_are_attributes_of_the_package_as_before() -> None:
    code = (
        "import csrscore, types\n"
        "assert isinstance(csrscore.sensitivity, types.ModuleType)\n"
        "assert csrscore.sensitivity_analysis is csrscore.sensitivity.sensitivity\n"
        "assert isinstance(csrscore.engine, types.ModuleType)"
    )
    assert "csrscore.sensitivity" in imported_after(code)
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        csrscore.no_such_name  # noqa: B018
    assert set(csrscore.__all__) <= set(dir(csrscore))


@pytest.mark.parametrize("argv", [("--help",), ("--version",), ("nonsense",)], ids=" ".join)
def test_help_and_version_import_no_command(argv: tuple[str, ...]) -> None:
    modules = imported_after(command(*argv))
    assert not modules & {*ANALYSES, *LIBRARIES, *CORE}
    assert (
        not {f"csrscore.cli.{module}" for module, _ in COMMANDS.values()}
        - {"csrscore.cli.completion_cmd"}
        & modules
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("rubric", "check", "rubrics/citi.yaml"),
        ("validate", "examples/reports.json"),
        ("validate", "examples/reports.json", "--rubric", "citi"),
        ("schema", "rubric"),
    ],
    ids=" ".join,
)
def test_light_commands_import_no_analysis(argv: tuple[str, ...]) -> None:
    modules = imported_after(command(*argv))
    assert not modules & {*ANALYSES, *LIBRARIES, "csrscore.cli.rank", "csrscore.cli.report_cmd"}


def test_a_table_still_loads_through_load_reports_alone(tmp_path: Path) -> None:
    """The table readers register themselves when first needed, however the loader was
    reached."""
    path = tmp_path / "reports.csv"
    path.write_text(
        "company.id,company.name,year,gov.csr_policy\nacme,Acme,2024,true\n", encoding="utf-8"
    )
    code = (
        "from csrscore.records.load import load_reports\n"
        f"loaded = load_reports({str(path)!r})\n"
        "assert [r.company.id for r in loaded.reports] == ['acme'], loaded"
    )
    assert "csrscore.io" in imported_after(code)


def test_the_help_lines_are_the_commands_own() -> None:
    """`--help` lists every command with the help line its module registers."""
    full = build_parser()
    lazy = build_parser("")
    assert lazy.format_help() == full.format_help()
    (action,) = [a for a in full._actions if isinstance(a, argparse._SubParsersAction)]
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    assert helps == {name: line for name, (_, line) in COMMANDS.items()}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_parses_as_in_the_full_parser(name: str) -> None:
    only = build_parser(name)
    (action,) = [a for a in only._actions if isinstance(a, argparse._SubParsersAction)]
    (full_action,) = [
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    ]
    assert action.choices[name].format_help() == full_action.choices[name].format_help()
