"""The hostile-input corpus: every case of csrscore issue 16, generated into a folder.

Run `python -m tests.hostile.corpus DIR` to write the files and print the commands; the
test suite builds it in a temporary folder (nothing large is kept in git). Each case is a
command line, what it should exit with, and a fragment of its one-line message.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ESC_NAME = "\x1b[2J\x1b]0;owned\x07Acme\rCorp"
FORMULA_NAME = '=HYPERLINK("https://evil.example","x")'

RUBRIC_HEAD = "rubric: hostile\nversion: 1.0.0\ntitle: Hostile\n"
CATALOG = "fields:\n  gov.committee: {type: text}\n"


def _rubric(when: str, extra: str = "") -> str:
    return (
        RUBRIC_HEAD
        + extra
        + "groups:\n  - id: g\n    title: G\n    criteria:\n"
        + "      - id: c\n        title: C\n        levels:\n"
        + f"          - {{points: 1, label: L, when: {when}}}\n"
    )


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    code: int
    message: str  # a fragment of the one line on stderr; "" when stderr must be empty
    stdout_excludes: tuple[str, ...] = ()
    stdout_includes: tuple[str, ...] = ()
    stdin: str | None = None  # a path fed to stdin: these cases run in a real process
    process: bool = False  # run as a real process (a hang must be killable)
    extra: dict[str, str] = field(default_factory=dict)


def _record(company_id: str, name: str, **disclosures: object) -> dict[str, object]:
    return {"company": {"id": company_id, "name": name}, "year": 2024, "disclosures": disclosures}


def build(folder: Path) -> list[Case]:
    """Write the corpus files into `folder` and return the cases (paths relative to it)."""

    def write(name: str, text: str | bytes) -> str:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return name

    write("catalog.yaml", CATALOG)
    reports = write(
        "reports.json",
        json.dumps(
            [
                _record("a", "a" * 35 + "!", **{"gov.committee": "a" * 9_000 + "!"}),
                _record("esc", ESC_NAME, **{"gov.committee": "x"}),
                _record("formula", FORMULA_NAME, **{"gov.committee": "+1+cmd|' /C calc'!A0"}),
            ]
        ),
    )
    redos_name = write("redos_name.yaml", _rubric('{matches: {company.name: "^(a+)+$"}}'))
    redos_text = write(
        "redos_text.yaml",
        _rubric('{matches: {gov.committee: "(.*a){12}$"}}', "catalog: catalog.yaml\n"),
    )
    lookbehind = write("lookbehind.yaml", _rubric('{matches: {company.name: "(?<=a)b"}}'))
    backref = write("backref.yaml", _rubric('{matches: {company.name: "(a)\\\\1"}}'))
    extends_etc = write("extends_etc.yaml", RUBRIC_HEAD + "extends: /etc/passwd\n")
    extends_up = write("sub/extends_up.yaml", RUBRIC_HEAD + "extends: ../redos_name.yaml\n")
    catalog_zero = write(
        "catalog_zero.yaml", _rubric("{exists: gov.committee}", "catalog: /dev/zero\n")
    )
    binary = write("binary.json", b"[\x00\x01\x02" + bytes(range(256)))
    (folder / "zero.jsonl").unlink(missing_ok=True)
    os.symlink("/dev/zero", folder / "zero.jsonl")
    write("notes.yaml", "root:x:0:0:secret-line: here\n")
    extends_notes = write("extends_notes.yaml", RUBRIC_HEAD + "extends: notes.yaml\n")

    return [
        Case("redos-name-rank", ("rank", reports, "--rubric", redos_name), 0, "", process=True),
        Case("redos-text-rank", ("rank", reports, "--rubric", redos_text), 0, "", process=True),
        Case(
            "redos-explain",
            ("explain", reports, "a", "--rubric", redos_text),
            0,
            "",
            process=True,
        ),
        Case("lookbehind", ("rubric", "check", lookbehind), 1, "lookbehind '(?<=...)' is not"),
        Case("backreference", ("rubric", "check", backref), 1, "backreferences '\\1' are not"),
        Case(
            "escapes-table",
            ("rank", reports, "--rubric", redos_name),
            0,
            "",
            stdout_excludes=("\x1b", "\x07", "\r"),
            stdout_includes=("\\x1b[2J",),
        ),
        Case(
            "csv-formula",
            ("rank", reports, "--rubric", redos_name, "--format", "csv"),
            0,
            "",
            stdout_excludes=(",=HYPERLINK", ',"=HYPERLINK', ",+1+cmd"),
            stdout_includes=("\"'=HYPERLINK",),
        ),
        Case(
            "extends-etc",
            ("rubric", "check", extends_etc),
            1,
            "'extends' '/etc/passwd' is outside the rubric's folder",
            stdout_excludes=("root:",),
        ),
        Case("extends-up", ("rubric", "check", extends_up), 1, "is outside the rubric's folder"),
        Case(
            "extends-not-a-rubric",
            ("rubric", "check", extends_notes),
            1,
            "not a csrscore rubric (no 'rubric' key at the top level)",
            stdout_excludes=("secret-line",),
        ),
        Case(
            "catalog-dev-zero",
            ("rank", reports, "--rubric", catalog_zero, "--allow-path", "/dev"),
            1,
            "/dev/zero: is a character device, not a regular file or a pipe",
        ),
        Case("catalog-outside", ("rank", reports, "--rubric", catalog_zero), 1, "outside"),
        Case(
            "validate-dev-zero",
            ("validate", "/dev/zero"),
            1,
            "is a character device, not a regular file or a pipe",
        ),
        Case("validate-urandom", ("validate", "/dev/urandom"), 1, "is a character device"),
        Case("rubric-dev-zero", ("rank", reports, "--rubric", "/dev/zero"), 1, "character device"),
        Case("jsonl-link-to-zero", ("validate", "zero.jsonl"), 1, "is a character device"),
        Case(
            "stdin-dev-zero",
            ("validate", "-"),
            1,
            "<stdin>: is a character device, not a regular file or a pipe",
            stdin="/dev/zero",
        ),
        Case("binary", ("validate", binary), 1, "holds binary data (a NUL byte at offset 1)"),
        Case(
            "too-large",
            ("validate", reports, "--max-input-size", "1K"),
            1,
            "above the limit of 1 KiB; raise it with --max-input-size",
        ),
        Case("empty-name", ("validate", ""), 1, "no file name given"),
        Case("folder", ("validate", "sub"), 1, "is a folder, not a file"),
    ]


# --- Numbers in rubrics, the process and its streams, table readers (issue 16 items 10,
# 11 and the unclear messages) ------------------------------------------------------------

_NAMES_RUBRIC = (
    RUBRIC_HEAD + "groups:\n  - id: g\n    title: G\n    weight: WEIGHT\n    criteria:\n"
    "      - id: c\n        title: C\n        levels:\n"
    "          - {points: POINTS, label: L, when: {exists: company.name}}\n"
)


def _numbers_rubric(weight: str = "1", points: str = "1", head: str = "") -> str:
    return (
        _NAMES_RUBRIC.replace("WEIGHT", weight)
        .replace("POINTS", points)
        .replace("title: Hostile\n", "title: Hostile\n" + head, 1)
    )


@dataclass(frozen=True)
class ProcessCase:
    """A case run as a real `csrscore` process, for what only a process has: its standard
    streams, its encoding and its exit. `message` is a fragment of the last stderr line;
    with `usage`, argparse's usage lines come before it (as docs/cli.md shows)."""

    name: str
    argv: tuple[str, ...]
    code: int
    message: str
    usage: bool = False
    stdout: str = "pipe"  # "pipe", "closed" (`>&-`) or a path such as /dev/full
    env: tuple[tuple[str, str], ...] = ()
    stdout_includes: tuple[str, ...] = ()


