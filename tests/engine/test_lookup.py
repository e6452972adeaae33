"""Finding companies by id or name, and suggestions that prefer prefix and word matches."""

from __future__ import annotations

import pytest

from csrscore import score
from csrscore.engine.lookup import rows_named, suggest_company
from csrscore.errors import UnknownCompanyError

IDS = ["koovs", "ovs-spa", "novus", "acme"]
NAMES = ["Koovs plc", "OVS S.p.A.", "Novus Group", "Acme Textiles"]


def test_prefix_and_whole_word_matches_come_before_similar_ids() -> None:
    # difflib alone ranks 'koovs' first; a reader typing 'ovs' means OVS.
    assert suggest_company("ovs", IDS, NAMES) == " (did you mean 'ovs-spa' (OVS S.p.A.)?)"
    # A whole word of a name: 'textiles' is the second word of Acme Textiles.
    assert suggest_company("textiles", IDS, NAMES) == " (did you mean 'acme' (Acme Textiles)?)"
    # No prefix or word match: the closest id.
    assert suggest_company("kovs", IDS, NAMES).startswith(" (did you mean 'koovs'")
    assert suggest_company("zzz", IDS, NAMES) == ""


def test_a_misspelt_name_suggests_its_company() -> None:
    # Neither an id nor a word of a name starts with it, and no id is close: the name is.
    assert suggest_company("Acme Textils", IDS, NAMES) == " (did you mean 'acme' (Acme Textiles)?)"
    assert suggest_company("novus grop", IDS, NAMES) == " (did you mean 'novus' (Novus Group)?)"


def test_names_shown_in_suggestions_are_inert() -> None:
    shown = suggest_company("evil", ["evil"], ["Evil\x1b[31m"])
    assert "\x1b" not in shown


def test_rows_named_ignores_case_and_spaces() -> None:
    assert rows_named(" ovs s.p.a. ", NAMES) == [1]
    assert rows_named("OVS", NAMES) == []


def _records() -> list[dict[str, object]]:
    return [
        {"company": {"id": cid, "name": name}, "year": 2024, "disclosures": {}}
        for cid, name in zip(IDS, NAMES, strict=True)
    ] + [{"company": {"id": "acme-2", "name": "Acme Textiles"}, "year": 2024, "disclosures": {}}]


def test_index_of_takes_a_name_and_refuses_an_ambiguous_one() -> None:
    scores = score(_records(), "iso26000")
    assert scores.company_ids[scores.index_of("OVS S.p.A.")] == "ovs-spa"
    with pytest.raises(UnknownCompanyError, match="names 2 companies: acme, acme-2"):
        scores.index_of("acme textiles")
