"""Scoring in pieces with bounded memory: a chunk at a time, or a partition per worker."""

from csrscore.chunked.score import score_chunk, score_chunks
from csrscore.chunked.table import ScoreTable
from csrscore.chunked.write import write_table

__all__ = ["ScoreTable", "score_chunk", "score_chunks", "write_table"]
