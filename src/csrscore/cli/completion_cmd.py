"""`csrscore completion SHELL`: the shell script that completes csrscore's commands.

argcomplete (a maintained library, extra `cli`) writes the script; the script calls
csrscore back with `_ARGCOMPLETE` set, and `main` answers from the same parser that parses
the command line, so completion can never drift from the options.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from csrscore.errors import UsageError

SHELLS = ("bash", "zsh", "fish")


def register(subparsers: Any) -> None:
    completion = subparsers.add_parser(
        "completion",
        help="print a shell completion script",
        description=(
            "Print a script that completes csrscore's commands and options in your shell.\n"
            "Needs the 'cli' extra: pip install 'csrscore[cli]'."
        ),
        epilog=(
            "examples:\n"
            "  csrscore completion bash >> ~/.bashrc\n"
            "  csrscore completion zsh > ~/.zfunc/_csrscore\n"
            "  csrscore completion fish > ~/.config/fish/completions/csrscore.fish"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    completion.add_argument("shell", choices=SHELLS)
    completion.set_defaults(handler=run_completion)


def _argcomplete() -> Any:
    try:
        import argcomplete
    except ImportError:
        raise UsageError(
            "shell completion needs argcomplete: pip install 'csrscore[cli]'"
        ) from None
    return argcomplete


def run_completion(args: argparse.Namespace) -> int:
    print(_argcomplete().shellcode(["csrscore"], shell=args.shell), end="")
    return 0


def complete_if_asked(parser: argparse.ArgumentParser) -> None:
    """Answer a completion request from the shell script, then exit; otherwise do nothing.

    The environment is checked first so that a normal run never imports argcomplete.
    """
    if "_ARGCOMPLETE" in os.environ:
        try:
            import argcomplete
        except ImportError:
            return
        argcomplete.autocomplete(parser)
