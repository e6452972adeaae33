"""The `csrscore` command line: argument parsing and rendering only."""

from csrscore.cli.main import main

__all__ = ["main"]
