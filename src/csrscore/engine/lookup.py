"""Finding a company by id or by name, and suggesting one when neither matches."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from csrscore.textsafe import visible

_WORD = re.compile(r"[^\w]+|_")
MAX_SUGGESTIONS = 3


def _words(text: str) -> list[str]:
    return [word for word in _WORD.split(text.casefold()) if word]


def rows_named(query: str, names: Sequence[str]) -> list[int]:
    """Rows whose company name is `query`, ignoring case and surrounding spaces."""
    wanted = query.strip().casefold()
    return [row for row, name in enumerate(names) if name.strip().casefold() == wanted]


def suggest_company(query: str, ids: Sequence[str], names: Sequence[str]) -> str:
    """' (did you mean ...?)' or ''. Ids or names that start with the query come first,
    then those holding it as a whole word, then merely similar ids, then merely similar
    names: 'ovs' finds 'ovs-spa' (and 'OVS S.p.A.') before 'koovs'."""
    needle = query.strip().casefold()
    if not needle:
        return ""
    companies = dict(zip(ids, names, strict=True))  # one entry per id
    prefix: list[str] = []
    word: list[str] = []
    for company_id, name in companies.items():
        texts = (company_id.casefold(), name.casefold())
        if any(text.startswith(needle) for text in texts):
            prefix.append(company_id)
        elif any(needle in _words(text) for text in texts):
            word.append(company_id)
    found = sorted(prefix) + sorted(word)
    if not found:
        found = difflib.get_close_matches(query, list(companies), n=MAX_SUGGESTIONS, cutoff=0.6)
    if not found:  # a misspelt name ("Nortwind Textile") is as likely as a misspelt id
        by_name = {name.strip().casefold(): cid for cid, name in companies.items()}
        close = difflib.get_close_matches(needle, list(by_name), n=MAX_SUGGESTIONS, cutoff=0.6)
        found = [by_name[name] for name in close]
    if not found:
        return ""
    shown = ", ".join(f"{cid!r} ({visible(companies[cid])})" for cid in found[:MAX_SUGGESTIONS])
    more = len(found) - MAX_SUGGESTIONS
    return f" (did you mean {shown}{f' or {more} more' if more > 0 else ''}?)"
