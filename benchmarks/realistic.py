"""Realistic benchmark data: the shipped synthetic examples, replicated.

Synthetic generators give every company a different score and spread the data evenly;
real index data does not. These records keep the shape of `examples/reports.json` (the
shipped catalog's keys and value forms, several years per company, sectors and countries)
so a benchmark run on them sees what a user's run sees:

- `replicated(n)`: the examples copied until there are `n` records, ids made unique and
  years kept, so most totals are exact ties and each year is a segment of its own;
- `spread(n)`: the same, with each copy changed at random (disclosures dropped, numbers
  scaled, booleans flipped), so totals spread out as in a real index while many ties remain.

All of it is synthetic: the example companies are invented.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

__all__ = ["EXAMPLES", "example_records", "replicated", "spread"]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "reports.json"


def example_records() -> list[dict[str, Any]]:
    data = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    records: list[dict[str, Any]] = data["reports"] if isinstance(data, dict) else data
    return records


def replicated(n: int) -> list[dict[str, Any]]:
    """`n` records: exact copies of the examples with unique company ids."""
    base = example_records()
    out = []
    for index in range(n):
        record = copy.deepcopy(base[index % len(base)])
        record["company"]["id"] += f"-{index // len(base)}"
        out.append(record)
    return out


def spread(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` records like `replicated`, each copy changed at random; the same seed, the same data."""
    rng = random.Random(seed)
    records = replicated(n)
    for record in records:
        disclosures: dict[str, Any] = record["disclosures"]
        for key in list(disclosures):
            roll = rng.random()
            if roll < 0.15:
                del disclosures[key]
            elif roll < 0.45 and not key.endswith("_year"):  # a scaled year is no year
                disclosures[key] = _perturb(disclosures[key], rng)
    return records


def _perturb(disclosure: Any, rng: random.Random) -> Any:
    if isinstance(disclosure, dict) and "value" in disclosure:
        return {**disclosure, "value": _perturb(disclosure["value"], rng)}
    if isinstance(disclosure, bool):
        return not disclosure
    if isinstance(disclosure, (int, float)):
        # A value that could be a percentage stays one (the catalog's shares are 0 to 100).
        scaled = round(
            disclosure * rng.uniform(0.5, 1.5), 1 if isinstance(disclosure, float) else None
        )
        return min(100, scaled) if disclosure <= 100 else scaled
    return disclosure
