"""The typed, immutable result of `audit`, and its JSON-ready form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from csrscore.indexaudit.numeric import Figure, NotComputable

NodeKind: TypeAlias = Literal["criterion", "group", "total"]
Relation: TypeAlias = Literal["within", "with-parent", "with-total"]

# Flag names, the same in every output.
NOT_DISCRIMINATING = "not-discriminating"
NEVER_APPLIES = "never-applies"
OUTLIERS = "outliers"
REDUNDANT = "redundant"
NEGATIVE_WITH_PARENT = "negative-with-parent"
WEAK_WITH_PARENT = "weak-with-parent"

# COINr's defaults (get_stats, check_SkewKurt): |skewness| > 2 and kurtosis > 3.5.
SKEW_LIMIT = 2.0
KURTOSIS_LIMIT = 3.5
# Correlation with the own group below this is "weak" (the JRC's audits use 0.3).
WEAK_CORRELATION = 0.3
DEFAULT_REDUNDANCY = 0.9


@dataclass(frozen=True)
class Coverage:
    """How many companies a criterion or group reaches, and how well it separates them.

    Shares other than `na_share` are of the companies the node applies to; "disclosed"
    means at least one of the disclosure fields the node's conditions read is present,
    "assured" and "evidenced" that at least one such disclosure is assured / gives a page,
    URL or quote.
    """

    kind: NodeKind
    id: str
    parent: str | None
    companies: int
    applicable: int
    na_share: Figure
    zero_share: Figure
    max_share: Figure
    disclosed_share: Figure
    assured_share: Figure
    evidenced_share: Figure
    flags: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Distribution:
    """Moments of a criterion's fraction, a group's score (0..1) or the total, in one year."""

    year: int
    kind: NodeKind
    id: str
    n: int
    mean: Figure
    sd: Figure
    skewness: Figure
    kurtosis: Figure
    flags: tuple[str, ...]


@dataclass(frozen=True)
class CorrelationPair:
    """Two nodes' correlations on the companies both apply to (`n`).

    `within`: two children of `group`; `with-parent`: a node and its group (the total for
    a top-level group); `with-total`: a node and the total.
    """

    relation: Relation
    group: str
    first: str
    second: str
    n: int
    pearson: Figure
    spearman: Figure
    flags: tuple[str, ...]


@dataclass(frozen=True)
class GroupReliability:
    """Cronbach's alpha and the first principal component of a group's children (its
    items), on the `n` companies every item applies to."""

    group: str
    items: tuple[str, ...]
    n: int
    alpha: Figure
    alpha_if_dropped: tuple[Figure, ...]
    first_component_share: Figure
    loadings: tuple[Figure, ...]


@dataclass(frozen=True)
class EffectiveWeight:
    """How much a node really drives the total, next to the weight it was given.

    `first_order` is the correlation ratio eta^2 = Var(E[total | node]) / Var(total)
    (Paruolo, Saisana and Saltelli 2013). `effective_share` is eta over the sum of eta
    over the same kind of node: for a linear index of independent, equally variable parts
    it equals the nominal share. `ratio` = effective / nominal.
    """

    kind: NodeKind
    id: str
    n: int
    nominal_share: float
    first_order: Figure
    effective_share: Figure
    ratio: Figure
    suggested_share: Figure | None = None


@dataclass(frozen=True)
class WeightSuggestion:
    """Top-level weights (as shares) under which each group's effective share would equal
    its target share (by default its nominal share), found by fixed-point iteration."""

    weights: tuple[tuple[str, Figure], ...]
    achieved: tuple[tuple[str, Figure], ...]
    target: tuple[tuple[str, float], ...]
    iterations: int
    converged: bool
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": {group: figure_json(value) for group, value in self.weights},
            "achieved": {group: figure_json(value) for group, value in self.achieved},
            "target": dict(self.target),
            "iterations": self.iterations,
            "converged": self.converged,
            "note": self.note,
        }


@dataclass(frozen=True)
class Flag:
    kind: str
    subject: str
    detail: str


@dataclass(frozen=True)
class Audit:
    """The statistical audit of one scoring run (`csrscore.audit`)."""

    rubric: str
    companies: int
    years: tuple[int, ...]
    year: int | None
    redundancy_threshold: float
    coverage: tuple[Coverage, ...]
    distributions: tuple[Distribution, ...]
    correlations: tuple[CorrelationPair, ...]
    reliability: tuple[GroupReliability, ...]
    effective_weights: tuple[EffectiveWeight, ...]
    suggestion: WeightSuggestion

    @property
    def flags(self) -> tuple[Flag, ...]:
        """Every flag raised, in table order."""
        found: list[Flag] = []
        for row in self.coverage:
            found += [Flag(flag, row.id, row.note) for flag in row.flags]
        for dist in self.distributions:
            found += [
                Flag(
                    flag,
                    dist.id,
                    f"{dist.year}: skewness {_short(dist.skewness)}, "
                    f"kurtosis {_short(dist.kurtosis)}",
                )
                for flag in dist.flags
            ]
        for pair in self.correlations:
            found += [
                Flag(flag, pair.first, f"with {pair.second}: Pearson {_short(pair.pearson)}")
                for flag in pair.flags
            ]
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        """The whole audit, JSON-ready; a figure that cannot be computed is
        {"not_computable": reason}."""
        return {
            "rubric": self.rubric,
            "companies": self.companies,
            "years": list(self.years),
            "year": self.year,
            "redundancy_threshold": self.redundancy_threshold,
            "coverage": [_plain(row) for row in self.coverage],
            "distributions": [_plain(row) for row in self.distributions],
            "correlations": [_plain(row) for row in self.correlations],
            "reliability": [_plain(row) for row in self.reliability],
            "effective_weights": [_plain(row) for row in self.effective_weights],
            "suggested_weights": self.suggestion.to_dict(),
            "flags": [_plain(flag) for flag in self.flags],
        }


def figure_json(value: Figure | None) -> Any:
    if isinstance(value, NotComputable):
        return {"not_computable": value.reason}
    return value


def _plain(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in vars(row).items():
        if isinstance(value, tuple):
            out[name] = [figure_json(v) for v in value]
        else:
            out[name] = figure_json(value)
    return out


def _short(value: Figure) -> str:
    return "n/c" if isinstance(value, NotComputable) else f"{value:.2f}"
