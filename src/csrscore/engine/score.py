"""The scoring pipeline: reports + rubric -> `Scores`."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from csrscore.compile.plan import Plan, compile_rubric
from csrscore.engine.adjust import apply_adjustments
from csrscore.engine.aggregate import aggregate
from csrscore.engine.conform import conform
from csrscore.engine.declared import declared_not_applicable
from csrscore.engine.derived import derived_columns, number_column
from csrscore.engine.evaluate import ConditionEvaluator
from csrscore.engine.ingest import build_violations, columns_for, publication_delay
from csrscore.engine.levels import evaluate_levels
from csrscore.engine.sanity import sector_warnings, share_scale_warnings
from csrscore.engine.scores import Scores
from csrscore.gcpause import paused_gc
from csrscore.records.load import ReportSet, ReportSource, load_reports
from csrscore.records.model import Report
from csrscore.rubric.load import load_rubric
from csrscore.rubric.model import Rubric


def score(
    reports: ReportSource,
    rubric: Rubric | str | os.PathLike[str] = "iso26000",
    *,
    strict: bool = False,
) -> Scores:
    """Score every report against a rubric in one vectorized pass.

    `reports` is a `ReportSet` or anything `load_reports` accepts; `rubric` a `Rubric`, a
    shipped rubric name or a path. Records that contradict the rubric's catalog are
    rejected (listed in `Scores.rejected`) unless `strict`, which raises instead.
    """
    loaded_rubric = load_rubric(rubric)
    loaded = load_reports(reports, strict=strict)
    with paused_gc():
        conformed, warnings = conform(loaded, loaded_rubric.catalog)
        if strict and len(conformed.rejected) > len(loaded.rejected):
            load_reports(conformed, strict=True)
        return score_reports(compile_rubric(loaded_rubric), conformed.reports, conformed, warnings)


def score_reports(
    plan: Plan,
    reports: Sequence[Report],
    loaded: ReportSet | None = None,
    warnings: tuple = (),  # type: ignore[type-arg]
) -> Scores:
    """Score already-validated reports with a compiled plan."""
    n = len(reports)
    columns = columns_for(reports, plan.fields, set(plan.provenance))
    company_ids = tuple(r.company.id for r in reports)
    years = np.array([r.year for r in reports], dtype=np.int64)
    derived = derived_columns(plan.derived, columns, company_ids, years)
    columns.update({name: number_column(column.values) for name, column in derived.items()})
    violations = build_violations(reports)
    evaluate = ConditionEvaluator(columns, violations, publication_delay(reports), n)
    declared = declared_not_applicable(plan, reports)
    evaluation = evaluate_levels(plan, evaluate, columns, n, declared)
    aggregated = aggregate(plan, evaluation.points, None, evaluation.group_applicable)
    sectors = tuple(r.company.sector for r in reports)
    # Sanity warnings first: they are few, and output lists only the first warnings.
    warnings = (
        *share_scale_warnings(plan.rubric, columns),
        *sector_warnings(plan.rubric, sectors),
        *warnings,
    )
    adjusted = apply_adjustments(plan.rubric, aggregated.base, evaluate, violations.count)
    rubric = plan.rubric
    return Scores(
        rubric=rubric,
        plan=plan,
        reports=tuple(reports),
        company_ids=company_ids,
        names=tuple(r.company.name for r in reports),
        sectors=sectors,
        countries=tuple(r.company.country for r in reports),
        years=years,
        criterion_ids=plan.criterion_ids,
        levels=evaluation.levels,
        point_table=evaluation.points,
        group_ids=plan.group_ids,
        group_scores=aggregated.group_scores,
        group_applicable=evaluation.group_applicable,
        base=aggregated.base,
        adjustment_ids=tuple(a.id for a in rubric.adjustments),
        adjustments=adjusted.effects,
        violation_counts=adjusted.counts,
        clamp=adjusted.clamp,
        totals=adjusted.totals,
        grades=tuple(rubric.grade_for(float(t)) for t in adjusted.totals),
        rejected=loaded.rejected if loaded is not None else (),
        warnings=warnings,
        positions=loaded.positions if loaded is not None else (),
        condition_results=evaluate.results,
        violation_table=violations,
        varying_group_weights=aggregated.group_weights,
        derived=derived,
        peers=evaluation.peers,
    )
