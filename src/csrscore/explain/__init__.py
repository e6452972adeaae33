"""Explanations: why each company got its score, and what would raise it."""

from csrscore.explain.build import Explainer
from csrscore.explain.explanation import Explanation
from csrscore.explain.improve import apply_patch
from csrscore.explain.schema import explanation_schema

__all__ = ["Explainer", "Explanation", "apply_patch", "explanation_schema"]
