"""Synthetic rubrics, report records and engine columns for the engine benchmarks.

One `Universe` (the disclosure keys, their types, and how often and how companies disclose
them) drives everything: the rubric's `fields:` and conditions, the report records written
to JSON, and the columns the engine runs over. A `Sample` is one set of numpy draws for N
companies; `records()` renders it as report dicts and `engine_input()` builds the engine's
`Column` objects straight from the same arrays, for sizes where a million pydantic reports
would cost far more than the engine itself. Both renderings of one sample score identically
(`test_direct_columns_match_ingest` in bench_engine.py checks this).

`benchmarks/synthetic.py` draws each disclosure's form independently of its key, so one key
is a number in one record and text in the next; a rubric needs one type per key, hence this
separate generator. Everything here is deterministic from the seed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeAlias

import numpy as np

from csrscore.compile.plan import Plan
from csrscore.engine.columns import BoolArray, Column, FloatArray, IntArray
from csrscore.engine.ingest import STATUSES, ViolationTable

__all__ = [
    "EngineInput",
    "Sample",
    "SyntheticField",
    "Universe",
    "draw_sample",
    "engine_input",
    "make_rubric",
    "make_universe",
    "realistic_input",
    "records",
    "tiled",
    "write_reports_json",
]

Kind: TypeAlias = Literal["bool", "number", "enum", "text", "list"]
Json: TypeAlias = dict[str, Any]

DEFAULT_SEED = 2024
DEFAULT_KEYS = 300
DEFAULT_CRITERIA = 250
DEFAULT_GROUPS = 10

THEMES: dict[str, tuple[str, ...]] = {
    "climate": ("ghg", "targets", "transition", "risk"),
    "resources": ("energy", "water", "waste", "materials"),
    "nature": ("biodiversity", "land", "pollution", "oceans"),
    "labour": ("wages", "hours", "training", "unions"),
    "safety": ("injuries", "process", "contractors", "health"),
    "rights": ("due_diligence", "grievance", "indigenous", "privacy"),
    "governance": ("board", "remuneration", "reporting", "risk"),
    "ethics": ("anti_corruption", "tax", "lobbying", "competition"),
    "supply": ("audits", "traceability", "minerals", "sourcing"),
    "community": ("investment", "consultation", "hiring", "access"),
}
ITEMS: tuple[tuple[str, Kind], ...] = (
    ("policy", "bool"),
    ("target", "bool"),
    ("oversight", "bool"),
    ("total", "number"),
    ("intensity", "number"),
    ("share", "number"),
    ("incidents", "number"),
    ("process", "enum"),
    ("maturity", "enum"),
    ("approach", "text"),
    ("scope", "list"),
)
MATURITY = ("none", "planned", "partial", "implemented", "certified")
TAGS = ("tier1", "tier2", "tier3", "raw_materials", "logistics", "contractors")
WORDS = (
    "policy covers all sites suppliers audited annually targets aligned with science based "
    "pathway grievance mechanism open to workers communities third party verified"
).split()
UNITS = ("tCO2e", "MWh", "m3", "t", "%", "hours", "USD", "incidents")
SECTORS = ("energy", "mining", "textiles", "chemicals", "food", "electronics", "finance")
COUNTRIES = ("CN", "DE", "US", "GB", "JP", "IN", "BR", "FR", "KR", "AU", "ZA", "ID")
FRAMEWORKS = ("GRI", "SASB", "TCFD", "ISO 26000", "UNGC")
CATEGORIES = ("air", "water", "waste", "labour")
FIRST_YEAR, YEARS = 2015, 9
REPORT_SHARE = 0.92  # records with a published report; the rest hit the no-report cap
VIOLATION_SHARE = 0.3  # records with 1-3 violation records


@dataclass(frozen=True)
class SyntheticField:
    """One disclosure key: its type and how companies disclose it."""

    key: str
    theme: str
    kind: Kind
    presence: float  # share of companies that disclose it
    assured_share: float  # of those, the share marked assured
    evidence_share: float  # of those, the share with page evidence
    true_share: float = 0.0  # bool: share of disclosed values that are true
    low: float = 0.0  # number: values are uniform in [low, high]
    high: float = 0.0
    integer: bool = False
    unit: str | None = None
    values: tuple[str, ...] = ()  # enum values, list tags or text phrases
    weights: tuple[float, ...] = ()  # enum and text: probability of each value
    item_share: float = 0.0  # list: chance of each tag

    def declaration(self) -> Json:
        """The rubric `fields:` entry for this key."""
        entry: Json = {"type": self.kind}
        if self.kind in ("enum", "list"):
            entry["values"] = list(self.values)
        if self.unit is not None:
            entry["unit"] = self.unit
        return entry


@dataclass(frozen=True)
class Universe:
    fields: tuple[SyntheticField, ...]
    seed: int

    def by_theme(self, theme: str) -> list[SyntheticField]:
        return [f for f in self.fields if f.theme == theme]

    @property
    def expected_disclosures(self) -> float:
        return sum(f.presence for f in self.fields)


def make_universe(keys: int = DEFAULT_KEYS, seed: int = DEFAULT_SEED) -> Universe:
    """`keys` disclosure keys spread over the ten themes, ~100 disclosed per company."""
    rng = random.Random(seed)
    per_theme = -(-keys // len(THEMES))
    fields: list[SyntheticField] = []
    for theme, topics in THEMES.items():
        pool = [(topic, item, kind) for topic in topics for item, kind in ITEMS]
        for topic, item, kind in rng.sample(pool, min(per_theme, len(pool))):
            if len(fields) < keys:
                fields.append(_field(rng, f"{theme}.{topic}.{item}", theme, item, kind))
    # Mean presence 1/3: a third of 300 keys is the ~100 disclosures of a typical record.
    scale = (keys / 3) / sum(f.presence for f in fields)
    fields = [replace(f, presence=min(0.95, f.presence * scale)) for f in fields]
    return Universe(tuple(fields), seed)


def _field(rng: random.Random, key: str, theme: str, item: str, kind: Kind) -> SyntheticField:
    presence = min(0.95, max(0.03, rng.betavariate(2, 4)))
    quantitative = kind == "number"
    common: Json = {
        "key": key,
        "theme": theme,
        "kind": kind,
        "presence": presence,
        "assured_share": rng.uniform(0.0, 0.5 if quantitative else 0.15),
        "evidence_share": rng.uniform(0.1, 0.7) if quantitative else rng.uniform(0.0, 0.3),
    }
    if kind == "bool":
        return SyntheticField(**common, true_share=rng.uniform(0.3, 0.9))
    if kind == "number":
        low, high, integer, unit = {
            "share": (0.0, 100.0, False, "%"),
            "intensity": (0.0, 10.0, False, rng.choice(UNITS[:4])),
            "incidents": (0.0, 50.0, True, "incidents"),
        }.get(item, (0.0, 10.0 ** rng.uniform(3, 6), False, rng.choice(UNITS)))
        return SyntheticField(**common, low=low, high=high, integer=integer, unit=unit)
    if kind == "enum":
        values = MATURITY[: rng.randint(3, 5)]
        return SyntheticField(**common, values=values, weights=_weights(rng, len(values)))
    if kind == "text":
        phrases = tuple(
            " ".join(rng.choices(WORDS, k=rng.randint(3, 9))) for _ in range(rng.randint(6, 14))
        )
        return SyntheticField(**common, values=phrases, weights=_weights(rng, len(phrases)))
    tags = TAGS[: rng.randint(3, 6)]
    return SyntheticField(**common, values=tags, item_share=rng.uniform(0.2, 0.6))


def _weights(rng: random.Random, k: int) -> tuple[float, ...]:
    raw = [rng.gammavariate(1.0, 1.0) for _ in range(k)]
    return tuple(w / sum(raw) for w in raw)


# ----------------------------------------------------------------------------- rubric


def make_rubric(
    universe: Universe,
    criteria: int = DEFAULT_CRITERIA,
    groups: int = DEFAULT_GROUPS,
    seed: int = DEFAULT_SEED,
) -> Json:
    """Rubric data: `criteria` criteria in `groups` groups of 2-4 sub-groups each.

    About 80% are level ladders of 3-5 levels, the rest value scoring and bands; ~5% apply
    to some sectors only, one sub-group excludes a sector, and the rubric ends with a
    violation penalty and a no-report cap, like the shipped iso26000 rubric.
    """
    rng = random.Random(seed)
    themes = list(THEMES)[:groups]
    builder = _CriterionBuilder(rng)
    specials = _special_criteria(rng)
    per_group = _split(criteria - len(specials), len(themes))
    home = "governance" if "governance" in themes else themes[0]
    group_data: list[Json] = []
    for g, theme in enumerate(themes):
        pool = universe.by_theme(theme)
        subgroup_count = rng.randint(2, 4)
        sizes = _split(per_group[g], subgroup_count)
        subgroups: list[Json] = []
        for s, size in enumerate(sizes):
            made = [builder.criterion(f"{theme}-{s}-{c}", pool) for c in range(size)]
            if theme == home and s == 0:
                made += specials
            subgroups.append({"id": f"{theme}-{s}", "title": f"{theme} {s}", "criteria": made})
        if g == 1:
            subgroups[-1]["applies_when"] = {"not": {"in": {"company.sector": ["finance"]}}}
        if g == 2:
            subgroups[0]["aggregation"] = "geometric"
        group_data.append(
            {"id": theme, "title": theme, "weight": rng.randint(5, 15), "groups": subgroups}
        )
    return {
        "rubric": "bench-synthetic",
        "version": "1.0.0",
        "title": f"Synthetic benchmark rubric ({criteria} criteria)",
        "scale": 100,
        "na_policy": "exclude",
        "grades": {"A": 80, "B": 60, "C": 40, "D": 20, "E": 0},
        "fields": {f.key: f.declaration() for f in universe.fields},
        "groups": group_data,
        "adjustments": [
            {
                "id": "open-violations",
                "title": "Open violation records",
                "points_each": -2,
                "count": {"violations": {"status": "open"}},
                "floor": -10,
            },
            {
                "id": "no-report-cap",
                "title": "No report published",
                "cap": 20,
                "when": {"missing": "report.published"},
            },
        ],
    }


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (i < total % parts) for i in range(parts)]


class _CriterionBuilder:
    """Criteria over one theme's keys, with the operator mix of the shipped rubrics."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def criterion(self, criterion_id: str, pool: Sequence[SyntheticField]) -> Json:
        rng = self.rng
        data: Json = {"id": criterion_id, "title": f"Criterion {criterion_id}"}
        numeric = [f for f in pool if f.kind == "number"]
        roll = rng.random()
        if roll < 0.1 and numeric:
            data["value"] = self.value(rng.choice(numeric))
        elif roll < 0.2 and numeric:
            data["bands"] = self.bands(rng.choice(numeric))
        else:
            data["levels"] = self.ladder(pool, rng.randint(3, 5))
            if rng.random() < 0.2:
                data["cumulative"] = True
        if rng.random() < 0.05:
            data["applies_when"] = {"in": {"company.sector": rng.sample(SECTORS, 2)}}
        return data

    def value(self, f: SyntheticField) -> Json:
        lower = self.rng.random() < 0.3
        return {
            "field": f.key,
            "min": f.low,
            "max": round(f.low + (f.high - f.low) * self.rng.uniform(0.5, 1.0), 2),
            "direction": "lower" if lower else "higher",
            "points": self.rng.choice([2, 3, 4]),
        }

    def bands(self, f: SyntheticField) -> Json:
        quantiles = sorted(self.rng.sample([0.2, 0.35, 0.5, 0.65, 0.8, 0.9], 3))
        lower = self.rng.random() < 0.3
        if lower:
            quantiles = [1 - q for q in quantiles]
        return {
            "field": f.key,
            "direction": "lower" if lower else "higher",
            "steps": [
                {"at": round(f.low + (f.high - f.low) * q, 2), "points": p}
                for p, q in enumerate(quantiles, start=1)
            ],
        }

    def ladder(self, pool: Sequence[SyntheticField], depth: int) -> list[Json]:
        """Stricter levels reuse the looser levels' fields, as real ladders do."""
        rng = self.rng
        a, b, c = rng.sample(list(pool), 3)
        backed = b if b.kind == "number" else a
        templates: list[Json] = [
            self.leaf(a, strict=False),
            rng.choice(
                [
                    {"all": [self.leaf(a, strict=False), self.leaf(b, strict=False)]},
                    {"any": [self.leaf(b, strict=True), self.leaf(c, strict=False)]},
                ]
            ),
            {"all": [self.leaf(b, strict=True), {"not": self.leaf(c, strict=True)}]},
            {"all": [self.leaf(b, strict=True), {"assured": backed.key}]},
            {
                "all": [
                    {"assured": backed.key},
                    {"has_evidence": a.key},
                    {"any": [self.leaf(c, strict=True), self.leaf(a, strict=True)]},
                ]
            },
        ]
        return [
            {"points": k, "label": f"Level {k}", "when": when}
            for k, when in enumerate(templates[:depth], start=1)
        ]

    def leaf(self, f: SyntheticField, *, strict: bool) -> Json:
        rng, key = self.rng, f.key
        if f.kind == "bool":
            return {"true": key} if strict or rng.random() < 0.7 else {"exists": key}
        if f.kind == "number":
            if not strict:
                return {"number": key} if rng.random() < 0.7 else {"exists": key}
            threshold = round(f.low + (f.high - f.low) * rng.uniform(0.2, 0.8), 2)
            if f.integer:
                return {"lte": {key: threshold}}
            if rng.random() < 0.15:
                return {"between": {key: [threshold / 2, threshold * 1.5]}}
            return {"gte": {key: threshold}}
        if f.kind == "enum":
            if not strict:
                return {"in": {key: list(f.values[1:])}} if rng.random() < 0.6 else {"exists": key}
            if rng.random() < 0.3:
                return {"eq": {key: f.values[-1]}}
            return {"in": {key: list(f.values[-2:])}}
        if f.kind == "text":
            if not strict:
                return {"exists": key}
            return {"matches": {key: rf"\b{rng.choice(WORDS)}\b"}}
        if not strict:
            return {"exists": key}
        if rng.random() < 0.5:
            return {"contains": {key: rng.choice(f.values)}}
        return {"matches": {key: "^tier[12]$"}}


