"""Rubrics: the methodology of an index as data."""

from csrscore.rubric.catalog import Catalog, FieldSpec
from csrscore.rubric.findings import Finding
from csrscore.rubric.lint import lint_rubric
from csrscore.rubric.load import check_rubric, list_rubrics, load_catalog, load_rubric
from csrscore.rubric.model import Adjustment, Criterion, Group, Level, Rubric
from csrscore.rubric.schema import rubric_schema

__all__ = [
    "Adjustment",
    "Catalog",
    "Criterion",
    "FieldSpec",
    "Finding",
    "Group",
    "Level",
    "Rubric",
    "check_rubric",
    "lint_rubric",
    "list_rubrics",
    "load_catalog",
    "load_rubric",
    "rubric_schema",
]
