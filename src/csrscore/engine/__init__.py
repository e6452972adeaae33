"""Columnar records -> level matrix -> points -> group scores -> totals."""

from csrscore.engine.score import score, score_reports
from csrscore.engine.scores import Scores

__all__ = ["Scores", "score", "score_reports"]
