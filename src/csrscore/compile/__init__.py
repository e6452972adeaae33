"""Rubric -> evaluation plan: flat arrays of points, weights and tree structure."""

from csrscore.compile.plan import GroupPlan, Plan, compile_rubric

__all__ = ["GroupPlan", "Plan", "compile_rubric"]