def _special_criteria(rng: random.Random) -> list[Json]:
    """Record-level criteria: timeliness, frameworks, violations, disclosure statistics."""
    return [
        {
            "id": "reporting-timeliness",
            "title": "Published promptly",
            "levels": [
                {"points": 1, "label": "Within 180 days", "when": {"published_within_days": 180}},
                {"points": 2, "label": "Within 120 days", "when": {"published_within_days": 120}},
                {"points": 3, "label": "Within 90 days", "when": {"published_within_days": 90}},
            ],
        },
        {
            "id": "reporting-frameworks",
            "title": "Reporting frameworks",
            "levels": [
                {"points": 1, "label": "GRI", "when": {"contains": {"report.frameworks": "GRI"}}},
                {
                    "points": 2,
                    "label": "GRI and TCFD",
                    "when": {
                        "all": [
                            {"contains": {"report.frameworks": "GRI"}},
                            {"contains": {"report.frameworks": "TCFD"}},
                        ]
                    },
                },
            ],
        },
        {
            "id": "reporting-clean-record",
            "title": "No recent open violation records",
            "levels": [
                {
                    "points": 1,
                    "label": "None open",
                    "when": {"violations": {"status": "open", "within_years": 2, "eq": 0}},
                },
                {
                    "points": 2,
                    "label": "None at all",
                    "when": {"violations": {"within_years": 2, "eq": 0}},
                },
            ],
        },
        {
            "id": "reporting-assured-share",
            "title": "Share of disclosures assured",
            "value": {"field": "stats.assured_share", "min": 0, "max": 0.3, "points": 3},
        },
        {
            "id": "reporting-breadth",
            "title": "Number of disclosures",
            "bands": {
                "field": "stats.disclosures",
                "steps": [
                    {"at": 80, "points": 1},
                    {"at": 100, "points": 2},
                    {"at": 120, "points": rng.choice([3, 4])},
                ],
            },
        },
    ]


