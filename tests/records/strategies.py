"""Hypothesis strategies for valid report records, built from valid parts."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from csrscore.records.countries import ISO_3166_ALPHA2

__all__ = ["records"]

identifiers = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,20}", fullmatch=True)
slugs = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,15}", fullmatch=True)
texts = st.text(max_size=30)
non_empty_texts = st.text(min_size=1, max_size=30).filter(lambda s: not s.isspace())
iso_dates = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat)
disclosure_keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}(\.[a-z0-9_]{1,8}){0,3}", fullmatch=True)
short_values = st.one_of(
    st.booleans(),
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
    st.lists(texts, max_size=3),
)
evidence = st.fixed_dictionaries(
    {},
    optional={"page": st.integers(0, 100_000), "url": texts, "quote": texts},
)
long_values = st.fixed_dictionaries(
    {"value": short_values},
    optional={"unit": st.text(max_size=8), "evidence": evidence, "assured": st.booleans()},
)
json_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), texts
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
companies = st.fixed_dictionaries(
    {"id": identifiers, "name": non_empty_texts},
    optional={"sector": slugs, "country": st.sampled_from(sorted(ISO_3166_ALPHA2))},
)
report_meta = st.fixed_dictionaries(
    {},
    optional={
        "title": non_empty_texts,
        "url": texts,
        "published": iso_dates,
        "period_end": iso_dates,
        "language": st.from_regex(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}", fullmatch=True),
        "frameworks": st.lists(non_empty_texts, max_size=3),
        "assurance": st.fixed_dictionaries(
            {},
            optional={
                "provider": non_empty_texts,
                "standard": non_empty_texts,
                "level": st.sampled_from(["none", "limited", "reasonable"]),
            },
        ),
    },
)
violations = st.fixed_dictionaries(
    {
        "id": identifiers,
        "date": iso_dates,
        "status": st.sampled_from(["open", "responded", "corrected", "closed"]),
    },
    optional={"authority": non_empty_texts, "category": slugs, "public_response": st.booleans()},
)
records = st.fixed_dictionaries(
    {"company": companies, "year": st.integers(1990, 2100)},
    optional={
        "report": report_meta,
        "disclosures": st.dictionaries(disclosure_keys, short_values | long_values, max_size=8),
        "violations": st.lists(violations, max_size=3),
        "extensions": st.dictionaries(texts, json_values, max_size=3),
    },
)
