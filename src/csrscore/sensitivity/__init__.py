"""Uncertainty and sensitivity analysis of ranks.

The level matrix of a `Scores` is computed once; each Monte-Carlo sample re-weights it
(`batch`), the samples come from `design`, `run` evaluates them, and `indices` turns a
Saltelli design into first-order and total-effect indices. See docs/sensitivity.md.
"""

from csrscore.deprecation import make_module_callable
from csrscore.sensitivity.analysis import Sensitivity, sensitivity
from csrscore.sensitivity.design import Dirichlet, Factor, Perturbation, Uniform
from csrscore.sensitivity.indices import SensitivityIndices
from csrscore.sensitivity.run import RANK_INTERVAL, SCORE_QUANTILES

__all__ = [
    "RANK_INTERVAL",
    "SCORE_QUANTILES",
    "Dirichlet",
    "Factor",
    "Perturbation",
    "Sensitivity",
    "SensitivityIndices",
    "Uniform",
    "sensitivity",
]

# `csrscore.sensitivity` is this module; calling it is the old spelling of
# `csrscore.sensitivity_analysis(...)`, kept for one release.
make_module_callable(__name__, sensitivity, "csrscore.sensitivity_analysis")
