"""Safe, bounded YAML loading that remembers the line of every node.

PyYAML's composer builds a node graph in which an alias is a shared reference, so an
"alias bomb" is small as a graph but explodes when turned into Python data. We convert the
graph ourselves, counting every node we produce, and stop at fixed limits: a hostile file
fails fast instead of hanging. Only the YAML core schema is constructed; any other tag
(such as `!!python/object`) is an error, and nothing from the file is ever executed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import yaml

from csrscore.errors import Location, RubricError
from csrscore.rubric.findings import format_node_path

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
# The shipped iso26000 rubric has about 3,000 nodes; 50,000 leaves room for very large
# methodologies while a hostile file is refused within a second or two.
MAX_NODES = 50_000

Path = tuple[str | int, ...]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class YamlDocument:
    """Plain data from a YAML file and the 1-based line where each path starts."""

    data: Any
    source: str
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of the deepest existing prefix of `path`."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def plain_data(data: Any, source: str) -> Any:
    """Check rubric data given as Python objects the way YAML input is checked.

    A `True` key (what YAML 1.1 makes of `true:`) becomes the `true` operator; other
    non-text keys and non-finite numbers are errors.
    """

    def walk(node: Any, path: Path) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, value in node.items():
                if key is True:
                    key = "true"
                if not isinstance(key, str):
                    location = Location(source, path=format_node_path(path) or None)
                    raise RubricError(f"mapping keys must be text, got {key!r}", location)
                out[key] = walk(value, (*path, key))
            return out
        if isinstance(node, (list, tuple)):
            return [walk(item, (*path, i)) for i, item in enumerate(node)]
        if isinstance(node, float) and not math.isfinite(node):
            location = Location(source, path=format_node_path(path) or None)
            raise RubricError(f"{node!r}: numbers in a rubric must be finite", location)
        if isinstance(node, (dt.date, dt.datetime)):
            return node.isoformat()
        return node

    return walk(data, ())


def load_yaml(text: str | bytes, source: str) -> YamlDocument:
    """Parse one YAML document into plain data, within size, depth and node limits."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise RubricError(
            f"file is {size} bytes; rubrics are limited to {MAX_BYTES} bytes", Location(source)
        )
    try:
        loader = _BoundedLoader(text, source)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except RubricError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise RubricError(f"invalid YAML: {problem}", Location(source, line=line)) from None
    except yaml.YAMLError as exc:
        raise RubricError(f"invalid YAML: {exc}", Location(source)) from None
    except RecursionError:
        raise RubricError("YAML nesting is too deep", Location(source)) from None
    if root is None:
        raise RubricError("the file is empty", Location(source))
    document = YamlDocument(None, source)
    document.data = _Converter(document).convert(root, ())
    return document


class _BoundedLoader(yaml.SafeLoader):
    """Counts nodes and depth while composing, so limits stop parsing early."""

    def __init__(self, stream: str | bytes, source: str) -> None:
        super().__init__(stream)
        self.source = source
        self.nodes = 0
        self.depth = 0
        # The node path being composed. PyYAML passes a sequence item's position or a
        # mapping value's key node as `index`; the root and key nodes add no segment.
        self.path: list[str | int | None] = []

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        self.nodes += 1
        self.depth += 1
        if isinstance(index, int):
            self.path.append(index)
        else:
            self.path.append(index.value if isinstance(index, yaml.ScalarNode) else None)
        try:
            if self.nodes > MAX_NODES or self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                what = (
                    f"more than {MAX_NODES} YAML nodes"
                    if self.nodes > MAX_NODES
                    else f"nesting deeper than {MAX_DEPTH} levels"
                )
                path = format_node_path([part for part in self.path if part is not None])
                location = Location(self.source, line=mark.line + 1, path=path or None)
                raise RubricError(what, location)
            node: yaml.Node | None = super().compose_node(parent, index)  # type: ignore[arg-type]
            return node
        finally:
            self.depth -= 1
            self.path.pop()


class _Converter:
    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.count = 0
        self.scalars = yaml.SafeLoader("")

    def _fail(self, message: str, node: yaml.Node, path: Path = ()) -> RubricError:
        location = Location(
            self.document.source,
            line=node.start_mark.line + 1,
            path=format_node_path(path) or None,
        )
        return RubricError(message, location)

    def convert(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(
                f"more than {MAX_NODES} YAML nodes after alias expansion (alias bomb?)", node, path
            )
        if len(path) > MAX_DEPTH:
            raise self._fail(f"nesting deeper than {MAX_DEPTH} levels", node, path)
        if node.tag not in _STANDARD_TAGS:
            raise self._fail(f"unsupported YAML tag {node.tag!r}", node, path)
        self.document.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child, (*path, i)) for i, child in enumerate(node.value)]
        try:
            value = self.scalars.construct_object(node)
        except ValueError as exc:
            if node.tag != "tag:yaml.org,2002:int":  # a date such as 2024-13-45
                raise self._fail(f"{node.value!r} is not a valid date: {exc}", node, path) from None
            # Python reads at most 4,300 digits into an int; no rubric number has 20.
            digits = sum(char.isdigit() for char in node.value)
            raise self._fail(
                f"a {digits}-digit number is out of bounds (see 'Number bounds' in the "
                "rubric reference)",
                node,
                path,
            ) from None
        if isinstance(value, (dt.date, dt.datetime)):
            # Dates stay ISO text so that the document is plain JSON data for the schema.
            return value.isoformat()
        if isinstance(value, float) and not math.isfinite(value):
            raise self._fail(f"{node.value!r}: numbers in a rubric must be finite", node, path)
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._fail("YAML merge keys ('<<') are not supported", key_node, path)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail("mapping keys must be plain text", key_node, path)
            key = self.scalars.construct_object(key_node)
            if not isinstance(key, str):
                # `true:` is a YAML 1.1 boolean key, but it is also our `true` operator.
                if key is True and key_node.value in ("true", "True", "TRUE"):
                    key = "true"
                else:
                    raise self._fail(f"mapping keys must be text, got {key!r}", key_node, path)
            if key in result:
                raise self._fail(f"duplicate key {key!r}", key_node, (*path, key))
            child_path = (*path, key)
            self.document.lines[child_path] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node, child_path)
        return result
