"""csrscore: score, rank and explain corporate social responsibility disclosures.

The pipeline: records (load_reports) -> rubric (load_rubric) -> compile -> engine (score)
-> rank (Scores.rank). `score_chunks` scores a chunk at a time with bounded memory, and
`csrscore.dask.score_dask` a partition per Dask task; both give `score`'s numbers.

Every name below is imported when it is first used (PEP 562), so that `import csrscore`
and a command that needs only part of the package (`csrscore --help`, `rubric check`)
do not pay for numpy, pydantic or the analyses they never touch. `from csrscore import X`
works for every name in `__all__`, and every submodule is an attribute as before.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from csrscore import readers
from csrscore.errors import (
    CsrscoreError,
    InputError,
    Location,
    ReportError,
    RubricError,
    UnknownCompanyError,
)

if TYPE_CHECKING:
    from csrscore.chunked import ScoreTable, score_chunks
    from csrscore.compare import Comparison
    from csrscore.compare import compare as compare_years
    from csrscore.engine import Scores
    from csrscore.engine.score import score
    from csrscore.indexaudit import Audit
    from csrscore.indexaudit.audit import audit
    from csrscore.io import read_table
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

# The table readers let `load_reports` read CSV, XLSX and Parquet; imported on the first load.
readers.provide("csrscore.io")

# Public name -> (module, attribute in it).
_LAZY: dict[str, tuple[str, str]] = {
    "ScoreTable": ("csrscore.chunked", "ScoreTable"),
    "score_chunks": ("csrscore.chunked", "score_chunks"),
    "Comparison": ("csrscore.compare", "Comparison"),
    "compare_years": ("csrscore.compare", "compare"),
    "Scores": ("csrscore.engine", "Scores"),
    "score": ("csrscore.engine", "score"),
    "Audit": ("csrscore.indexaudit", "Audit"),
    "audit": ("csrscore.indexaudit", "audit"),
    "read_table": ("csrscore.io", "read_table"),
    "Disclosure": ("csrscore.records", "Disclosure"),
    "Rejection": ("csrscore.records", "Rejection"),
    "Report": ("csrscore.records", "Report"),
    "ReportSet": ("csrscore.records", "ReportSet"),
    "load_reports": ("csrscore.records", "load_reports"),
    "report_schema": ("csrscore.records", "report_schema"),
    "Catalog": ("csrscore.rubric", "Catalog"),
    "Finding": ("csrscore.rubric", "Finding"),
    "Rubric": ("csrscore.rubric", "Rubric"),
    "check_rubric": ("csrscore.rubric", "check_rubric"),
    "list_rubrics": ("csrscore.rubric", "list_rubrics"),
    "load_catalog": ("csrscore.rubric", "load_catalog"),
    "load_rubric": ("csrscore.rubric", "load_rubric"),
    "rubric_schema": ("csrscore.rubric", "rubric_schema"),
    "Editions": ("csrscore.rubric.editions", "Editions"),
    "load_editions": ("csrscore.rubric.editions", "load_editions"),
    "Dirichlet": ("csrscore.sensitivity", "Dirichlet"),
    "Sensitivity": ("csrscore.sensitivity", "Sensitivity"),
    "SensitivityIndices": ("csrscore.sensitivity", "SensitivityIndices"),
    "Uniform": ("csrscore.sensitivity", "Uniform"),
    "sensitivity_analysis": ("csrscore.sensitivity", "sensitivity"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value  # later look-ups find it without this function
        return value
    # A submodule not imported yet (`csrscore.sensitivity`, `csrscore.engine`), as the
    # package imported them all before.
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
