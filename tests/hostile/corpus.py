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


# --- Data the loader must not lose or misread, more output formats, -o, also-fix (issue 16
# items 2, 3, 4, 6, 7, 8, 9, 11 and "also fix") ---------------------------------------------

# A record for the shipped iso26000 rubric (the default), written out by hand below, since
# json.dumps cannot repeat a key.
GOOD = (
    '{"company": {"id": "good", "name": "Good"}, "year": 2024,'
    ' "disclosures": {"env.energy.renewable_share": 50}}'
)
_R = '"company": {"id": "r", "name": "R"}'
REPEATING = {
    "year": f'{{{_R}, "year": 2023, "year": 2024}}',
    "company": f'{{{_R}, "company": {{"id": "r", "name": "S"}}, "year": 2024}}',
    "disclosure": (
        f'{{{_R}, "year": 2024, "disclosures":'
        ' {"env.energy.renewable_share": 5, "env.energy.renewable_share": 70}}'
    ),
    "evidence": (
        f'{{{_R}, "year": 2024, "disclosures": {{"env.energy.renewable_share":'
        ' {"value": 5, "evidence": {"page": 1, "page": 2}}}}'
    ),
}
RANGE_SHARE = "950 is out of the catalog's range, 0 to 100 %"
RANGE_RATE = "-50 is out of the catalog's range, at least 0 per million hours worked"
WRONG_TYPE = "catalog says number, got str"
APPEARS = "appears twice in its object; give each key once"
TWO_REPORTS = f"key 'reports' {APPEARS}"
FOLDER = "<the corpus folder>"  # in a fragment: the absolute path the case runs in


def _records_text(*records: str, lines: bool = False) -> str:
    return "\n".join(records) + "\n" if lines else "[\n" + ",\n".join(records) + "\n]\n"


