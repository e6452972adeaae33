"""Editions of an index: which rubric scores which reporting years, and which criteria of
one edition are comparable with which of the next (an index changes its methodology
between editions, and a year-over-year comparison must not mistake that for the company).

An editions file is YAML:

    editions:
      - from: 2023                # the first reporting year this edition scores
        rubric: index-2023.yaml   # a path (from this file's folder) or a shipped rubric name
      - from: 2024
        rubric: index-2024.yaml
        comparable:               # a criterion of the previous edition: its match in this one
          gov-policy: gov-csr-policy
          env-targets: null       # same id, but measured differently: not comparable

A criterion that keeps its id is comparable with itself unless `comparable` says otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from csrscore.errors import Location, RubricError, UsageError
from csrscore.rubric.findings import format_node_path
from csrscore.rubric.load import Confinement, _read, _rubric_path, load_rubric
from csrscore.rubric.model import Rubric
from csrscore.rubric.schema import ID_PATTERN

__all__ = ["Edition", "Editions", "comparable_criteria", "load_editions"]

EDITIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "editions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "from": {"type": "integer", "minimum": 1990, "maximum": 2100},
                    "rubric": {"type": "string", "minLength": 1},
                    "comparable": {
                        "type": "object",
                        "propertyNames": {"pattern": ID_PATTERN},
                        "additionalProperties": {
                            "anyOf": [{"type": "string", "pattern": ID_PATTERN}, {"type": "null"}]
                        },
                    },
                },
                "required": ["from", "rubric"],
                "additionalProperties": False,
            },
        },
        "description": {"type": "string"},
    },
    "required": ["editions"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Edition:
    """One edition: its rubric scores reporting years from `first_year` until the next."""

    first_year: int
    rubric: Rubric
    # A criterion of the previous edition -> its match in this one, or None: not comparable.
    comparable: Mapping[str, str | None]


@dataclass(frozen=True)
class Editions:
    """The editions of an index, oldest first. Built by `load_editions`."""

    editions: tuple[Edition, ...]
    source: str | None = None

    def _index(self, year: int) -> int:
        starts = [edition.first_year for edition in self.editions]
        if year < starts[0]:
            raise RubricError(
                f"no edition scores {year}; the first starts in {starts[0]}", Location(self.source)
            )
        return max(k for k, start in enumerate(starts) if start <= year)

    def rubric_for(self, year: int) -> Rubric:
        """The rubric of the edition that scores reporting year `year`."""
        return self.editions[self._index(year)].rubric

    def comparable(self, from_year: int, to_year: int) -> dict[str, str | None]:
        """Each criterion of `from_year`'s edition -> its match in `to_year`'s, or None,
        following the mapping of every edition in between."""
        first, last = self._index(from_year), self._index(to_year)
        if first > last:
            raise RubricError(
                f"{from_year} is after {to_year}: compare an earlier year with a later one",
                Location(self.source),
            )
        matches: dict[str, str | None] = {
            criterion.id: criterion.id for criterion in self.editions[first].rubric.criteria
        }
        for k in range(first + 1, last + 1):
            previous, edition = self.editions[k - 1], self.editions[k]
            step = comparable_criteria(previous.rubric, edition.rubric, edition.comparable)
            matches = {old: None if new is None else step[new] for old, new in matches.items()}
        return matches


def comparable_criteria(
    earlier: Rubric, later: Rubric, given: Mapping[str, str | None] | None = None
) -> dict[str, str | None]:
    """Each criterion of `earlier` -> its match in `later`, or None when there is none: as
    `given` says, else the criterion with the same id when `later` has one.

    Raises UsageError for an id that is not a criterion of its rubric, or for a criterion of
    `later` matched twice.
    """
    given = given or {}
    earlier_ids = {criterion.id for criterion in earlier.criteria}
    later_ids = {criterion.id for criterion in later.criteria}
    for old, new in given.items():
        if old not in earlier_ids:
            raise UsageError(
                f"comparable: {old!r} is not a criterion of {earlier.name} {earlier.version}"
            )
        if new is not None and new not in later_ids:
            raise UsageError(
                f"comparable: {new!r} is not a criterion of {later.name} {later.version}"
            )
    matches = {
        old: given.get(old, old if old in later_ids else None) for old in sorted(earlier_ids)
    }
    seen: dict[str, str] = {}
    for old, new in matches.items():
        if new is None:
            continue
        if new in seen:
            raise UsageError(
                f"comparable: {new!r} is matched by both {seen[new]!r} and {old!r}; "
                "a criterion is comparable with one criterion at most"
            )
        seen[new] = old
    return matches


def load_editions(
    path: str | os.PathLike[str], *, allow_paths: Iterable[str | os.PathLike[str]] = ()
) -> Editions:
    """Load an editions file; rubric paths resolve against its folder and may not leave it
    (nor the shipped rubrics) unless a folder in `allow_paths` holds them."""
    file = Path(path)
    document = _read(file)
    data = document.data
    source = str(file)
    for error in Draft202012Validator(EDITIONS_SCHEMA).iter_errors(data):
        where = tuple(error.absolute_path)
        raise RubricError(
            error.message[:200],
            Location(source, document.line_of(where), path=format_node_path(where) or None),
        )
    confinement = Confinement.of(file.parent, allow_paths)
    editions: list[Edition] = []
    for k, entry in enumerate(data["editions"]):
        where = ("editions", k)
        location = Location(source, document.line_of(where), path=format_node_path(where))
        if editions and entry["from"] <= editions[-1].first_year:
            raise RubricError(
                "editions must be listed oldest first, each from a later year", location
            )
        if "comparable" in entry and not editions:
            raise RubricError(
                "the first edition has no previous one to be comparable with", location
            )
        rubric_path = _rubric_path(entry["rubric"], file.parent)
        rubric_path = confinement.check(rubric_path, "rubric", location)
        rubric = load_rubric(rubric_path, allow_paths=allow_paths)
        comparable = dict(entry.get("comparable", {}))
        if editions:
            try:
                comparable_criteria(editions[-1].rubric, rubric, comparable)
            except UsageError as exc:
                raise RubricError(str(exc), location) from None
        editions.append(Edition(entry["from"], rubric, comparable))
    return Editions(tuple(editions), source)
