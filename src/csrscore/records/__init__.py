"""Company-report records: the model, its loaders and its JSON Schema."""

from csrscore.records.load import Rejection, ReportSet, ReportSource, load_reports
from csrscore.records.model import (
    Assurance,
    Company,
    Disclosure,
    Evidence,
    Report,
    ReportMeta,
    Violation,
)
from csrscore.records.schema import report_schema

__all__ = [
    "Assurance",
    "Company",
    "Disclosure",
    "Evidence",
    "Rejection",
    "Report",
    "ReportMeta",
    "ReportSet",
    "ReportSource",
    "Violation",
    "load_reports",
    "report_schema",
]
