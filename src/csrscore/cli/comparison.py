"""The rendering of year-over-year comparisons: `csrscore rank --compare-years` prints what
`csrscore.compare_years` returns, as a table, markdown, CSV or JSON."""

from __future__ import annotations

from typing import Any

from csrscore import __version__
from csrscore.cli.render import (
    TOTAL_DECIMALS,
    csv_text,
    json_text,
    markdown_table,
    text_table,
)
from csrscore.compare import CompanyChange, Comparison, CriterionChange
from csrscore.precision import display_number
from csrscore.textsafe import markdown_cell, visible


def _arrow(places: int) -> str:
    if places > 0:
        return f"▲{places}"
    if places < 0:
        return f"▼{-places}"
    return "="


def _signed(value: float) -> str:
    text = display_number(value, TOTAL_DECIMALS)
    return text if text.startswith("-") else f"+{text}"


def _grade_change(company: CompanyChange) -> str:
    if not company.grade_changed:
        return company.grade_to or "—"
    return f"{company.grade_from or '—'} → {company.grade_to or '—'}"


def _split(value: float | None) -> str:
    return "?" if value is None else _signed(value)


def _comparison_rows(comparison: Comparison) -> tuple[list[str], list[list[str]], list[bool]]:
    first, second = comparison.from_year, comparison.to_year
    # Under two methodologies the change splits into what the company and the rubric did.
    split = comparison.methodology is not None
    headers = [
        f"rank {second}",
        f"{first}",
        "move",
        "company",
        f"total {second}",
        f"{first}",
        "change",
        *(["by company", "by methodology"] if split else []),
        "grade",
        "criteria changed",
    ]
    numeric = [True, True, True, False, True, True, True, *([True, True] if split else [])]
    numeric += [False, True]
    body = [
        [
            str(company.rank_to),
            str(company.rank_from),
            _arrow(company.rank_delta),
            company.name,
            display_number(company.total_to, TOTAL_DECIMALS),
            display_number(company.total_from, TOTAL_DECIMALS),
            _signed(company.score_delta),
            *([_split(company.company_delta), _split(company.methodology_delta)] if split else []),
            _grade_change(company),
            str(len(company.criteria)),
        ]
        for company in comparison.companies
    ]
    return headers, body, numeric


def _criteria_lines(comparison: Comparison, bullet: str) -> list[str]:
    lines = []
    for company in comparison.companies:
        if not company.criteria:
            continue
        lines.append(f"{company.name} ({company.company_id})")
        for change in company.criteria:
            line = (
                f"{bullet}{_criterion_name(change)}: {change.label_from} → {change.label_to}, "
                f"{_signed(change.points_delta)} points"
            )
            if comparison.methodology is not None:
                line += f" ({_causes(change)})"
            lines.append(line)
    return lines


def _criterion_name(change: CriterionChange) -> str:
    renamed = change.from_criterion_id not in ("", change.criterion_id)
    return f"{change.from_criterion_id} → {change.criterion_id}" if renamed else change.criterion_id


def _causes(change: CriterionChange) -> str:
    """The points change split into company and methodology, as a reader checks it."""
    if change.points_restated is None:
        return "cause unknown: the report does not fit the earlier rubric"
    by_company = change.points_restated - change.points_from
    by_methodology = change.points_to - change.points_restated
    return f"company {_signed(by_company)}, methodology {_signed(by_methodology)}"


def _methodology_lines(comparison: Comparison, bullet: str) -> list[str]:
    change = comparison.methodology
    if change is None:
        return []
    renamed = ", ".join(f"{old} → {new}" for old, new in change.renamed) or "none"
    return [
        f"methodology changed: rubric {comparison.rubric_name} {comparison.rubric_version} "
        f"→ {change.rubric_name} {change.rubric_version}",
        f"{bullet}criteria added: {', '.join(change.added) or 'none'}",
        f"{bullet}criteria removed: {', '.join(change.removed) or 'none'}",
        f"{bullet}criteria renamed: {renamed}",
        f"{bullet}'by company' is the change under the {comparison.from_year} rubric "
        f"({comparison.to_year} reports rescored with it); 'by methodology' is what the "
        f"{comparison.to_year} rubric changes in the {comparison.to_year} total",
    ]


