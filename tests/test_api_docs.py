"""Every public name is documented, and the API reference lists it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import csrscore

API_PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "api.md"
PUBLIC = [name for name in csrscore.__all__ if name != "__version__"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_name_has_a_written_docstring(name: str) -> None:
    doc = inspect.getdoc(getattr(csrscore, name)) or ""
    # A dataclass without a docstring gets its signature as one: that is not documentation.
    assert doc, f"{name} has no docstring"
    assert not doc.startswith(f"{name}("), f"{name} has only the generated signature"


@pytest.mark.parametrize("name", PUBLIC)
def test_api_reference_lists_public_name(name: str) -> None:
    assert f"::: csrscore.{name}\n" in API_PAGE.read_text(encoding="utf-8")
