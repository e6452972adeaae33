"""Hypothesis strategies: random rubrics (as data) and random report sets over one catalog.

The catalog is small on purpose, so that generated conditions and generated reports hit
the same fields often and every operator sees present, missing and edge values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

FIELDS: dict[str, dict[str, Any]] = {
    "t.b1": {"type": "bool"},
    "t.b2": {"type": "bool"},
    "t.n1": {"type": "number"},
    "t.n2": {"type": "number"},
    "t.n3": {"type": "number"},
    "t.s1": {"type": "text"},
    "t.e1": {"type": "enum", "values": ["a", "b", "c"]},
    "t.l1": {"type": "list", "values": ["x", "y", "z"]},
    "t.l2": {"type": "list"},  # open items: checklists over it need a cap
}
SCORE_DEFAULTS: dict[str, Any] = {"score": {"scale": 3}}
OPEN_ITEMS = ["x", "y", "w", "ww"]
SECTORS = ["textiles", "mining", "finance"]
NUMBERS = st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0, 2.5, 3.0, 10.0])
TEXTS = st.sampled_from(["", "alpha", "beta", "gamma ray", "Alpha"])
DATES = st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2025, 12, 31))

_by_type = {
    "bool": [name for name, spec in FIELDS.items() if spec["type"] == "bool"],
    "number": [name for name, spec in FIELDS.items() if spec["type"] == "number"]
    + ["year", "stats.quantitative_share"],
    "text": ["t.s1", "company.sector"],
    "enum": ["t.e1"],
    "list": ["t.l1", "report.frameworks"],
}


def _field_test(draw: st.DrawFn) -> dict[str, Any]:
    op = draw(
        st.sampled_from(
            [
                "exists",
                "missing",
                "true",
                "number",
                "assured",
                "has_evidence",
                "eq",
                "ne",
                "gt",
                "gte",
                "lt",
                "lte",
                "between",
                "in",
                "not_in",
                "contains",
                "matches",
                "violations",
                "published_within_days",
                "date",
            ]
        )
    )
    disclosures = list(FIELDS)
    if op in ("exists", "missing"):
        return {op: draw(st.sampled_from([*disclosures, "company.sector", "report.published"]))}
    if op == "true":
        return {op: draw(st.sampled_from(_by_type["bool"]))}
    if op == "number":
        return {op: draw(st.sampled_from(["t.n1", "t.n2", "t.n3"]))}
    if op in ("assured", "has_evidence"):
        return {op: draw(st.sampled_from(disclosures))}
    if op in ("eq", "ne"):
        kind = draw(st.sampled_from(["bool", "number", "text", "enum"]))
        field = draw(st.sampled_from(_by_type[kind]))
        value: Any = {
            "bool": st.booleans(),
            "number": NUMBERS,
            "text": st.sampled_from(["alpha", "beta", "textiles", "mining"]),
            "enum": st.sampled_from(["a", "b", "c"]),
        }[kind]
        return {op: {field: draw(value)}}
    if op in ("gt", "gte", "lt", "lte"):
        return {op: {draw(st.sampled_from(_by_type["number"])): draw(NUMBERS)}}
    if op == "date":
        compare = draw(st.sampled_from(["gt", "gte", "lt", "lte", "eq"]))
        return {compare: {"report.published": draw(DATES).isoformat()}}
    if op == "between":
        low, high = sorted(draw(st.lists(NUMBERS, min_size=2, max_size=2)))
        return {op: {draw(st.sampled_from(_by_type["number"])): [low, high]}}
    if op in ("in", "not_in"):
        kind = draw(st.sampled_from(["number", "text", "enum"]))
        field = draw(st.sampled_from(_by_type[kind]))
        item = {
            "number": NUMBERS,
            "text": st.sampled_from(["alpha", "beta", "mining"]),
            "enum": st.sampled_from(["a", "b", "c"]),
        }[kind]
        return {op: {field: draw(st.lists(item, min_size=1, max_size=3))}}
    if op == "contains":
        field = draw(st.sampled_from(["t.l1", "t.s1", "report.frameworks"]))
        item = {
            "t.l1": st.sampled_from(["x", "y", "z"]),
            "t.s1": st.sampled_from(["al", "ray", "q"]),
            "report.frameworks": st.sampled_from(["GRI", "SASB"]),
        }[field]
        return {op: {field: draw(item)}}
    if op == "matches":
        field = draw(st.sampled_from(["t.s1", "t.l1", "t.e1"]))
        return {op: {field: draw(st.sampled_from(["^a", "(?i)alpha", "ray$", "[xy]", "b|c"]))}}
    if op == "violations":
        spec: dict[str, Any] = {}
        if draw(st.booleans()):
            spec["status"] = draw(st.sampled_from(["open", ["open", "responded"], "closed"]))
        if draw(st.booleans()):
            spec["category"] = draw(st.sampled_from(["water", ["air", "waste"]]))
        if draw(st.booleans()):
            spec["public_response"] = draw(st.booleans())
        if draw(st.booleans()):
            spec["within_years"] = draw(st.integers(1, 3))
        if draw(st.booleans()):
            spec["from"] = draw(DATES).isoformat()
        compare = draw(st.sampled_from(["gte", "gt", "lte", "lt", "eq"]))
        spec[compare] = draw(st.integers(0, 3))
        return {op: spec}
    return {"published_within_days": draw(st.integers(0, 200))}


@st.composite
def conditions(draw: st.DrawFn, depth: int = 2) -> dict[str, Any]:
    if depth <= 0 or draw(st.integers(0, 2)) > 0:
        return _field_test(draw)
    combinator = draw(st.sampled_from(["all", "any", "not"]))
    if combinator == "not":
        return {"not": draw(conditions(depth - 1))}
    return {combinator: draw(st.lists(conditions(depth - 1), min_size=1, max_size=3))}


@st.composite
def checklists(draw: st.DrawFn) -> dict[str, Any]:
    field = draw(st.sampled_from(["t.l1", "t.l2"]))
    items = ["x", "y", "z"] if field == "t.l1" else OPEN_ITEMS
    form = draw(st.sampled_from(["items", "any_item", "matching"]))
    spec: dict[str, Any] = {"field": field}
    if form == "items":
        spec["items"] = draw(st.lists(st.sampled_from(items), min_size=1, max_size=3, unique=True))
    elif form == "any_item":
        spec["any_item"] = True
    else:
        spec["matching"] = draw(st.sampled_from(["x|y", "[xz]", *(["^w"] * (field == "t.l2"))]))
    if draw(st.booleans()):
        spec["points_each"] = draw(st.sampled_from([0.5, 2]))
    if form == "items" and len(spec["items"]) > 1 and draw(st.booleans()):
        spec["weights"] = {spec["items"][0]: draw(st.sampled_from([0, 3]))}
    if field == "t.l2" or draw(st.booleans()):
        spec["cap"] = draw(st.sampled_from([1, 2.5, 4]))
    return spec


@st.composite
def criteria(draw: st.DrawFn, prefix: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["levels", "levels", "value", "score", "bands", "checklist"]))
    node: dict[str, Any] = {"id": f"{prefix}-c{draw(st.integers(0, 10**6))}", "title": "C"}
    if draw(st.integers(0, 4)) == 0:
        node["applies_when"] = draw(conditions(1))
    if draw(st.integers(0, 3)) == 0:
        # 0.1, 0.2 and 0.7 have no exact binary sums: the order of addition shows.
        # 0: shown but counting nothing (a group whose children all weigh 0 is N/A).
        node["weight"] = draw(st.sampled_from([0.5, 1, 3, 0.1, 0.2, 0.7, 0]))
    if kind == "levels":
        count = draw(st.integers(1, 4))
        points = draw(st.lists(st.sampled_from([0, 1, 2, 3, 5]), min_size=count, max_size=count))
        if max(points) == 0:
            points[-1] = 1
        node["levels"] = [
            {"points": p, "label": f"L{i}", "when": draw(conditions())}
            for i, p in enumerate(points)
        ]
        if draw(st.booleans()):
            node["cumulative"] = True
    elif kind == "value":
        low = draw(st.sampled_from([-1.0, 0.0, 1.0]))
        node["value"] = {
            "field": draw(st.sampled_from(["t.n1", "t.n2", "t.n3"])),
            "min": low,
            "max": low + draw(st.sampled_from([0.5, 2.0, 3.0])),
            "direction": draw(st.sampled_from(["higher", "lower"])),
            "points": draw(st.sampled_from([1, 2.5, 4])),
        }
        grid = draw(st.sampled_from([None, 0.5, 1, {"points": 0.25}, {"input": 0.5, "points": 1}]))
        if grid is not None:
            node["value"]["round_to"] = grid
    elif kind == "score":
        # Without a scale it takes the rubric's `criterion_defaults` (SCORE_DEFAULTS).
        node["score"] = {"field": draw(st.sampled_from(["t.n1", "t.n2", "t.n3"]))}
        scale = draw(st.sampled_from([None, 1, 2.5, 10]))
        if scale is not None:
            node["score"]["scale"] = scale
        if draw(st.booleans()):
            node["score"]["points"] = draw(st.sampled_from([1, 4]))
    elif kind == "checklist":
        node["checklist"] = draw(checklists())
    else:
        ats = draw(st.lists(NUMBERS, min_size=1, max_size=3, unique=True))
        node["bands"] = {
            "field": draw(st.sampled_from(["t.n1", "t.n2", "stats.quantitative_share"])),
            "direction": draw(st.sampled_from(["higher", "lower"])),
            "steps": [{"at": a, "points": draw(st.sampled_from([0, 1, 2, 4]))} for a in ats],
        }
        if all(step["points"] == 0 for step in node["bands"]["steps"]):
            node["bands"]["steps"][0]["points"] = 1
    return node


@st.composite
def groups(draw: st.DrawFn, prefix: str, depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"id": prefix, "title": "G"}
    if draw(st.integers(0, 4)) == 0:
        node["applies_when"] = draw(conditions(1))
    if draw(st.integers(0, 2)) == 0:
        node["weight"] = draw(st.sampled_from([1, 2, 10]))
    if draw(st.integers(0, 3)) == 0:
        node["aggregation"] = draw(st.sampled_from(["arithmetic", "geometric"]))
    if depth > 0 and draw(st.booleans()):
        count = draw(st.integers(1, 3))
        node["groups"] = [draw(groups(f"{prefix}-{i}", depth - 1)) for i in range(count)]
    if "groups" not in node or draw(st.booleans()):
        count = draw(st.integers(1, 3))
        node["criteria"] = [draw(criteria(f"{prefix}-{i}")) for i in range(count)]
    return node


def _dedupe_ids(node: dict[str, Any], seen: set[str]) -> None:
    for key in ("groups", "criteria"):
        for child in node.get(key, []):
            while child["id"] in seen:
                child["id"] += "x"
            seen.add(child["id"])
            _dedupe_ids(child, seen)


@st.composite
def rubrics(draw: st.DrawFn, penalties: bool = True) -> dict[str, Any]:
    count = draw(st.integers(1, 3))
    data: dict[str, Any] = {
        "rubric": "generated",
        "version": "1",
        "title": "Generated",
        "scale": draw(st.sampled_from([100, 10, 7.5])),
        "na_policy": draw(st.sampled_from(["exclude", "zero"])),
        "weights": draw(st.sampled_from(["max-points", "applicable-points"])),
        "fields": FIELDS,
        "grades": {"A": 50, "B": 0},
        "groups": [draw(groups(f"g{i}", 2)) for i in range(count)],
        "criterion_defaults": SCORE_DEFAULTS,
    }
    if draw(st.booleans()):
        data["aggregation"] = draw(st.sampled_from(["arithmetic", "geometric"]))
    _dedupe_ids(data, set())
    adjustments: list[dict[str, Any]] = []
    if penalties:
        for i in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["count", "points", "cap"]))
            item: dict[str, Any] = {"id": f"adj{i}", "title": "A"}
            if kind == "count":
                item["points_each"] = draw(st.sampled_from([-3, -1, 2]))
                item["count"] = {
                    "violations": draw(
                        st.sampled_from([{}, {"status": "open"}, {"category": "water"}])
                    )
                }
                if draw(st.booleans()):
                    item["floor"] = -5
            elif kind == "points":
                item["points"] = draw(st.sampled_from([-10, 5, 200]))
                item["when"] = draw(conditions(1))
            else:
                item["cap"] = draw(st.sampled_from([0, 20, 60]))
                item["when"] = draw(conditions(1))
            adjustments.append(item)
    data["adjustments"] = adjustments
    return data


def disclosure_values(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    kind = spec["type"]
    if kind == "bool":
        return st.booleans()
    if kind == "number":
        return NUMBERS
    if kind == "text":
        return TEXTS
    if kind == "enum":
        return st.sampled_from(spec["values"])
    return st.lists(st.sampled_from(spec.get("values", OPEN_ITEMS)), max_size=3)


@st.composite
def report_records(draw: st.DrawFn, max_size: int = 8) -> list[dict[str, Any]]:
    count = draw(st.integers(0, max_size))
    records: list[dict[str, Any]] = []
    for i in range(count):
        if records and draw(st.integers(0, 4)) == 0:
            twin = dict(records[-1])  # an exact tie in content, under another id
            twin["company"] = {**twin["company"], "id": f"co{i}"}
            records.append(twin)
            continue
        disclosures: dict[str, Any] = {}
        for name, spec in FIELDS.items():
            if draw(st.booleans()):
                value = draw(disclosure_values(spec))
                if draw(st.booleans()):
                    long: dict[str, Any] = {"value": value}
                    if draw(st.booleans()):
                        long["assured"] = draw(st.booleans())
                    if draw(st.booleans()):
                        long["evidence"] = draw(
                            st.sampled_from(
                                [{}, {"page": 0}, {"quote": ""}, {"quote": " \t"}, {"url": "u"}]
                            )
                        )
                    value = long
                disclosures[name] = value
        record: dict[str, Any] = {
            "company": {"id": f"co{i}", "name": f"Company {i}"},
            "year": draw(st.sampled_from([2023, 2024])),
            "disclosures": disclosures,
        }
        undisclosed = [name for name in FIELDS if name not in disclosures]
        if undisclosed and draw(st.integers(0, 3)) == 0:
            marked = draw(st.lists(st.sampled_from(undisclosed), min_size=1, max_size=2))
            record["not_applicable"] = dict.fromkeys(marked, "synthetic reason")
        if draw(st.booleans()):
            record["company"]["sector"] = draw(st.sampled_from(SECTORS))
        if draw(st.booleans()):
            meta: dict[str, Any] = {}
            if draw(st.booleans()):
                meta["published"] = draw(DATES).isoformat()
            if draw(st.booleans()):
                meta["period_end"] = draw(DATES).isoformat()
            if draw(st.booleans()):
                meta["frameworks"] = draw(st.lists(st.sampled_from(["GRI", "SASB"]), max_size=2))
            record["report"] = meta
        record["violations"] = [
            {
                "id": f"v{j}",
                "date": draw(DATES).isoformat(),
                "status": draw(st.sampled_from(["open", "responded", "corrected", "closed"])),
                "category": draw(st.sampled_from(["water", "air", "waste"])),
                "public_response": draw(st.booleans()),
            }
            for j in range(draw(st.integers(0, 3)))
        ]
        records.append(record)
    return records


# --- derived fields and peer-relative scoring ------------------------------------------

DERIVED: dict[str, dict[str, Any]] = {
    "t.d.ratio": {"ratio": ["t.n1", "t.n2"]},
    "t.d.share": {"share": ["t.n1", "t.n2"]},
    "t.d.sum": {"sum": ["t.n1", "t.n2", "stats.quantitative_share"]},
    "t.d.diff": {"difference": ["t.n2", "year"]},
    "t.d.change": {"change": "t.n1"},
    "t.d.pct": {"change": "t.d.ratio", "as": "percent"},  # a change of a derived field
}
_PROVENANCE = ("assured", "has_evidence")


def _reading(node: Any, name: str) -> Any:
    """Rubric nodes with every read of t.n3 (but provenance tests) turned into `name`."""
    if isinstance(node, list):
        return [_reading(item, name) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in _PROVENANCE:
            out[key] = value
            continue
        if value == "t.n3" and key in ("field", "exists", "missing", "number"):
            value = name
        out[name if key == "t.n3" else key] = _reading(value, name)
    return out


def _against_peers(draw: st.DrawFn, node: Any) -> Any:
    """Some value and band criteria scored against peers instead."""
    if isinstance(node, list):
        return [_against_peers(draw, item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _against_peers(draw, value) for key, value in node.items()}
    for kind in ("value", "bands"):
        scored = out.get(kind)
        if isinstance(scored, dict) and "field" in scored and draw(st.booleans()):
            method = draw(st.sampled_from(["min-max", "percentile", "z-score"]))
            within = draw(st.sampled_from([[], ["company.sector"], ["t.e1"], ["t.b1"]]))
            scored["peers"] = {"method": method, "within": within}
            if kind == "value" and method != "z-score":
                scored.pop("min")
                scored.pop("max")
    return out


@st.composite
def cross_record_rubrics(draw: st.DrawFn) -> dict[str, Any]:
    """Random rubrics whose numbers may come from derived fields and be scored against
    peers: everything `Rubric.cross_record` covers."""
    data = draw(rubrics())
    name = draw(st.sampled_from([*DERIVED, "t.n3"]))
    data["derived"] = DERIVED
    data["groups"] = _against_peers(draw, _reading(data["groups"], name))
    data["adjustments"] = _reading(data["adjustments"], name)
    return data


@st.composite
def company_years(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Random records of a few companies over consecutive years (with gaps), so that a
    change against the previous year finds one, or not."""
    records = draw(report_records(max_size=10))
    years = draw(st.lists(st.sampled_from([2022, 2023, 2024]), min_size=3, max_size=3, unique=True))
    for i, record in enumerate(records):
        record["company"] = {**record["company"], "id": f"co{i // 3}"}
        record["year"] = years[i % 3]
    return records