# ----------------------------------------------------------------------------- draws


@dataclass(frozen=True)
class FieldDraw:
    """One key for N companies. Absent values are NaN / -1 / all-False rows."""

    present: BoolArray
    assured: BoolArray
    evidence: BoolArray
    truth: BoolArray | None = None
    numbers: FloatArray | None = None
    codes: IntArray | None = None
    items: BoolArray | None = None  # N x tags


@dataclass(frozen=True)
class Sample:
    """N companies' worth of draws: disclosures, company and report facts, violations."""

    universe: Universe
    n: int
    fields: Mapping[str, FieldDraw]
    sector: IntArray
    country: IntArray
    year: IntArray
    published: FloatArray  # day ordinal; NaN without a report
    period_end: FloatArray
    frameworks: BoolArray  # N x len(FRAMEWORKS)
    violation_row: IntArray
    violation_status: IntArray  # index into STATUSES
    violation_category: IntArray  # index into CATEGORIES
    violation_response: BoolArray
    violation_date: IntArray  # day ordinal
    violation_year: IntArray

    @property
    def company_ids(self) -> list[str]:
        return [f"c{i:07d}" for i in range(self.n)]


def draw_sample(universe: Universe, n: int, seed: int = DEFAULT_SEED) -> Sample:
    """Vectorized draws for `n` companies; the same arguments give the same sample."""
    rng = np.random.default_rng([seed, n])
    drawn: dict[str, FieldDraw] = {}
    # Some companies disclose far more than others; the mean over companies stays 1.
    propensity = 2.0 * rng.beta(2.5, 2.5, n)
    for f in universe.fields:
        present = rng.random(n) < np.minimum(0.98, f.presence * propensity)
        assured = present & (rng.random(n) < f.assured_share)
        evidence = present & (rng.random(n) < f.evidence_share)
        if f.kind == "bool":
            truth = rng.random(n) < f.true_share
            drawn[f.key] = FieldDraw(present, assured, evidence, truth=truth)
        elif f.kind == "number":
            numbers = rng.uniform(f.low, f.high, n)
            numbers = np.round(numbers) if f.integer else np.round(numbers, 2)
            drawn[f.key] = FieldDraw(
                present, assured, evidence, numbers=np.where(present, numbers, np.nan)
            )
        elif f.kind in ("enum", "text"):
            codes = rng.choice(len(f.values), size=n, p=np.array(f.weights))
            drawn[f.key] = FieldDraw(
                present, assured, evidence, codes=np.where(present, codes, -1).astype(np.int64)
            )
        else:
            items = rng.random((n, len(f.values))) < f.item_share
            # A list disclosure holds at least one tag.
            present &= items.any(axis=1)
            items &= present[:, None]
            drawn[f.key] = FieldDraw(present, assured & present, evidence & present, items=items)
    year = FIRST_YEAR + rng.integers(0, YEARS, n)
    has_report = rng.random(n) < REPORT_SHARE
    period_end = np.array([dt.date(y, 12, 31).toordinal() for y in range(FIRST_YEAR, 2040)])[
        year - FIRST_YEAR
    ].astype(np.float64)
    published = period_end + rng.integers(30, 300, n)
    frameworks = (rng.random((n, len(FRAMEWORKS))) < 0.4) & has_report[:, None]
    counts = np.where(rng.random(n) < VIOLATION_SHARE, rng.integers(1, 4, n), 0)
    rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    first_day = np.array([dt.date(y, 1, 1).toordinal() for y in range(FIRST_YEAR - 2, 2040)])
    violation_year = year[rows] - rng.integers(0, 3, len(rows))
    return Sample(
        universe=universe,
        n=n,
        fields=drawn,
        sector=rng.integers(0, len(SECTORS), n),
        country=rng.integers(0, len(COUNTRIES), n),
        year=year,
        published=np.where(has_report, published, np.nan),
        period_end=np.where(has_report, period_end, np.nan),
        frameworks=frameworks,
        violation_row=rows,
        violation_status=rng.choice(len(STATUSES), size=len(rows), p=[0.4, 0.2, 0.2, 0.2]),
        violation_category=rng.integers(0, len(CATEGORIES), len(rows)),
        violation_response=rng.random(len(rows)) < 0.5,
        violation_date=first_day[violation_year - FIRST_YEAR + 2] + rng.integers(0, 365, len(rows)),
        violation_year=violation_year,
    )


