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
            stdout_includes=('"\'=HYPERLINK',),
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


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for case in build(target):
        print(f"{case.name}: csrscore {' '.join(case.argv)}  -> exit {case.code}")
