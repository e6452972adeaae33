"""One scorecard's own part, read from its explanation: the data island of the page.

Everything a rubric shares is in `assets/rubric.js` (`cardshared.py`); here is only what
this company-year adds, as compact JSON in the page, which `assets/scorecard.js` draws:

- `groups`: per group of the rubric (in `cardshared.group_order`), [score, points earned,
  points possible, weight in the total, contribution, N/A criteria];
- `criteria`: per criterion of the rubric, [level, points, contribution, which levels
  hold ("1100"), per level the trace's nodes, the scored value in words, the N/A reason];
  a list ends at its last given entry. A trace node is `2 * tail + passed`, where `tail`
  is an index into `tails`, the company's side of the node's line (`words.trace_tail`);
  the rubric's side, the head, is in `rubric.js`;
- `disclosures`: per field a criterion shows, [value, assured, page, quote, URL, link]
  (`link` is the URL when it may be a link: http or https with a host);
- `improvements`: [criterion, gain at the next level, gain at the top, what is missing
  as [level, node, negated] or the word "value"], in the explanation's order;
- `adjustments` and `behind` (criteria on which most sector peers are ahead).

Numbers are the explanation's own floats (JSON keeps them exactly); strings pass through
`inert`, and the page embeds the JSON with `<`, `>` and `&` escaped, so nothing in it is
markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from csrscore.report.fragments import inert
from csrscore.report.scorecard import group_rows, safe_link
from csrscore.report.words import trace_lines, trace_nodes, trace_tail, value_text


def _trimmed(entry: list[Any]) -> list[Any]:
    while entry and entry[-1] is None:
        entry.pop()
    return entry


class _Tails:
    """The distinct tails of one page, each stored once."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def code(self, node: dict[str, Any]) -> int:
        tail = trace_tail(node)
        found = self.index.get(tail)
        if found is None:
            found = self.index[tail] = len(self.index)
        return 2 * found + (1 if node["passed"] else 0)

    def texts(self) -> list[str]:
        return [inert(tail) for tail in self.index]


def _disclosure(entry: dict[str, Any]) -> list[Any]:
    shown = value_text(entry["value"])
    if entry["unit"]:
        shown += f" {entry['unit']}"
    evidence = entry["evidence"] or {}
    page, quote, url = evidence.get("page"), evidence.get("quote"), evidence.get("url")
    link = safe_link(url) if url else None
    return _trimmed(
        [
            inert(shown),
            1 if entry["assured"] else 0,
            None if page is None else inert(str(page)),
            inert(quote) if quote else None,
            inert(url) if url else None,
            None if link is None else inert(link),
        ]
    )


def _failing(node: dict[str, Any], position: dict[int, int]) -> list[list[int]]:
    """The nodes `explain.trace.failing_tests` gives, as [node, negated] positions."""
    if node["passed"]:
        return []
    kind = node["kind"]
    if kind in ("all", "any"):
        return [found for item in node["items"] for found in _failing(item, position)]
    if kind == "not":
        return [[position[id(node["item"])], 1]]
    return [[position[id(node)], 0]]


def card_data(explanation: dict[str, Any], cumulative: Sequence[bool]) -> dict[str, Any]:
    """The page data of one explanation (`Explainer.explain(...).to_dict()`);
    `cumulative` says, per criterion of the rubric, whether its levels add up."""
    tails = _Tails()
    disclosures: dict[str, list[Any]] = {}
    criteria: list[list[Any]] = []
    traced: list[list[list[dict[str, Any]]]] = []  # per criterion, per level, its nodes
    for item in explanation["criteria"]:
        if not item["applicable"]:
            because = item["not_applicable_because"]
            lines = trace_lines(because["trace"]) if because["trace"] else []
            reason = [inert(because["node"]), [[d, inert(t), p] for d, t, p in lines]]
            criteria.append([item["level"], item["points"], item["contribution"], *[None] * 3])
            criteria[-1].append(reason)
            traced.append([])
            continue
        levels = [trace_nodes(level["trace"]) for level in item["levels"]]
        traced.append(levels)
        value = item.get("value")
        shown = None
        if value is not None and item["kind"] != "levels":
            shown = inert(value_text(value["actual"]) if value["present"] else "not disclosed")
        for entry in item["evidence"]:
            if entry["field"] not in disclosures:
                disclosures[entry["field"]] = _disclosure(entry)
        criteria.append(
            _trimmed(
                [
                    item["level"],
                    item["points"],
                    item["contribution"],
                    "".join("1" if level["holds"] else "0" for level in item["levels"]),
                    [[tails.code(node) for node in nodes] for nodes in levels] or None,
                    shown,
                ]
            )
        )
    return {
        "groups": [
            [
                g["score"],
                g["points_earned"],
                g["points_possible"],
                g["weight_in_total"],
                g["contribution"],
                g["not_applicable"],
            ]
            for _, g in group_rows(explanation["groups"])
        ],
        "criteria": criteria,
        "tails": tails.texts(),
        "disclosures": {inert(field): entry for field, entry in disclosures.items()},
        "improvements": _improvements(explanation, traced, cumulative),
        "adjustments": [
            [
                inert(a["title"]),
                inert(a["id"]),
                1 if a["applies"] else 0,
                a["effect"],
                [inert(r) for r in a.get("records") or ()],
            ]
            for a in explanation["adjustments"]
        ],
        "behind": [
            [inert(b["criterion"]), b["peers_ahead"], b["peers"]]
            for b in explanation["peers"]["behind_most_peers"]
        ],
    }


def _improvements(
    explanation: dict[str, Any],
    traced: list[list[list[dict[str, Any]]]],
    cumulative: Sequence[bool],
) -> list[list[Any]]:
    column = {item["id"]: c for c, item in enumerate(explanation["criteria"])}
    out = []
    for step in explanation["improvements"]:
        c = column[step["criterion"]]
        target = step["target_level"]
        missing: list[list[int]] | str
        if target is not None:
            # The levels `Explainer` reads its missing tests from, in the same order.
            item = explanation["criteria"][c]
            wanted = range(target) if cumulative[c] else (target - 1,)
            missing = []
            for index in wanted:
                if item["levels"][index]["holds"]:
                    continue
                nodes = traced[c][index]
                position = {id(node): k for k, node in enumerate(nodes)}
                missing += [[index, *found] for found in _failing(nodes[0], position)]
        elif step["missing"]:
            missing = "value"
        else:
            missing = []
        out.append([c, step["gain_next"], step["gain_top"], missing])
    return out
