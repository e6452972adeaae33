"""A page in headless Chromium that records console messages, page errors, dialogs and
every request, so a test can assert that none happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Everything on these pages is local; a wait longer than this is a failure, not a slow host.
TIMEOUT_MS = 10_000


@dataclass
class Watched:
    page: Any
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri(), wait_until="load")
        # The charts are drawn by the page's script; wait for the last one.
        if self.page.locator("[data-figure]").count():
            self.page.wait_for_selector("[data-figure] .main-svg", state="attached")

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith("file://")]


def watch(browser: Any) -> Watched:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    watched = Watched(page)
    page.on(
        "console",
        lambda message: (
            watched.problems.append(f"{message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: watched.problems.append(f"page error: {error}"))
    page.on("request", lambda request: watched.requests.append(request.url))

    def dismiss(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return watched
