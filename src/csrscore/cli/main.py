"""Entry point: builds the parser, dispatches, and turns errors into exit codes.

Exit codes: 0 success, 1 input problems, 2 usage errors, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from csrscore import __version__
from csrscore.cli import completion_cmd, safewrite, streams, terminal
from csrscore.errors import CsrscoreError, UsageError
from csrscore.textsafe import visible

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

Handler = Callable[[argparse.Namespace], int]

# Every command: the module (in csrscore.cli) that registers and runs it, and its line in
# `csrscore --help`. A run imports only its own command's module, so that `--help` and
# light commands (`rubric check`, `validate`) do not import numpy, the engine or the
# analyses; the other commands are listed by name and help line alone. tests/cli/
# test_lazy_commands.py checks these lines against the modules' own.
COMMANDS: dict[str, tuple[str, str]] = {
    "rank": ("rank", "score reports against a rubric and rank the companies"),
    "explain": ("explain_cmd", "explain one company's score and how to raise it"),
    "validate": ("commands", "validate report records and list the rejected ones"),
    "schema": ("commands", "print a JSON Schema"),
    "rubric": ("rubric_cmd", "list, show or check rubrics"),
    "sensitivity": (
        "sensitivity_cmd",
        "how far ranks move when the weights, aggregation or N/A policy move",
    ),
    "audit": (
        "audit_cmd",
        "coverage, distributions, correlations, reliability and effective weights",
    ),
    "completion": ("completion_cmd", "print a shell completion script"),
    "report": ("report_cmd", "write the ranking, scorecards and methodology as a static HTML site"),
    "import": (
        "tables_cmd",
        "convert a CSV, TSV, XLSX or Parquet table to report records (JSON Lines)",
    ),
    "mapping": ("tables_cmd", "draft a mapping file from a table's header row"),
}
ALL = None


def build_parser(command: str | None = ALL) -> argparse.ArgumentParser:
    """The parser of every command; given a `command`, only that command's module is
    imported and registered, and the others are listed with their help line only (""
    registers none: enough for `--help`, `--version` and usage errors)."""
    parser = argparse.ArgumentParser(
        prog="csrscore",
        description="Score, rank and explain corporate social responsibility disclosures.",
        epilog="example: csrscore rank examples/reports.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"csrscore {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback for errors (for bug reports)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    wanted = None if command is None else COMMANDS.get(command, ("", ""))[0]
    registered: set[str] = set()
    for name, (module, help_line) in COMMANDS.items():
        if module in registered:
            continue  # registered with the first command of its module
        if wanted is None or module == wanted:
            importlib.import_module(f"csrscore.cli.{module}").register(subparsers)
            registered.add(module)
        else:
            subparsers.add_parser(name, help=help_line)
    terminal.add_options(parser)
    return parser


def command_word(argv: Sequence[str]) -> str:
    """The command named on the command line ("" if none): its first word that is not an
    option (the options before it take no value)."""
    return next((word for word in argv if not word.startswith("-")), "")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    # Shell completion may ask about any command: it gets them all.
    completing = "_ARGCOMPLETE" in os.environ
    parser = build_parser(ALL if completing else command_word(arguments))
    completion_cmd.complete_if_asked(parser)
    safewrite.forget_inputs()
    args = parser.parse_args(arguments)
    handler: Handler = args.handler
    try:
        return terminal.run(handler, args)
    except UsageError as exc:
        if args.debug:
            raise
        print(f"csrscore {args.command}: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except CsrscoreError as exc:
        if args.debug:
            raise
        print(f"csrscore: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("csrscore: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing useful is left to say.
        sys.stderr.close()
        return EXIT_OK


def run() -> None:
    """The `csrscore` process: `main` with its streams guarded and Ctrl-C handled to the
    last moment (`cli.streams`); `main` alone is what tests run in-process."""
    streams.prepare()
    try:
        try:
            code = main()
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        streams.end_on_interrupt()  # nothing is left to clean up from here on
        streams.flush()
    except KeyboardInterrupt:
        streams.end_on_interrupt()
        streams.say_interrupted()
        code = EXIT_INTERRUPTED
    except streams.OutputError as exc:
        streams.end_on_interrupt()
        print(f"csrscore: error: {exc}", file=sys.stderr)
        code = EXIT_INPUT
    streams.finish(code)


if __name__ == "__main__":
    run()
