"""csrscore: score, rank and explain corporate social responsibility disclosures."""

from csrscore.errors import (
    CsrscoreError,
    InputError,
    Location,
    ReportError,
    RubricError,
    UnknownCompanyError,
)
from csrscore.records import (
    Disclosure,
    Rejection,
    Report,
    ReportSet,
    load_reports,
    report_schema,
)

__version__ = "0.1.0"

__all__ = [
    "CsrscoreError",
    "Disclosure",
    "InputError",
    "Location",
    "Rejection",
    "Report",
    "ReportError",
    "ReportSet",
    "RubricError",
    "UnknownCompanyError",
    "__version__",
    "load_reports",
    "report_schema",
]
