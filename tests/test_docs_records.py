"""Every JSON report record shown anywhere in docs/ scores under every shipped rubric.

docs/reports.md has its own, stricter tests (tests/records/test_docs.py); this one catches
record examples on the other pages (tutorials, how-to guides), so that no page shows a
record that a shipped rubric would reject.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from csrscore import list_rubrics, load_reports, score

DOCS = Path(__file__).resolve().parent.parent / "docs"
FENCE = re.compile(r"^```json\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _record_examples() -> list[tuple[str, Any]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        if page.name == "reports.md":
            continue
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            data = json.loads(match.group(1))
            if isinstance(data, dict) and {"company", "year"} <= data.keys():
                line = text.count("\n", 0, match.start()) + 1
                found.append((f"{page.relative_to(DOCS)}:{line}", data))
    return found


EXAMPLES = _record_examples()


def test_other_pages_show_record_examples() -> None:
    assert EXAMPLES


@pytest.mark.parametrize("rubric", list_rubrics())
@pytest.mark.parametrize(("where", "record"), EXAMPLES, ids=[w for w, _ in EXAMPLES])
def test_record_example_scores(where: str, record: Any, rubric: str) -> None:
    loaded = load_reports([record])
    assert loaded.rejected == (), where
    scores = score(loaded, rubric)
    assert (len(scores), scores.rejected) == (1, ()), where