# ----------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class EngineInput:
    """What `score_reports` builds from reports before its first condition."""

    plan: Plan
    columns: dict[str, Column]
    violations: ViolationTable
    publication_delay: FloatArray
    company_ids: list[str]
    # Where a company declares a criterion's field not applicable (`engine.declared`).
    declared: Mapping[int, BoolArray] | None = None
    # Ranked within these (the year, as `csrscore rank` does across editions), if given.
    groups: Sequence[object] | None = None

    @property
    def n(self) -> int:
        return len(self.company_ids)


def engine_input(sample: Sample, plan: Plan) -> EngineInput:
    """The engine's columns built straight from the draws, as `ingest` would build them.

    Vocabularies list values in a fixed order rather than first-seen order; codes differ,
    what every operator computes does not. Unused parts of a column share one read-only
    array, since the engine never writes to a column.
    """
    n = sample.n
    nothing = _frozen(np.zeros(n, dtype=bool))
    no_numbers = _frozen(np.full(n, np.nan))
    no_codes = _frozen(np.full(n, -1, dtype=np.int64))
    empty = np.zeros(0, dtype=np.int64)

    def column(
        present: BoolArray,
        *,
        assured: BoolArray = nothing,
        evidence: BoolArray = nothing,
        truth: BoolArray | None = None,
        numbers: FloatArray = no_numbers,
        codes: IntArray = no_codes,
        vocabulary: tuple[str, ...] = (),
        items: BoolArray | None = None,
    ) -> Column:
        list_rows, list_codes = (empty, empty) if items is None else np.nonzero(items)
        return Column(
            present=present,
            assured=assured,
            evidence=evidence,
            booleans=present if truth is not None else nothing,
            truth=(truth & present) if truth is not None else nothing,
            numbers=numbers,
            codes=codes,
            vocabulary=vocabulary,
            list_rows=list_rows.astype(np.int64),
            list_codes=list_codes.astype(np.int64),
        )

    stats = _stats(sample)
    has_report = ~np.isnan(sample.published)
    builtins: dict[str, Column] = {
        "company.sector": column(
            np.ones(n, dtype=bool), codes=sample.sector.astype(np.int64), vocabulary=SECTORS
        ),
        "company.country": column(
            np.ones(n, dtype=bool), codes=sample.country.astype(np.int64), vocabulary=COUNTRIES
        ),
        "year": column(np.ones(n, dtype=bool), numbers=sample.year.astype(np.float64)),
        "report.published": column(has_report, numbers=sample.published),
        "report.period_end": column(has_report, numbers=sample.period_end),
        "report.frameworks": column(
            np.asarray(sample.frameworks.any(axis=1), dtype=np.bool_),
            vocabulary=FRAMEWORKS,
            items=sample.frameworks,
        ),
        **{name: column(np.ones(n, dtype=bool), numbers=values) for name, values in stats.items()},
    }
    kinds = {f.key: f for f in sample.universe.fields}
    columns: dict[str, Column] = {}
    for name in plan.fields:
        if name in builtins:
            columns[name] = builtins[name]
            continue
        if name not in sample.fields:
            raise KeyError(f"the synthetic sample has no column for {name!r}")
        d, f = sample.fields[name], kinds[name]
        columns[name] = column(
            d.present,
            assured=d.assured,
            evidence=d.evidence,
            truth=d.truth,
            numbers=no_numbers if d.numbers is None else d.numbers,
            codes=no_codes if d.codes is None else d.codes,
            vocabulary=f.values,
            items=d.items,
        )
    return EngineInput(
        plan=plan,
        columns=columns,
        violations=violation_table(sample),
        publication_delay=sample.published - sample.period_end,
        company_ids=sample.company_ids,
    )


