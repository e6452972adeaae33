"""One company's explanation: the data, and the text and Markdown rendered from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Explanation:
    """Why one company got its score: data first (`to_dict`), text via `str()`."""

    data: dict[str, Any]
    # Decimal places of the catalog fields that set them, for the text (the data keeps
    # every number as computed).
    decimals: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return self.data

    def __str__(self) -> str:
        from csrscore.explain.render import render_text

        return render_text(self.data, self.decimals)

    def to_markdown(self) -> str:
        """The explanation as Markdown: tables for the groups, criteria and improvements."""
        from csrscore.explain.markdown import render_markdown

        return render_markdown(self.data, self.decimals)
