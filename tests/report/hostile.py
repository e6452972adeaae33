"""Hostile report records for the site's security tests, made from the shipped examples.

Names, quotes, values and evidence URLs carry markup, script and `javascript:` URLs; each
must reach the page as inert text. Run as a script to print the records as JSON.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from benchmarks.realistic import example_records

SCRIPT_NAME = "<script>alert(1)</script>"
LINK_NAME = '<a href="javascript:alert(2)">Click</a> & Co'
QUOTE = '</q><script>alert(3)</script><img src=x onerror="alert(4)">'
JAVASCRIPT_URL = "javascript:alert(5)"
SAFE_URL = "https://example.com/synthetic/hostile/report.pdf#page=2"
BIDI_NAME = "Evil\u202eCorp\u0007"
URL_FIELD = "gov.board.csr_oversight"
QUOTE_FIELD = "gov.csr_policy"


def hostile_records() -> list[dict[str, Any]]:
    """Three companies in two years: every hostile string in names, quotes and URLs."""
    base = [r for r in example_records() if r["company"]["id"] == "northwind-textiles"]
    records = []
    for k, (name, url) in enumerate(
        [(SCRIPT_NAME, JAVASCRIPT_URL), (LINK_NAME, SAFE_URL), (BIDI_NAME, "data:text/html,x")]
    ):
        for original in base:
            record = copy.deepcopy(original)
            record["company"]["id"] = f"hostile-{k}"
            record["company"]["name"] = name
            disclosures = record["disclosures"]
            disclosures[URL_FIELD] = {"value": "board_member", "evidence": {"url": url}}
            disclosures[QUOTE_FIELD] = {"value": True, "evidence": {"page": 1, "quote": QUOTE}}
            records.append(record)
    return records


if __name__ == "__main__":
    print(json.dumps({"reports": hostile_records()}, indent=2, ensure_ascii=False))