def _uniform(array: np.ndarray[Any, Any]) -> bool:
    if array.dtype.kind == "f" and np.isnan(array[0]):
        return bool(np.isnan(array).all())
    return bool((array == array[0]).all())


def _frozen(array: np.ndarray[Any, Any]) -> Any:
    array.setflags(write=False)
    return array


def _stats(sample: Sample) -> dict[str, FloatArray]:
    """`stats.*` as ingest derives them from each record's disclosures."""
    n = sample.n
    total = np.zeros(n)
    numbers = np.zeros(n)
    assured = np.zeros(n)
    evidence = np.zeros(n)
    for d in sample.fields.values():
        total += d.present
        assured += d.assured
        evidence += d.evidence
        if d.numbers is not None:
            numbers += d.present
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "stats.disclosures": total,
            "stats.quantitative_share": np.where(total > 0, numbers / total, 0.0),
            "stats.assured_share": np.where(total > 0, assured / total, 0.0),
            "stats.evidence_share": np.where(total > 0, evidence / total, 0.0),
        }


def violation_table(sample: Sample) -> ViolationTable:
    return ViolationTable(
        row=sample.violation_row,
        status=STATUSES,
        status_codes=sample.violation_status.astype(np.int64),
        category_codes=sample.violation_category.astype(np.int64),
        categories=CATEGORIES,
        public_response=sample.violation_response,
        date=sample.violation_date.astype(np.float64),
        year=sample.violation_year.astype(np.float64),
        report_year=sample.year[sample.violation_row].astype(np.float64),
        n_reports=sample.n,
    )


