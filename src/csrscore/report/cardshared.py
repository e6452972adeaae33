"""What every scorecard of a rubric shows alike, written once into `assets/rubric.js`.

A scorecard of the 71-criterion `iso26000` rubric shows every criterion with its title,
its ladder, the text of the level reached and the condition traces in words. Written as
HTML into each page, that made 130 kB a page and 1.3 GB for 10,000 company-years, and
most of the build time. The rubric's share of it (titles, rungs, level texts, the heads of
the trace lines, the fields each criterion reads) is the same on every page, so it is
written once here; each page holds only its company's numbers and words as data
(`carddata.py`), and `assets/scorecard.js` puts the two together with DOM calls.
"""

from __future__ import annotations

import json
from typing import Any

from csrscore.engine import Scores
from csrscore.precision import display_number
from csrscore.report.fragments import inert
from csrscore.report.scorecard import peer_figure
from csrscore.report.words import condition_heads
from csrscore.rubric.model import Criterion, Group

RUBRIC_SCRIPT = "rubric.js"
GLOBAL = "CSRSCORE_RUBRIC"


def group_order(root: Group) -> list[tuple[int, Group]]:
    """Every group under the root, parents first, with its depth: the rows of a
    scorecard's groups table, in the order of the explanation's group tree."""
    rows: list[tuple[int, Group]] = []

    def walk(group: Group, depth: int) -> None:
        for child in group.children:
            if isinstance(child, Group):
                rows.append((depth, child))
                walk(child, depth + 1)

    walk(root, 0)
    return rows


def _labels(criterion: Criterion) -> list[list[str | None] | None]:
    """By level (0 first), the label and description the explanation gives for it."""
    if criterion.kind == "levels":
        return [None] + [[inert(lv.label), inert(lv.description)] for lv in criterion.levels]
    if criterion.bands is not None:
        return [None] + [
            [inert(step.label or f"step {k}"), None]
            for k, step in enumerate(criterion.bands.steps, start=1)
        ]
    return [None]


def _criterion(criterion: Criterion) -> dict[str, Any]:
    return {
        "id": inert(criterion.id),
        "title": inert(criterion.title),
        "kind": criterion.kind,
        "max": display_number(criterion.max_points, 2),
        "labels": _labels(criterion),
        "rungs": [
            f"Level {k}, {display_number(level.points, 2)} points: {inert(level.label)}"
            for k, level in enumerate(criterion.levels, start=1)
        ],
        "heads": [
            [[depth, inert(head), test] for depth, head, test in condition_heads(level.when)]
            for level in criterion.levels
        ],
        "fields": [inert(name) for name in sorted(criterion.fields_read)],
        "scored": None if criterion.scored_field is None else inert(criterion.scored_field),
    }


def shared_data(scores: Scores) -> dict[str, Any]:
    return {
        "groups": [
            [inert(group.id), inert(group.title), depth]
            for depth, group in group_order(scores.rubric.root)
        ],
        "criteria": [_criterion(criterion) for criterion in scores.plan.criteria],
        "peers": peer_figure([node.title for node in scores.rubric.root.children]),
    }


def shared_script(scores: Scores) -> str:
    """`assets/rubric.js`: the shared data as one global (a script, not a JSON file, so
    that a page opened from the file system can read it: browsers refuse to fetch files)."""
    data = json.dumps(shared_data(scores), ensure_ascii=False, separators=(",", ":"))
    note = "// The rubric's part of every scorecard (csrscore.report.cardshared)."
    return f"{note}\nwindow.{GLOBAL} = {data};\n"
