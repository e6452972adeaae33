"""Scores reads well in a REPL and in a notebook, and names cannot inject markup."""

from __future__ import annotations

from typing import Any

import csrscore


def _record(company_id: str, name: str, year: int, policy: bool) -> dict[str, Any]:
    return {
        "company": {"id": company_id, "name": name},
        "year": year,
        "disclosures": {"gov.csr_policy": policy},
    }


def _scores() -> csrscore.Scores:
    records = [
        _record("a", "<script>alert(1)</script>", 2024, True),
        _record("b", "Plain & Co", 2024, False),
        _record("a", "Old", 2023, False),
    ]
    return csrscore.score(csrscore.load_reports(records), "iso26000")


def test_repr_is_one_line_summary() -> None:
    assert repr(_scores()) == (
        "<Scores iso26000 1.0.0: 3 company-years in 2023-2024, 71 criteria, 0 rejected>"
    )


def test_html_lists_the_latest_year_best_first_with_names_escaped() -> None:
    page = _scores()._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Plain &amp; Co" in page
    assert "Old" not in page  # 2023 is not the latest year
    assert page.index("&lt;script&gt;") < page.index("Plain &amp; Co")
