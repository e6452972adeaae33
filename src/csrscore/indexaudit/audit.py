"""`audit`: the statistical audit of an index, read from a `Scores`.

What the JRC's ten-step guide for composite indicators (OECD/JRC 2008) and its COINr
package report: coverage and data quality, distributions and outliers, correlations,
Cronbach's alpha and principal components per group, and the effective weights. See
docs/audit.md for how to read each table.
"""

from __future__ import annotations

import numpy as np

from csrscore.engine.columns import BoolArray
from csrscore.engine.scores import Scores
from csrscore.errors import UsageError
from csrscore.indexaudit.frame import TOTAL, Frame
from csrscore.indexaudit.numeric import (
    Correlation,
    Figure,
    NotComputable,
    correlate_all,
    correlate_each,
    moments,
    reliability,
)
from csrscore.indexaudit.result import (
    DEFAULT_REDUNDANCY,
    KURTOSIS_LIMIT,
    NEGATIVE_WITH_PARENT,
    NEVER_APPLIES,
    NOT_DISCRIMINATING,
    OUTLIERS,
    REDUNDANT,
    SKEW_LIMIT,
    WEAK_CORRELATION,
    WEAK_WITH_PARENT,
    Audit,
    CorrelationPair,
    Coverage,
    Distribution,
    GroupReliability,
    NodeKind,
    Relation,
)
from csrscore.indexaudit.weights import effective_weights

# A fraction this close to 1 is the maximum (points / max_points can round below 1).
AT_MAX = 1.0 - 1e-9


def audit(
    scores: Scores,
    *,
    year: int | None = None,
    redundancy: float = DEFAULT_REDUNDANCY,
    criteria_weights: bool = False,
) -> Audit:
    """Audit the statistics of a scoring run.

    `year` restricts every table to one reporting year (distributions are per year in any
    case). `redundancy` is the Pearson correlation above which two parts of a group are
    flagged as redundant. `criteria_weights` adds every criterion's effective weight.
    """
    if not 0.0 < redundancy <= 1.0:
        raise UsageError(f"the redundancy threshold must be in (0, 1], got {redundancy}")
    years = sorted({int(y) for y in scores.years.tolist()})
    if year is not None and year not in years:
        listed = ", ".join(map(str, years)) or "none"
        raise UsageError(f"no scored report of {year}; the years scored: {listed}")
    rows: BoolArray = (
        np.ones(len(scores), dtype=bool) if year is None else np.equal(scores.years, year)
    )
    frame = Frame(scores, rows)
    weights, suggestion = effective_weights(frame, criteria_weights)
    return Audit(
        rubric=scores.rubric.name,
        companies=frame.companies,
        years=tuple(years) if year is None else (year,),
        year=year,
        redundancy_threshold=redundancy,
        coverage=_coverage(frame),
        distributions=_distributions(frame),
        correlations=_correlations(frame, redundancy),
        reliability=_reliability(frame),
        effective_weights=weights,
        suggestion=suggestion,
    )


# --- coverage -----------------------------------------------------------------------------


def _share(count: int, of: int) -> Figure:
    return count / of if of else NotComputable("no company to count")


def _coverage(frame: Frame) -> tuple[Coverage, ...]:
    values = frame.values
    applicable = ~np.isnan(values)
    n_applicable = applicable.sum(axis=1)
    zero = (values == 0).sum(axis=1)
    full = (values >= AT_MAX).sum(axis=1)
    disclosed, assured, evidenced = (
        (matrix & applicable).sum(axis=1) for matrix in frame.provenance
    )
    out = []
    for node in frame.nodes:
        r = node.row
        count = int(n_applicable[r])
        flags: list[str] = []
        note = ""
        if count == 0:
            flags.append(NEVER_APPLIES)
            note = "applies to no company"
        else:
            present = values[r][applicable[r]]
            low, high = float(present.min()), float(present.max())
            if high == 0.0:
                note = "no company scores above 0"
            elif low >= AT_MAX:
                note = "every company scores the maximum"
            elif low == high:
                note = f"every company scores the same ({low:.0%} of the maximum)"
            if note:
                flags.append(NOT_DISCRIMINATING)
        out.append(
            Coverage(
                kind="criterion" if node.kind == "criterion" else "group",
                id=node.id,
                parent=node.parent,
                companies=frame.companies,
                applicable=count,
                na_share=_share(frame.companies - count, frame.companies),
                zero_share=_share(int(zero[r]), count),
                max_share=_share(int(full[r]), count),
                disclosed_share=_share(int(disclosed[r]), count),
                assured_share=_share(int(assured[r]), count),
                evidenced_share=_share(int(evidenced[r]), count),
                flags=tuple(flags),
                note=note,
            )
        )
    return tuple(out)


