"""Year-over-year comparison: the same companies, two reporting years side by side.

Everything is read from one `Scores`: totals, grades, ranks within each year (competition
ranks, as `Scores.rank(by="year")`), and the level and points of every criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from csrscore.deprecation import make_module_callable
from csrscore.engine.scores import Scores
from csrscore.errors import CsrscoreError
from csrscore.rubric.model import Criterion

# Points that differ by less than this are equal (floating-point noise in value scoring).
POINTS_TOLERANCE = 1e-9


class UnknownYearError(CsrscoreError):
    """A year with no scored report."""


@dataclass(frozen=True)
class CriterionChange:
    """A criterion whose level or points differ between the two years."""

    criterion_id: str
    title: str
    level_from: int  # -1: N/A, 0: no level reached
    level_to: int
    label_from: str
    label_to: str
    points_from: float
    points_to: float

    @property
    def points_delta(self) -> float:
        return self.points_to - self.points_from

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion_id": self.criterion_id,
            "title": self.title,
            "level_from": self.level_from,
            "level_to": self.level_to,
            "label_from": self.label_from,
            "label_to": self.label_to,
            "points_from": self.points_from,
            "points_to": self.points_to,
            "points_delta": self.points_delta,
        }


@dataclass(frozen=True)
class CompanyYear:
    """A company scored in one of the two years only (new, or dropped out)."""

    company_id: str
    name: str
    sector: str | None
    year: int
    total: float
    rank: int
    grade: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "company_id": self.company_id,
            "name": self.name,
            "sector": self.sector,
            "year": self.year,
            "total": self.total,
            "rank": self.rank,
            "grade": self.grade,
        }


@dataclass(frozen=True)
class CompanyChange:
    """A company scored in both years."""

    company_id: str
    name: str
    sector: str | None
    total_from: float
    total_to: float
    rank_from: int
    rank_to: int
    grade_from: str
    grade_to: str
    criteria: tuple[CriterionChange, ...]

    @property
    def score_delta(self) -> float:
        return self.total_to - self.total_from

    @property
    def rank_delta(self) -> int:
        """Places moved: positive is up (a better rank), negative is down."""
        return self.rank_from - self.rank_to

    @property
    def grade_changed(self) -> bool:
        return self.grade_from != self.grade_to

    def to_dict(self) -> dict[str, Any]:
        return {
            "company_id": self.company_id,
            "name": self.name,
            "sector": self.sector,
            "total_from": self.total_from,
            "total_to": self.total_to,
            "score_delta": self.score_delta,
            "rank_from": self.rank_from,
            "rank_to": self.rank_to,
            "rank_delta": self.rank_delta,
            "grade_from": self.grade_from,
            "grade_to": self.grade_to,
            "criteria": [change.to_dict() for change in self.criteria],
        }


@dataclass(frozen=True)
class Comparison:
    """Two years of one rubric's scores, company by company."""

    rubric_name: str
    rubric_version: str
    rubric_hash: str
    from_year: int
    to_year: int
    ranked_from: int  # companies ranked in each year
    ranked_to: int
    companies: tuple[CompanyChange, ...]  # in both years, by rank in `to_year`
    new: tuple[CompanyYear, ...]  # in `to_year` only, by rank
    dropped: tuple[CompanyYear, ...]  # in `from_year` only, by rank

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": {
                "name": self.rubric_name,
                "version": self.rubric_version,
                "hash": self.rubric_hash,
            },
            "from_year": self.from_year,
            "to_year": self.to_year,
            "ranked": {str(self.from_year): self.ranked_from, str(self.to_year): self.ranked_to},
            "companies": [company.to_dict() for company in self.companies],
            "new": [company.to_dict() for company in self.new],
            "dropped": [company.to_dict() for company in self.dropped],
        }


