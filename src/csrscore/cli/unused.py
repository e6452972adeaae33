"""Disclosure keys in the records that a rubric never reads, counted once per run.

Data shared between indices carries keys meant for other rubrics. `csrscore validate
--rubric` lists them once, instead of a warning on every scoring run (which
`--warn-unknown-keys` turns back on for keys outside the catalog).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from csrscore.compile.plan import compile_rubric
from csrscore.records import ReportSet
from csrscore.rubric import Rubric


@dataclass(frozen=True)
class UnusedKey:
    key: str
    records: int
    first_index: int
    in_catalog: bool

    def __str__(self) -> str:
        where = (
            "in the catalog"
            if self.in_catalog
            else "not in the catalog; it still counts in stats.disclosures"
        )
        return (
            f"{self.key!r}: {self.records} record{'s' * (self.records != 1)}, first at record "
            f"{self.first_index} ({where})"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "records": self.records,
            "first_index": self.first_index,
            "in_catalog": self.in_catalog,
        }


def unused_keys(reports: ReportSet, rubric: Rubric) -> list[UnusedKey]:
    read = set(compile_rubric(rubric).fields)
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for index, report in enumerate(reports.reports):
        for key in report.disclosures:
            if key not in read:
                counts[key] += 1
                first.setdefault(key, reports.position(index))
    return [
        UnusedKey(key, counts[key], first[key], key in rubric.catalog.fields)
        for key in sorted(counts)
    ]
