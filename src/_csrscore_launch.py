"""The `csrscore` command's entry point, kept outside the package on purpose.

Importing csrscore (numpy, pydantic, jsonschema, the commands) takes a second or more; a
Ctrl-C during it would print a traceback from deep inside an import. From here it ends as
every other interrupted command does: one line and exit 130 (see csrscore.cli.streams).
"""

from __future__ import annotations

import os
import sys


def run() -> None:
    try:
        from csrscore.cli.main import run as run_command
    except KeyboardInterrupt:
        try:
            os.write(2, b"csrscore: interrupted\n")
        finally:
            os._exit(130)
    run_command()


if __name__ == "__main__":
    run()
    sys.exit(0)
