"""Explanation data -> Markdown, for a scorecard in a report or an issue tracker.

The same content as the text (`render`): the summary, the groups and criteria as a table,
the adjustments, how to raise the score, the peers, and the condition traces in a fenced
block. Every name, title and value comes from the input: table cells and lines go through
`markdown_cell`, and the fence is longer than any run of backticks inside it.
"""

from __future__ import annotations

import re
from typing import Any

from csrscore.explain.render import (
    Decimals,
    _number,
    _published,
    _trace_lines,
    _value,
    detail_lines,
)
from csrscore.textsafe import markdown_cell, visible


def _table(headers: list[str], rows: list[list[str]], numeric: list[bool]) -> list[str]:
    align = ["---:" if right else "---" for right in numeric]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    return lines + ["| " + " | ".join(map(markdown_cell, row)) + " |" for row in rows]


def _group_rows(
    group: dict[str, Any], depth: int, criteria: dict[str, dict[str, Any]]
) -> list[list[str]]:
    na = f", {group['not_applicable']} N/A" if group["not_applicable"] else ""
    rows = [
        [
            "› " * depth + group["id"],
            group["title"],
            f"{_number(group['score'], 1)}%{na}",
            f"{group['points_earned']:g}/{group['points_possible']:g}",
            f"{group['weight_in_total'] * 100:.1f}%",
            _number(group["contribution"]),
        ]
    ]
    for child in group["children"]:
        if "criterion" not in child:
            rows += _group_rows(child, depth + 1, criteria)
            continue
        item = criteria[child["criterion"]]
        if item["applicable"]:
            label = f" {item['label']}" if item["label"] else ""
            result = f"level {item['level']}{label}"
            points = f"{item['points']:g}/{item['max_points']:g}"
            contribution = f"+{_number(item['contribution'])}"
        else:
            because = item["not_applicable_because"]
            result = "N/A, " + (
                "declared by the company" if "declared" in because else f"by {because['node']}"
            )
            points, contribution = "—", "—"
        rows.append(
            ["› " * (depth + 1) + item["id"], item["title"], result, points, "", contribution]
        )
    return rows


def _fenced(lines: list[str]) -> list[str]:
    text = "\n".join(map(visible, lines))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", text, fence]


def render_markdown(data: dict[str, Any], decimals: Decimals | None = None) -> str:
    decimals = decimals or {}
    company, summary, rubric = data["company"], data["summary"], data["rubric"]
    sector_rank = (
        f"{summary['sector_rank']} of {summary['sector_of']} in its sector"
        if company["sector"] is not None
        else "no sector given, so no sector rank"
    )
    clamp = f" + clamp {_number(summary['clamp'])}" if summary["clamp"] else ""
    lines = [
        f"## {markdown_cell(company['name'])} ({markdown_cell(company['id'])}), {company['year']}",
        "",
        "_"
        + markdown_cell(
            f"rubric {rubric['name']} {rubric['version']} ({rubric['hash']}) · "
            f"sector {company['sector'] or '—'}"
        )
        + "_",
        "",
        f"**Total {_number(summary['total'])}{_published(summary)} / {summary['scale']:g}**, "
        f"grade {markdown_cell(summary['grade'] or '—')} (base {_number(summary['base'])} "
        f"+ adjustments {_number(summary['adjustments'])}{clamp}) · rank {summary['rank']} "
        f"of {summary['of']} in {company['year']} · {sector_rank} · percentile "
        f"{summary['percentile']:.1f}",
        "",
        "### Groups and criteria",
        "",
    ]
    criteria = {item["id"]: item for item in data["criteria"]}
    rows = [row for group in data["groups"] for row in _group_rows(group, 0, criteria)]
    headers = ["id", "title", "score", "points", "of the total", "contributes"]
    lines += _table(headers, rows, [False, False, False, True, True, True])
    lines += ["", "### Adjustments", ""]
    if not data["adjustments"]:
        lines.append("None.")
    for item in data["adjustments"]:
        records = f" records {_value(item['records'])}" if item.get("records") else ""
        lines.append(
            "- "
            + markdown_cell(f"{item['id']} {item['title']}: {_number(item['effect'])}")
            + markdown_cell(records)
        )
    lines += ["", "### How to raise the score", ""]
    if not data["improvements"]:
        lines.append("Nothing left to gain.")
    else:
        improvements = [
            [
                f"{item['criterion']} {item['title']}",
                f"+{_number(item['gain_next'])}",
                f"+{_number(item['gain_top'])}",
                "; ".join(item["advice"] or _failing(item, decimals)),
            ]
            for item in data["improvements"]
        ]
        headers = ["criterion", "next level", "top level", "what to do"]
        lines += _table(headers, improvements, [False, True, True, False])
    peers = data["peers"]
    lines += [
        "",
        "### Peers",
        "",
        markdown_cell(
            f"{peers['sector'] or 'no sector'}, {peers['year']}, {peers['companies']} "
            f"companies: median {_number(peers['median_total'])}, best "
            f"{_number(peers['best_total'])}"
        ),
    ]
    if peers["behind_most_peers"]:
        lines.append("")
    for item in peers["behind_most_peers"]:
        lines.append(
            "- "
            + markdown_cell(
                f"behind {item['peers_ahead']} of {item['peers']} peers on {item['criterion']}"
            )
        )
    lines += ["", "### Criterion details", "", *_fenced(detail_lines(data, decimals))]
    return "\n".join(lines) + "\n"


def _failing(item: dict[str, Any], decimals: Decimals) -> list[str]:
    """The failed tests, when no disclosure can be suggested for them."""
    return [
        line.strip()
        for test in item["missing"]
        if test.get("kind") != "value"
        for line in _trace_lines(test, 0, decimals)
    ]