def _listed(companies: Any, heading: str, bullet: str) -> list[str]:
    if not companies:
        return [f"{heading}: none"]
    return [
        f"{heading}:",
        *(
            f"{bullet}{c.name} ({c.company_id}): rank {c.rank}, total "
            f"{display_number(c.total, TOTAL_DECIMALS)}"
            for c in companies
        ),
    ]


def _comparison_header(comparison: Comparison) -> str:
    rubric = f"{comparison.rubric_name} {comparison.rubric_version}"
    if comparison.methodology is not None:
        rubric += f" → {comparison.methodology.rubric_name} {comparison.methodology.rubric_version}"
    return (
        f"rubric {rubric} · "
        f"{comparison.from_year} → {comparison.to_year} · "
        f"{len(comparison.companies)} companies in both years, {len(comparison.new)} new, "
        f"{len(comparison.dropped)} dropped · ranks within each year "
        f"({comparison.ranked_from} and {comparison.ranked_to} ranked)"
    )


def render_comparison(comparison: Comparison, format: str) -> str:
    """The comparison as `table`, `markdown`, `csv` or `json` text."""
    first, second = comparison.from_year, comparison.to_year
    if format == "json":
        return json_text({"csrscore": __version__, **comparison.to_dict()})
    if format == "csv":
        return _comparison_csv(comparison)
    if format == "markdown":
        parts = [f"_{markdown_cell(_comparison_header(comparison))}_", ""]
        parts += [markdown_table(*_comparison_rows(comparison)), ""]
        if comparison.methodology is not None:
            methodology = _methodology_lines(comparison, "- ")
            parts += ["### Methodology", "", *map(markdown_cell, methodology), ""]
        criteria = [*map(markdown_cell, _criteria_lines(comparison, "- "))]
        parts += ["### Criteria that changed", "", *criteria, ""]
        parts += [*map(markdown_cell, _listed(comparison.new, f"New in {second}", "- ")), ""]
        dropped = _listed(comparison.dropped, f"Not scored in {second} (were in {first})", "- ")
        parts += map(markdown_cell, dropped)
        return "\n".join(parts).rstrip() + "\n"
    if format != "table":
        raise ValueError(f"unknown format {format!r}; use table, markdown, csv or json")
    parts = [visible(_comparison_header(comparison)), ""]
    parts += [text_table(*_comparison_rows(comparison)), ""]
    if comparison.methodology is not None:
        parts += [*map(visible, _methodology_lines(comparison, "  ")), ""]
    criteria = [*map(visible, _criteria_lines(comparison, "  "))]
    if criteria:
        parts += ["criteria that changed:", *criteria, ""]
    parts += [*map(visible, _listed(comparison.new, f"new in {second}", "  ")), ""]
    parts += map(
        visible, _listed(comparison.dropped, f"not scored in {second} (were in {first})", "  ")
    )
    return "\n".join(parts).rstrip() + "\n"


def _comparison_csv(comparison: Comparison) -> str:
    first, second = comparison.from_year, comparison.to_year
    headers = [
        "company_id",
        "name",
        "sector",
        "status",
        f"rank_{first}",
        f"rank_{second}",
        "rank_delta",
        f"total_{first}",
        f"total_{second}",
        "score_delta",
        "company_delta",
        "methodology_delta",
        f"grade_{first}",
        f"grade_{second}",
        "criteria_changed",
    ]
    body: list[list[Any]] = [
        [
            c.company_id,
            c.name,
            c.sector or "",
            "both",
            c.rank_from,
            c.rank_to,
            c.rank_delta,
            repr(c.total_from),
            repr(c.total_to),
            repr(c.score_delta),
            "" if c.company_delta is None else repr(c.company_delta),
            "" if c.methodology_delta is None else repr(c.methodology_delta),
            c.grade_from,
            c.grade_to,
            ";".join(f"{k.criterion_id}:{k.points_delta:+g}" for k in c.criteria),
        ]
        for c in comparison.companies
    ]
    for status, companies in (("new", comparison.new), ("dropped", comparison.dropped)):
        for company in companies:
            ranks = ["", company.rank] if status == "new" else [company.rank, ""]
            totals = ["", repr(company.total)] if status == "new" else [repr(company.total), ""]
            grades = ["", company.grade] if status == "new" else [company.grade, ""]
            body.append(
                [
                    company.company_id,
                    company.name,
                    company.sector or "",
                    status,
                    *ranks,
                    "",
                    *totals,
                    "",
                    "",
                    "",
                    *grades,
                    "",
                ]
            )
    return csv_text(headers, body)