# ----------------------------------------------------------------------------- realistic


def realistic_input(plan: Plan, records: Sequence[Json]) -> EngineInput:
    """The engine's input for `records` (shipped-example records, see
    benchmarks/realistic.py), ingested as `score_reports` ingests them; ranked by year.

    Larger sets are this one `tiled`: a million pydantic reports would cost far more than
    the engine, and tiling the columns gives the engine exactly the input of the records
    copied under new ids, which is what `realistic.replicated` is. `test_realistic_tiles_
    score_like_the_records` in bench_engine.py checks this against `score()` on the copies.
    """
    from csrscore.engine.declared import declared_not_applicable
    from csrscore.engine.derived import derived_columns, number_column
    from csrscore.engine.ingest import build_violations, columns_for, publication_delay
    from csrscore.records.load import load_reports

    loaded = load_reports(list(records), catalog=plan.rubric.catalog)
    reports = loaded.reports
    ids = tuple(r.company.id for r in reports)
    years = np.array([r.year for r in reports], dtype=np.int64)
    columns = columns_for(reports, plan.fields, set(plan.provenance))
    derived = derived_columns(plan.derived, columns, ids, years)
    columns.update({name: number_column(column.values) for name, column in derived.items()})
    return EngineInput(
        plan=plan,
        columns=columns,
        violations=build_violations(reports),
        publication_delay=publication_delay(reports),
        company_ids=list(ids),
        declared=declared_not_applicable(plan, reports),
        groups=years.tolist(),
    )


