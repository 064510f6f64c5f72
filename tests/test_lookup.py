"""The app's one search: provinces in any spelling, crossings by either side's name, and
words of event titles."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.atlas import load_atlas
from loaders.gazetteer import normalize_name
from loaders.lookup import lookup

TODAY = date(2026, 1, 1)
BEFORE_MERGER = date(2024, 6, 1)


def first(query: str, day: date = TODAY) -> tuple[str, str, str | None]:
    hit = lookup(query, day, load_atlas())[0]
    return hit.kind, hit.id, hit.unit


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Lao Bao", ("crossing", "lao-bao--densavan", "vn-quang-tri-2025")),
        ("Densavan", ("crossing", "lao-bao--densavan", "vn-quang-tri-2025")),
        ("Nam Phao", ("crossing", "cau-treo--nam-phao", "vn-ha-tinh")),
        ("Mộc Bài", ("crossing", "moc-bai--bavet", "vn-tay-ninh-2025")),
        ("Borikhamxay", ("province", "la-bolikhamxay", "la-bolikhamxay")),
        ("Xekong", ("province", "la-sekong", "la-sekong")),
        ("ແຂວງເຊກອງ", ("province", "la-sekong", "la-sekong")),
    ],
)
def test_the_first_answer(query: str, expected: tuple[str, str, str]) -> None:
    assert first(query) == expected


def test_a_crossing_opens_the_province_it_lay_in_on_the_date() -> None:
    assert first("Lao Bao", BEFORE_MERGER)[2] == "vn-quang-tri"


def test_a_near_crossing_name_is_not_mistaken_for_a_town_the_geocoder_guesses() -> None:
    kinds = [(hit.kind, hit.id) for hit in lookup("Densavanh", TODAY, load_atlas())]
    assert kinds[0] == ("crossing", "lao-bao--densavan")
    assert ("province", "la-xiangkhouang") not in kinds  # Phonsavan, a fuzzy guess


def test_words_find_events_in_either_language_accents_optional_titles_first() -> None:
    """The search box asks the record index: a word in the title ranks above one in a summary."""
    english = [hit for hit in lookup("drug", TODAY, load_atlas()) if hit.kind == "event"]
    vietnamese = [hit for hit in lookup("ma tuy", TODAY, load_atlas()) if hit.kind == "event"]
    assert english and "drug" in english[0].name_en.lower()
    assert vietnamese and "ma tuy" in normalize_name(vietnamese[0].name_vi).key
    for hits, query in [(english, "drug"), (vietnamese, "ma túy")]:
        found = {hit.id for hit in load_atlas().index.search(query, limit=100)}
        assert {hit.id for hit in hits} <= found


def test_nothing_and_blank_find_nothing() -> None:
    assert lookup("xyzzy", TODAY, load_atlas()) == []
    assert lookup("   ", TODAY, load_atlas()) == []


def test_an_event_opens_its_province_as_the_map_of_the_date_draws_it() -> None:
    [hit] = [
        h for h in lookup("Lao Bảo Densavan một cửa", TODAY, load_atlas()) if h.kind == "event"
    ][:1]
    assert hit.unit == "vn-quang-tri-2025" and hit.lat is not None  # the record names vn-quang-tri