def build_numbers_and_streams(folder: Path) -> tuple[list[Case], list[ProcessCase]]:
    """Write this block's files into `folder` (after `build`); return its in-process cases
    and its process cases."""

    def write(name: str, text: str) -> str:
        (folder / name).write_text(text, encoding="utf-8")
        return name

    heavy = write("heavy.yaml", _numbers_rubric(weight="1.0e+308"))
    yaml11 = write("yaml11.yaml", _numbers_rubric(weight="1.0e308"))
    digits = write("digits.yaml", _numbers_rubric(points="9" * 5000))
    wide = write("wide.yaml", _numbers_rubric(weight="9" * 400))
    scale = write("scale.yaml", _numbers_rubric(head="scale: 1.0e+308\n"))
    speck = write("speck.yaml", _numbers_rubric(weight="1.0e-300"))
    extends_url = write("extends_url.yaml", RUBRIC_HEAD + "extends: https://x.example/r.yaml\n")
    extends_gone = write("extends_gone.yaml", RUBRIC_HEAD + "extends: gone.yaml\n")
    long_text = write(
        "long_text.json", json.dumps([_record("a", "A", **{"gov.committee": "y" * 10_001})])
    )
    whole = json.dumps([_record("a", "Société Générale (synthetic)", **{"gov.committee": "x"})])
    cut = write("cut.json", whole[: whole.index("Soci") + 4])
    cut_line = write("cut.jsonl", whole[1:-1] + "\n" + whole[1 : whole.index("Soci") + 4] + "\n")
    accents = write(
        "accents.json",
        json.dumps(
            [
                _record("s", "Société Générale (synthetic)", **{"env.ghg.policy": True}),
                _record("z", "Zürich Ökobank — 東京 (synthetic)", **{"env.ghg.policy": False}),
            ]
        ),
    )
    (folder / "zero.csv").unlink(missing_ok=True)
    os.symlink("/dev/zero", folder / "zero.csv")
    table = write("table.csv", "company.id,company.name,year\n" + "a,A,2024\n" * 200)

    cases = [
        Case("weight-1e308", ("rubric", "check", heavy), 1, "is out of bounds: must be at most"),
        Case("weight-yaml11", ("rubric", "check", yaml11), 1, "write 1.0e+308"),
        Case("points-5000-digits", ("rubric", "check", digits), 1, "a 5000-digit number"),
        Case("weight-400-digits", ("rank", "reports.json", "--rubric", wide), 1, "400-digit"),
        Case(
            "scale-1e308",
            ("sensitivity", "reports.json", "--rubric", scale, "--samples", "20"),
            1,
            "scale: 1e+308 is out of bounds: must be at most 1000000",
        ),
        Case("weight-speck", ("rubric", "check", speck), 1, "weight 1e-300 is too small"),
        Case("extends-url", ("rubric", "check", extends_url), 1, "URLs are not supported"),
        Case(
            "extends-missing",
            ("rank", "reports.json", "--rubric", extends_gone),
            1,
            "'extends' names 'gone.yaml', which is not a file",
        ),
        Case(
            "rubric-url",
            ("rank", "reports.json", "--rubric", "https://x.example/r.yaml"),
            1,
            "https://x.example/r.yaml: URLs are not supported",
        ),
        Case("reports-url", ("validate", "https://x.example/r.json"), 1, "URLs are not"),
        Case(
            "long-text",
            ("validate", long_text),
            1,
            "",
            stdout_includes=("a text value has at most 10000 characters, got 10001",),
        ),
        Case("cut-in-string", ("validate", cut), 1, "ends inside a string; is the file truncated?"),
        Case(
            "cut-line",
            ("validate", cut_line),
            1,
            "",
            stdout_includes=("cut.jsonl:2 record 1: invalid JSON: the line ends in the middle",),
        ),
        Case("csv-dev-zero", ("validate", "zero.csv"), 1, "zero.csv: is a character device"),
        Case("import-dev-zero", ("import", "zero.csv"), 1, "is a character device"),
        Case(
            "csv-too-large",
            ("validate", table, "--max-input-size", "1K"),
            1,
            "above the limit of 1 KiB; raise it with --max-input-size",
        ),
        Case(
            "import-too-large",
            ("import", table, "--max-input-size", "1K"),
            1,
            "above the limit of 1 KiB",
        ),
        Case("output-name-too-long", ("rank", accents, "-o", "o" * 256), 1, "File name too long"),
        Case("output-empty", ("rank", accents, "-o", ""), 1, "the output path is empty"),
        Case("output-dot", ("rank", accents, "-o", "."), 1, "is a folder; give a file name"),
        Case("site-on-a-file", ("report", accents, "-o", heavy), 1, "is a file; give a folder"),
        Case(
            "parquet-on-a-file",
            ("rank", accents, "--format", "parquet", "-o", heavy),
            1,
            "is a file; give a folder",
        ),
    ]
    processes = [
        ProcessCase(
            "stdout-closed", ("rank", accents), 1, "standard output is closed", stdout="closed"
        ),
        ProcessCase(
            "stdout-full",
            ("rank", accents),
            1,
            "cannot write to standard output: No space left on device",
            stdout="/dev/full",
        ),
        ProcessCase(
            "validate-stdout-full",
            ("validate", accents),
            1,
            "No space left on device",
            stdout="/dev/full",
        ),
        ProcessCase(
            "ascii-encoding",
            ("rank", accents),
            0,
            "",
            env=(("PYTHONIOENCODING", "ascii"),),
            stdout_includes=(
                " - 2 report(s) scored",
                "Soci\\xe9t\\xe9 G\\xe9n\\xe9rale",
                "Z\\xfcrich",
            ),
        ),
        ProcessCase(
            "ascii-explain",
            ("explain", accents, "z"),
            0,
            "",
            env=(("PYTHONIOENCODING", "ascii"),),
            stdout_includes=("Z\\xfcrich",),
        ),
        ProcessCase(
            "samples-billion",
            ("sensitivity", accents, "--samples", "1000000000"),
            2,
            "argument --samples: must be at most 100000",
            usage=True,
        ),
        ProcessCase(
            "report-samples-billion",
            ("report", accents, "-o", "site", "--samples", "1000000000"),
            2,
            "must be at most 100000",
            usage=True,
        ),
        *(
            ProcessCase(
                f"concentration-{value}",
                ("sensitivity", accents, "--weights", "dirichlet", f"--concentration={value}"),
                2,
                "argument --concentration: must be above 0 and at most 1e+06",
                usage=True,
            )
            for value in ("inf", "nan", "-1", "0")
        ),
        ProcessCase(
            "seed-negative",
            ("sensitivity", accents, "--seed=-1"),
            2,
            "argument --seed: must be at least 0, got -1",
            usage=True,
        ),
        ProcessCase(
            "report-seed-negative",
            ("report", accents, "-o", "site", "--seed=-1", "--samples", "5"),
            2,
            "argument --seed: must be at least 0",
            usage=True,
        ),
    ]
    return cases, processes


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    listed: list[Case | ProcessCase] = [*build(target)]
    cases, processes = build_numbers_and_streams(target)
    listed += [*cases, *processes]
    for case in listed:
        print(f"{case.name}: csrscore {' '.join(case.argv)}  -> exit {case.code}")
