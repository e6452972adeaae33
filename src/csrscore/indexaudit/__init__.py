"""The statistical audit of an index: coverage, distributions, correlations, reliability
and effective weights, read from a `Scores` (never from the records' files).

`audit(scores)` returns an `Audit`; `csrscore audit` prints it. See docs/audit.md.
"""

from csrscore.indexaudit.audit import audit
from csrscore.indexaudit.numeric import NotComputable
from csrscore.indexaudit.result import (
    Audit,
    CorrelationPair,
    Coverage,
    Distribution,
    EffectiveWeight,
    Flag,
    GroupReliability,
    WeightSuggestion,
)

__all__ = [
    "Audit",
    "CorrelationPair",
    "Coverage",
    "Distribution",
    "EffectiveWeight",
    "Flag",
    "GroupReliability",
    "NotComputable",
    "WeightSuggestion",
    "audit",
]
