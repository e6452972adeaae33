"""`Scores`: every intermediate array of one scoring run, read-only.

Ranks, explanations and sensitivity analysis all read these arrays, so they can never
disagree with the scores they describe. Some are kept in a compact form, because at a
million companies they were most of the engine's memory and time: the points matrix is
looked up from the levels on first use (`Points`, the lookup `aggregate` summed), and
condition results are stored eight companies to a byte and unpacked when read. The
applicability mask is read off the levels (-1 where N/A) on first use.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from csrscore.compile.plan import Plan
from csrscore.engine.columns import BoolArray, FloatArray, IntArray, LevelArray
from csrscore.engine.derived import DerivedColumn
from csrscore.engine.ingest import ViolationTable
from csrscore.engine.levels import applicable_mask
from csrscore.engine.lookup import rows_named, suggest_company
from csrscore.engine.peers import PeerResult
from csrscore.engine.points import Points
from csrscore.engine.sanity import SanityWarning
from csrscore.errors import UnknownCompanyError, UsageError
from csrscore.precision import Rounding
from csrscore.rank import RankMethod, percentiles, rank_totals
from csrscore.records.check import UnknownKey
from csrscore.records.load import Rejection
from csrscore.records.model import Report
from csrscore.rubric.conditions import Condition
from csrscore.rubric.model import Rubric


@dataclass(frozen=True, eq=False)
class Scores:
    """Every company's scores under one rubric, with each stage of the computation kept.

    Built by `score`. It holds the level matrix, the points, the group scores, the
    adjustments and the totals as read-only arrays, one row per company-year, so that
    `rank`, `explain`, `compare` and `sensitivity` all read the arrays the engine computed.

    Example:
        >>> import csrscore
        >>> scores = csrscore.score("examples/reports.json", "iso26000")
        >>> len(scores) == len(scores.totals)
        True
    """

    rubric: Rubric
    plan: Plan
    reports: tuple[Report, ...]
    company_ids: tuple[str, ...]
    names: tuple[str, ...]
    sectors: tuple[str | None, ...]
    countries: tuple[str | None, ...]
    years: IntArray
    criterion_ids: tuple[str, ...]
    levels: LevelArray  # N x C; -1 N/A, 0 nothing reached, k = level k
    # Looked up from `levels`; `points` is the N x C matrix, built on first use.
    point_table: Points
    group_ids: tuple[str, ...]  # every group at every depth, in plan order; root last
    group_scores: FloatArray  # N x G fractions 0..1, NaN where N/A (under either N/A policy)
    group_applicable: BoolArray  # N x G
    base: FloatArray  # N: root fraction x scale
    adjustment_ids: tuple[str, ...]
    adjustments: FloatArray  # N x A: points each adjustment changed the total by
    violation_counts: IntArray  # N x A
    clamp: FloatArray  # N: the change from clamping to [0, scale]
    totals: FloatArray  # N, float64
    grades: tuple[str, ...]
    rejected: tuple[Rejection, ...] = ()
    warnings: tuple[UnknownKey | SanityWarning, ...] = ()
    # Values dropped under bad_values="as-missing", each located as a rejection is.
    treated_as_missing: tuple[Rejection, ...] = ()
    positions: tuple[int, ...] = field(default=())
    # Every condition's result, as the engine computed it; explanations read these.
    condition_results: Mapping[Condition, BoolArray] = field(default_factory=dict)
    violation_table: ViolationTable | None = None
    # N x G group weights where they vary by company (`weights: applicable-points`).
    varying_group_weights: FloatArray | None = None
    # Derived field name -> its values and why they are missing, where they are.
    derived: Mapping[str, DerivedColumn] = field(default_factory=dict)
    # Criterion index -> its peer groups and statistics, for peer-relative criteria.
    peers: Mapping[int, PeerResult] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    def __len__(self) -> int:
        return len(self.company_ids)

    def __repr__(self) -> str:
        years = sorted({int(year) for year in self.years})
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else "".join(map(str, years))
        return (
            f"<Scores {self.rubric.name} {self.rubric.version}: {len(self)} company-years"
            f"{' in ' + span if span else ''}, {len(self.criterion_ids)} criteria, "
            f"{len(self.rejected)} rejected>"
        )

    def _repr_html_(self) -> str:
        """The best ten of the latest year, for notebooks. Names are untrusted: escaped."""
        import html

        title = html.escape(repr(self))
        if not len(self):
            return f"<p>{title}</p>"
        latest = int(self.years.max())
        rows = [i for i in np.argsort(-self.totals, kind="stable") if self.years[i] == latest]
        body = "".join(
            f"<tr><td>{html.escape(self.names[i])}</td><td>{html.escape(self.company_ids[i])}"
            f"</td><td>{self.totals[i]:.2f}</td><td>{html.escape(self.grades[i])}</td></tr>"
            for i in rows[:10]
        )
        return (
            f"<p>{title}</p><table><caption>{latest}, best first</caption><thead><tr>"
            "<th>company</th><th>id</th><th>total</th><th>grade</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )

    @cached_property
    def points(self) -> FloatArray:
        """N x C points, 0 where N/A: the values `aggregate` summed, looked up the same way.

        Built on first use, because at a million companies it is the largest array of all
        (2 GB for 250 criteria) and ranking does not need it.
        """
        matrix = self.point_table.matrix()
        matrix.setflags(write=False)
        return matrix

    @cached_property
    def applicable(self) -> BoolArray:
        """N x C: whether each criterion applies to each company. Built on first use from
        the levels, which are -1 exactly where a criterion is N/A."""
        mask = applicable_mask(self.levels)
        mask.setflags(write=False)
        return mask

    @cached_property
    def group_weights(self) -> FloatArray:
        """N x G: each group's weight in its parent for each company (methodology §4)."""
        if self.varying_group_weights is not None:
            return self.varying_group_weights
        shape = (len(self.company_ids), len(self.plan.groups))
        return np.broadcast_to(self.plan.group_weights, shape)

    # --- lookups ----------------------------------------------------------------------

    def index_of(self, company_id: str, year: int | None = None) -> int:
        """Row of a company, by id or else by name (the latest year unless `year` is given)."""
        rows = list(self._rows_of_company.get(company_id, []))
        if not rows:
            rows = rows_named(company_id, self.names)
            named = sorted({self.company_ids[i] for i in rows})
            if len(named) > 1:
                raise UnknownCompanyError(
                    f"{company_id!r} names {len(named)} companies: {', '.join(named)}; "
                    "give one of these ids"
                )
            if named:
                company_id = named[0]
        if rows and year is not None:
            years = sorted({int(self.years[i]) for i in rows})
            rows = [i for i in rows if int(self.years[i]) == year]
            if not rows:
                listed = ", ".join(map(str, years))
                raise UnknownCompanyError(
                    f"no report of {company_id!r} in {year}; its years: {listed}"
                )
        if not rows:
            close = suggest_company(company_id, self.company_ids, self.names)
            what = f"{company_id!r}" + (f" in {year}" if year is not None else "")
            raise UnknownCompanyError(f"no scored company {what}{close}")
        return max(rows, key=lambda i: int(self.years[i]))

    @cached_property
    def _rows_of_company(self) -> dict[str, list[int]]:
        """Each company id's rows: a lookup per explanation, not a scan of every id."""
        rows: dict[str, list[int]] = {}
        for i, company_id in enumerate(self.company_ids):
            rows.setdefault(company_id, []).append(i)
        return rows

    def group_column(self, group_id: str) -> int:
        return self.group_ids.index(group_id)

    @property
    def top_group_ids(self) -> tuple[str, ...]:
        return tuple(child.id for child in self.rubric.root.children)

    @cached_property
    def attribute_names(self) -> tuple[str, ...]:
        """Company attributes the rubric declares (`company.<name>`) or the records carry."""
        declared = {
            spec.name.removeprefix("company.")
            for spec in self.rubric.catalog
            if spec.origin == "company"
        }
        carried = {name for report in self.reports for name in report.company.attributes}
        return tuple(sorted(declared | carried))

    def company_field(self, name: str | Sequence[str]) -> list[Any]:
        """Per-company values of `sector`, `country`, `year` or any `company.*` field,
        company attributes included (`company.region`); None where a company has none.

        A sequence of names gives tuples, e.g. ("sector", "year") for sector within year.
        """
        if not isinstance(name, str):
            columns = [self.company_field(part) for part in name]
            return list(zip(*columns, strict=True)) if columns else [()] * len(self)
        key = name.removeprefix("company.")
        if key == "year":
            return [int(y) for y in self.years]
        if key in ("id", "name", "sector", "country") or key in self.attribute_names:
            return [report.company.value_of(key) for report in self.reports]
        known = [
            "sector",
            "country",
            "year",
            "company.id",
            "company.name",
            *(f"company.{attribute}" for attribute in self.attribute_names),
        ]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UsageError(f"cannot group by {name!r}{hint}; the fields are: {', '.join(known)}")

    # --- selections -------------------------------------------------------------------

    def take(self, rows: Sequence[int] | IntArray) -> Scores:
        """The companies at `rows`, in that order, each scored as in this run."""
        from csrscore.engine.select import take

        return take(self, np.asarray(rows, dtype=np.int64))

    def of_year(self, year: int) -> Scores:
        """One edition: the reports of `year`, each scored as in this run. An unknown
        year raises `UsageError` naming the years there are."""
        from csrscore.engine.select import of_year

        return of_year(self, year)

    # --- ranks ------------------------------------------------------------------------

    def ranking_fields(
        self, by: str | Sequence[str] | None = None, *, per_year: bool = True
    ) -> tuple[str, ...]:
        """The fields an index ranks within: `by`, and the year first when the reports span
        several years (one edition at a time), unless `per_year` is false."""
        fields = () if by is None else (by,) if isinstance(by, str) else tuple(by)
        if per_year and "year" not in fields and len(set(self.years.tolist())) > 1:
            fields = ("year", *fields)
        return fields

    def rank(
        self,
        method: RankMethod = "competition",
        by: str | Sequence[str] | None = None,
        rounding: Rounding | None = None,
    ) -> IntArray:
        """Ranks (1 = best) overall or within each value of `by`.

        Ties are decided under the rubric's rounding rule (`Rubric.rounding`), or under
        `rounding` when given; `ordinal` breaks them by company id. Grades always follow
        the rubric's rule: to change both, score with a rubric whose `rounding` is changed.
        """
        groups = None if by is None else self.company_field(by)
        rule = self.rubric.rounding if rounding is None else rounding
        return rank_totals(self.totals, self.company_ids, method, groups, rule)

    def percentile(
        self, by: str | Sequence[str] | None = None, rounding: Rounding | None = None
    ) -> FloatArray:
        groups = None if by is None else self.company_field(by)
        return percentiles(
            self.totals, groups, self.rubric.rounding if rounding is None else rounding
        )

    @property
    def published_totals(self) -> FloatArray:
        """The totals as the rubric publishes them (`Rubric.rounding`)."""
        return self.rubric.rounding.round(self.totals)

    # --- explanations -------------------------------------------------------------------

    @cached_property
    def _explainer(self) -> Any:
        # Imported here because explain is a later pipeline stage that reads Scores.
        from csrscore.explain import Explainer

        return Explainer(self)

    def explain(self, company_id: str, year: int | None = None) -> Any:
        """Why this company got its score (`Explanation`); the latest year by default."""
        return self._explainer.explain(self.index_of(company_id, year))

    def explain_all(self) -> Iterator[Any]:
        """Explanations of every company, in row order, sharing one set of precomputation.

        Python's cyclic garbage collector is paused only while a batch of explanations is
        built (rescanning each fresh one made batch export several times slower); it is on
        whenever the caller holds the iterator, so an abandoned iterator never keeps it off.
        """
        return iter(self._explainer.explain_all())

    # --- export -----------------------------------------------------------------------

    def to_records(
        self, method: RankMethod = "competition", by: str | Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        """One plain dict per company, JSON-ready, full precision."""
        ranks = self.rank(method, by)
        pct = self.percentile(by)
        published = self.rubric.rounding.round(self.totals).tolist()
        out: list[dict[str, Any]] = []
        root = len(self.group_ids) - 1
        for i in range(len(self)):
            record: dict[str, Any] = {
                "company_id": self.company_ids[i],
                "name": self.names[i],
                "sector": self.sectors[i],
                "country": self.countries[i],
            }
            if self.attribute_names:
                attributes = self.reports[i].company.attributes
                record["attributes"] = {
                    name: list(value) if isinstance(value, tuple) else value
                    for name, value in attributes.items()
                }
            out.append(
                record
                | {
                    "year": int(self.years[i]),
                    "rank": int(ranks[i]),
                    "percentile": float(pct[i]),
                    "total": float(self.totals[i]),
                    # As ranks and grades see it (the rubric's `rounding`).
                    "published_total": published[i],
                    "grade": self.grades[i],
                    "base": float(self.base[i]),
                    "groups": {
                        gid: _nullable(self.group_scores[i, g] * 100.0)
                        for g, gid in enumerate(self.group_ids)
                        if g != root
                    },
                    "criteria": {
                        cid: None if self.levels[i, c] < 0 else float(self.points[i, c])
                        for c, cid in enumerate(self.criterion_ids)
                    },
                    "adjustments": {
                        aid: float(self.adjustments[i, a])
                        for a, aid in enumerate(self.adjustment_ids)
                    },
                }
            )
        return out

    def to_arrow(
        self,
        method: RankMethod = "competition",
        by: str | Sequence[str] | None = None,
        *,
        per_year: bool = True,
    ) -> Any:
        """The ranking as a `pyarrow.Table`: a row per company-year, best first within each
        year, with rank, total, grade, percentile, top-level group scores (percent) and
        adjustments. Ranks and percentiles are within each value of `by` and, when the
        reports span several years and `per_year` is true (the default), within each year,
        as `csrscore rank --by` gives them. Needs the `tables` extra."""
        # Imported here because io is a later pipeline stage that reads Scores.
        from csrscore.io.results import ranking_columns, to_arrow

        fields = self.ranking_fields(by, per_year=per_year) or None
        return to_arrow(ranking_columns(self, self.rank(method, fields), fields))

    def to_pandas(
        self,
        method: RankMethod = "competition",
        by: str | Sequence[str] | None = None,
        *,
        per_year: bool = True,
    ) -> Any:
        """The ranking of `to_arrow` as a pandas DataFrame: ranks within each year by
        default, within `by` too when given. Needs the `tables` extra."""
        from csrscore.io.extras import require

        require("pandas", "to_pandas()")
        return self.to_arrow(method, by, per_year=per_year).to_pandas()

    def criteria_frame(self) -> Any:
        """A pandas DataFrame with a row per company-year and criterion: company_id, year,
        criterion, applicable, level, level_label, points (NaN where N/A) and max_points."""
        from csrscore.io.extras import require
        from csrscore.io.results import criteria_columns, to_arrow

        require("pandas", "criteria_frame()")
        return to_arrow(criteria_columns(self)).to_pandas()


def _nullable(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
