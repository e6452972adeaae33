"""Plain rubric data (already schema-valid) -> typed nodes, with type checks.

Every field test is checked against the catalog here, before any report is seen: an
unknown field, an operator that does not apply to the field's type, an operand of the wrong
type or an invalid regular expression is a located error.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from typing import Any, cast

from csrscore.operators import OPERATORS
from csrscore.precision import DEFAULT_ROUNDING, TIE_DECIMALS, Rounding
from csrscore.rubric.catalog import BUILTIN_FIELDS, RESERVED_PREFIXES, Catalog, FieldSpec
from csrscore.rubric.checklist import Checklist
from csrscore.rubric.conditions import (
    AllOf,
    AnyOf,
    Condition,
    CountComparison,
    FieldTest,
    Not,
    PublishedWithin,
    ViolationCount,
    ViolationFilter,
)
from csrscore.rubric.findings import Findings, NodePath, format_node_path
from csrscore.rubric.model import (
    Adjustment,
    Aggregation,
    Band,
    Bands,
    Criterion,
    Group,
    Level,
    Rubric,
    ValueScoring,
)
from csrscore.rubric.peers import DEFAULT_RANGE, GROUPING_TYPES, PeerScoring
from csrscore.rubric.regex import RegexError, compile_pattern

ROOT_ID = "__root__"
MAX_REGEX_LENGTH = 500
_COUNT_COMPARISONS: tuple[CountComparison, ...] = ("gte", "gt", "lte", "lt", "eq")


# Spellings people reach for first, mapped to our operator names.
_ALIASES = {
    "greater_than": "gt",
    "greater_than_or_equal": "gte",
    "less_than": "lt",
    "less_than_or_equal": "lte",
    "equals": "eq",
    "not_equals": "ne",
    "regex": "matches",
    "has": "contains",
    "and": "all",
    "or": "any",
    "is_true": "true",
}


def suggest(name: object, options: list[str]) -> str:
    name = str(name)
    stem = name.replace("-", "_").lower()
    for alias, target in _ALIASES.items():
        if target in options and difflib.SequenceMatcher(None, stem, alias).ratio() >= 0.8:
            return f" (did you mean {target!r}?)"
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_date(text: Any) -> dt.date | None:
    if not isinstance(text, str):
        return None
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


class RubricParser:
    def __init__(self, catalog: Catalog, findings: Findings) -> None:
        self.catalog = catalog
        self.findings = findings
        self.seen_ids: dict[str, NodePath] = {}

    # --- tree -----------------------------------------------------------------------

    def rubric(self, data: Mapping[str, Any], source: str | None) -> Rubric:
        aggregation = cast(Aggregation, data.get("aggregation", "arithmetic"))
        children = tuple(
            self.group(child, ("groups", i), aggregation)
            for i, child in enumerate(data.get("groups", []))
        )
        root = Group(ROOT_ID, data["title"], "", children, aggregation=aggregation)
        grades = tuple(
            sorted(
                ((str(label), float(limit)) for label, limit in data.get("grades", {}).items()),
                key=lambda band: -band[1],
            )
        )
        for (label, limit), (previous, above) in zip(grades[1:], grades, strict=False):
            if limit == above:
                self.findings.error(
                    "grades-tie",
                    f"grades {previous!r} and {label!r} share the threshold {limit:g}; "
                    "only one of them could ever be given",
                    ("grades",),
                )
        if grades and grades[-1][1] != 0:
            self.findings.error(
                "grades-gap",
                f"no grade band starts at 0; totals below {grades[-1][1]:g} would get no grade",
                ("grades",),
            )
        adjustments = tuple(
            self.adjustment(item, ("adjustments", i))
            for i, item in enumerate(data.get("adjustments", []))
        )
        return Rubric(
            name=data["rubric"],
            version=str(data["version"]),
            title=data["title"],
            root=root,
            catalog=self.catalog,
            scale=float(data.get("scale", 100)),
            na_policy=data.get("na_policy", "exclude"),
            weights=data.get("weights", "max-points"),
            rounding=_rounding(data.get("rounding")),
            grades=grades,
            adjustments=adjustments,
            description=data.get("description", ""),
            references=data.get("references", {}),
            source=source,
            document=data,
        )

    def _register(self, node_id: str, path: NodePath) -> None:
        first = self.seen_ids.setdefault(node_id, path)
        if first != path:
            self.findings.error(
                "duplicate-id",
                f"duplicate id {node_id!r}; first used at {format_node_path(first)}",
                (*path, "id"),
            )

    def _applies_when(self, data: Mapping[str, Any], path: NodePath) -> Condition | None:
        applies = data.get("applies_when")
        return None if applies is None else self.condition(applies, (*path, "applies_when"))

    def _weight(self, data: Mapping[str, Any], path: NodePath) -> float | None:
        weight = data.get("weight")  # its bounds are the schema's (rubric/bounds.py)
        return None if weight is None else float(weight)

    def group(self, data: Mapping[str, Any], path: NodePath, inherited: Aggregation) -> Group:
        self._register(data["id"], path)
        aggregation = cast(Aggregation, data.get("aggregation", inherited))
        children: list[Group | Criterion] = [
            self.group(child, (*path, "groups", i), aggregation)
            for i, child in enumerate(data.get("groups", []))
        ]
        children += [
            self.criterion(child, (*path, "criteria", i))
            for i, child in enumerate(data.get("criteria", []))
        ]
        if not children:
            self.findings.error("empty-group", "group has no groups or criteria", path)
        return Group(
            id=data["id"],
            title=data["title"],
            path=format_node_path(path),
            children=tuple(children),
            description=data.get("description", ""),
            weight=self._weight(data, path),
            applies_when=self._applies_when(data, path),
            references=data.get("references", {}),
            aggregation=aggregation,
        )

    def criterion(self, data: Mapping[str, Any], path: NodePath) -> Criterion:
        self._register(data["id"], path)
        levels = tuple(
            Level(
                points=float(level["points"]),
                label=level["label"],
                when=self.condition(level["when"], (*path, "levels", i, "when")),
                description=level.get("description", ""),
            )
            for i, level in enumerate(data.get("levels", []))
        )
        criterion = Criterion(
            id=data["id"],
            title=data["title"],
            path=format_node_path(path),
            description=data.get("description", ""),
            weight=self._weight(data, path),
            applies_when=self._applies_when(data, path),
            references=data.get("references", {}),
            levels=levels,
            cumulative=bool(data.get("cumulative", False)),
            value=self._value(data.get("value"), (*path, "value"))
            or self._score(data.get("score"), (*path, "score")),
            bands=self._bands(data.get("bands"), (*path, "bands")),
            checklist=self._checklist(data.get("checklist"), (*path, "checklist")),
        )
        if "cumulative" in data and criterion.kind != "levels":
            self.findings.error("cumulative", "'cumulative' applies to level ladders only", path)
        listed = criterion.checklist
        open_checklist = listed is not None and listed.uncapped_max is None and listed.cap is None
        if criterion.max_points <= 0 and not open_checklist:  # that one has its own error
            self.findings.error("no-points", "criterion can earn no points: its maximum is 0", path)
        return criterion

    def _numeric_field(self, name: str, path: NodePath) -> None:
        spec = self._field(name, path)
        if spec is not None and spec.type != "number":
            self.findings.error(
                "type", f"field {name!r} is {spec.type}; value scoring needs a number", path
            )

    def _value(self, data: Mapping[str, Any] | None, path: NodePath) -> ValueScoring | None:
        if data is None:
            return None
        self._numeric_field(data["field"], (*path, "field"))
        peers = self._peers(data.get("peers"), (*path, "peers"))
        if peers is not None and ("min" not in data or "max" not in data):
            if peers.method not in DEFAULT_RANGE:
                self.findings.error(
                    "range",
                    f"peers: {peers.method} has no fixed range; give 'min' and 'max' in "
                    "standard deviations (for example -2 and 2)",
                    path,
                )
            low, high = DEFAULT_RANGE.get(peers.method, (-2.0, 2.0))
            data = {"min": low, "max": high, **data}
        if data["min"] >= data["max"]:
            self.findings.error(
                "range",
                f"min ({data['min']:g}) must be below max ({data['max']:g}); "
                "use direction: lower to reward small values",
                path,
            )
        grid = data.get("round_to")
        grids = grid if isinstance(grid, Mapping) else {} if grid is None else {"input": grid}
        return ValueScoring(
            field=data["field"],
            low=float(data["min"]),
            high=float(data["max"]),
            points=float(data["points"]),
            direction=data.get("direction", "higher"),
            input_grid=None if "input" not in grids else float(grids["input"]),
            points_grid=None if "points" not in grids else float(grids["points"]),
            peers=peers,
        )

    def _score(self, data: Mapping[str, Any] | None, path: NodePath) -> ValueScoring | None:
        """A pre-scored indicator: the published score on 0..scale, as points out of
        `points` (the scale itself unless given)."""
        if data is None:
            return None
        self._numeric_field(data["field"], (*path, "field"))
        if "scale" not in data:
            self.findings.error(
                "score", "a score needs its 'scale' (here or in criterion_defaults)", path
            )
        scale = float(data.get("scale", 1.0))
        return ValueScoring(
            field=data["field"],
            low=0.0,
            high=scale,
            points=float(data.get("points", scale)),
            scale=scale,
        )

    def _peers(self, data: Mapping[str, Any] | None, path: NodePath) -> PeerScoring | None:
        if data is None:
            return None
        for i, name in enumerate(data.get("within", ())):
            spec = self._field(name, (*path, "within", i))
            if spec is not None and spec.type not in GROUPING_TYPES:
                self.findings.error(
                    "type",
                    f"peers cannot be grouped by {name!r}, which is {spec.type}; group by "
                    "text, enum, number or bool fields",
                    (*path, "within", i),
                )
        return PeerScoring(data["method"], tuple(data.get("within", ())))

    def _checklist(self, data: Mapping[str, Any] | None, path: NodePath) -> Checklist | None:
        if data is None:
            return None
        spec = self._field(data["field"], (*path, "field"))
        if spec is not None and spec.type != "list":
            self.findings.error(
                "type", f"field {data['field']!r} is {spec.type}; a checklist needs a list", path
            )
        known = spec.values if spec is not None and spec.type == "list" else None
        items = data.get("items")
        for i, item in enumerate(items or ()):
            if known is not None and item not in known:
                assert spec is not None
                self.findings.error("value", _not_allowed(spec, item, "item"), (*path, "items", i))
        if items is not None and len(set(items)) != len(items):
            self.findings.error("checklist", "an item is listed twice", (*path, "items"))
        matching = None
        if "matching" in data:
            try:
                matching = compile_pattern(data["matching"])
            except RegexError as exc:
                self.findings.error("regex", str(exc), (*path, "matching"))
        checklist = Checklist(
            field=data["field"],
            items=None if items is None else tuple(items),
            matching=matching,
            points_each=float(data.get("points_each", 1.0)),
            weights={str(k): float(v) for k, v in data.get("weights", {}).items()},
            cap=None if data.get("cap") is None else float(data["cap"]),
            known_items=known or (),
        )
        for item in checklist.weights:
            if not checklist.counts(item) or (known is not None and item not in known):
                self.findings.error(
                    "checklist",
                    f"weights: {item!r} is not an item this checklist counts",
                    (*path, "weights", item),
                )
        if checklist.uncapped_max is None and checklist.cap is None:
            self.findings.error(
                "checklist",
                f"the items of {checklist.field!r} are open (no 'items' here, no 'values' in "
                "the catalog), so the most it can earn is unknown: give a 'cap'",
                path,
            )
        return checklist

    def _bands(self, data: Mapping[str, Any] | None, path: NodePath) -> Bands | None:
        if data is None:
            return None
        self._numeric_field(data["field"], (*path, "field"))
        steps = tuple(
            Band(float(step["at"]), float(step["points"]), step.get("label", ""))
            for step in data["steps"]
        )
        thresholds = [step.at for step in steps]
        if len(set(thresholds)) != len(thresholds):
            self.findings.error("bands", "two steps share the same 'at' threshold", path)
        peers = self._peers(data.get("peers"), (*path, "peers"))
        return Bands(data["field"], steps, data.get("direction", "higher"), peers)

    def adjustment(self, data: Mapping[str, Any], path: NodePath) -> Adjustment:
        self._register(data["id"], path)
        when = data.get("when")
        kind = "count" if "points_each" in data else "points" if "points" in data else "cap"
        count = data.get("count")
        floor, ceiling = data.get("floor"), data.get("ceiling")
        if floor is not None and ceiling is not None and floor > ceiling:
            self.findings.error("range", "floor is above ceiling", path)
        if kind != "count" and (floor is not None or ceiling is not None):
            self.findings.error(
                "bounds",
                "'floor' and 'ceiling' bound a count adjustment (points_each) only; "
                f"on a {kind} adjustment they would be ignored",
                path,
            )
        if kind == "count" and floor is not None and floor > 0:
            self.findings.warning(
                "floor-positive",
                f"floor {floor:g} is above 0: every company where this applies gets at "
                f"least {floor:g} points, even with no matching record",
                (*path, "floor"),
            )
        return Adjustment(
            id=data["id"],
            title=data["title"],
            kind=kind,  # type: ignore[arg-type]
            path=format_node_path(path),
            description=data.get("description", ""),
            references=data.get("references", {}),
            when=None if when is None else self.condition(when, (*path, "when")),
            points_each=float(data.get("points_each", 0.0)),
            count=None
            if count is None
            else self._violation_filter(count["violations"], (*path, "count", "violations")),
            floor=None if floor is None else float(floor),
            ceiling=None if ceiling is None else float(ceiling),
            points=float(data.get("points", 0.0)),
            cap=None if data.get("cap") is None else float(data["cap"]),
        )

    # --- conditions -----------------------------------------------------------------

    def condition(self, data: Mapping[str, Any], path: NodePath) -> Condition:
        ((op, argument),) = data.items()
        here = (*path, op)
        if op in ("all", "any"):
            items = tuple(self.condition(item, (*here, i)) for i, item in enumerate(argument))
            return AllOf(items) if op == "all" else AnyOf(items)
        if op == "not":
            return Not(self.condition(argument, here))
        if op == "published_within_days":
            return PublishedWithin(int(argument))
        if op == "violations":
            compare: CountComparison = "gte"
            threshold = 1
            for name in _COUNT_COMPARISONS:
                if name in argument:
                    compare, threshold = name, int(argument[name])
            filters = {k: v for k, v in argument.items() if k not in _COUNT_COMPARISONS}
            if sum(name in argument for name in _COUNT_COMPARISONS) > 1:
                self.findings.error("violations", "give one count comparison only", here)
            return ViolationCount(self._violation_filter(filters, here), compare, threshold)
        if isinstance(argument, str):
            field_name, operand = argument, None
        else:
            ((field_name, operand),) = argument.items()
        return self._field_test(op, field_name, operand, here)

    def _field(self, name: str, path: NodePath) -> FieldSpec | None:
        spec = self.catalog.get(name)
        if spec is None:
            known = [*self.catalog.fields, *BUILTIN_FIELDS]
            kind = "built-in field" if name.startswith(RESERVED_PREFIXES) else "disclosure key"
            self.findings.error(
                "unknown-field",
                f"unknown {kind} {name!r}{suggest(name, known)}; declare it in the catalog "
                "or under 'fields'",
                path,
            )
        return spec

    def _field_test(self, op: str, name: str, operand: Any, path: NodePath) -> FieldTest:
        operator = OPERATORS[op]
        spec = self._field(name, path)
        if spec is None:
            return FieldTest(op, name, operand, operand)
        if spec.type not in operator.types:
            allowed = ", ".join(sorted(operator.types))
            self.findings.error(
                "type",
                f"operator {op!r} does not apply to {spec.type} field {name!r} "
                f"(it applies to: {allowed})",
                path,
            )
            return FieldTest(op, name, operand, operand)
        if operator.disclosure_only and spec.origin != "disclosure":
            self.findings.error(
                "type", f"operator {op!r} applies to disclosures only, not {name!r}", path
            )
        normalized = self._operand(operator.operand, spec, operand, path)
        if (
            op == "between"
            and normalized is not None
            and all(isinstance(bound, float) for bound in normalized)
            and normalized[0] > normalized[1]
        ):
            self.findings.error(
                "range", f"between: low {operand[0]} is above high {operand[1]}", path
            )
        return FieldTest(op, name, normalized, operand)

    def _operand(self, kind: str, spec: FieldSpec, operand: Any, path: NodePath) -> Any:
        if kind == "none":
            return None
        if kind == "regex":
            try:
                return compile_pattern(operand)
            except RegexError as exc:
                self.findings.error("regex", str(exc), path)
                return None
        if kind == "range":
            return tuple(self._single(spec, value, path) for value in operand)
        if kind == "list":
            return tuple(self._single(spec, value, path) for value in operand)
        if kind == "item":
            if spec.type == "list" and spec.values is not None and operand not in spec.values:
                self.findings.error("value", _not_allowed(spec, operand, "item"), path)
            return operand
        return self._single(spec, operand, path)

    def _single(self, spec: FieldSpec, value: Any, path: NodePath) -> Any:
        """Check one operand value against the field type; dates become day ordinals."""
        expected = {
            "bool": "a boolean",
            "number": "a number",
            "date": "an ISO date (YYYY-MM-DD)",
        }.get(spec.type, "text")
        if spec.type == "date":
            date = parse_date(value)
            if date is None:
                self.findings.error(
                    "type", f"{spec.name!r} is a date; expected {expected}, got {value!r}", path
                )
                return value
            return float(date.toordinal())
        ok = {
            "bool": isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        }.get(spec.type, isinstance(value, str))
        if not ok:
            self.findings.error(
                "type", f"{spec.name!r} is {spec.type}; expected {expected}, got {value!r}", path
            )
            return value
        if spec.type == "number":
            return float(value)
        if spec.type == "enum" and spec.values is not None and value not in spec.values:
            self.findings.error("value", _not_allowed(spec, value, "value"), path)
        return value

    def _violation_filter(self, data: Mapping[str, Any], path: NodePath) -> ViolationFilter:
        def many(key: str) -> tuple[str, ...] | None:
            value = data.get(key)
            if value is None:
                return None
            return (value,) if isinstance(value, str) else tuple(value)

        dates = {}
        for key in ("from", "to"):
            if key in data:
                dates[key] = parse_date(data[key])
                if dates[key] is None:
                    self.findings.error("type", f"'{key}' must be an ISO date", (*path, key))
        return ViolationFilter(
            statuses=many("status"),
            categories=many("category"),
            public_response=data.get("public_response"),
            date_from=dates.get("from"),
            date_to=dates.get("to"),
            within_years=data.get("within_years"),
        )


def _rounding(data: Mapping[str, Any] | None) -> Rounding:
    """A publisher's rounding rule; half-up unless it says otherwise, as most indices do."""
    if data is None:
        return DEFAULT_ROUNDING
    return Rounding(
        decimals=int(data.get("decimals", TIE_DECIMALS)),
        mode=data.get("mode", "half-up"),
        ties=data.get("ties", "rounded"),
    )


def _not_allowed(spec: FieldSpec, value: str, noun: str) -> str:
    allowed = list(spec.values or ())
    return (
        f"{value!r} is not an allowed {noun} of {spec.name!r}{suggest(value, allowed)}; "
        f"allowed: {', '.join(allowed)}"
    )