def tiled(data: EngineInput, n: int) -> EngineInput:
    """`data`'s rows repeated until there are `n` (the last copy cut short), ids made
    unique per copy. Arrays that hold one value throughout stay one shared read-only
    array, as in `engine_input`."""
    base = data.n
    copies, rest = divmod(n, base)
    rows = np.arange(n) % base

    def take(array: np.ndarray[Any, Any]) -> Any:
        if len(array) and _uniform(array):
            return _frozen(np.full(n, array[0], dtype=array.dtype))
        return array[rows]

    def items(item_rows: IntArray) -> tuple[IntArray, IntArray]:
        """Flat per-row items (list values, violation records) copied with their rows:
        their new rows, and the index of each in the old arrays."""
        offsets = (np.arange(copies, dtype=np.int64) * base)[:, None]
        kept = np.flatnonzero(item_rows < rest)
        new_rows = np.concatenate(
            [(item_rows[None, :] + offsets).ravel(), item_rows[kept] + copies * base]
        )
        index = np.concatenate([np.tile(np.arange(len(item_rows)), copies), kept])
        return new_rows, index

    def column(c: Column) -> Column:
        list_rows, index = items(c.list_rows)
        return Column(
            present=take(c.present),
            assured=take(c.assured),
            evidence=take(c.evidence),
            booleans=take(c.booleans),
            truth=take(c.truth),
            numbers=take(c.numbers),
            codes=take(c.codes),
            vocabulary=c.vocabulary,
            list_rows=list_rows,
            list_codes=c.list_codes[index],
        )

    v = data.violations
    violation_rows, index = items(v.row)
    violations = ViolationTable(
        row=violation_rows,
        status=v.status,
        status_codes=v.status_codes[index],
        category_codes=v.category_codes[index],
        categories=v.categories,
        public_response=v.public_response[index],
        date=v.date[index],
        year=v.year[index],
        report_year=v.report_year[index],
        n_reports=n,
    )
    copy_number = np.arange(n) // base
    return EngineInput(
        plan=data.plan,
        columns={name: column(c) for name, c in data.columns.items()},
        violations=violations,
        publication_delay=data.publication_delay[rows],
        company_ids=[f"{data.company_ids[r]}:{k}" for r, k in zip(rows, copy_number, strict=True)],
        declared={c: mask[rows] for c, mask in (data.declared or {}).items()},
        groups=None if data.groups is None else [data.groups[r] for r in rows.tolist()],
    )


