"""One scorecard's own part, read from its explanation: the data island of the page.

Everything a rubric shares is in `assets/rubric.js` (`cardshared.py`); here is only what
this company-year adds, as compact JSON in the page, which `assets/scorecard.js` draws:

- `groups`: per group of the rubric (in `cardshared.group_order`), [score, points earned,
  points possible, weight in the total, contribution, N/A criteria];
- `criteria`: per criterion of the rubric, [level, points, contribution, which levels
  hold ("1100"), per level the trace's nodes, the scored value in words, the N/A reason];
  a list ends at its last given entry. A trace node is `2 * tail + passed`, where `tail`
  is an index into `tails`, the company's side of the node's line (`words.trace_tail`);
  the rubric's side, the head, is in `rubric.js`. Only the traces the page shows are
  given (of the level reached, of the next one, and those the improvement path points
  into); the others are null;
- `disclosures`: per field a criterion shows, [value, assured, page, quote, URL, link]
  (`link` is the URL when it may be a link: http or https with a host);
- `improvements`: [criterion, gain at the next level, gain at the top, what is missing
  as [level, node, negated] or the word "value"], in the explanation's order;
- `adjustments` and `behind` (criteria on which most sector peers are ahead);
- `peers`, added by `Scorecards.render` (`scorecard.peer_data`): the peer chart's title and
  the sector's median and best per top-level group.

Numbers are the explanation's own floats (JSON keeps them exactly). The page embeds the
JSON through `inertjson.inert_dumps`, which makes every string inert (control and
invisible characters shown as escapes), with `<`, `>` and `&` escaped, so nothing in it
is markup or a live control character.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from csrscore.report.scorecard import group_rows, safe_link
from csrscore.report.words import (
    COMBINED_HEADS,
    PROVENANCE_TESTS,
    trace_lines,
    trace_nodes,
    trace_tail,
    value_text,
)


def _trimmed(entry: list[Any]) -> list[Any]:
    while entry and entry[-1] is None:
        entry.pop()
    return entry


class _Tails:
    """The distinct tails of one page, each stored once.

    A field test's tail depends only on the field and on whether the test reads the
    value or its provenance (`Tracer` gives every test of a field the same value for one
    company), so it is worded once per field: a page has about 350 traced nodes and a
    hundred fields.
    """

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.known: dict[object, int] = {}  # by (field, provenance) or by all/any/not

    def code(self, node: dict[str, Any]) -> int:
        kind = node["kind"]
        key: object
        if kind == "test":
            key = (node["field"], node["test"] in PROVENANCE_TESTS)
        elif kind in COMBINED_HEADS:
            key = kind
        else:  # violation counts and publication delays: rare, worded each time
            return 2 * self._position(trace_tail(node)) + (1 if node["passed"] else 0)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self._position(trace_tail(node))
        return 2 * found + (1 if node["passed"] else 0)

    def _position(self, tail: str) -> int:
        found = self.index.get(tail)
        if found is None:
            found = self.index[tail] = len(self.index)
        return found

    def texts(self) -> list[str]:
        return list(self.index)


def _disclosure(entry: dict[str, Any]) -> list[Any]:
    shown = value_text(entry["value"])
    if entry["unit"]:
        shown += f" {entry['unit']}"
    evidence = entry["evidence"] or {}
    page, quote, url = evidence.get("page"), evidence.get("quote"), evidence.get("url")
    link = safe_link(url) if url else None
    return _trimmed(
        [
            shown,
            1 if entry["assured"] else 0,
            None if page is None else str(page),
            quote or None,
            url or None,
            link,
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
    improvements, wanted = _improvements(explanation, cumulative)
    for c, item in enumerate(explanation["criteria"]):
        if not item["applicable"]:
            because = item["not_applicable_because"]
            lines = trace_lines(because["trace"]) if because["trace"] else []
            reason = [because["node"], [list(line) for line in lines]]
            criteria.append([item["level"], item["points"], item["contribution"], *[None] * 3])
            criteria[-1].append(reason)
            continue
        value = item.get("value")
        shown = None
        if value is not None and item["kind"] != "levels":
            shown = value_text(value["actual"]) if value["present"] else "not disclosed"
        for entry in item["evidence"]:
            if entry["field"] not in disclosures:
                disclosures[entry["field"]] = _disclosure(entry)
        levels = item["levels"]
        # The page shows the traces of the level reached and of the next one, and those
        # the improvement path points into; the others stay out of the page (null).
        shown_levels = {item["level"] - 1, item["level"], *wanted.get(c, ())}
        code = tails.code
        criteria.append(
            _trimmed(
                [
                    item["level"],
                    item["points"],
                    item["contribution"],
                    "".join("1" if level["holds"] else "0" for level in levels),
                    [
                        [code(node) for node in trace_nodes(level["trace"])]
                        if k in shown_levels
                        else None
                        for k, level in enumerate(levels)
                    ]
                    or None,
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
        "disclosures": disclosures,
        "improvements": improvements,
        "adjustments": [
            [
                a["title"],
                a["id"],
                1 if a["applies"] else 0,
                a["effect"],
                list(a.get("records") or ()),
            ]
            for a in explanation["adjustments"]
        ],
        "behind": [
            [b["criterion"], b["peers_ahead"], b["peers"]]
            for b in explanation["peers"]["behind_most_peers"]
        ],
    }


def _improvements(
    explanation: dict[str, Any], cumulative: Sequence[bool]
) -> tuple[list[list[Any]], dict[int, set[int]]]:
    """The improvement path, and per criterion the levels whose traces it points into."""
    criteria = explanation["criteria"]
    column = {item["id"]: c for c, item in enumerate(criteria)}
    out = []
    wanted: dict[int, set[int]] = {}
    for step in explanation["improvements"]:
        c = column[step["criterion"]]
        target = step["target_level"]
        missing: list[list[int]] | str
        if target is not None:
            # The levels `Explainer` reads its missing tests from, in the same order.
            levels = criteria[c]["levels"]
            missing = []
            for index in range(target) if cumulative[c] else (target - 1,):
                if levels[index]["holds"]:
                    continue
                wanted.setdefault(c, set()).add(index)
                nodes = trace_nodes(levels[index]["trace"])
                position = {id(node): k for k, node in enumerate(nodes)}
                missing += [[index, *found] for found in _failing(nodes[0], position)]
        elif step["missing"]:
            missing = "value"
        else:
            missing = []
        out.append([c, step["gain_next"], step["gain_top"], missing])
    return out, wanted
