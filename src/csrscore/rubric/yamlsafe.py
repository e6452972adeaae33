"""Safe, bounded YAML loading that remembers the line of every node.

PyYAML's composer builds a node graph in which an alias is a shared reference, so an
"alias bomb" is small as a graph but explodes when turned into Python data. We convert the
graph ourselves, counting every node we produce, and stop at fixed limits: a hostile file
fails fast instead of hanging. Only the YAML core schema is constructed; any other tag
(such as `!!python/object`) is an error, and nothing from the file is ever executed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from csrscore.errors import Location, RubricError

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000

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


def load_yaml(text: str | bytes, source: str) -> YamlDocument:
    """Parse one YAML document into plain data, within size, depth and node limits."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise RubricError(
            f"file is {size} bytes; rubrics are limited to {MAX_BYTES} bytes", Location(source)
        )
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
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


class _Converter:
    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.count = 0
        self.scalars = yaml.SafeLoader("")

    def _fail(self, message: str, node: yaml.Node) -> RubricError:
        return RubricError(message, Location(self.document.source, line=node.start_mark.line + 1))

    def convert(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(
                f"more than {MAX_NODES} YAML nodes after alias expansion (alias bomb?)", node
            )
        if len(path) > MAX_DEPTH:
            raise self._fail(f"nesting deeper than {MAX_DEPTH} levels", node)
        if node.tag not in _STANDARD_TAGS:
            raise self._fail(f"unsupported YAML tag {node.tag!r}", node)
        self.document.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child, (*path, i)) for i, child in enumerate(node.value)]
        value = self.scalars.construct_object(node)
        if isinstance(value, (dt.date, dt.datetime)):
            # Dates stay ISO text so that the document is plain JSON data for the schema.
            return value.isoformat()
        if isinstance(value, float) and value != value:
            raise self._fail("NaN is not allowed in a rubric", node)
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._fail("YAML merge keys ('<<') are not supported", key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail("mapping keys must be plain text", key_node)
            key = self.scalars.construct_object(key_node)
            if not isinstance(key, str):
                # `true:` is a YAML 1.1 boolean key, but it is also our `true` operator.
                if key is True and key_node.value in ("true", "True", "TRUE"):
                    key = "true"
                else:
                    raise self._fail(f"mapping keys must be text, got {key!r}", key_node)
            if key in result:
                raise self._fail(f"duplicate key {key!r}", key_node)
            child_path = (*path, key)
            self.document.lines[child_path] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node, child_path)
        return result