# ----------------------------------------------------------------------------- records


def records(sample: Sample, start: int = 0, stop: int | None = None) -> list[Json]:
    """Report records (plain dicts, as parsed from JSON) for companies `start:stop`."""
    stop = sample.n if stop is None else stop
    size = stop - start
    disclosures: list[Json] = [{} for _ in range(size)]
    for f in sample.universe.fields:
        d = sample.fields[f.key]
        rows = np.flatnonzero(d.present[start:stop])
        at = rows + start
        values: list[Any]
        if d.truth is not None:
            values = d.truth[at].tolist()
        elif d.numbers is not None:
            values = d.numbers[at].tolist()
        elif d.codes is not None:
            values = [f.values[c] for c in d.codes[at].tolist()]
        else:
            assert d.items is not None
            tags = np.array(f.values)
            values = [tags[mask].tolist() for mask in d.items[at]]
        assured = d.assured[at].tolist()
        evidence = d.evidence[at].tolist()
        for row, value, is_assured, has_page in zip(
            rows.tolist(), values, assured, evidence, strict=True
        ):
            if is_assured or has_page:
                long_form: Json = {"value": value}
                if f.unit is not None:
                    long_form["unit"] = f.unit
                if has_page:
                    long_form["evidence"] = {"page": (row * 7 + len(f.key)) % 250 + 1}
                if is_assured:
                    long_form["assured"] = True
                disclosures[row][f.key] = long_form
            else:
                disclosures[row][f.key] = value
    by_row: dict[int, list[Json]] = {}
    for k, row in enumerate(sample.violation_row.tolist()):
        if start <= row < stop:
            by_row.setdefault(row, []).append(
                {
                    "id": f"v{row:07d}-{k}",
                    "date": dt.date.fromordinal(int(sample.violation_date[k])).isoformat(),
                    "category": CATEGORIES[sample.violation_category[k]],
                    "status": STATUSES[sample.violation_status[k]],
                    "public_response": bool(sample.violation_response[k]),
                }
            )
    out: list[Json] = []
    for i in range(start, stop):
        year = int(sample.year[i])
        record: Json = {
            "company": {
                "id": f"c{i:07d}",
                "name": f"Company {i} (synthetic)",
                "sector": SECTORS[sample.sector[i]],
                "country": COUNTRIES[sample.country[i]],
            },
            "year": year,
        }
        if not np.isnan(sample.published[i]):
            record["report"] = {
                "title": f"Sustainability Report {year}",
                "url": f"https://example.com/reports/c{i:07d}-{year}.pdf",
                "published": dt.date.fromordinal(int(sample.published[i])).isoformat(),
                "period_end": dt.date.fromordinal(int(sample.period_end[i])).isoformat(),
                "frameworks": [
                    name for name, on in zip(FRAMEWORKS, sample.frameworks[i], strict=True) if on
                ],
            }
        record["disclosures"] = disclosures[i - start]
        if i in by_row:
            record["violations"] = by_row[i]
        out.append(record)
    return out


def iter_records(sample: Sample, chunk: int = 10_000) -> Iterator[list[Json]]:
    for start in range(0, sample.n, chunk):
        yield records(sample, start, min(sample.n, start + chunk))


def write_reports_json(path: str | os.PathLike[str], sample: Sample, chunk: int = 10_000) -> int:
    """Write the sample as one JSON array, a chunk of records at a time; return its bytes."""
    with Path(path).open("wb") as handle:
        handle.write(b"[")
        for k, batch in enumerate(iter_records(sample, chunk)):
            text = json.dumps(batch, separators=(",", ":"))[1:-1].encode()
            handle.write((b"," if k else b"") + text)
        handle.write(b"]")
    return Path(path).stat().st_size