# --- distributions ------------------------------------------------------------------------


def _distributions(frame: Frame) -> tuple[Distribution, ...]:
    out = []
    kinds: list[NodeKind] = [
        "criterion" if node.kind == "criterion" else "group" for node in frame.nodes
    ]
    kinds.append("total")
    ids = [node.id for node in frame.nodes] + [TOTAL]
    for year in sorted({int(y) for y in frame.years.tolist()}):
        in_year = frame.years == year
        scale = frame.scores.rubric.scale
        values = np.vstack([frame.values[:, in_year], frame.totals[in_year][None, :] / scale])
        found = moments(values)
        for i, (kind, node_id) in enumerate(zip(kinds, ids, strict=True)):
            skew, kurt = found.skewness[i], found.kurtosis[i]
            outlier = (
                not isinstance(skew, NotComputable)
                and not isinstance(kurt, NotComputable)
                and abs(skew) > SKEW_LIMIT
                and kurt > KURTOSIS_LIMIT
            )
            out.append(
                Distribution(
                    year=year,
                    kind=kind,
                    id=node_id,
                    n=int(found.n[i]),
                    mean=found.mean[i],
                    sd=found.sd[i],
                    skewness=skew,
                    kurtosis=kurt,
                    flags=(OUTLIERS,) if outlier else (),
                )
            )
    return tuple(out)


# --- correlations -------------------------------------------------------------------------


def _correlations(frame: Frame, redundancy: float) -> tuple[CorrelationPair, ...]:
    rubric = frame.scores.rubric
    out: list[CorrelationPair] = []
    ranked = frame.ranked
    for group in rubric.groups:
        is_root = group is rubric.root
        label = TOTAL if is_root else group.id
        children = [child.id for child in group.children]
        pairs = correlate_all([ranked[c] for c in children])
        for (i, j), found in pairs.items():
            flags: tuple[str, ...] = ()
            if not isinstance(found.pearson, NotComputable) and found.pearson > redundancy:
                flags = (REDUNDANT,)
            out.append(_pair("within", label, children[i], children[j], found, flags))
        variables = [ranked[c] for c in children]
        with_parent = correlate_each(variables, ranked[label])
        with_total = with_parent if is_root else correlate_each(variables, ranked[TOTAL])
        for child, found, total in zip(children, with_parent, with_total, strict=True):
            out.append(_pair("with-parent", label, child, label, found, _parent_flags(found)))
            if not is_root:
                out.append(_pair("with-total", label, child, TOTAL, total, ()))
    return tuple(out)


def _parent_flags(found: Correlation) -> tuple[str, ...]:
    pearson = found.pearson
    if isinstance(pearson, NotComputable):
        return ()
    if pearson < 0:
        return (NEGATIVE_WITH_PARENT,)
    if pearson < WEAK_CORRELATION:
        return (WEAK_WITH_PARENT,)
    return ()


def _pair(
    relation: Relation,
    group: str,
    first: str,
    second: str,
    found: Correlation,
    flags: tuple[str, ...],
) -> CorrelationPair:
    return CorrelationPair(
        relation, group, first, second, found.n, found.pearson, found.spearman, flags
    )


# --- reliability --------------------------------------------------------------------------


def _reliability(frame: Frame) -> tuple[GroupReliability, ...]:
    rubric = frame.scores.rubric
    out = []
    for group in rubric.groups:
        # The root's items are the top-level groups: how well they hold together as one.
        items = frame.children(group)
        found = reliability(frame.values[[item.row for item in items]])
        out.append(
            GroupReliability(
                group=TOTAL if group is rubric.root else group.id,
                items=tuple(item.id for item in items),
                n=found.n,
                alpha=found.alpha,
                alpha_if_dropped=tuple(found.alpha_if_dropped),
                first_component_share=found.first_component_share,
                loadings=tuple(found.loadings),
            )
        )
    return tuple(out)
