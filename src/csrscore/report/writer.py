"""The site's folder: pages and assets written into it, counted, and one located error when
a file cannot be written."""

from __future__ import annotations

import shutil
from pathlib import Path

from csrscore.errors import InputError, Location
from csrscore.report.extra import plotly_script

ASSETS = ("site.css", "site.js", "scorecard.js")


def unwritable(path: Path, reason: str | None) -> InputError:
    return InputError(f"cannot write the site here: {reason}", Location(source=str(path)))


class SiteWriter:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages = 0
        self.bytes = 0
        try:
            (root / "companies").mkdir(parents=True, exist_ok=True)
            (root / "assets").mkdir(exist_ok=True)
        except OSError as exc:
            raise unwritable(root, exc.strerror) from None

    def write(self, relative: str, text: str) -> None:
        data = text.encode("utf-8")
        try:
            (self.root / relative).write_bytes(data)
        except OSError as exc:
            raise unwritable(self.root / relative, exc.strerror) from None
        self.pages += 1
        self.bytes += len(data)

    def copy_assets(self) -> None:
        here = Path(__file__).parent / "assets"
        targets = [(here / name, name) for name in ASSETS]
        targets.append((plotly_script(), "plotly.min.js"))
        for source, name in targets:
            target = self.root / "assets" / name
            try:
                shutil.copyfile(source, target)
            except OSError as exc:
                raise unwritable(target, exc.strerror) from None
            self.bytes += target.stat().st_size

    def write_asset(self, name: str, text: str) -> None:
        target = self.root / "assets" / name
        data = text.encode("utf-8")
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise unwritable(target, exc.strerror) from None
        self.bytes += len(data)
