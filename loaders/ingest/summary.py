"""A draft's title and summary, written from its fields by template, never from the article.

No article text is kept in the data (summaries are in our own words): a draft gets a neutral,
templated text in both languages saying what kind of event it was, between whom, where, when,
who led it and which agreements it signed, reviewed, cited or planned. It is marked
``inferred`` so that a reviewer rewrites it before publishing.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders import boundaries
from loaders._io import DataSource
from loaders.events import (
    Agreement,
    AgreementRef,
    AgreementRelation,
    Bilingual,
    EventKind,
    PartialDate,
    Participant,
    Precision,
    Role,
    Venue,
)
from loaders.ingest.cues import english_ordinal
from loaders.vocabulary import COUNTRY_NAMES, KIND_LABELS

_MONTHS_EN = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_QUARTERS_VI = ["I", "II", "III", "IV"]
_RELATIONS = [  # (relation, English lead, Vietnamese lead)
    (AgreementRelation.signed, "Signed", "Ký kết"),
    (AgreementRelation.reviewed, "Reviewed", "Rà soát việc thực hiện"),
    (AgreementRelation.planned, "Planned", "Dự kiến xây dựng"),
    (AgreementRelation.referenced, "Referred to", "Dẫn chiếu"),
]
REASON = "generated draft summary; review before publishing"
TITLE_REASON = "generated draft title; review before publishing"


@dataclass(frozen=True)
class Facts:
    """The fields a title and summary are written from."""

    kind: EventKind
    ordinal: int | None
    date: PartialDate
    countries: list[str]
    provinces: dict[str, list[str]]
    venue: Venue | None
    participants: list[Participant]
    agreements: list[AgreementRef]


def draft_title(facts: Facts, source: DataSource) -> Bilingual:
    """ "19th talks between Huế, Đà Nẵng and Quảng Ngãi (Vietnam) and Sekong (Laos), 9 December
    2025" and its Vietnamese counterpart."""
    en = f"{_kind_en(facts)} {_parties_en(facts, source)}, {_date_en(facts.date)}"
    vi = f"{_kind_vi(facts)} {_parties_vi(facts, source)}, {_date_vi(facts.date)}"
    return Bilingual(vi=vi, en=en)


def draft_summary(facts: Facts, agreements: dict[str, Agreement], source: DataSource) -> Bilingual:
    """A neutral summary in both languages from ``facts``; agreement titles come from their
    records, place names from the unit table."""
    en = [
        f"{_kind_en(facts)} {_parties_en(facts, source)}{_venue_en(facts, source)}, "
        f"{_on_en(facts.date)}."
    ]
    vi = [
        f"{_kind_vi(facts)} {_parties_vi(facts, source)}{_venue_vi(facts, source)}, "
        f"{_date_vi(facts.date)}."
    ]
    leaders = [p for p in facts.participants if p.role is not Role.delegate]
    if leaders:
        en.append(
            "Led by "
            + _join_en([f"{p.name} ({p.title}, {_country_en(p.side)})" for p in leaders])
            + "."
        )
        vi.append(
            "Chủ trì, dẫn đầu: "
            + ", ".join(f"{p.name} ({_country_vi(p.side)})" for p in leaders)
            + "."
        )
    for relation, lead_en, lead_vi in _RELATIONS:
        chosen = [
            agreements[r.id]
            for r in facts.agreements
            if r.relation is relation and r.id in agreements
        ]
        if chosen:
            en.append(f"{lead_en}: " + "; ".join(a.title.en for a in chosen) + ".")
            vi.append(f"{lead_vi}: " + "; ".join(a.title.vi for a in chosen) + ".")
    return Bilingual(vi=" ".join(vi), en=" ".join(en))


# --- pieces -----------------------------------------------------------------------------------


def _unit_names(ids: list[str], source: DataSource, vietnamese: bool) -> list[str]:
    names = []
    for unit_id in ids:
        try:
            unit = boundaries.get_unit(unit_id, source)
        except KeyError:
            names.append(unit_id)
            continue
        names.append(unit.name_vi if vietnamese or unit.country == "VN" else unit.name)
    return names


