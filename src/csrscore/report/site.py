"""`build`: write the static site (index per year, scorecards, methodology) into a folder.

Pages are jinja2 templates with autoescaping on, and every expression also passes through
`textsafe.visible`, so no text from input or rubric becomes markup or a live control
character. A scorecard is a small page that holds its company's data as JSON
(`carddata.py`); what every scorecard of the rubric shows alike is written once into
`assets/rubric.js` (`cardshared.py`), and `assets/scorecard.js` draws the two with DOM
calls. Charts are plotly figures read by plotly.js, which is written once into `assets/`;
nothing on any page loads from another host.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader

from csrscore import __version__
from csrscore.engine import Scores
from csrscore.errors import UsageError
from csrscore.explain import Explainer
from csrscore.precision import display_number
from csrscore.report import charts
from csrscore.report.auditpage import AUDIT_PAGE, audit_tables
from csrscore.report.cards import Scorecards
from csrscore.report.cardshared import RUBRIC_SCRIPT, shared_script
from csrscore.report.fragments import inert, lines_html
from csrscore.report.methodology import methodology_context
from csrscore.report.pages import METHODOLOGY_PAGE, year_page
from csrscore.report.ranking import (
    YearView,
    cells,
    columns,
    filter_options,
    table_data,
    year_views,
)
from csrscore.report.scorecard import sector_stats
from csrscore.report.words import condition_lines
from csrscore.report.writer import SiteWriter
from csrscore.sensitivity import Sensitivity


@dataclass(frozen=True)
class Site:
    """What `build` wrote."""

    root: Path
    pages: int
    bytes: int


# Ranking rows in a page's HTML; the page's script pages through the rest (all of them in
# the page's data). Laying out 5,000 table rows took most of the 2 s load budget.
PAGE_ROWS = 100


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("csrscore.report", "templates"),
        autoescape=True,
        finalize=inert,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates are package data: no stat per page rendered
    )
    env.filters["number"] = display_number
    env.globals["lines"] = lines_html
    env.globals["condition_lines"] = condition_lines
    env.globals["cells"] = cells
    return env


def build(
    scores: Scores,
    out_dir: str | os.PathLike[str],
    *,
    sensitivity: Sensitivity | None = None,
    title: str | None = None,
    workers: int | None = None,
) -> Site:
    """Write the site for `scores` into `out_dir` (created when missing).

    With a `sensitivity` run of the same scores (by year), the index shows each company's
    rank interval and which ranks cannot be told apart. Scorecards are written by
    `workers` processes (default: one per usable core).
    """
    if sensitivity is not None:
        _check_sensitivity(scores, sensitivity)
    root = Path(out_dir)
    writer = SiteWriter(root)
    env = environment()
    rubric = scores.rubric
    years = sorted({int(year) for year in scores.years.tolist()}, reverse=True)
    year_pages = {year: year_page(year, years[0]) for year in years}
    group_titles = [node.title for node in rubric.root.children]
    common = {
        "title": title or f"{rubric.title}",
        "rubric": rubric,
        "version": __version__,
        "years": list(year_pages.items()),
        "sensitivity": sensitivity,
        "group_titles": group_titles,
    }
    writer.copy_assets()
    writer.write_asset(RUBRIC_SCRIPT, shared_script(scores))
    cards = Scorecards(
        root=root,
        template=env.get_template("scorecard.html"),
        common=common,
        explainer=Explainer(scores),
        cumulative=[criterion.cumulative for criterion in scores.plan.criteria],
        stats=sector_stats(scores),
        year_page=year_pages,
    )
    with cards.writing(len(scores), workers) as scorecards_written:
        index = env.get_template("index.html")
        table_columns = columns(group_titles, sensitivity is not None)
        for view in year_views(scores, sensitivity):
            page = index.render(
                common,
                root="",
                view=view,
                columns=table_columns,
                page_rows=PAGE_ROWS,
                data=table_data(view),
                filters=filter_options(view),
                charts=_charts(view, group_titles, float(rubric.scale)),
            )
            writer.write(view.page, page)
        summary, tables = audit_tables(scores)
        audit_page = env.get_template("audit.html")
        writer.write(AUDIT_PAGE, audit_page.render(common, root="", summary=summary, tables=tables))
        methodology = env.get_template("methodology.html")
        writer.write(
            METHODOLOGY_PAGE, methodology.render(common, root="", **methodology_context(rubric))
        )
        written = scorecards_written()
    writer.pages += written.pages
    writer.bytes += written.bytes
    return Site(root, writer.pages, writer.bytes)


def _check_sensitivity(scores: Scores, sensitivity: Sensitivity) -> None:
    if sensitivity.scores is not scores:
        raise UsageError("the sensitivity run must be of the same Scores")
    several_years = len(set(scores.years.tolist())) > 1
    if sensitivity.by != "year" and (several_years or sensitivity.by is not None):
        raise UsageError(
            f"the site ranks within each year; the sensitivity run ranks by {sensitivity.by!r}"
        )


def _charts(view: YearView, group_titles: list[str], scale: float) -> list[charts.Chart]:
    found = [
        charts.distribution(view, scale),
        charts.heat_map(view, group_titles),
        charts.movers(view),
        charts.intervals(view),
    ]
    return [chart for chart in found if chart is not None]
