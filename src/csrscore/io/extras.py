"""The optional libraries behind tabular input and output, imported only when used."""

from __future__ import annotations

import importlib
from types import ModuleType

from csrscore.errors import CsrscoreError

EXTRA = "tables"


class MissingExtraError(CsrscoreError, ImportError):
    """An optional library that a feature needs is not installed."""


def require(module: str, purpose: str) -> ModuleType:
    """`module`, or a one-line error naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".", 1)[0]
        raise MissingExtraError(
            f"{purpose} needs {package}: pip install 'csrscore[{EXTRA}]'"
        ) from None
