"""Explanation data -> readable text. Everything in the data is shown; nothing is cut."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, TypeAlias

from csrscore.precision import display_number, shown_number
from csrscore.textsafe import visible

# Decimal places per catalog field that sets them (`FieldSpec.decimals`).
Decimals: TypeAlias = Mapping[str, int]


def _number(value: float | None, decimals: int = 2) -> str:
    return display_number(value, decimals)


def _value(value: Any, decimals: int | None = None) -> str:
    """A value as JSON text, its numbers as `shown_number` shows them (the field's catalog
    decimals, or as given without float noise)."""
    if isinstance(value, float) and math.isfinite(value):
        return shown_number(value, decimals)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item, decimals) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (
            f"{json.dumps(k, ensure_ascii=False)}: {_value(v, decimals)}" for k, v in value.items()
        )
        return "{" + ", ".join(pairs) + "}"
    return json.dumps(value, ensure_ascii=False)


def _derived_lines(derived: dict[str, Any]) -> list[str]:
    lines = [f"    computed: {derived['formula']}"]
    if derived["missing_because"]:
        lines.append(f"    not computed: {derived['missing_because']}")
    return lines


def _peer_lines(peers: dict[str, Any]) -> list[str]:
    group = ", ".join(f"{name} {_value(value)}" for name, value in peers["group"].items())
    listed = ", ".join(peers["peers"])
    more = len(peers["peers"]) < peers["size"]
    lines = [
        f"    against peers ({peers['method']}) in {group}: {peers['size']} peer(s): "
        f"{listed}{', ...' if more else ''}",
        f"    peers' lowest {_number(peers['lowest'])}, highest {_number(peers['highest'])}, "
        f"mean {_number(peers['mean'])}, sd {_number(peers['sd'])}",
    ]
    if peers["statistic"] is not None:
        lines.append(f"    {peers['method']} among peers: {_number(peers['statistic'])}")
    if peers["note"]:
        lines.append(f"    {peers['note']}")
    return lines


def _trace_lines(node: dict[str, Any], depth: int, decimals: Decimals) -> list[str]:
    pad = "    " * depth
    mark = "pass" if node["passed"] else "FAIL"
    kind = node["kind"]
    if kind in ("all", "any"):
        lines = [f"{pad}{kind} [{mark}]"]
        for item in node["items"]:
            lines += _trace_lines(item, depth + 1, decimals)
        return lines
    if kind == "not":
        return [f"{pad}not [{mark}]", *_trace_lines(node["item"], depth + 1, decimals)]
    if kind == "violations":
        return [
            f"{pad}violation records {_value(node['filter'])} {_value(node['expected'])}: "
            f"{node['actual']} {_value(node['records'])} [{mark}]"
        ]
    if kind == "published_within_days":
        actual = "missing" if not node["present"] else f"{node['actual']} days"
        return [f"{pad}published within {node['expected']} days of period end: {actual} [{mark}]"]
    places = decimals.get(node["field"])
    expected = "" if node["expected"] is None else f" {_value(node['expected'], places)}"
    actual = _value(node["actual"], places) if node["present"] else "missing"
    return [f"{pad}{node['test']} {node['field']}{expected}: actual {actual} [{mark}]"]


def _checklist_lines(checklist: dict[str, Any]) -> list[str]:
    if not checklist["present"]:
        return [f"    {checklist['field']}: missing"]
    counted = ", ".join(
        f"{_value(entry['item'])} {entry['points']:g}" for entry in checklist["counted"]
    )
    lines = [f"    counted from {checklist['field']}: {counted or 'none'}"]
    if checklist["cap"] is not None and checklist["uncapped_points"] > checklist["cap"]:
        lines.append(f"    {checklist['uncapped_points']:g} points capped at {checklist['cap']:g}")
    if checklist["not_counted"]:
        lines.append(f"    listed, not counted: {_value(checklist['not_counted'])}")
    if checklist["missing"]:
        lines.append(f"    missing: {_value(checklist['missing'])}")
    return lines


def _group_lines(
    group: dict[str, Any], depth: int, criteria: dict[str, dict[str, Any]]
) -> list[str]:
    pad = "  " * depth
    na = f", {group['not_applicable']} N/A" if group["not_applicable"] else ""
    lines = [
        f"{pad}{group['id']}  {group['title']}: {_number(group['score'], 1)}% "
        f"({group['points_earned']:g}/{group['points_possible']:g} points{na}; "
        f"weight {_number(group['weight'], 3).rstrip('0').rstrip('.')}, "
        f"{group['weight_in_total'] * 100:.1f}% of the total, "
        f"contributes {_number(group['contribution'])})"
    ]
    for child in group["children"]:
        if "criterion" in child:
            item = criteria[child["criterion"]]
            if item["applicable"]:
                label = f" {item['label']}" if item["label"] else ""
                lines.append(
                    f"{pad}  - {item['id']}: level {item['level']}{label}, "
                    f"{item['points']:g}/{item['max_points']:g} points, "
                    f"+{_number(item['contribution'])}"
                )
            else:
                because = item["not_applicable_because"]
                by = "declared by the company" if "declared" in because else f"by {because['node']}"
                lines.append(f"{pad}  - {item['id']}: N/A ({by})")
        else:
            lines += _group_lines(child, depth + 1, criteria)
    return lines


def _published(summary: dict[str, Any]) -> str:
    """The published total beside the exact one, when the rubric's rounding changes it by
    more than the default 6-decimal rule could."""
    published = summary["published_total"]
    return f" (published {published:g})" if abs(published - summary["total"]) > 5.1e-7 else ""


def render_text(data: dict[str, Any], decimals: Decimals | None = None) -> str:
    company, summary, rubric = data["company"], data["summary"], data["rubric"]
    decimals = decimals or {}
    lines = [
        f"{company['name']} ({company['id']}), {company['year']}, "
        f"sector {company['sector'] or '—'}",
        f"rubric {rubric['name']} {rubric['version']} ({rubric['hash']})",
        "",
        f"total {_number(summary['total'])}{_published(summary)} / {summary['scale']:g}, "
        f"grade {summary['grade'] or '—'}",
        f"  = base {_number(summary['base'])} + adjustments {_number(summary['adjustments'])}"
        + (f" + clamp {_number(summary['clamp'])}" if summary["clamp"] else ""),
        f"rank {summary['rank']} of {summary['of']} in {company['year']}; "
        + (
            f"{summary['sector_rank']} of {summary['sector_of']} in its sector; "
            if company["sector"] is not None
            else "no sector given, so no sector rank; "
        )
        + f"percentile {summary['percentile']:.1f}",
        "",
        "groups and criteria:",
    ]
    criteria = {item["id"]: item for item in data["criteria"]}
    for group in data["groups"]:
        lines += _group_lines(group, 1, criteria)
    lines += ["", "adjustments:"]
    if not data["adjustments"]:
        lines.append("  none")
    for item in data["adjustments"]:
        records = f" records {_value(item['records'])}" if item.get("records") else ""
        lines.append(f"  {item['id']}  {item['title']}: {_number(item['effect'])}{records}")
    lines += ["", "how to raise the score (total points gained at the next level / at the top):"]
    if not data["improvements"]:
        lines.append("  nothing left to gain")
    for item in data["improvements"]:
        lines.append(
            f"  {item['criterion']}  {item['title']}: +{_number(item['gain_next'])} / "
            f"+{_number(item['gain_top'])}"
        )
        for test in item["missing"]:
            if test.get("kind") != "value":
                lines += _trace_lines(test, 2, decimals)
        lines += [f"      suggested: {phrase}" for phrase in item["advice"]]
    peers = data["peers"]
    lines += [
        "",
        f"peers ({peers['sector'] or 'no sector'}, {peers['year']}, "
        f"{peers['companies']} companies): "
        f"median {_number(peers['median_total'])}, best {_number(peers['best_total'])}",
    ]
    for item in peers["behind_most_peers"]:
        lines.append(
            f"  behind {item['peers_ahead']} of {item['peers']} peers on {item['criterion']}"
        )
    lines += ["", "criterion details:", *detail_lines(data, decimals)]
    # Every entry of `lines` is one line; names, titles and values inside it come from the
    # input, so a newline or ESC in them is shown escaped rather than acted on.
    return "\n".join(map(visible, lines)) + "\n"


def detail_lines(data: dict[str, Any], decimals: Decimals) -> list[str]:
    """Every criterion's levels with their condition traces, values and evidence."""
    lines: list[str] = []
    for item in data["criteria"]:
        lines.append(f"  {item['id']}  {item['title']}")
        if not item["applicable"]:
            reason = item["not_applicable_because"]
            for declared in reason.get("declared", []):
                lines.append(
                    f"    N/A: the company declares {declared['field']} not applicable: "
                    f"{visible(declared['reason'])}"
                )
            if "declared" not in reason:
                lines.append(f"    N/A: applicability of {reason['node']} does not hold")
            if reason["trace"]:
                lines += _trace_lines(reason["trace"], 2, decimals)
            continue
        for level in item.get("levels", []):
            lines.append(
                f"    level {level['level']} ({level['points']:g} points, {level['label']}):"
            )
            lines += _trace_lines(level["trace"], 2, decimals)
        if "value" in item:
            value = item["value"]
            places = decimals.get(value["field"])
            shown = _value(value["actual"], places) if value["present"] else "missing"
            of_scale = f" on a scale of 0 to {value['scale']:g}" if "scale" in value else ""
            lines.append(f"    value of {value['field']}: {shown}{of_scale}")
            if "scored_as" in value:
                lines.append(
                    f"    scored as {value['scored_as']:g} (on a grid of {value['input_grid']:g})"
                )
            if "points_grid" in value:
                lines.append(f"    points on a grid of {value['points_grid']:g}")
            if "derived" in value:
                lines += _derived_lines(value["derived"])
            if "peers" in value:
                lines += _peer_lines(value["peers"])
        if "checklist" in item:
            lines += _checklist_lines(item["checklist"])
        for evidence in item.get("evidence", []):
            where = f", evidence {_value(evidence['evidence'])}" if evidence["evidence"] else ""
            assured = ", assured" if evidence["assured"] else ""
            lines.append(
                f"    disclosed {evidence['field']} = "
                f"{_value(evidence['value'], decimals.get(evidence['field']))}{assured}{where}"
            )
    return lines
