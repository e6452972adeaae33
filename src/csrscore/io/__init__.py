"""Tabular input and output: CSV, TSV, XLSX, Parquet, Arrow and data frames.

Importing this package lets `load_reports` read table files and data frames. The
libraries it uses (openpyxl, pyarrow, pandas) come with `pip install 'csrscore[tables]'`
and are imported only when a table is read or written.
"""

from csrscore.io.extras import MissingExtraError
from csrscore.io.mapping import CellRules, ColumnSpec, TableMapping, load_mapping, mapping_schema
from csrscore.io.tables import CellRejection, is_table, read_table

__all__ = [
    "CellRejection",
    "CellRules",
    "ColumnSpec",
    "MissingExtraError",
    "TableMapping",
    "is_table",
    "load_mapping",
    "mapping_schema",
    "read_table",
]
