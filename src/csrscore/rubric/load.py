"""Loading rubrics by name or path: YAML -> schema check -> extends -> typed nodes."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from csrscore.boundedread import RefusedInputError, read_bounded, refuse_url
from csrscore.errors import CsrscoreError, Location, RubricError
from csrscore.rubric.catalog import Catalog, FieldSpec, declaration_problem, field_spec_from_data
from csrscore.rubric.compose import iter_nodes, merge
from csrscore.rubric.defaults import apply_defaults, expanded
from csrscore.rubric.derived_parse import parse_derived
from csrscore.rubric.findings import Finding, Findings, NodePath, format_node_path
from csrscore.rubric.infer import inferred_fields
from csrscore.rubric.lint import lint_rubric
from csrscore.rubric.model import Rubric
from csrscore.rubric.parse import RubricParser, suggest
from csrscore.rubric.schema import catalog_schema, rubric_schema
from csrscore.rubric.validate import check_schema
from csrscore.rubric.yamlsafe import MAX_BYTES, YamlDocument, load_yaml, plain_data

__all__ = ["check_rubric", "data_dir", "list_rubrics", "load_catalog", "load_rubric"]

MAX_EXTENDS_DEPTH = 8
DEFAULT_CATALOG = "default"


def data_dir(kind: str) -> Path:
    """Shipped data: inside the wheel, or the repository's top-level folder in a checkout."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "_data" / kind
    return packaged if packaged.is_dir() else here.parents[3] / kind


def list_rubrics() -> list[str]:
    """Names of the shipped rubrics."""
    return sorted(
        path.stem for path in data_dir("rubrics").glob("*.yaml") if path.stem != "catalog"
    )


def _rubric_path(name_or_path: str | os.PathLike[str], base: Path | None) -> Path:
    text = os.fspath(name_or_path)
    try:
        refuse_url(text)
    except RefusedInputError as exc:
        raise RubricError(str(exc), Location(text)) from None
    looks_like_path = any(sep in text for sep in "/\\") or text.endswith((".yaml", ".yml"))
    if looks_like_path:
        path = Path(text)
        return path if path.is_absolute() or base is None else base / path
    shipped = data_dir("rubrics") / f"{text}.yaml"
    if not shipped.is_file() or text == "catalog":
        names = list_rubrics()
        raise RubricError(
            f"no shipped rubric named {text!r}{suggest(text, names)}; "
            f"shipped: {', '.join(names)}; or give a path to a .yaml file",
            Location(text),
        )
    return shipped


@dataclass(frozen=True)
class Confinement:
    """The folders `extends` and `catalog` may read from.

    A rubric is untrusted: without this, `extends: /etc/passwd` or `catalog: ../../x` would
    read any file the user can read, and an error would quote it. Paths may point into the
    folder of the rubric the user named (at any depth), into the shipped data, or into a
    folder the user allowed explicitly (`--allow-path DIR`).
    """

    roots: tuple[Path, ...]

    @classmethod
    def of(cls, rubric_folder: Path, allowed: Iterable[str | os.PathLike[str]] = ()) -> Confinement:
        folders = (rubric_folder, data_dir("rubrics"), *(Path(a) for a in allowed))
        return cls(tuple(folder.resolve() for folder in folders))

    def check(self, path: Path, what: str, location: Location) -> Path:
        """`path` resolved (symlinks followed), or a RubricError if it leaves the roots."""
        resolved = path.resolve()
        if not any(resolved.is_relative_to(root) for root in self.roots):
            raise RubricError(
                f"{what} {shown_path(path)!r} is outside the rubric's folder "
                f"{shown_path(self.roots[0])!r}; pass --allow-path DIR to read from DIR",
                location,
            )
        return resolved