def _side_en(facts: Facts, country: str, source: DataSource) -> str:
    ids = facts.provinces.get(country, [])
    if not ids:
        return _country_en(country)
    return f"{_join_en(_unit_names(ids, source, False))} ({_country_en(country)})"


def _side_vi(facts: Facts, country: str, source: DataSource) -> str:
    ids = facts.provinces.get(country, [])
    if not ids:
        return _country_vi(country)
    return f"{_join_vi(_unit_names(ids, source, True))} ({_country_vi(country)})"


def _kind_en(facts: Facts) -> str:
    return _sentence_start(_ordinal_en(facts.ordinal) + KIND_LABELS[facts.kind][1])


def _kind_vi(facts: Facts) -> str:
    return _sentence_start(KIND_LABELS[facts.kind][0] + _ordinal_vi(facts.ordinal))


def _sentence_start(text: str) -> str:
    """The kind's noun (as it reads inside a sentence) starting the summary's sentence."""
    return text[0].upper() + text[1:]


def _parties_en(facts: Facts, source: DataSource) -> str:
    sides = [_side_en(facts, c, source) for c in facts.countries]
    if len(sides) > 1:
        return f"between {_join_en(sides)}"
    return f"with {sides[0]}" if facts.provinces else f"in {sides[0]}"


def _parties_vi(facts: Facts, source: DataSource) -> str:
    sides = [_side_vi(facts, c, source) for c in facts.countries]
    if len(sides) > 1:
        return f"giữa {_join_vi(sides)}"
    return f"với {sides[0]}" if facts.provinces else f"phía {sides[0]}"


def _venue_en(facts: Facts, source: DataSource) -> str:
    venue = facts.venue
    if venue is None:
        return ""
    if venue.online:
        places = [p.name for p in venue.connected]
        said = "" if facts.kind is EventKind.online_meeting else ", held online"
        return said + (f", linking {_join_en(places)}" if places else "")
    return f" in {venue.name or _unit_names([venue.unit or ''], source, False)[0]}"


def _venue_vi(facts: Facts, source: DataSource) -> str:
    venue = facts.venue
    if venue is None:
        return ""
    if venue.online:
        places = [p.name for p in venue.connected]
        said = "" if facts.kind is EventKind.online_meeting else ", trực tuyến"
        return said + (f", kết nối các điểm cầu {_join_vi(places)}" if places else "")
    return f" tại {venue.name or _unit_names([venue.unit or ''], source, True)[0]}"


def _ordinal_en(number: int | None) -> str:
    return "" if number is None else f"{english_ordinal(number)} "


def _ordinal_vi(number: int | None) -> str:
    return "" if number is None else f" lần thứ {number}"


def _date_en(value: PartialDate) -> str:
    start = value.start
    match value.precision:
        case Precision.day:
            return f"{start.day} {_MONTHS_EN[start.month - 1]} {start.year}"
        case Precision.month:
            return f"{_MONTHS_EN[start.month - 1]} {start.year}"
        case Precision.quarter:
            return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return str(start.year)


def _on_en(value: PartialDate) -> str:
    return ("on " if value.precision is Precision.day else "in ") + _date_en(value)


def _date_vi(value: PartialDate) -> str:
    start = value.start
    match value.precision:
        case Precision.day:
            return f"ngày {start.day}/{start.month}/{start.year}"
        case Precision.month:
            return f"tháng {start.month}/{start.year}"
        case Precision.quarter:
            return f"quý {_QUARTERS_VI[(start.month - 1) // 3]} năm {start.year}"
    return f"năm {start.year}"


def _country_en(code: str) -> str:
    return COUNTRY_NAMES[code][1]


def _country_vi(code: str) -> str:
    return COUNTRY_NAMES[code][0]


def _join_en(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _join_vi(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]
