"""Deterministic synthetic report records for benchmarks.

The mix of disclosure forms follows what CSR survey files tend to hold: mostly yes/no
policy questions and quantities, some free text and lists, and a share of long-form
disclosures that carry a unit, page evidence and an assurance flag.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

__all__ = ["disclosure_keys", "make_records", "write_json", "write_jsonl"]

_THEMES = {
    "env": ["ghg", "energy", "water", "waste", "biodiversity", "pollution", "materials"],
    "lab": ["health_safety", "wages", "hours", "child_labour", "training", "unions"],
    "hr": ["due_diligence", "grievance", "indigenous", "security", "privacy"],
    "gov": ["board", "ethics", "anti_corruption", "tax", "lobbying", "risk"],
    "sc": ["audits", "suppliers", "traceability", "conflict_minerals", "corrective"],
    "com": ["investment", "consultation", "donations", "local_hiring"],
}
_ITEMS = ["policy", "target", "total", "intensity", "share", "scope", "coverage", "incidents"]
_SECTORS = ["energy", "mining", "textiles", "chemicals", "food", "electronics", "finance"]
_COUNTRIES = ["CN", "DE", "US", "GB", "JP", "IN", "BR", "FR", "KR", "AU", "ZA", "ID"]
_UNITS = ["tCO2e", "MWh", "m3", "t", "%", "hours", "USD", "incidents"]
_WORDS = (
    "policy covers all sites suppliers audited annually targets aligned with science based "
    "pathway grievance mechanism open to workers communities third party verified"
).split()
_STATUSES = ["open", "responded", "corrected", "closed"]


def disclosure_keys() -> list[str]:
    """The pool of disclosure keys records draw from (about 300)."""
    return [
        f"{theme}.{topic}.{item}"
        for theme, topics in _THEMES.items()
        for topic in topics
        for item in _ITEMS
    ]


def make_records(n: int, disclosures: int = 100, seed: int = 0) -> list[dict[str, Any]]:
    """`n` valid records with `disclosures` disclosures each; the same seed, the same data."""
    rng = random.Random(seed)
    keys = disclosure_keys()
    per_record = min(disclosures, len(keys))
    return [_record(rng, index, rng.sample(keys, per_record)) for index in range(n)]


def _record(rng: random.Random, index: int, keys: list[str]) -> dict[str, Any]:
    year = 2015 + index % 9
    record: dict[str, Any] = {
        "company": {
            "id": f"c{index:07d}",
            "name": f"Company {index}",
            "sector": rng.choice(_SECTORS),
            "country": rng.choice(_COUNTRIES),
        },
        "year": year,
        "report": {
            "title": f"Sustainability Report {year}",
            "url": f"https://example.org/reports/c{index:07d}-{year}.pdf",
            "published": f"{year + 1}-0{rng.randint(3, 9)}-{rng.randint(10, 28)}",
            "frameworks": rng.sample(["GRI", "SASB", "TCFD", "ISO 26000", "UNGC"], 2),
        },
        "disclosures": {key: _disclosure(rng) for key in keys},
    }
    if rng.random() < 0.3:
        record["violations"] = [
            {
                "id": f"v{index:07d}-{number}",
                "date": f"{year}-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
                "status": rng.choice(_STATUSES),
                "public_response": rng.random() < 0.5,
            }
            for number in range(rng.randint(1, 3))
        ]
    return record


def _disclosure(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.30:
        return rng.random() < 0.6
    if roll < 0.50:
        return rng.randint(0, 1_000_000)
    if roll < 0.65:
        return round(rng.uniform(0, 10_000), 2)
    if roll < 0.75:
        return " ".join(rng.choices(_WORDS, k=rng.randint(3, 12)))
    if roll < 0.85:
        return rng.sample(_WORDS, rng.randint(1, 4))
    evidence: dict[str, Any] = {"page": rng.randint(1, 250)}
    if rng.random() < 0.3:
        evidence["quote"] = " ".join(rng.choices(_WORDS, k=6))
    return {
        "value": round(rng.uniform(0, 50_000), 1),
        "unit": rng.choice(_UNITS),
        "evidence": evidence,
        "assured": rng.random() < 0.4,
    }


def write_json(path: str | os.PathLike[str], records: list[dict[str, Any]]) -> int:
    """Write a JSON array of records; return the file size in bytes."""
    data = json.dumps(records, separators=(",", ":")).encode()
    Path(path).write_bytes(data)
    return len(data)


def write_jsonl(path: str | os.PathLike[str], records: list[dict[str, Any]]) -> int:
    """Write JSON Lines, one record a line; return the file size in bytes."""
    data = b"".join(
        json.dumps(record, separators=(",", ":")).encode() + b"\n" for record in records
    )
    Path(path).write_bytes(data)
    return len(data)
