"""Where each page of the site lives, relative to the site's root.

Company ids come from input files, so a page name keeps only characters that are safe in a
file name and a URL; an id that had to be changed gets a short hash of the original, so two
ids never share a page.
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
MAX_STEM = 80


def company_stem(company_id: str) -> str:
    stem = _UNSAFE.sub("_", company_id)[:MAX_STEM]
    if stem != company_id or not stem:
        digest = hashlib.sha256(company_id.encode("utf-8")).hexdigest()[:10]
        stem = f"{stem}-{digest}"
    return stem


def scorecard_page(company_id: str, year: int) -> str:
    return f"companies/{company_stem(company_id)}-{year}.html"


def year_page(year: int, latest: int) -> str:
    return "index.html" if year == latest else f"year-{year}.html"


METHODOLOGY_PAGE = "methodology.html"
