"""Year-over-year comparison: the same companies, two reporting years side by side.

Totals, grades, ranks within each year (competition ranks, as `Scores.rank(by="year")`)
and the level and points of every criterion are read from the `Scores` of each year: one
`Scores` for both years, or, when the index changed its methodology between the two
editions, one per edition. Then each change is split into the part that comes from the
company (the change under the earlier methodology: the later year's reports rescored with
the earlier rubric) and the part that comes from the methodology (what the later rubric
changes in the later year's score).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np

from csrscore.deprecation import make_module_callable
from csrscore.engine.score import score
from csrscore.engine.scores import Scores
from csrscore.errors import CsrscoreError
from csrscore.records.load import ReportSet
from csrscore.rubric.editions import comparable_criteria
from csrscore.rubric.model import Criterion

# Points that differ by less than this are equal (floating-point noise in value scoring).
POINTS_TOLERANCE = 1e-9


class UnknownYearError(CsrscoreError):
    """A year with no scored report."""


Cause: TypeAlias = Literal["company", "methodology"]


@dataclass(frozen=True)
class CriterionChange:
    """A criterion whose level or points differ between the two years.

    Under two methodologies, `criterion_id` is the later edition's criterion and
    `from_criterion_id` the earlier one it is comparable with; `points_restated` is what
    the later year's report earns on the earlier criterion (None when the report could not
    be scored under the earlier rubric).
    """

    criterion_id: str
    title: str
    level_from: int  # -1: N/A, 0: no level reached
    level_to: int
    label_from: str
    label_to: str
    points_from: float
    points_to: float
    from_criterion_id: str = ""
    points_restated: float | None = None
    causes: tuple[Cause, ...] = ("company",)

    @property
    def points_delta(self) -> float:
        return self.points_to - self.points_from

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion_id": self.criterion_id,
            "from_criterion_id": self.from_criterion_id or self.criterion_id,
            "title": self.title,
            "level_from": self.level_from,
            "level_to": self.level_to,
            "label_from": self.label_from,
            "label_to": self.label_to,
            "points_from": self.points_from,
            "points_to": self.points_to,
            "points_delta": self.points_delta,
            "points_restated": self.points_restated,
            "causes": list(self.causes),
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
    # The later year's total under the earlier year's methodology; None when the later
    # report could not be scored under the earlier rubric (it contradicts its catalog).
    total_restated: float | None = None

    @property
    def score_delta(self) -> float:
        return self.total_to - self.total_from

    @property
    def company_delta(self) -> float | None:
        """The change that comes from the company: its total moved this much under the
        earlier methodology (all of `score_delta` when the methodology did not change)."""
        return None if self.total_restated is None else self.total_restated - self.total_from

    @property
    def methodology_delta(self) -> float | None:
        """The change that comes from the methodology: what the later rubric changes in
        the later year's total. `company_delta + methodology_delta == score_delta`."""
        return None if self.total_restated is None else self.total_to - self.total_restated

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
            "total_restated": self.total_restated,
            "company_delta": self.company_delta,
            "methodology_delta": self.methodology_delta,
            "rank_from": self.rank_from,
            "rank_to": self.rank_to,
            "rank_delta": self.rank_delta,
            "grade_from": self.grade_from,
            "grade_to": self.grade_to,
            "criteria": [change.to_dict() for change in self.criteria],
        }


@dataclass(frozen=True)
class MethodologyChange:
    """How the later edition's rubric differs from the earlier one's."""

    rubric_name: str
    rubric_version: str
    rubric_hash: str
    added: tuple[str, ...]  # later criteria comparable with none of the earlier ones
    removed: tuple[str, ...]  # earlier criteria comparable with none of the later ones
    renamed: tuple[tuple[str, str], ...]  # (earlier id, later id) comparable pairs

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": {
                "name": self.rubric_name,
                "version": self.rubric_version,
                "hash": self.rubric_hash,
            },
            "criteria_added": list(self.added),
            "criteria_removed": list(self.removed),
            "criteria_renamed": dict(self.renamed),
        }


@dataclass(frozen=True)
class Comparison:
    """Two years of an index, company by company; `rubric_*` name the earlier year's
    rubric, and `methodology` the later one's when the methodology changed."""

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
    methodology: MethodologyChange | None = None

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
            "methodology": None if self.methodology is None else self.methodology.to_dict(),
        }