def compare(scores: Scores, from_year: int, to_year: int) -> Comparison:
    """Compare each company's score, rank, grade and criteria between two years.

    Ranks are within each year, among all companies scored that year. A criterion is listed
    when its level changed, or its points did (a value-scored criterion keeps level 1 while
    its value moves).
    """
    years = scores.years
    present = sorted({int(y) for y in years})
    for year in (from_year, to_year):
        if year not in present:
            listed = ", ".join(map(str, present)) or "none"
            raise UnknownYearError(f"no scored report for year {year}; years scored: {listed}")
    ranks = scores.rank("competition", by="year")
    rows_from = {scores.company_ids[i]: i for i in np.flatnonzero(years == from_year).tolist()}
    rows_to = {scores.company_ids[i]: i for i in np.flatnonzero(years == to_year).tolist()}
    both = [cid for cid in rows_to if cid in rows_from]
    before = np.array([rows_from[cid] for cid in both], dtype=np.int64)
    after = np.array([rows_to[cid] for cid in both], dtype=np.int64)
    changed = _changed_criteria(scores, before, after)
    companies = [
        CompanyChange(
            company_id=cid,
            name=scores.names[j],
            sector=scores.sectors[j],
            total_from=float(scores.totals[i]),
            total_to=float(scores.totals[j]),
            rank_from=int(ranks[i]),
            rank_to=int(ranks[j]),
            grade_from=scores.grades[i],
            grade_to=scores.grades[j],
            criteria=tuple(_change(scores, c, i, j) for c in changed[k]),
        )
        for k, (cid, i, j) in enumerate(zip(both, before.tolist(), after.tolist(), strict=True))
    ]
    companies.sort(key=lambda company: (company.rank_to, company.company_id))
    new = [_company_year(scores, ranks, rows_to[cid]) for cid in rows_to if cid not in rows_from]
    dropped = [_company_year(scores, ranks, rows_from[c]) for c in rows_from if c not in rows_to]
    rubric = scores.rubric
    return Comparison(
        rubric_name=rubric.name,
        rubric_version=rubric.version,
        rubric_hash=rubric.content_hash,
        from_year=from_year,
        to_year=to_year,
        ranked_from=len(rows_from),
        ranked_to=len(rows_to),
        companies=tuple(companies),
        new=tuple(sorted(new, key=lambda c: (c.rank, c.company_id))),
        dropped=tuple(sorted(dropped, key=lambda c: (c.rank, c.company_id))),
    )


def _changed_criteria(scores: Scores, before: Any, after: Any) -> list[list[int]]:
    """Per matched company, the criterion columns whose level or points changed."""
    level_moved = scores.levels[before] != scores.levels[after]
    points_moved = np.abs(scores.points[before] - scores.points[after]) > POINTS_TOLERANCE
    rows, columns = np.nonzero(level_moved | points_moved)
    changed: list[list[int]] = [[] for _ in range(len(before))]
    for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
        changed[row].append(column)
    return changed


def _change(scores: Scores, column: int, before: int, after: int) -> CriterionChange:
    criterion = scores.plan.criteria[column]
    level_from = int(scores.levels[before, column])
    level_to = int(scores.levels[after, column])
    return CriterionChange(
        criterion_id=criterion.id,
        title=criterion.title,
        level_from=level_from,
        level_to=level_to,
        label_from=level_label(criterion, level_from),
        label_to=level_label(criterion, level_to),
        points_from=float(scores.points[before, column]),
        points_to=float(scores.points[after, column]),
    )


def level_label(criterion: Criterion, level: int) -> str:
    """The label of a level: N/A, none, or the level's (band's) own label."""
    if level < 0:
        return "N/A"
    if level == 0:
        return "none"
    if criterion.continuous:
        return "reported"
    if criterion.bands is not None:
        label = criterion.bands.steps[level - 1].label
    else:
        label = criterion.levels[level - 1].label
    return label or f"level {level}"


def _company_year(scores: Scores, ranks: Any, row: int) -> CompanyYear:
    return CompanyYear(
        company_id=scores.company_ids[row],
        name=scores.names[row],
        sector=scores.sectors[row],
        year=int(scores.years[row]),
        total=float(scores.totals[row]),
        rank=int(ranks[row]),
        grade=scores.grades[row],
    )


# `csrscore.compare` is this module; calling it is the old spelling of
# `csrscore.compare_years(...)`, kept for one release.
make_module_callable(__name__, compare, "csrscore.compare_years")
