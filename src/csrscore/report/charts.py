"""The site's charts as plotly figures (plain JSON), each with the data table behind it.

plotly.js draws them in the browser; the table is the chart's text alternative. plotly.js
reads a few HTML tags inside labels (links among them), so every label from input or rubric
passes through `label()`, which makes it plain text with entities that plotly shows as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from markupsafe import escape

from csrscore.precision import display_number
from csrscore.report.ranking import Row, YearView
from csrscore.textsafe import visible

# Companies drawn in a heat map or an interval chart; the ranking table holds all of them.
CHART_ROWS = 50
MOVERS_EACH_WAY = 10
DISTRIBUTION_BINS = 10

CONFIG = {"displaylogo": False, "responsive": True}
TOP_LEGEND = {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"}
FONT = {"family": "system-ui, sans-serif", "size": 12}


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    caption: str
    figure: dict[str, Any]
    headers: tuple[str, ...]  # the data table behind the chart
    rows: tuple[tuple[str, ...], ...]


def label(text: str) -> str:
    return str(escape(visible(text)))


def _layout(title: str, height: int, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": label(title)},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 60},
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    } | extra


def _name_axis(rows: list[Row]) -> dict[str, Any]:
    """Names as tick labels on index positions: two companies may share a name."""
    return {
        "tickmode": "array",
        "tickvals": list(range(len(rows))),
        "ticktext": [label(row.name) for row in rows],
        "autorange": "reversed",
        "automargin": True,
    }


def distribution(view: YearView, scale: float) -> Chart:
    totals = np.array([row.total for row in view.rows], dtype=np.float64)
    edges = np.linspace(0.0, scale, DISTRIBUTION_BINS + 1)
    counts, _ = np.histogram(np.clip(totals, 0.0, scale), bins=edges)
    bins = [f"{edges[k]:g}–{edges[k + 1]:g}" for k in range(DISTRIBUTION_BINS)]
    figure = {
        "data": [{"type": "bar", "x": bins, "y": counts.tolist(), "name": "companies"}],
        "layout": _layout(
            f"Distribution of totals, {view.year}",
            320,
            xaxis={"title": {"text": "total"}, "type": "category"},
            yaxis={"title": {"text": "companies"}, "rangemode": "tozero"},
        ),
    }
    return Chart(
        "distribution",
        f"Distribution of totals, {view.year}",
        f"How many of the {len(view.rows)} companies scored in each band of the total.",
        figure,
        ("total", "companies"),
        tuple((b, str(c)) for b, c in zip(bins, counts.tolist(), strict=True)),
    )


def heat_map(view: YearView, group_titles: list[str]) -> Chart:
    rows = list(view.rows[:CHART_ROWS])
    title = f"Group scores, {view.year}"
    figure = {
        "data": [
            {
                "type": "heatmap",
                "z": [list(row.groups) for row in rows],
                "x": [label(title) for title in group_titles],
                "y": list(range(len(rows))),
                "zmin": 0,
                "zmax": 100,
                "colorscale": "Viridis",
                "colorbar": {"title": {"text": "% of possible"}},
                "hoverongaps": False,
            }
        ],
        "layout": _layout(
            title,
            max(300, 22 * len(rows) + 220),
            yaxis=_name_axis(rows),
            xaxis={"side": "top", "automargin": True, "tickangle": -30},
            margin={"l": 60, "r": 20, "t": 160, "b": 20},
        ),
    }
    shown = (
        f"the {len(rows)} best ranked companies"
        if len(view.rows) > len(rows)
        else ("every company")
    )
    return Chart(
        "heatmap",
        title,
        f"Each top-level group's score (percent of possible) for {shown}; the ranking table "
        "above holds the same numbers for all.",
        figure,
        ("company", *group_titles),
        tuple((row.name, *(display_number(v, 1) for v in row.groups)) for row in rows),
    )


def movers(view: YearView) -> Chart | None:
    if view.movers is None or not view.movers.companies:
        return None
    ordered = sorted(view.movers.companies, key=lambda c: (-c.score_delta, c.company_id))
    up = [c for c in ordered if c.score_delta > 0][:MOVERS_EACH_WAY]
    down = [c for c in reversed(ordered) if c.score_delta < 0][:MOVERS_EACH_WAY]
    shown = [*up, *reversed(down)]
    if not shown:
        return None
    figure = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [c.score_delta for c in shown],
                "y": list(range(len(shown))),
                "marker": {"color": ["#1a7f37" if c.score_delta > 0 else "#b42318" for c in shown]},
            }
        ],
        "layout": _layout(
            f"Biggest movers, {view.previous} to {view.year}",
            max(260, 24 * len(shown) + 120),
            yaxis={
                "tickmode": "array",
                "tickvals": list(range(len(shown))),
                "ticktext": [label(c.name) for c in shown],
                "autorange": "reversed",
                "automargin": True,
            },
            xaxis={"title": {"text": "change of the total"}, "zeroline": True},
        ),
    }
    return Chart(
        "movers",
        f"Biggest movers, {view.previous} to {view.year}",
        f"The {len(up)} largest rises and {len(down)} largest falls of the total among "
        f"the {len(ordered)} companies scored in both years.",
        figure,
        ("company", f"total {view.previous}", f"total {view.year}", "change", "rank change"),
        tuple(
            (
                c.name,
                display_number(c.total_from, 2),
                display_number(c.total_to, 2),
                f"{c.score_delta:+.2f}",
                f"{c.rank_from} → {c.rank_to}",
            )
            for c in shown
        ),
    )


def intervals(view: YearView) -> Chart | None:
    rows = [row for row in view.rows[:CHART_ROWS] if row.interval is not None]
    if not rows:
        return None
    medians = [row.interval.median for row in rows if row.interval]
    figure = {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "median rank (5–95% band)",
                "x": medians,
                "y": list(range(len(rows))),
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": [r.interval.high - r.interval.median for r in rows if r.interval],
                    "arrayminus": [r.interval.median - r.interval.low for r in rows if r.interval],
                },
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "published rank",
                "marker": {"symbol": "diamond-open", "size": 9},
                "x": [row.rank for row in rows],
                "y": list(range(len(rows))),
            },
        ],
        "layout": _layout(
            f"Rank intervals, {view.year}",
            max(300, 22 * len(rows) + 160),
            yaxis=_name_axis(rows),
            xaxis={"title": {"text": "rank (1 = best)"}, "autorange": "reversed"},
            legend=TOP_LEGEND,
        ),
    }
    return Chart(
        "intervals",
        f"Rank intervals, {view.year}",
        "Each company's rank when the weights, aggregation and N/A policy are perturbed: "
        "the median and the 5–95% band, beside the published rank.",
        figure,
        ("company", "published rank", "median rank", "5% rank", "95% rank"),
        tuple(
            (row.name, str(row.rank), str(r.median), str(r.low), str(r.high))
            for row in rows
            if (r := row.interval) is not None
        ),
    )


def peer_groups(
    group_titles: list[str],
    company: list[float | None],
    median: list[float | None],
    best: list[float | None],
    sector: str | None,
) -> Chart:
    cohort = peer_cohort(sector)
    x = [label(title) for title in group_titles]
    figure = {
        "data": [
            {"type": "bar", "name": "this company", "x": x, "y": company},
            {"type": "bar", "name": "sector median", "x": x, "y": median},
            {"type": "bar", "name": "best in sector", "x": x, "y": best},
        ],
        "layout": _layout(
            f"Groups against the {cohort}",
            360,
            barmode="group",
            yaxis={"title": {"text": "% of possible"}, "range": [0, 100]},
            legend=TOP_LEGEND,
            xaxis={"automargin": True},
        ),
    }
    return Chart(
        "peers",
        PEERS_TITLE,
        peer_caption(sector),
        figure,
        ("group", "this company", "sector median", "best in sector"),
        tuple(
            (t, display_number(c, 1), display_number(m, 1), display_number(b, 1))
            for t, c, m, b in zip(group_titles, company, median, best, strict=True)
        ),
    )


PEERS_TITLE = "Groups against the sector"


def peer_cohort(sector: str | None) -> str:
    return f"sector {sector}" if sector else "companies without a sector"


def peer_caption(sector: str | None) -> str:
    return (
        "Each top-level group's score (percent of possible) beside the median and the best "
        f"of the {peer_cohort(sector)} in the same year."
    )


def peer_title(sector: str | None) -> str:
    """The peer chart's title inside the figure, as plotly reads it (`label`)."""
    return label(f"Groups against the {peer_cohort(sector)}")