def shown_path(path: Path) -> str:
    """`path` relative to the working directory when it lies below it, as users typed it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


_RUBRIC_KEYS = frozenset(rubric_schema()["properties"])


def _read(path: Path) -> YamlDocument:
    try:
        text = read_bounded(path, MAX_BYTES)
    except RefusedInputError as exc:
        raise RubricError(str(exc), Location(str(path))) from None
    return load_yaml(text, str(path))


class _Locator:
    """Maps a path in (possibly merged) rubric data to a file and line.

    Within a single file the path's own line is exact. After `extends`, paths shift, so we
    fall back to the nearest enclosing node with an id, located in whichever file defined it.
    """

    def __init__(self, data: Any, document: YamlDocument, ids: Mapping[str, Location]) -> None:
        self.data = data
        self.document = document
        self.ids = ids
        self.merged = data is not document.data

    def __call__(self, path: NodePath) -> Location:
        text = format_node_path(path) or None
        if not self.merged:
            return Location(self.document.source, self.document.line_of(path), path=text)
        found: Location | None = None
        node: Any = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                found = self.ids.get(node["id"], found)
        if found is None:
            return Location(self.document.source, self.document.line_of(path), path=text)
        return Location(found.source, found.line, path=text)


def _node_locations(document: YamlDocument, data: Any) -> dict[str, Location]:
    return {
        str(node["id"]): Location(
            document.source, document.line_of(path), path=format_node_path(path)
        )
        for path, node, _ in iter_nodes(data)
        if isinstance(node.get("id"), str)
    }


def _resolve(
    path: Path,
    chain: tuple[Path, ...],
    confinement: Confinement,
    given: YamlDocument | None = None,
) -> tuple[dict[str, Any], dict[str, Location], tuple[str, Path], YamlDocument]:
    """Resolved data, where each node id was defined, the catalog reference, the file."""
    document = given or _read(path)
    data = document.data
    findings = Findings(_Locator(data, document, {}))
    if not isinstance(data, dict):
        findings.error("schema", "a rubric is a YAML mapping at the top level", ())
        findings.raise_if_errors()
    if data and not _RUBRIC_KEYS.intersection(data):
        # Say nothing of the content: the file may be anything the path pointed at.
        raise RubricError(
            "not a csrscore rubric (no 'rubric' key at the top level)", Location(document.source)
        )
    check_schema(expanded(data), findings)
    findings.raise_if_errors()
    ids = _node_locations(document, data)
    catalog_ref = (str(data.get("catalog", DEFAULT_CATALOG)), path.parent)
    if "extends" not in data:
        return data, ids, catalog_ref, document

    extends_location = Location(str(path), document.line_of(("extends",)), path="extends")
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise RubricError(f"'extends' is nested deeper than {MAX_EXTENDS_DEPTH}", extends_location)
    try:
        parent_path = _rubric_path(data["extends"], path.parent)
    except RubricError as exc:
        raise RubricError(exc.message, extends_location) from None
    parent_path = confinement.check(parent_path, "'extends'", extends_location)
    if not parent_path.is_file():
        raise RubricError(
            f"'extends' names {data['extends']!r}, which is not a file", extends_location
        )
    if parent_path in (*chain, path.resolve()):
        cycle = " -> ".join(shown_path(p) for p in (*chain, path.resolve(), parent_path))
        raise RubricError(f"'extends' forms a cycle: {cycle}", extends_location)
    # Messages about the parent name it as the user would (relative to the working folder).
    parent, parent_ids, parent_catalog, _ = _resolve(
        Path(shown_path(parent_path)), (*chain, path.resolve()), confinement
    )
    merged = merge(parent, data, findings)
    findings.raise_if_errors()
    ids = {**parent_ids, **ids}
    for section in ("replace", "overrides", "add"):
        for node_id in data.get(section, {}):
            line = document.line_of((section, node_id))
            ids[node_id] = Location(str(path), line, path=f"{section}.{node_id}")
    for key in ("extends", "overrides", "drop", "replace", "add"):
        merged.pop(key, None)
    merged_findings = Findings(_Locator(merged, document, ids))
    check_schema(expanded(merged), merged_findings)
    merged_findings.raise_if_errors()
    return merged, ids, (catalog_ref if "catalog" in data else parent_catalog), document


@lru_cache(maxsize=16)
def _load_catalog_cached(path: str, stamp: tuple[int, int]) -> Catalog:
    document = _read(Path(path))
    # Messages name the file as the user would (relative to the working folder); the
    # resolved path is only the cache's key.
    shown = shown_path(Path(path))
    data = document.data
    fields = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(fields, dict):
        raise RubricError("a catalog needs a 'fields' mapping", Location(shown))
    for error in Draft202012Validator(catalog_schema()).iter_errors(data):
        where = tuple(error.absolute_path)
        raise RubricError(
            error.message[:200],
            Location(shown, document.line_of(where), path=format_node_path(where)),
        )
    for name in fields:
        problem = declaration_problem(name)
        if problem is not None:
            where = ("fields", name)
            raise RubricError(
                problem, Location(shown, document.line_of(where), path=format_node_path(where))
            )
    specs = _field_specs(fields, shown, "fields")
    return Catalog(str(data.get("catalog", Path(path).stem)), str(data.get("version", "")), specs)


def _field_specs(fields: Mapping[str, Any], path: Path | str, where: str) -> dict[str, FieldSpec]:
    specs = {name: field_spec_from_data(name, spec) for name, spec in fields.items()}
    for name, spec in specs.items():
        if spec.minimum is not None and spec.maximum is not None and spec.minimum > spec.maximum:
            raise RubricError(
                f"minimum {spec.minimum:g} is above maximum {spec.maximum:g}",
                Location(str(path), path=f"{where}.{name}"),
            )
    return specs


def load_catalog(
    name_or_path: str | os.PathLike[str] = DEFAULT_CATALOG,
    base: Path | None = None,
    confinement: Confinement | None = None,
) -> Catalog:
    """Load a disclosure catalog: 'default' (the shipped one) or a YAML path.

    With `confinement` (as when a rubric names its catalog), the path must lie inside it.
    """
    text = os.fspath(name_or_path)
    try:
        refuse_url(text)
    except RefusedInputError as exc:
        raise RubricError(str(exc), Location(text)) from None
    if text == DEFAULT_CATALOG:
        path = data_dir("rubrics") / "catalog.yaml"
    else:
        path = Path(text) if Path(text).is_absolute() or base is None else base / text
    if confinement is not None:
        path = confinement.check(path, "catalog", Location(str(path)))
    try:
        stat = path.stat()
    except OSError as exc:
        raise RubricError(f"catalog not readable: {exc.strerror}", Location(str(path))) from None
    return _load_catalog_cached(str(path.resolve()), (stat.st_mtime_ns, stat.st_size))


def _content_hash(data: Mapping[str, Any], catalog: Catalog) -> str:
    canonical = json.dumps(
        {"rubric": data, "catalog": [catalog.name, catalog.version]},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _build(
    path: Path, allowed: Iterable[str | os.PathLike[str]], given: YamlDocument | None = None
) -> tuple[Rubric, list[Finding]]:
    folder = Path.cwd() if given is not None else path.parent
    confinement = Confinement.of(folder, allowed)
    data, ids, (catalog_name, catalog_base), document = _resolve(path, (), confinement, given)
    catalog = load_catalog(catalog_name, catalog_base, confinement)
    apply_defaults(data)
    findings = Findings(_Locator(data, document, ids))
    extra = _field_specs(data.get("fields", {}), path, "fields")
    catalog = catalog.extended(extra) if extra else catalog
    for name in data.get("fields", {}):
        problem = declaration_problem(name)
        if problem is not None:
            findings.error("fields", problem, ("fields", name))
    derived = parse_derived(data.get("derived", {}), catalog, findings)
    if derived:
        catalog = catalog.extended({field.name: field.spec for field in derived})
    inferred = inferred_fields(data, catalog, findings)
    catalog = catalog.extended(inferred) if inferred else catalog
    rubric = RubricParser(catalog, findings).rubric(data, document.source)
    findings.raise_if_errors()
    rubric = replace(rubric, derived=derived)
    lines = {}
    if data is document.data:
        lines = {format_node_path(path): line for path, line in document.lines.items()}
    rubric = replace(rubric, content_hash=_content_hash(data, catalog), locations=ids, lines=lines)
    warnings = [item for item in findings.items if item.severity == "warning"]
    return rubric, [*warnings, *lint_rubric(rubric)]


RubricSource = Rubric | str | os.PathLike[str] | Mapping[str, Any]


AllowedPaths = Iterable[str | os.PathLike[str]]


def load_rubric(rubric: RubricSource, *, allow_paths: AllowedPaths = ()) -> Rubric:
    """Load a shipped rubric by name (e.g. 'iso26000'), a YAML file by path, or rubric data.

    `catalog` and `extends` paths resolve against the rubric's folder and may not leave it
    (nor the shipped data) unless a folder in `allow_paths` holds them. Rubric data (a
    mapping, e.g. parsed JSON from another tool) resolves them against the working
    directory, which is then the rubric's folder. Raises :class:`RubricError` on the first
    error, located as file:line node.path. Lint warnings do not stop loading; see
    :func:`check_rubric`.
    """
    if isinstance(rubric, Rubric):
        return rubric
    if isinstance(rubric, Mapping):
        document = YamlDocument(plain_data(rubric, "<rubric data>"), "<rubric data>")
        return _build(Path("<rubric data>"), allow_paths, document)[0]
    return _build(_rubric_path(rubric, None), allow_paths)[0]


def check_rubric(
    rubric: str | os.PathLike[str], *, allow_paths: AllowedPaths = ()
) -> list[Finding]:
    """Every error and lint warning for a rubric, as data. Never raises for bad rubrics."""
    try:
        return _build(_rubric_path(rubric, None), allow_paths)[1]
    except RubricError as exc:
        findings: list[Finding] | None = getattr(exc, "findings", None)
        return findings or [Finding("error", "load", exc.message, exc.location)]
    except CsrscoreError as exc:
        return [Finding("error", "load", str(exc), Location(os.fspath(rubric)))]
