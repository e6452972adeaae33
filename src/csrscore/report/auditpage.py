"""The site's audit page: the statistical audit (`csrscore.audit`) as tables.

It shows the audit's own `to_dict()` figures, nothing recomputed, so every number on the page
is the one `csrscore audit --format json` prints. A figure that could not be computed shows
its reason instead of a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from csrscore.engine import Scores
from csrscore.indexaudit import audit
from csrscore.precision import display_number

AUDIT_PAGE = "audit.html"

# (section key, heading, what the section says) in the order a reader needs them.
SECTIONS = (
    ("flags", "Flags", "What the audit found worth a look."),
    (
        "effective_weights",
        "Effective weights",
        "Each top-level group's importance in the total (its first-order sensitivity "
        "index, Paruolo, Saisana and Saltelli 2013) beside its nominal weight.",
    ),
    ("coverage", "Coverage and data quality", "Per criterion and group, shares of companies."),
    ("distributions", "Distributions", "Per year: mean, spread, skewness and kurtosis."),
    ("correlations", "Correlations", "Pearson and Spearman, pairwise complete companies."),
    (
        "reliability",
        "Reliability and structure",
        "Cronbach's alpha per group, with each item dropped, and the first principal "
        "component's share of the variance with its loadings.",
    ),
)


@dataclass(frozen=True)
class Table:
    key: str
    heading: str
    lead: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def audit_tables(scores: Scores) -> tuple[dict[str, Any], list[Table]]:
    """The audit's summary fields and one table per section, every cell already text."""
    data = audit(scores).to_dict()
    tables = []
    for key, heading, lead in SECTIONS:
        records: list[dict[str, Any]] = data.get(key) or []
        columns = tuple(records[0]) if records else ()
        rows = tuple(tuple(cell_text(record.get(c)) for c in columns) for record in records)
        tables.append(Table(key, heading, lead, columns, rows))
    summary = {k: data[k] for k in ("rubric", "companies", "years", "redundancy_threshold")}
    return summary, tables


def cell_text(value: Any) -> str:
    """A cell as text: numbers to 3 decimals, lists joined, not-computable as its reason."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return display_number(value, 3)
    if isinstance(value, dict):
        if "not_computable" in value:
            return f"not computable: {value['not_computable']}"
        return "; ".join(f"{k} {cell_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(cell_text(item) for item in value)
    return str(value)
