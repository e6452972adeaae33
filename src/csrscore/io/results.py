"""Scores as tables: the ranking, group scores, criterion points and levels, the rubric.

The tables are columns of plain values, built once here and written by every format:
Arrow (and so Parquet and pandas) and XLSX. Numbers stay numbers; a criterion that does
not apply is an empty cell, not 0.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from csrscore.engine import Scores
from csrscore.errors import InputError, Location, UsageError
from csrscore.io.extras import require
from csrscore.rubric.model import Criterion, Group
from csrscore.textsafe import spreadsheet_cell

__all__ = [
    "attribute_columns",
    "criteria_columns",
    "group_columns",
    "ranking_columns",
    "result_tables",
    "rubric_columns",
    "to_arrow",
    "write_parquet",
    "write_xlsx",
]

Columns = dict[str, Any]  # column name -> list or 1-D array, all of one length

# Excel's row limit, less the header row.
XLSX_MAX_ROWS = 1_048_575


def _nan_to_none(values: np.ndarray[Any, Any]) -> list[float | None]:
    return [None if value != value else float(value) for value in values.tolist()]


def ranking_columns(
    scores: Scores, ranks: Any = None, by: str | Sequence[str] | None = None
) -> Columns:
    """One row per company-year, best first within each year; group scores in percent."""
    if ranks is None:
        ranks = scores.rank("competition", by)
    percentile = scores.percentile(by)
    order = sorted(
        range(len(scores)),
        key=lambda i: (int(scores.years[i]), int(ranks[i]), scores.company_ids[i]),
    )
    pick = np.array(order, dtype=np.int64)
    columns: Columns = {
        "rank": np.asarray(ranks, dtype=np.int64)[pick],
        "company_id": [scores.company_ids[i] for i in order],
        "name": [scores.names[i] for i in order],
        "sector": [scores.sectors[i] for i in order],
        "country": [scores.countries[i] for i in order],
        **attribute_columns(scores, order),
        "year": scores.years[pick],
        "total": scores.totals[pick],
        "published_total": scores.rubric.rounding.round(scores.totals[pick]),
        "grade": [scores.grades[i] for i in order],
        "percentile": percentile[pick],
    }
    for group_id in scores.top_group_ids:
        column = scores.group_scores[pick, scores.group_column(group_id)] * 100.0
        columns[group_id] = _nan_to_none(column)
    for a, adjustment_id in enumerate(scores.adjustment_ids):
        columns[f"adjustment.{adjustment_id}"] = scores.adjustments[pick, a]
    return columns


def attribute_columns(scores: Scores, rows: Sequence[int]) -> Columns:
    """A `company.<name>` column per company attribute of the run, for `rows` in order.

    A list becomes its items joined by "; ". An attribute whose values differ in type from
    company to company (one no rubric declared) becomes text throughout, so that each
    column holds one type, as Arrow and typed spreadsheet columns need.
    """
    columns: Columns = {}
    for attribute in scores.attribute_names:
        every = scores.company_field(f"company.{attribute}")
        values = [every[i] for i in rows]
        values = ["; ".join(v) if isinstance(v, tuple) else v for v in values]
        if len({type(v) for v in values if v is not None}) > 1:
            values = [None if v is None else _text(v) for v in values]
        columns[f"company.{attribute}"] = values
    return columns


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def group_columns(scores: Scores) -> Columns:
    """Every group at every depth, in percent of its possible score (empty where N/A)."""
    columns: Columns = {"company_id": list(scores.company_ids), "year": scores.years}
    for g, group_id in enumerate(scores.group_ids[:-1]):
        columns[group_id] = _nan_to_none(scores.group_scores[:, g] * 100.0)
    return columns


def criteria_columns(scores: Scores) -> Columns:
    """The long table: a row per company-year and criterion, with level and points."""
    n, c = scores.levels.shape
    levels = scores.levels.reshape(-1).astype(np.int64)
    applicable = levels >= 0
    points = np.asarray(scores.points, dtype=np.float64).reshape(-1)
    labels = _level_labels(scores.plan.criteria)
    level_labels = labels[np.tile(np.arange(c), n), np.clip(levels, 0, labels.shape[1] - 1)]
    level_labels[~applicable] = None
    return {
        "company_id": np.repeat(np.array(scores.company_ids, dtype=object), c),
        "year": np.repeat(scores.years, c),
        "criterion": np.tile(np.array(scores.criterion_ids, dtype=object), n),
        "applicable": applicable,
        "level": np.where(applicable, levels, 0),
        "level_label": level_labels,
        "points": np.where(applicable, points, np.nan),
        "max_points": np.tile(scores.plan.max_points, n),
    }


def _level_labels(criteria: Sequence[Criterion]) -> np.ndarray[Any, Any]:
    widest = max((len(criterion.levels) for criterion in criteria), default=0)
    labels = np.full((len(criteria), widest + 1), "", dtype=object)
    for i, criterion in enumerate(criteria):
        for k, level in enumerate(criterion.levels, start=1):
            labels[i, k] = level.label
    return labels


def rubric_columns(scores: Scores) -> Columns:
    """Every group and criterion with its parent, weight and possible points."""
    rows: list[tuple[str, str, str, str, float, float]] = []
    plan = scores.plan
    criterion_weight = dict(zip(scores.criterion_ids, plan.criterion_weights.tolist(), strict=True))
    group_weight = {
        g.group.id: w for g, w in zip(plan.groups, plan.group_weights.tolist(), strict=True)
    }

    def walk(group: Group, parent: str) -> None:
        rows.append(
            ("group", group.id, parent, group.title, group_weight[group.id], group.max_points)
        )
        for child in group.children:
            if isinstance(child, Group):
                walk(child, group.id)
            else:
                rows.append(
                    (
                        "criterion",
                        child.id,
                        group.id,
                        child.title,
                        criterion_weight[child.id],
                        child.max_points,
                    )
                )

    walk(scores.rubric.root, "")
    kinds, ids, parents, titles, weights, maxima = zip(*rows, strict=True)
    return {
        "kind": list(kinds),
        "id": list(ids),
        "parent": list(parents),
        "title": list(titles),
        "weight": list(weights),
        "max_points": list(maxima),
    }


def result_tables(
    scores: Scores, ranks: Any = None, by: str | Sequence[str] | None = None
) -> dict[str, Columns]:
    return {
        "ranking": ranking_columns(scores, ranks, by),
        "groups": group_columns(scores),
        "criteria": criteria_columns(scores),
        "rubric": rubric_columns(scores),
    }


# --- Arrow and Parquet ------------------------------------------------------------


def to_arrow(columns: Columns) -> Any:
    pa = require("pyarrow", "Arrow and Parquet output")
    arrays = {}
    for name, values in columns.items():
        if isinstance(values, np.ndarray) and values.dtype == object:
            # Repeated ids become dictionary-encoded: 25 million criterion rows share a few
            # thousand strings.
            arrays[name] = (
                pa.array(values.tolist()).dictionary_encode()
                if name in ("company_id", "criterion")
                else pa.array(values.tolist())
            )
        else:
            arrays[name] = pa.array(values)
    return pa.table(arrays)


def write_parquet(tables: dict[str, Columns], directory: str | os.PathLike[str]) -> list[Path]:
    """One Parquet file per table in `directory` (created), written atomically."""
    parquet = require("pyarrow.parquet", "Parquet output")
    target = Path(directory)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the folder: {exc.strerror}", Location(str(target))
        ) from None
    written = []
    for name, columns in tables.items():
        path = target / f"{name}.parquet"
        temporary = _temporary_beside(path)
        try:
            parquet.write_table(to_arrow(columns), temporary)
            os.replace(temporary, path)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", Location(str(path))) from None
        finally:
            temporary.unlink(missing_ok=True)
        written.append(path)
    return written


def _temporary_beside(path: Path) -> Path:
    """A new temporary file in `path`'s folder, with a short name: a name derived from
    `path` would pass the 255-byte limit of most file systems for a 250-byte target."""
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".csrscore-", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", Location(str(path))) from None
    os.close(handle)
    return Path(name)


# --- XLSX --------------------------------------------------------------------------------


def write_xlsx(tables: dict[str, Columns], path: str | os.PathLike[str]) -> None:
    """A workbook with a sheet per table: number cells, frozen header, fitted widths.

    Text goes through `spreadsheet_cell`, so no company name or title becomes a formula.
    """
    openpyxl = require("openpyxl", "XLSX output")
    for name, columns in tables.items():
        rows = len(next(iter(columns.values()), []))
        if rows > XLSX_MAX_ROWS:
            raise UsageError(
                f"the {name} table has {rows:,} rows, more than a worksheet holds; "
                "use --format parquet"
            )
    workbook = openpyxl.Workbook(write_only=True)
    for name, columns in tables.items():
        sheet = workbook.create_sheet(name)
        cells = [_cells(values) for values in columns.values()]
        headers = list(columns)
        for index, (header, values) in enumerate(zip(headers, cells, strict=True), start=1):
            widest = max((len(str(v)) for v in values[:2000] if v is not None), default=0)
            letter = openpyxl.utils.get_column_letter(index)
            sheet.column_dimensions[letter].width = min(max(widest, len(header)) + 2, 60)
        sheet.freeze_panes = "A2"
        sheet.append([spreadsheet_cell(header) for header in headers])
        for row in zip(*cells, strict=True):
            sheet.append(row)
    target = Path(path)
    temporary = _temporary_beside(target)
    try:
        workbook.save(temporary)
        os.replace(temporary, target)
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", Location(str(target))) from None
    finally:
        temporary.unlink(missing_ok=True)


def _cells(values: Any) -> list[Any]:
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    out: list[Any] = []
    for value in items:
        if isinstance(value, str):
            out.append(spreadsheet_cell(value))
        elif isinstance(value, float) and value != value:
            out.append(None)
        else:
            out.append(value)
    return out
