"""csrscore: score, rank and explain corporate social responsibility disclosures.

The pipeline: records (load_reports) -> rubric (load_rubric) -> compile -> engine (score)
-> rank (Scores.rank).
"""

from csrscore.compare import Comparison, compare
from csrscore.engine import Scores, score
from csrscore.errors import (
    CsrscoreError,
    InputError,
    Location,
    ReportError,
    RubricError,
    UnknownCompanyError,
)
from csrscore.indexaudit import Audit, audit
from csrscore.records import (
    Disclosure,
    Rejection,
    Report,
    ReportSet,
    load_reports,
    report_schema,
)
from csrscore.rubric import (
    Catalog,
    Finding,
    Rubric,
    check_rubric,
    list_rubrics,
    load_catalog,
    load_rubric,
    rubric_schema,
)
from csrscore.sensitivity import Dirichlet, Sensitivity, SensitivityIndices, Uniform, sensitivity

__version__ = "0.1.0"

__all__ = [
    "Audit",
    "Catalog",
    "Comparison",
    "CsrscoreError",
    "Dirichlet",
    "Disclosure",
    "Finding",
    "InputError",
    "Location",
    "Rejection",
    "Report",
    "ReportError",
    "ReportSet",
    "Rubric",
    "RubricError",
    "Scores",
    "Sensitivity",
    "SensitivityIndices",
    "Uniform",
    "UnknownCompanyError",
    "__version__",
    "audit",
    "check_rubric",
    "compare",
    "list_rubrics",
    "load_catalog",
    "load_reports",
    "load_rubric",
    "report_schema",
    "rubric_schema",
    "score",
    "sensitivity",
]
