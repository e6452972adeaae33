"""Every CLI test runs from the repository root, as the documented commands do."""

from __future__ import annotations

import pytest

from tests.cli.runner import ROOT


@pytest.fixture(autouse=True)
def _from_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("NO_COLOR", raising=False)
