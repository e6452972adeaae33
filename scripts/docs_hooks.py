"""MkDocs hook: pages generated from the code itself, so they can never drift from it.

A page that holds the marker ``<!-- generated: cli -->`` gets the help text of every command
and subcommand, read from the argument parser; ``<!-- generated: schemas -->`` gets the JSON
Schemas of the formats, as `csrscore schema NAME` prints them.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

CLI_MARKER = "<!-- generated: cli -->"
SCHEMAS_MARKER = "<!-- generated: schemas -->"


def on_page_markdown(markdown: str, **_: Any) -> str:
    if CLI_MARKER in markdown:
        markdown = markdown.replace(CLI_MARKER, cli_reference())
    if SCHEMAS_MARKER in markdown:
        markdown = markdown.replace(SCHEMAS_MARKER, schemas_reference())
    return markdown


def cli_reference() -> str:
    from csrscore.cli.main import build_parser

    # argparse wraps help at the terminal's width; a fixed one gives the same page everywhere.
    os.environ["COLUMNS"] = "100"
    parser = build_parser()
    sections = [_help_section("csrscore", parser, level=2)]
    sections += _subcommand_sections(parser, "csrscore", level=2)
    return "\n\n".join(sections)


def _subcommand_sections(parser: argparse.ArgumentParser, prefix: str, level: int) -> list[str]:
    sections: list[str] = []
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for name, subparser in action.choices.items():
            title = f"{prefix} {name}"
            sections.append(_help_section(title, subparser, level))
            sections += _subcommand_sections(subparser, title, level + 1)
    return sections


def _help_section(title: str, parser: argparse.ArgumentParser, level: int) -> str:
    return f"{'#' * level} `{title}`\n\n```text\n{parser.format_help().rstrip()}\n```"


def schemas_reference() -> str:
    from csrscore.cli.commands import SCHEMAS

    parts = []
    for name, build in SCHEMAS.items():
        text = json.dumps(build(), indent=2)
        parts.append(
            f"## `{name}`\n\n`csrscore schema {name}` prints:\n\n"
            f'??? note "The {name} schema"\n\n'
            + "\n".join("    " + line for line in f"```json\n{text}\n```".splitlines())
        )
    return "\n\n".join(parts)
