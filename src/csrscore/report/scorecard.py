"""What one company-year's scorecard shows, read from its explanation.

Every number on a scorecard is the one `csrscore explain --format json` gives; the sector
median and best per group are order statistics of `Scores.group_scores` over the company's
sector in the same year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from csrscore.engine import Scores
from csrscore.engine.columns import FloatArray
from csrscore.report.charts import peer_groups, peer_title

LINK_SCHEMES = ("http", "https")


def safe_link(url: Any) -> str | None:
    """The URL when it is http(s) with a host; anything else (javascript:, data:, relative
    paths, malformed text) is shown as text only."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in LINK_SCHEMES and parts.netloc else None


@dataclass(frozen=True)
class SectorStats:
    median: FloatArray  # top groups, percent; NaN where no peer has the group
    best: FloatArray


def sector_stats(scores: Scores) -> dict[tuple[int, str | None], SectorStats]:
    """Median and best of each top-level group for every (year, sector)."""
    top = [scores.group_column(g) for g in scores.top_group_ids]
    percent = scores.group_scores[:, top] * 100.0
    cohorts: defaultdict[tuple[int, str | None], list[int]] = defaultdict(list)
    for i, key in enumerate(zip(scores.years.tolist(), scores.sectors, strict=True)):
        cohorts[key].append(i)
    stats = {}
    for key, members in cohorts.items():
        block = percent[members]
        has = ~np.isnan(block).all(axis=0)
        median = np.full(len(top), np.nan)
        best = np.full(len(top), np.nan)
        median[has] = np.nanmedian(block[:, has], axis=0)
        best[has] = np.nanmax(block[:, has], axis=0)
        stats[key] = SectorStats(median, best)
    return stats


def _nullable(values: Any) -> list[float | None]:
    return [None if v != v else float(v) for v in values]


def peer_figure(group_titles: list[str]) -> dict[str, Any]:
    """The scorecards' peer chart without its numbers and title, which each page fills in
    from its data (`peer_data`): the same plotly figure for every company."""
    empty: list[float | None] = [None] * len(group_titles)
    return peer_groups(group_titles, empty, empty, empty, None).figure


def peer_data(sector: str | None, stats: SectorStats) -> dict[str, Any]:
    """What one scorecard's peer chart adds to the shared figure: its title (as plotly
    reads it) and the sector's median and best per top-level group (the company's own
    scores are the page's top-level group scores)."""
    return {
        "title": peer_title(sector),
        "median": _nullable(stats.median.tolist()),
        "best": _nullable(stats.best.tolist()),
    }


def group_rows(groups: list[dict[str, Any]], depth: int = 0) -> list[tuple[int, dict[str, Any]]]:
    """An explanation's group tree as table rows, parents first, with their depth."""
    rows = []
    for group in groups:
        rows.append((depth, group))
        subgroups = [child for child in group["children"] if "criterion" not in child]
        rows += group_rows(subgroups, depth + 1)
    return rows
