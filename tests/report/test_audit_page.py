"""The site's audit page shows the audit's own figures (csrscore audit --format json)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from csrscore import audit, score
from csrscore.precision import display_number
from csrscore.report import build
from csrscore.report.auditpage import SECTIONS, cell_text
from tests.cli.runner import EXAMPLES


class _Tables(HTMLParser):
    """Cells of every table with a data-section, by section."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._section: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._section = dict(attrs).get("data-section")
            if self._section:
                self.tables[self._section] = []
        elif self._section and tag == "tr":
            self.tables[self._section].append([])
        elif self._section and tag in ("td", "th"):
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._section:
            self.tables[self._section][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._section = None


@pytest.fixture(scope="module")
def audit_page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[str]]]:
    scores = score(EXAMPLES, "citi")
    site = tmp_path_factory.mktemp("site")
    build(scores, site)
    parser = _Tables()
    parser.feed((Path(site) / "audit.html").read_text(encoding="utf-8"))
    return parser.tables


def test_every_section_has_a_table(audit_page: dict[str, list[list[str]]]) -> None:
    assert set(audit_page) == {key for key, _, _ in SECTIONS}


def test_effective_weights_are_the_audits_own(audit_page: dict[str, list[list[str]]]) -> None:
    expected = audit(score(EXAMPLES, "citi")).to_dict()["effective_weights"]
    header, *rows = audit_page["effective_weights"]
    assert header[:3] == ["kind", "id", "n"]
    assert [row[1] for row in rows] == [entry["id"] for entry in expected]
    column = header.index("first_order")
    assert [row[column] for row in rows] == [
        display_number(entry["first_order"], 3) for entry in expected
    ]


def test_cells_read_as_text() -> None:
    assert cell_text(0.12345) == "0.123"
    assert cell_text({"not_computable": "fewer than 3 companies"}) == (
        "not computable: fewer than 3 companies"
    )
    assert cell_text(["redundant", "weak-with-parent"]) == "redundant, weak-with-parent"
    assert cell_text(None) == ""
    assert cell_text(True) == "yes"
