"""csrscore: score, rank and explain corporate social responsibility disclosures.

The pipeline: records (load_reports) -> rubric (load_rubric) -> compile -> engine (score)
-> rank (Scores.rank). `score_chunks` scores a chunk at a time with bounded memory, and
`csrscore.dask.score_dask` a partition per Dask task; both give `score`'s numbers.
"""

from csrscore.chunked import ScoreTable, score_chunks
from csrscore.compare import Comparison
from csrscore.compare import compare as compare_years
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
from csrscore.io import read_table  # also lets load_reports read tables
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
from csrscore.rubric.editions import Editions, load_editions
from csrscore.sensitivity import Dirichlet, Sensitivity, SensitivityIndices, Uniform
from csrscore.sensitivity import sensitivity as sensitivity_analysis

__version__ = "0.1.0"

__all__ = [
    "Audit",
    "Catalog",
    "Comparison",
    "CsrscoreError",
    "Dirichlet",
    "Disclosure",
    "Editions",
    "Finding",
    "InputError",
    "Location",
    "Rejection",
    "Report",
    "ReportError",
    "ReportSet",
    "Rubric",
    "RubricError",
    "ScoreTable",
    "Scores",
    "Sensitivity",
    "SensitivityIndices",
    "Uniform",
    "UnknownCompanyError",
    "__version__",
    "audit",
    "check_rubric",
    "compare_years",
    "list_rubrics",
    "load_catalog",
    "load_editions",
    "load_reports",
    "load_rubric",
    "read_table",
    "report_schema",
    "rubric_schema",
    "score",
    "score_chunks",
    "sensitivity_analysis",
]
