"""The `report` extra: jinja2 for the pages and plotly for the charts' script."""

from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path

from csrscore.errors import CsrscoreError

EXTRA_MODULES = ("jinja2", "plotly")


class MissingExtraError(CsrscoreError, ImportError):
    """An optional dependency of a feature is not installed."""


def require_extra() -> None:
    """Fail with one line naming the extra when a package of it is missing."""
    for module in EXTRA_MODULES:
        try:
            importlib.import_module(module)
        except ImportError:
            raise MissingExtraError(
                f"csrscore report needs {module}: pip install 'csrscore[report]'"
            ) from None


def plotly_script() -> Path:
    """plotly.js as the plotly package ships it, minified (written once into the site)."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def plotly_version() -> str:
    version: str = importlib.import_module("plotly").__version__
    return version