def build_items(folder: Path) -> list[Case]:
    """Write this block's files into `folder` (after `build`); return its cases."""

    def write(name: str, text: str) -> str:
        (folder / name).write_text(text, encoding="utf-8")
        return name

    for name, text in REPEATING.items():
        write(f"dup_{name}.json", _records_text(GOOD, text))
        write(f"dup_{name}.jsonl", _records_text(GOOD, text, lines=True))
    dup_top = write("dup_top.json", f'{{"reports": [{GOOD}], "reports": []}}\n')
    dup_meta = write("dup_meta.json", f'{{"source": "a", "reports": [{GOOD}], "source": "b"}}')
    dup_wrapped = write("dup_wrapped.json", f'{{"reports": [{GOOD}, {REPEATING["disclosure"]}]}}')
    dup_single = write("dup_single.json", REPEATING["year"] + "\n")

    def one(company: str, key: str, value: object) -> str:
        return json.dumps(
            {
                "company": {"id": company, "name": company.title()},
                "year": 2024,
                "disclosures": {key: value},
            }
        )

    impossible = {
        "share": one("r", "env.energy.renewable_share", 950),
        "injury": one("r", "labour.ohs.ltifr", -50),
        "type": one("r", "labour.ohs.ltifr", "low"),
    }
    for name, text in impossible.items():
        write(f"{name}.json", _records_text(GOOD, text))
        write(f"{name}.jsonl", _records_text(GOOD, text, lines=True))

    write(
        "names.json",
        json.dumps(
            [
                _record("esc", ESC_NAME, **{"gov.csr_policy": True}),
                _record("nl", "Line\nBreak|pipe <b>bold</b>", **{"gov.csr_policy": True}),
                _record("at", "@SUM(1+1)"),
                _record("minus", "-2+3"),
                _record("tab", "\tTab"),
                _record("cr", "\rCR"),
            ]
        ),
    )
    write(
        "bad_names.json",
        json.dumps(
            [
                _record("k", "K", **{"\x1b[31mred": 1}),
                {"company": {"id": "e\x1b[2Jx", "name": "E"}, "year": "2024"},
            ]
        ),
    )
    write(
        "title.yaml",
        'rubric: t\nversion: 1.0.0\ntitle: "Evil \\e[2J\\a title"\ngroups:\n  - id: g\n'
        '    title: "G \\e]0;x\\a"\n    criteria:\n      - id: c\n        title: C\n'
        "        levels:\n"
        '          - {points: 1, label: "L\\e[31m", when: {exists: company.name}}\n',
    )
    write("catalog_notes.yaml", _rubric("{exists: company.name}", "catalog: notes.yaml\n"))
    (folder / "up" / "sub").mkdir(parents=True, exist_ok=True)
    write("up/base.yaml", _rubric("{exists: company.name}"))
    write("up/sub/child.yaml", RUBRIC_HEAD + "extends: ../base.yaml\n")
    (folder / "cycle").mkdir(exist_ok=True)
    write("cycle/a.yaml", RUBRIC_HEAD + "extends: b.yaml\n")
    write("cycle/b.yaml", RUBRIC_HEAD + "extends: a.yaml\n")

    escapes = ("\x1b", "\x07", "\r")
    return [
        # Item 6: a repeated key, at the top level and at every depth of a record.
        *(
            Case(f"dup-top-{name}", argv, 1, message)
            for name, argv, message in (
                ("validate", ("validate", dup_top), f"{dup_top} reports: {TWO_REPORTS}"),
                ("rank", ("rank", dup_top), f"{dup_top} reports: {TWO_REPORTS}"),
                # A file the chunked reader cannot read is one rejection among its files.
                (
                    "rank-chunked",
                    ("rank", dup_top, "--chunk-size", "1", "--strict"),
                    f"{dup_top} record 0 reports: 1 report(s) rejected under --strict; first:"
                    f" the file could not be read: {TWO_REPORTS}",
                ),
                (
                    "sensitivity",
                    ("sensitivity", dup_top, "--samples", "20"),
                    f"{dup_top} reports: {TWO_REPORTS}",
                ),
                ("explain", ("explain", dup_top, "good"), f"{dup_top} reports: {TWO_REPORTS}"),
                ("audit", ("audit", dup_top), f"{dup_top} reports: {TWO_REPORTS}"),
                ("report", ("report", dup_top, "-o", "site"), f"{dup_top} reports: {TWO_REPORTS}"),
            )
        ),
        Case(
            "dup-top-stdin",
            ("validate", "-"),
            1,
            f"<stdin> reports: key 'reports' {APPEARS}",
            stdin=dup_top,
        ),
        Case(
            "dup-metadata", ("validate", dup_meta), 1, f"{dup_meta} source: key 'source' {APPEARS}"
        ),
        *(
            Case(
                f"dup-{name}-validate-{suffix}",
                ("validate", f"dup_{name}.{suffix}"),
                1,
                "",
                stdout_includes=(
                    f"dup_{name}.{suffix}{':2' if suffix == 'jsonl' else ''} record 1 company"
                    f" 'r' {path}: key {key!r} {APPEARS}",
                    "1 valid, 1 rejected",
                ),
            )
            for name, path, key in (
                ("year", "year", "year"),
                ("company", "company", "company"),
                (
                    "disclosure",
                    'disclosures["env.energy.renewable_share"]',
                    "env.energy.renewable_share",
                ),
                ("evidence", 'disclosures["env.energy.renewable_share"].evidence.page', "page"),
            )
            for suffix in ("json", "jsonl")
        ),
        *(
            Case(
                f"dup-year-rank-{suffix}",
                ("rank", f"dup_year.{suffix}", "--format", "json"),
                0,
                "1 report(s) rejected; see csrscore validate",
                stdout_includes=('"path": "year"', f'"message": "key \'year\' {APPEARS}'),
            )
            for suffix in ("json", "jsonl")
        ),
        *(
            Case(
                f"dup-disclosure-rank-strict-{suffix}{'-chunked' if chunked else ''}",
                (
                    "rank",
                    f"dup_disclosure.{suffix}",
                    "--strict",
                    *(("--chunk-size", "1") if chunked else ()),
                ),
                1,
                f"dup_disclosure.{suffix}{':2' if suffix == 'jsonl' else ''} record 1 company"
                f" 'r' disclosures[\"env.energy.renewable_share\"]: 1 report(s) rejected under"
                f" --strict; first: key 'env.energy.renewable_share' {APPEARS}",
            )
            for suffix, chunked in (
                ("json", False),
                ("jsonl", False),
                ("jsonl", True),
                ("json", True),
            )
        ),
        Case(
            "dup-wrapped",
            ("validate", dup_wrapped),
            1,
            "",
            stdout_includes=(f"{dup_wrapped} record 1 company 'r' disclosures[",),
        ),
        Case(
            "dup-single-record",
            ("validate", dup_single),
            1,
            "",
            stdout_includes=(f"{dup_single}:1 record 0 company 'r' year: key 'year' {APPEARS}",),
        ),
        # Items 8 and 9: impossible values and contradicting types, through validate and
        # rank (whole and chunked), JSON and JSON Lines; rank's --strict line is the first
        # rejection, so both commands must name the same problem.
        *(
            case
            for name, message in (
                ("share", RANGE_SHARE),
                ("injury", RANGE_RATE),
                ("type", WRONG_TYPE),
            )
            for suffix in ("json", "jsonl")
            for case in (
                Case(
                    f"{name}-validate-{suffix}",
                    ("validate", f"{name}.{suffix}"),
                    1,
                    "",
                    stdout_includes=(
                        f"{name}.{suffix}{':2' if suffix == 'jsonl' else ''} record 1 company"
                        f" 'r' disclosures[",
                        message,
                        "1 valid, 1 rejected",
                    ),
                ),
                Case(
                    f"{name}-rank-{suffix}",
                    ("rank", f"{name}.{suffix}", "--format", "json"),
                    0,
                    "1 report(s) rejected; see csrscore validate",
                    stdout_includes=(f'"message": "{message}"',)
                    + (('"line": 2',) if suffix == "jsonl" else ()),
                ),
                Case(
                    f"{name}-rank-strict-{suffix}",
                    ("rank", f"{name}.{suffix}", "--strict"),
                    1,
                    f"{name}.{suffix}{':2' if suffix == 'jsonl' else ''} record 1 company 'r'",
                    stdout_includes=(),
                ),
                Case(
                    f"{name}-rank-chunked-{suffix}",
                    ("rank", f"{name}.{suffix}", "--chunk-size", "1", "--strict"),
                    1,
                    message,
                ),
            )
        ),
        # Item 2: control characters shown escaped in every text format; a newline never
        # splits a Markdown row and HTML is escaped there.
        *(
            Case(
                f"escapes-{label}",
                argv,
                code,
                "",
                stdout_excludes=escapes,
                stdout_includes=shown,
            )
            for label, argv, code, shown in (
                (
                    "markdown",
                    ("rank", "names.json", "--format", "markdown"),
                    0,
                    ("\\x1b[2J", "Line\\x0aBreak\\|pipe &lt;b&gt;bold&lt;/b&gt;"),
                ),
                ("csv", ("rank", "names.json", "--format", "csv"), 0, ("\\x1b[2J",)),
                ("json", ("rank", "names.json", "--format", "json"), 0, ("\\u001b[2J",)),
                ("explain", ("explain", "names.json", "esc"), 0, ("\\x1b[2J",)),
                (
                    "explain-markdown",
                    ("explain", "names.json", "nl", "--format", "markdown"),
                    0,
                    ("Line\\x0aBreak",),
                ),
                ("sensitivity", ("sensitivity", "names.json", "--samples", "20"), 0, ("\\x1b[2J",)),
                ("validate", ("validate", "bad_names.json"), 1, ("\\x1b[31mred", "'e\\x1b[2Jx'")),
                ("rubric-show", ("rubric", "show", "title.yaml"), 0, ("Evil \\x1b[2J\\x07",)),
                (
                    "rubric-title-rank",
                    ("rank", "names.json", "--rubric", "title.yaml", "--headers", "titles"),
                    0,
                    ("G \\x1b]0;x\\x07",),
                ),
                (
                    "rubric-title-explain",
                    ("explain", "names.json", "esc", "--rubric", "title.yaml"),
                    0,
                    ("L\\x1b[31m",),
                ),
            )
        ),
        # Item 3: every cell that a spreadsheet would run as a formula is neutralised.
        *(
            Case(
                f"formula-{command}",
                (command, "names.json", "--format", "csv", *extra),
                0,
                "",
                stdout_excludes=(",@SUM", ",-2+3", ",\tTab", ",\rCR"),
                stdout_includes=(",'@SUM(1+1),", ",'-2+3,", ",'\\x09Tab,", ",'\\x0dCR,"),
            )
            for command, extra in (("rank", ()), ("sensitivity", ("--samples", "20")))
        ),
        # Item 4: a catalog that is not a catalog is named, never quoted; --allow-path opens
        # a folder above the rubric's own.
        Case(
            "catalog-not-a-catalog",
            ("rubric", "check", "catalog_notes.yaml"),
            1,
            "notes.yaml: a catalog needs a 'fields' mapping",
            stdout_excludes=("secret-line", "root:", FOLDER),
        ),
        Case("extends-up-refused", ("rubric", "check", "up/sub/child.yaml"), 1, "outside"),
        Case(
            "extends-up-allowed",
            ("rubric", "check", "up/sub/child.yaml", "--allow-path", "up"),
            0,
            "",
            stdout_includes=("0 error(s)",),
        ),
        # Also fix: ISO 26000 clause 6.2.3, and an extends cycle shown with relative paths.
        Case(
            "iso26000-clause-6.2.3",
            ("explain", "names.json", "esc", "--format", "json"),
            0,
            "",
            stdout_includes=('"iso26000": "6.2.3"',),
        ),
        Case(
            "extends-cycle-relative",
            ("rubric", "check", "cycle/a.yaml"),
            1,
            "cycle/b.yaml:4 extends: 'extends' forms a cycle: cycle/a.yaml -> cycle/b.yaml"
            " -> cycle/a.yaml",
            stdout_excludes=(FOLDER,),
        ),
    ]


