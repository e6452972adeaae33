"""Each public name means one thing; the old callable spellings warn for one release."""

from __future__ import annotations

import types
from typing import Any, cast

import pytest

import csrscore


def test_sensitivity_and_compare_are_modules_with_functions_beside_them() -> None:
    assert isinstance(csrscore.sensitivity, types.ModuleType)
    assert isinstance(csrscore.compare, types.ModuleType)
    assert csrscore.sensitivity_analysis is csrscore.sensitivity.sensitivity
    assert csrscore.compare_years is csrscore.compare.compare
    assert "sensitivity" not in csrscore.__all__
    assert "compare" not in csrscore.__all__


def test_calling_the_old_names_warns_and_gives_the_same_result() -> None:
    scores = csrscore.score("examples/reports.json", "citi")
    with pytest.warns(DeprecationWarning, match=r"csrscore\.sensitivity_analysis"):
        old = cast(Any, csrscore.sensitivity)(scores, samples=20, seed=3, indices=False)
    new = csrscore.sensitivity_analysis(scores, samples=20, seed=3, indices=False)
    assert old.to_records() == new.to_records()
    with pytest.warns(DeprecationWarning, match=r"csrscore\.compare_years"):
        before = cast(Any, csrscore.compare)(scores, 2023, 2024)
    assert before == csrscore.compare_years(scores, 2023, 2024)


def test_every_exported_name_is_distinct_object() -> None:
    exported = [getattr(csrscore, name) for name in csrscore.__all__ if name != "__version__"]
    assert len({id(value) for value in exported}) == len(exported)
