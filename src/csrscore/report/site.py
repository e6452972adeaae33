"""`build`: write the static site (index per year, scorecards, methodology) into a folder.

Pages are jinja2 templates with autoescaping on, and every expression also passes through
`textsafe.visible`, so no text from input or rubric becomes markup or a live control
character. Charts are plotly figures read by plotly.js, which is written once into
`assets/`; nothing on any page loads from another host.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from csrscore import __version__
from csrscore.engine import Scores
from csrscore.errors import InputError, Location, UsageError
from csrscore.precision import display_number
from csrscore.report import charts
from csrscore.report.auditpage import AUDIT_PAGE, audit_tables
from csrscore.report.extra import plotly_script
from csrscore.report.methodology import methodology_context
from csrscore.report.pages import METHODOLOGY_PAGE
from csrscore.report.ranking import YearView, year_views
from csrscore.report.scorecard import peer_chart, safe_link, sector_stats
from csrscore.report.words import condition_lines, trace_lines, value_text
from csrscore.sensitivity import Sensitivity
from csrscore.textsafe import visible

ASSETS = ("site.css", "site.js")


@dataclass(frozen=True)
class Site:
    """What `build` wrote."""

    root: Path
    pages: int
    bytes: int


def _inert(value: Any) -> Any:
    """Every printed string without control or invisible characters (Markup is ours)."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    # Printable ASCII holds none of the characters `visible` escapes: skip its regex.
    return value if value.isascii() and value.isprintable() else visible(value)


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("csrscore.report", "templates"),
        autoescape=True,
        finalize=_inert,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = display_number
    env.filters["link"] = safe_link
    env.filters["value"] = value_text
    env.globals["trace_lines"] = trace_lines
    env.globals["condition_lines"] = condition_lines
    return env


def build(
    scores: Scores,
    out_dir: str | os.PathLike[str],
    *,
    sensitivity: Sensitivity | None = None,
    title: str | None = None,
) -> Site:
    """Write the site for `scores` into `out_dir` (created when missing).

    With a `sensitivity` run of the same scores (by year), the index shows each company's
    rank interval and which ranks cannot be told apart.
    """
    if sensitivity is not None:
        _check_sensitivity(scores, sensitivity)
    root = Path(out_dir)
    writer = _Writer(root)
    env = environment()
    rubric = scores.rubric
    views = year_views(scores, sensitivity)
    group_titles = [node.title for node in rubric.root.children]
    common = {
        "title": title or f"{rubric.title}",
        "rubric": rubric,
        "version": __version__,
        "years": [(view.year, view.page) for view in views],
        "sensitivity": sensitivity,
        "group_titles": group_titles,
    }
    writer.copy_assets()
    index = env.get_template("index.html")
    for view in views:
        writer.write(
            view.page,
            index.render(
                common, root="", view=view, charts=_charts(view, group_titles, float(rubric.scale))
            ),
        )
    summary, tables = audit_tables(scores)
    writer.write(
        AUDIT_PAGE,
        env.get_template("audit.html").render(common, root="", summary=summary, tables=tables),
    )
    writer.write(
        METHODOLOGY_PAGE,
        env.get_template("methodology.html").render(common, root="", **methodology_context(rubric)),
    )
    pages = {view.year: view for view in views}
    page_of = {row.position: row.page for view in views for row in view.rows}
    card = env.get_template("scorecard.html")
    ladders = _ladders(scores)
    stats = sector_stats(scores)
    for position, explanation in enumerate(scores.explain_all()):
        data = explanation.to_dict()
        company = data["company"]
        chart = peer_chart(data, stats[(company["year"], company["sector"])], group_titles)
        criteria = {item["id"]: item for item in data["criteria"]}
        writer.write(
            page_of[position],
            card.render(
                common,
                root="../",
                e=data,
                criteria=criteria,
                ladders=ladders,
                chart=chart,
                year_page=pages[company["year"]].page,
            ),
        )
    return Site(root, writer.pages, writer.bytes)


def _check_sensitivity(scores: Scores, sensitivity: Sensitivity) -> None:
    if sensitivity.scores is not scores:
        raise UsageError("the sensitivity run must be of the same Scores")
    several_years = len(set(scores.years.tolist())) > 1
    if sensitivity.by != "year" and (several_years or sensitivity.by is not None):
        raise UsageError(
            f"the site ranks within each year; the sensitivity run ranks by {sensitivity.by!r}"
        )


def _ladders(scores: Scores) -> dict[str, list[Markup]]:
    """Each criterion's level headings, the same on every scorecard: built once."""
    return {
        criterion.id: [
            Markup("Level {}, {} points: {}").format(
                k, display_number(level.points, 2), visible(level.label)
            )
            for k, level in enumerate(criterion.levels, start=1)
        ]
        for criterion in scores.rubric.criteria
    }


def _charts(view: YearView, group_titles: list[str], scale: float) -> list[charts.Chart]:
    found = [
        charts.distribution(view, scale),
        charts.heat_map(view, group_titles),
        charts.movers(view),
        charts.intervals(view),
    ]
    return [chart for chart in found if chart is not None]


def _unwritable(path: Path, error: OSError) -> InputError:
    return InputError(f"cannot write the site here: {error.strerror}", Location(source=str(path)))


class _Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages = 0
        self.bytes = 0
        try:
            (root / "companies").mkdir(parents=True, exist_ok=True)
            (root / "assets").mkdir(exist_ok=True)
        except OSError as exc:
            raise _unwritable(root, exc) from None

    def write(self, relative: str, text: str) -> None:
        data = text.encode("utf-8")
        try:
            (self.root / relative).write_bytes(data)
        except OSError as exc:
            raise _unwritable(self.root / relative, exc) from None
        self.pages += 1
        self.bytes += len(data)

    def copy_assets(self) -> None:
        here = Path(__file__).parent / "assets"
        targets = [(here / name, name) for name in ASSETS]
        targets.append((plotly_script(), "plotly.min.js"))
        for source, name in targets:
            target = self.root / "assets" / name
            try:
                shutil.copyfile(source, target)
            except OSError as exc:
                raise _unwritable(target, exc) from None
            self.bytes += target.stat().st_size
