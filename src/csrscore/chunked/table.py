"""`ScoreTable`: the per-company results of a run scored in pieces, small enough to keep.

A chunk's (or a Dask partition's) `Scores` holds every intermediate array and the reports
themselves; a `ScoreTable` keeps only what a ranking needs (ids, company fields, totals,
base, grades and group scores), so tables of a million companies fit in memory. Ranks and
percentiles are the second, cheap pass over all totals, by the same functions `Scores`
uses, so they are identical to a one-shot run's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from csrscore.engine.columns import FloatArray, IntArray
from csrscore.engine.sanity import SanityWarning
from csrscore.engine.scores import Scores
from csrscore.errors import UsageError
from csrscore.rank import RankMethod, percentiles, rank_totals
from csrscore.records.check import UnknownKey
from csrscore.records.load import Rejection

__all__ = ["ScoreTable"]

_FIELDS = ("sector", "country", "year")


@dataclass(frozen=True, eq=False)
class ScoreTable:
    """Per-company results of a run scored in chunks or partitions: ids, company fields,
    totals, base totals, grades and group scores (no per-criterion points), with every
    rejection. `rank` and `percentile` give what `Scores.rank` and `Scores.percentile`
    give for the same reports."""

    company_ids: tuple[str, ...]
    names: tuple[str | None, ...]
    sectors: tuple[str | None, ...]
    countries: tuple[str | None, ...]
    years: IntArray
    totals: FloatArray
    base: FloatArray
    grades: tuple[str, ...]
    group_ids: tuple[str, ...]  # every group but the root, in plan order
    group_scores: FloatArray  # N x G fractions 0..1, NaN where N/A
    rejected: tuple[Rejection, ...] = ()
    warnings: tuple[UnknownKey | SanityWarning, ...] = ()
    treated_as_missing: tuple[Rejection, ...] = ()
    # Where each row came from: the input's name (a file, or a partition) and its record index.
    sources: tuple[str | None, ...] = field(default=())
    positions: tuple[int, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.company_ids)

    @classmethod
    def from_scores(cls, scores: Scores, source: str | None = None) -> ScoreTable:
        root = len(scores.group_ids) - 1
        return cls(
            company_ids=scores.company_ids,
            names=scores.names,
            sectors=scores.sectors,
            countries=scores.countries,
            years=scores.years,
            totals=scores.totals,
            base=scores.base,
            grades=scores.grades,
            group_ids=scores.group_ids[:root],
            # A copy, so the chunk's whole N x G (root included) array can be freed.
            group_scores=np.ascontiguousarray(scores.group_scores[:, :root]),
            rejected=scores.rejected,
            warnings=scores.warnings,
            treated_as_missing=scores.treated_as_missing,
            sources=(source,) * len(scores),
            positions=scores.positions or tuple(range(len(scores))),
        )

    @classmethod
    def concat(cls, tables: Sequence[ScoreTable], group_ids: tuple[str, ...] = ()) -> ScoreTable:
        """The tables' rows in order; their rejections in order; warnings merged by key."""
        if tables:
            group_ids = tables[0].group_ids
        # Unknown keys add up their record counts across chunks; a sanity warning (judged
        # on one chunk's values) is kept once per key, from the first chunk that raised it.
        warnings: dict[tuple[str, str], UnknownKey | SanityWarning] = {}
        for table in tables:
            for warning in table.warnings:
                slot = (type(warning).__name__, warning.key)
                known = warnings.get(slot)
                if known is None:
                    warnings[slot] = warning
                elif isinstance(known, UnknownKey) and isinstance(warning, UnknownKey):
                    warnings[slot] = replace(known, records=known.records + warning.records)

        def joined(name: str) -> tuple[Any, ...]:
            return tuple(item for table in tables for item in getattr(table, name))

        def stacked(name: str, empty: Any) -> Any:
            return np.concatenate([getattr(t, name) for t in tables]) if tables else empty

        return cls(
            company_ids=joined("company_ids"),
            names=joined("names"),
            sectors=joined("sectors"),
            countries=joined("countries"),
            years=stacked("years", np.zeros(0, dtype=np.int64)),
            totals=stacked("totals", np.zeros(0)),
            base=stacked("base", np.zeros(0)),
            grades=joined("grades"),
            group_ids=group_ids,
            group_scores=stacked("group_scores", np.zeros((0, len(group_ids)))),
            rejected=joined("rejected"),
            warnings=tuple(warnings[key] for key in sorted(warnings)),
            treated_as_missing=joined("treated_as_missing"),
            sources=joined("sources"),
            positions=joined("positions"),
        )

    def first_of_each_key(self) -> ScoreTable:
        """The table without a company-year seen in an earlier row, each such row listed
        in `rejected` as a duplicate: what the loader does within one input, for pieces
        that were validated apart (a Dask partition or file each)."""
        first: dict[tuple[str, int], int] = {}
        keep = np.ones(len(self), dtype=bool)
        duplicates = []
        for row, key in enumerate(zip(self.company_ids, self.years.tolist(), strict=True)):
            earlier = first.setdefault(key, row)
            if earlier != row:
                keep[row] = False
                where = f"record {self.positions[earlier]} of {self.sources[earlier]}"
                duplicates.append(
                    Rejection(
                        self.positions[row],
                        f"duplicate of {where}: same company id and year {key[1]}",
                        "company.id",
                        key[0],
                        source=self.sources[row],
                    )
                )
        if keep.all():
            return self
        rows = np.flatnonzero(keep).tolist()

        def pick(values: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(values[i] for i in rows)

        return replace(
            self,
            company_ids=pick(self.company_ids),
            names=pick(self.names),
            sectors=pick(self.sectors),
            countries=pick(self.countries),
            years=self.years[keep],
            totals=self.totals[keep],
            base=self.base[keep],
            grades=pick(self.grades),
            group_scores=self.group_scores[keep],
            rejected=self.rejected + tuple(duplicates),
            sources=pick(self.sources),
            positions=pick(self.positions),
        )

    def company_field(self, name: str | Sequence[str]) -> list[Any]:
        """Per-company `sector`, `country` or `year`; a sequence of names gives tuples."""
        if not isinstance(name, str):
            columns = [self.company_field(part) for part in name]
            return list(zip(*columns, strict=True)) if columns else [()] * len(self)
        key = name.removeprefix("company.")
        if key == "year":
            years: list[Any] = self.years.tolist()
            return years
        if key == "sector":
            return list(self.sectors)
        if key == "country":
            return list(self.countries)
        fields = ", ".join(_FIELDS)
        raise UsageError(f"a chunked or distributed run ranks by {fields}; not {name!r}")

    def rank(
        self, method: RankMethod = "competition", by: str | Sequence[str] | None = None
    ) -> IntArray:
        """Ranks (1 = best) overall or within each value of `by`, as `Scores.rank`."""
        groups = None if by is None else self.company_field(by)
        return rank_totals(self.totals, self.company_ids, method, groups)

    def percentile(self, by: str | Sequence[str] | None = None) -> FloatArray:
        groups = None if by is None else self.company_field(by)
        return percentiles(self.totals, groups)

    def records(
        self, method: RankMethod = "competition", by: str | Sequence[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """One JSON-ready dict per company, full precision, in row order: the fields of
        `Scores.to_records` without the criteria and adjustments."""
        ranks, shares = self.rank(method, by).tolist(), self.percentile(by).tolist()
        years, totals, base = self.years.tolist(), self.totals.tolist(), self.base.tolist()
        groups = (self.group_scores * 100.0).tolist()
        for i in range(len(self)):
            yield {
                "company_id": self.company_ids[i],
                "name": self.names[i],
                "sector": self.sectors[i],
                "country": self.countries[i],
                "year": years[i],
                "rank": ranks[i],
                "percentile": shares[i],
                "total": totals[i],
                "grade": self.grades[i],
                "base": base[i],
                "groups": {
                    gid: None if value != value else value
                    for gid, value in zip(self.group_ids, groups[i], strict=True)
                },
            }
