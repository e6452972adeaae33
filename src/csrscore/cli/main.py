"""Entry point: builds the parser, dispatches, and turns errors into exit codes.

Exit codes: 0 success, 1 input problems, 2 usage errors, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from csrscore import __version__
from csrscore.cli import (
    audit_cmd,
    commands,
    completion_cmd,
    explain_cmd,
    rank,
    report_cmd,
    rubric_cmd,
    safewrite,
    sensitivity_cmd,
    streams,
    tables_cmd,
    terminal,
)
from csrscore.errors import CsrscoreError, UsageError
from csrscore.textsafe import visible

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
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
    rank.register(subparsers)
    explain_cmd.register(subparsers)
    commands.register(subparsers)
    rubric_cmd.register(subparsers)
    sensitivity_cmd.register(subparsers)
    audit_cmd.register(subparsers)
    completion_cmd.register(subparsers)
    report_cmd.register(subparsers)
    tables_cmd.register(subparsers)
    terminal.add_options(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    completion_cmd.complete_if_asked(parser)
    safewrite.forget_inputs()
    args = parser.parse_args(argv)
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
