"""The ranking table of each year, read from `Scores` (and a `Sensitivity` when given).

Ranks are `Scores.rank(by="year")`, the ranks `csrscore rank --format json` prints for
data with several years (and for one year, the same); nothing here recomputes a score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csrscore.compare import Comparison, compare
from csrscore.engine import Scores
from csrscore.engine.columns import IntArray
from csrscore.precision import display_number
from csrscore.report.pages import scorecard_page, year_page
from csrscore.sensitivity import Sensitivity

# Rows compared at once when finding overlapping rank intervals (memory: block x n booleans).
OVERLAP_BLOCK = 1024


@dataclass(frozen=True)
class Interval:
    """A company's rank under perturbed methodology (5th, 50th, 95th percentile), and the
    nominal ranks of every company whose interval overlaps it: those it cannot be told from."""

    median: int
    low: int
    high: int
    alike_low: int
    alike_high: int


@dataclass(frozen=True)
class Row:
    position: int  # the row in Scores
    company_id: str
    name: str
    sector: str | None
    country: str | None
    year: int
    rank: int
    total: float
    grade: str
    groups: tuple[float | None, ...]  # top-level groups, percent of possible, None if N/A
    page: str
    interval: Interval | None


@dataclass(frozen=True)
class YearView:
    year: int
    page: str
    rows: tuple[Row, ...]  # best first, ties by company id
    previous: int | None  # the year before, when the data has one
    movers: Comparison | None


@dataclass(frozen=True)
class Column:
    heading: str
    type: str  # how the page sorts it: "number" or "text"
    css: str = ""  # class of its cells
    group: bool = False  # a top-level group's score


def columns(group_titles: list[str], sensitivity: bool) -> list[Column]:
    """The ranking table's columns, in the order of `cells`; the company's is the second."""
    found = [
        Column("Rank", "number", "num"),
        Column("Company", "text"),
        Column("Sector", "text"),
        Column("Country", "text"),
        Column("Total", "number", "num total"),
        Column("Grade", "text"),
        *(Column(title, "number", "num", group=True) for title in group_titles),
    ]
    if sensitivity:
        found += [
            Column("Rank interval (5–95%)", "number", "num"),
            Column("Cannot be told apart from ranks", "number", "num"),
        ]
    return found


Cell = tuple[str, str]  # the value a column sorts by, and the text shown


def cells(row: Row) -> list[Cell]:
    """A row's cells in the order of `columns`; values are exact (full float precision)."""
    found: list[Cell] = [
        (str(row.rank), str(row.rank)),
        (row.name, row.name),
        (row.sector or "", row.sector or "—"),
        (row.country or "", row.country or "—"),
        (repr(row.total), display_number(row.total, 2)),
        (row.grade, row.grade or "—"),
        *(("" if v is None else repr(v), display_number(v, 1)) for v in row.groups),
    ]
    if (iv := row.interval) is not None:
        apart = "none" if iv.alike_low == iv.alike_high else f"{iv.alike_low}–{iv.alike_high}"
        found += [
            (str(iv.median), f"{iv.low}–{iv.high} (median {iv.median})"),
            (str(iv.alike_high - iv.alike_low), apart),
        ]
    return found


def table_data(view: YearView) -> list[list[object]]:
    """Every row of a year for the page's script, which sorts, filters and pages them:
    company id, scorecard page, sector, country, grade, then the cells. A cell whose value
    and text are the same is given once."""
    return [
        [
            row.company_id,
            row.page,
            row.sector or "",
            row.country or "",
            row.grade,
            [value if value == shown else [value, shown] for value, shown in cells(row)],
        ]
        for row in view.rows
    ]


FILTERS = (("sector", "Sector"), ("country", "Country"), ("grade", "Grade"))


def filter_options(view: YearView) -> list[tuple[str, str, list[str]]]:
    """Each filter's field, heading and values (sorted; "" for companies without one)."""
    return [
        (field, heading, sorted({getattr(row, field) or "" for row in view.rows}, key=str.lower))
        for field, heading in FILTERS
    ]


def year_views(scores: Scores, sensitivity: Sensitivity | None = None) -> list[YearView]:
    """One view per year with reports, latest first."""
    years = sorted({int(y) for y in scores.years.tolist()}, reverse=True)
    ranks = scores.rank(by="year")
    top = [scores.group_column(g) for g in scores.top_group_ids]
    percent = scores.group_scores[:, top] * 100.0
    views = []
    for k, year in enumerate(years):
        members = np.array(
            sorted(
                np.flatnonzero(scores.years == year).tolist(),
                key=lambda i: (int(ranks[i]), scores.company_ids[i]),
            ),
            dtype=np.int64,
        )
        intervals = _intervals(sensitivity, members) if sensitivity is not None else None
        rows = tuple(
            Row(
                position=int(i),
                company_id=scores.company_ids[i],
                name=scores.names[i],
                sector=scores.sectors[i],
                country=scores.countries[i],
                year=year,
                rank=int(ranks[i]),
                total=float(scores.totals[i]),
                grade=scores.grades[i],
                groups=tuple(None if v != v else float(v) for v in percent[i].tolist()),
                page=scorecard_page(scores.company_ids[i], year),
                interval=None if intervals is None else intervals[n],
            )
            for n, i in enumerate(members.tolist())
        )
        previous = years[k + 1] if k + 1 < len(years) else None
        movers = compare(scores, previous, year) if previous is not None else None
        views.append(YearView(year, year_page(year, years[0]), rows, previous, movers))
    return views


def _intervals(sensitivity: Sensitivity, members: IntArray) -> list[Interval]:
    nominal = sensitivity.nominal_rank[members]
    low = sensitivity.rank_low[members]
    high = sensitivity.rank_high[members]
    median = sensitivity.median_rank[members]
    alike_low = np.empty(len(members), dtype=np.int64)
    alike_high = np.empty(len(members), dtype=np.int64)
    for start in range(0, len(members), OVERLAP_BLOCK):
        block = slice(start, start + OVERLAP_BLOCK)
        overlaps = (low[None, :] <= high[block, None]) & (high[None, :] >= low[block, None])
        alike_low[block] = np.where(overlaps, nominal[None, :], np.iinfo(np.int64).max).min(1)
        alike_high[block] = np.where(overlaps, nominal[None, :], 0).max(1)
    return [
        Interval(int(m), int(lo), int(hi), int(a), int(b))
        for m, lo, hi, a, b in zip(
            median.tolist(),
            low.tolist(),
            high.tolist(),
            alike_low.tolist(),
            alike_high.tolist(),
            strict=True,
        )
    ]