def compare(
    scores: Scores,
    from_year: int,
    to_year: int,
    *,
    later: Scores | None = None,
    comparable: Mapping[str, str | None] | None = None,
) -> Comparison:
    """Compare each company's score, rank, grade and criteria between two years.

    Ranks are within each year, among all companies scored that year. A criterion is listed
    when its level changed, or its points did (a value-scored criterion keeps level 1 while
    its value moves).

    When the index changed its methodology, `scores` holds `from_year` scored with the
    earlier edition's rubric and `later` holds `to_year` scored with the later one's.
    `comparable` maps a criterion of the earlier rubric to its match in the later one, or
    to None when it has none; a criterion that keeps its id matches itself unless mapped.
    Each company's change in total is then split into `company_delta` (the change under
    the earlier methodology: `to_year`'s report rescored with the earlier rubric) and
    `methodology_delta` (what the later rubric changes in the `to_year` total), and each
    criterion change says which of the two caused it.
    """
    later_scores = scores if later is None else later
    rows_from = _rows_of_year(scores, from_year)
    rows_to = _rows_of_year(later_scores, to_year)
    changed_method = later is not None and later.rubric.content_hash != scores.rubric.content_hash
    if changed_method:
        matches = comparable_criteria(scores.rubric, later_scores.rubric, comparable)
        restated = _restated(later_scores, list(rows_to.values()), scores)
        rows_restated = {cid: i for i, cid in enumerate(restated.company_ids)}
    else:
        matches = {cid: cid for cid in scores.criterion_ids}
        restated, rows_restated = later_scores, rows_to
    column_to = {cid: c for c, cid in enumerate(later_scores.criterion_ids)}
    pairs = sorted(
        (column_to[new], scores.criterion_ids.index(old))
        for old, new in matches.items()
        if new is not None
    )
    ranks_from = scores.rank("competition", by="year")
    ranks_to = later_scores.rank("competition", by="year")
    both = [cid for cid in rows_to if cid in rows_from]
    companies = []
    for cid in both:
        i, j = rows_from[cid], rows_to[cid]
        r = rows_restated.get(cid)
        companies.append(
            CompanyChange(
                company_id=cid,
                name=later_scores.names[j],
                sector=later_scores.sectors[j],
                total_from=float(scores.totals[i]),
                total_to=float(later_scores.totals[j]),
                rank_from=int(ranks_from[i]),
                rank_to=int(ranks_to[j]),
                grade_from=scores.grades[i],
                grade_to=later_scores.grades[j],
                criteria=_criteria_changes(
                    (scores, i), (later_scores, j), (restated, r), pairs, changed_method
                ),
                total_restated=None if r is None else float(restated.totals[r]),
            )
        )
    companies.sort(key=lambda company: (company.rank_to, company.company_id))
    new = [
        _company_year(later_scores, ranks_to, j) for c, j in rows_to.items() if c not in rows_from
    ]
    dropped = [
        _company_year(scores, ranks_from, i) for c, i in rows_from.items() if c not in rows_to
    ]
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
        methodology=_methodology(later_scores, matches) if changed_method else None,
    )


def _rows_of_year(scores: Scores, year: int) -> dict[str, int]:
    present = sorted({int(y) for y in scores.years})
    if year not in present:
        listed = ", ".join(map(str, present)) or "none"
        raise UnknownYearError(f"no scored report for year {year}; years scored: {listed}")
    return {scores.company_ids[i]: i for i in np.flatnonzero(scores.years == year).tolist()}


def _restated(later: Scores, rows: list[int], earlier: Scores) -> Scores:
    """The later year's reports scored with the earlier rubric. A report that contradicts
    the earlier rubric's catalog is rejected there, and its change is not split."""
    reports = tuple(later.reports[row] for row in rows)
    return score(ReportSet(reports), earlier.rubric)


def _criteria_changes(
    earlier: tuple[Scores, int],
    later: tuple[Scores, int],
    restated: tuple[Scores, int | None],
    pairs: list[tuple[int, int]],
    changed_method: bool,
) -> tuple[CriterionChange, ...]:
    """The comparable criteria (pairs of later, earlier columns) that changed, and why."""
    (from_scores, i), (to_scores, j), (re_scores, r) = earlier, later, restated
    to_columns = np.array([pair[0] for pair in pairs], dtype=np.int64)
    from_columns = np.array([pair[1] for pair in pairs], dtype=np.int64)
    level_from = from_scores.levels[i, from_columns]
    points_from = from_scores.points[i, from_columns]
    level_to = to_scores.levels[j, to_columns]
    points_to = to_scores.points[j, to_columns]
    if r is None:
        # Without a restated score the two causes cannot be told apart.
        moved = (level_to != level_from) | (np.abs(points_to - points_from) > POINTS_TOLERANCE)
        company = methodology = np.zeros(len(pairs), dtype=bool)
        points_restated = None
    else:
        level_re = re_scores.levels[r, from_columns]
        points_re = re_scores.points[r, from_columns]
        company = (level_re != level_from) | (np.abs(points_re - points_from) > POINTS_TOLERANCE)
        methodology = np.zeros(len(pairs), dtype=bool)
        if changed_method:
            methodology = ((level_to < 0) != (level_re < 0)) | (
                np.abs(points_to - points_re) > POINTS_TOLERANCE
            )
        moved = company | methodology
        points_restated = points_re
    changes = []
    for k in np.flatnonzero(moved).tolist():
        to_criterion = to_scores.plan.criteria[int(to_columns[k])]
        from_criterion = from_scores.plan.criteria[int(from_columns[k])]
        causes: list[Cause] = []
        if company[k]:
            causes.append("company")
        if methodology[k]:
            causes.append("methodology")
        changes.append(
            CriterionChange(
                criterion_id=to_criterion.id,
                title=to_criterion.title,
                level_from=int(level_from[k]),
                level_to=int(level_to[k]),
                label_from=level_label(from_criterion, int(level_from[k])),
                label_to=level_label(to_criterion, int(level_to[k])),
                points_from=float(points_from[k]),
                points_to=float(points_to[k]),
                from_criterion_id=from_criterion.id,
                points_restated=None if points_restated is None else float(points_restated[k]),
                causes=tuple(causes),
            )
        )
    return tuple(changes)


def _methodology(later: Scores, matches: Mapping[str, str | None]) -> MethodologyChange:
    matched = {new for new in matches.values() if new is not None}
    rubric = later.rubric
    return MethodologyChange(
        rubric_name=rubric.name,
        rubric_version=rubric.version,
        rubric_hash=rubric.content_hash,
        added=tuple(cid for cid in later.criterion_ids if cid not in matched),
        removed=tuple(sorted(old for old, new in matches.items() if new is None)),
        renamed=tuple(sorted((old, new) for old, new in matches.items() if new not in (None, old))),
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