@dataclass(frozen=True)
class OutputCase:
    """A case that writes with `-o` (issue 16 items 7 and 11), run in a folder of its own:
    `unchanged` files must keep their bytes, `written` must end up holding the results
    (through the link, if it is one), and nothing else may appear."""

    name: str
    argv: tuple[str, ...]
    code: int
    message: str
    unchanged: tuple[str, ...] = ()
    written: str | None = None
    link: str | None = None


def build_outputs(folder: Path) -> list[OutputCase]:
    """Write the files the output cases start from into `folder`; return the cases."""
    reports = "in.json"
    (folder / reports).write_text(json.dumps([_record("a", "A")]), encoding="utf-8")
    (folder / "read_only.csv").write_text("old\n", encoding="utf-8")
    (folder / "read_only.csv").chmod(0o444)
    (folder / "target.csv").write_text("old\n", encoding="utf-8")
    (folder / "link.csv").unlink(missing_ok=True)
    os.symlink("target.csv", folder / "link.csv")
    (folder / "sub").mkdir(exist_ok=True)
    rank = ("rank", reports, "--format", "csv", "-o")
    return [
        OutputCase(
            "out-is-input",
            (*rank, reports),
            1,
            "is the file the reports are read from",
            unchanged=(reports,),
        ),
        OutputCase(
            "out-read-only",
            (*rank, "read_only.csv"),
            1,
            "read_only.csv: is read-only; refusing to replace it",
            unchanged=("read_only.csv",),
        ),
        OutputCase(
            "out-symlink", (*rank, "link.csv"), 0, "", written="target.csv", link="link.csv"
        ),
        OutputCase("out-dev-null", (*rank, "/dev/null"), 0, ""),
        OutputCase(
            "out-dev-full",
            (*rank, "/dev/full"),
            1,
            "/dev/full: cannot write: No space left on device",
        ),
        OutputCase("out-folder", (*rank, "sub"), 1, "sub: is a folder; give a file name"),
        OutputCase("out-254-characters", (*rank, "n" * 254), 0, "", written="n" * 254),
    ]


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    listed: list[Case | ProcessCase | OutputCase] = [*build(target)]
    cases, processes = build_numbers_and_streams(target)
    listed += [*cases, *processes, *build_items(target)]
    outputs = target / "outputs"
    outputs.mkdir(exist_ok=True)
    listed += build_outputs(outputs)  # run these from `outputs`: they write there
    for case in listed:
        print(f"{case.name}: csrscore {' '.join(case.argv)}  -> exit {case.code}")
