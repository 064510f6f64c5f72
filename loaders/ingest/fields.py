"""The event's fields decided from the mentions, each with its evidence and confidence.

Each function takes what it decides from (the article, the mentions, fields decided before it)
and returns its value with the :class:`~loaders.ingest.findings.Notes` it reports: the field's
finding, what it inferred, and what it set aside as a mere mention. :mod:`.extract` calls them
in order and adds up the notes. ``windows`` are the headline and lead, where the event is named;
``asides`` are document names and brackets, which name other things.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import ValidationError

from loaders._io import DataSource
from loaders.boundaries import units_today
from loaders.events import (
    Agreement,
    AgreementRef,
    AgreementRelation,
    AgreementType,
    EventKind,
    Figure,
    Level,
    PartialDate,
    Participant,
    Place,
    Precision,
    Role,
    Source,
    Venue,
)
from loaders.ingest.article import Article
from loaders.ingest.cues import english_ordinal, find_kind, find_level, find_ordinal
from loaders.ingest.dates import DateMention, Pick, nearest_year
from loaders.ingest.documents import DocumentMention
from loaders.ingest.findings import Mention, Notes
from loaders.ingest.numbers import find_figures
from loaders.ingest.people import ParticipantMention
from loaders.ingest.places import CountryMention, CrossingMention, PlaceMention
from loaders.ingest.text import Evidence, Span, sentence_at, within
from loaders.vocabulary import Confidence

__all__ = [
    "agreement_refs",
    "border_of",
    "countries_of",
    "crossings_of",
    "date_of",
    "dates_mentioned",
    "figures_of",
    "kind_of",
    "level_of",
    "next_annual_meeting",
    "ordinal_of",
    "participants_of",
    "parties_and_venue",
    "source_of",
]

_ORDER = {"VN": 0, "LA": 1, "KH": 2}
_RELATION_ORDER = [
    AgreementRelation.signed,
    AgreementRelation.planned,
    AgreementRelation.reviewed,
    AgreementRelation.referenced,
]
_BORDER_WORDS = re.compile(r"\b(?:bien gioi|bien phong|border|cua khau|boundary)")
_CENTRAL_BRIDGE = re.compile(r"\b(?:central bridge|diem cau trung uong|dau cau trung uong)\b")
_CENTRAL_KINDS = {
    EventKind.intergovernmental_committee,
    EventKind.high_level_meeting,
    EventKind.diplomatic_relations,
}

# --- date -------------------------------------------------------------------------------------


def date_of(
    article: Article, pick: Pick | None, dates: list[DateMention], published: date | None
) -> tuple[PartialDate | None, Notes]:
    """The event's date: as stated, its year from the publication date or the event's name, or
    (no date in the text) the publication month; None, with a problem, when nothing gives one."""
    if pick is None:
        return _publication_month(published)
    mention = pick.mention
    strong: Confidence = "high" if mention.time_of_day or mention.cued else "medium"
    if mention.year is not None:
        value = mention.on_year(mention.year)
        return value, Notes.finding("date", str(value), pick.evidence, strong)
    if published is not None:
        value = nearest_year(mention, published)
        reason = (
            f"the text gives {mention.evidence.text!r} without a year; the year is the one "
            f"that puts it nearest the publication date {published}"
        )
        return value, Notes.finding(
            "date", str(value), pick.evidence, strong, reason, inferred=True
        )
    year = _year_in_sentence(article, mention, dates)
    if year is None:
        problem = (
            f"the event date {mention.evidence.text!r} has no year and no publication date was "
            "given: pass --published DATE"
        )
        return None, Notes(problems=(problem,))
    value = mention.on_year(year.year or 0)
    reason = (
        f"the text gives {mention.evidence.text!r} without a year; {year.evidence.text!r} in "
        "the same sentence gives it"
    )
    evidence = [*pick.evidence, year.evidence]
    return value, Notes.finding("date", str(value), evidence, "medium", reason, inferred=True)


def _publication_month(published: date | None) -> tuple[PartialDate | None, Notes]:
    """No date in the text: the publication month stands in, if there is one."""
    if published is None:
        problem = (
            "no date found: the text names no day or month for the event and no publication "
            "date was given (use --published DATE or a 'published:' header)"
        )
        return None, Notes(problems=(problem,))
    value = PartialDate(start=published.replace(day=1), precision=Precision.month)
    reason = "the article gives no date for the event; the publication month stands in"
    found = Notes.finding("date", str(value), [], "low", reason, inferred=True)
    return value, found + Notes(warnings=(reason,))


def _year_in_sentence(
    article: Article, mention: DateMention, dates: list[DateMention]
) -> DateMention | None:
    """ "Chiều 9/12 ... Hội đàm thường niên lần thứ XIX năm 2025": the name gives the year."""
    sentence = sentence_at(article.sentences, mention.evidence.start)
    if sentence is None:
        return None
    for other in dates:
        if (
            other.precision is Precision.year
            and other.role is None
            and sentence.contains(other.evidence.start)
        ):
            return other
    return None


def dates_mentioned(dates: list[DateMention], pick: Pick | None, published: date | None) -> Notes:
    """Every date but the event's, as a mention with what its context says it dates."""
    chosen = {e.start for e in pick.evidence} if pick else set()
    mentions = []
    for mention in dates:
        if mention.evidence.start in chosen:
            continue
        value = mention.resolve(published)
        mentions.append(
            Mention(
                what="date",
                value=str(value) if value else mention.evidence.text,
                role=mention.role.value if mention.role else "mentioned",
                evidence=[mention.evidence],
            )
        )
    return Notes(mentions=tuple(mentions))


# --- where and who ----------------------------------------------------------------------------


def parties_and_venue(
    article: Article, places: list[PlaceMention], windows: list[Span], asides: list[Span]
) -> tuple[dict[str, list[str]], Venue | None, Notes]:
    """Parties (units named in the lead, outside document names), the venue ("tại Huế", "Huế
    đăng cai") and the connected venues of an online meeting ("điểm cầu Nghệ An"); the other
    places become mentions."""
    own = [place for place in places if _own_place(place, windows, asides)]
    others = [place for place in places if not _own_place(place, windows, asides)]
    parties, notes = _parties(own, places)
    own_units = {unit for ids in parties.values() for unit in ids}
    notes += Notes(mentions=_places_mentioned(others, own_units))
    venue, venue_notes = _venue(article, own, windows)
    return parties, venue, notes + venue_notes


def _own_place(place: PlaceMention, windows: list[Span], asides: list[Span]) -> bool:
    """A resolved place in the headline or lead, outside asides: the event's own."""
    start, end = place.evidence.start, place.evidence.end
    return (
        within(start, end, windows)
        and not within(start, end, asides)
        and place.unit is not None
        and place.country is not None
    )


def _parties(
    own: list[PlaceMention], places: list[PlaceMention]
) -> tuple[dict[str, list[str]], Notes]:
    """The units of each country, countries in the order VN, LA, KH; high confidence when every
    mention of them (``places``) is a gazetteer spelling."""
    parties: dict[str, list[str]] = {}
    evidence: dict[str, list[Evidence]] = {}
    for place in own:
        country, unit = place.country, place.unit
        assert country is not None and unit is not None  # the event's own places are resolved
        side = parties.setdefault(country, [])
        if unit not in side:
            side.append(unit)
        evidence.setdefault(country, []).append(place.evidence)
    notes = Notes()
    for country, ids in parties.items():
        exact = all(p.exact for p in places if p.unit in ids)
        confidence: Confidence = "high" if exact else "medium"
        notes += Notes.finding(f"provinces.{country}", ids, evidence[country], confidence)
    return dict(sorted(parties.items(), key=lambda item: _ORDER[item[0]])), notes


def _places_mentioned(places: list[PlaceMention], own: set[str]) -> tuple[Mention, ...]:
    """Places outside the lead (or unresolved): one mention per unit, every evidence kept;
    a unit that is one of the event's own (``own``) is not a mere mention."""
    groups: dict[str | int, list[PlaceMention]] = {}
    for index, place in enumerate(places):
        groups.setdefault(place.unit or index, []).append(place)  # unresolved: each apart
    mentions = []
    for first, *more in groups.values():
        if first.unit in own:
            continue
        candidates = f"could be {', '.join(first.candidates)}" if first.candidates else None
        mentions.append(
            Mention(
                what="place",
                value={"name": first.name, "unit": first.unit, "note": first.note or candidates},
                role="mentioned" if first.unit else "unresolved",
                evidence=[first.evidence, *(place.evidence for place in more)],
            )
        )
    return tuple(mentions)


def _venue(
    article: Article, own: list[PlaceMention], windows: list[Span]
) -> tuple[Venue | None, Notes]:
    """Online when the lead names connected venues ("điểm cầu", "bridge"), else the place it
    says the event was held in, if any."""
    bridges: dict[str | None, PlaceMention] = {}
    for place in own:
        if place.cue == "bridge":
            bridges.setdefault(place.unit, place)
    central, notes = _central_bridge(article, windows)
    if bridges or central:
        connected = ([central] if central else []) + [
            Place(name=b.name, unit=b.unit) for b in bridges.values()
        ]
        value = {"online": True, "connected": [p.model_dump() for p in connected]}
        evidence = [b.evidence for b in bridges.values()]
        notes += Notes.finding("venue", value, evidence, "medium")
        return Venue(online=True, connected=connected), notes
    venue = next((place for place in own if place.cue == "venue"), None)
    if venue is None:
        return None, notes
    value = {"name": venue.name, "unit": venue.unit}
    confidence: Confidence = "high" if venue.exact else "medium"
    notes += Notes.finding("venue", value, [venue.evidence], confidence)
    return Venue(name=venue.name, unit=venue.unit), notes


def _central_bridge(article: Article, windows: list[Span]) -> tuple[Place | None, Notes]:
    """ "chaired at the Central bridge": the ministry's own room, in Hanoi (an inference)."""
    for start, end in windows:
        found = _CENTRAL_BRIDGE.search(article.folded, start, end)
        if found is not None:
            reason = (
                "the article names the central venue without placing it; a ministry's central "
                "venue is in Hanoi"
            )
            evidence = [Evidence.of(article.text, *found.span())]
            notes = Notes.finding(
                "venue.connected", "vn-hanoi", evidence, "low", reason, inferred=True
            )
            return Place(name=article.text[found.start() : found.end()], unit="vn-hanoi"), notes
    return None, Notes()


def participants_of(people: list[ParticipantMention]) -> tuple[list[Participant], Notes]:
    """Everyone named with a title (the article's event is what brings them together)."""
    notes = Notes()
    for person in people:
        value = person.participant.model_dump(mode="json")
        notes += Notes.finding("participants", value, person.evidence, "medium")
    return [p.participant for p in people], notes


def countries_of(
    participants: list[Participant],
    parties: dict[str, list[str]],
    named: list[CountryMention],
    windows: list[Span],
) -> tuple[list[str], Notes]:
    """Countries whose officials took part: the sides of people and provinces; else those the
    lead names; else Vietnam."""
    found = {p.side for p in participants} | set(parties)
    evidence: list[Evidence] = []
    confidence: Confidence = "high" if found else "low"
    if not found:
        lead = [c for c in named if within(c.evidence.start, c.evidence.end, windows)]
        found = {c.code for c in lead}
        evidence = [c.evidence for c in lead]
        confidence = "medium" if found else "low"
    ordered = sorted(found or {"VN"}, key=_ORDER.__getitem__)
    return ordered, Notes.finding("countries", ordered, evidence, confidence)


def border_of(
    article: Article,
    countries: list[str],
    named: list[CountryMention],
    windows: list[Span],
    gates: list[CrossingMention],
) -> tuple[str | None, Notes]:
    """The border the event is about, when the headline or lead speaks of the border."""
    said = [m for s, e in windows if (m := _BORDER_WORDS.search(article.folded, s, e))]
    if not said and not gates:
        return None, Notes()
    neighbours = [c for c in countries if c != "VN"]
    if not neighbours:
        neighbours = [
            c.code
            for c in named
            if c.code != "VN" and within(c.evidence.start, c.evidence.end, windows)
        ]
    if len(set(neighbours)) != 1:
        return None, Notes()
    found = f"VN-{neighbours[0]}"
    evidence = [Evidence.of(article.text, *m.span()) for m in said[:1]]
    return found, Notes.finding("border", found, evidence, "medium")


def crossings_of(gates: list[CrossingMention]) -> tuple[list[str], Notes]:
    """The border crossings the article names; high confidence when each was written as its
    pair ("Cầu Treo – Nam Phao")."""
    ids = [g.id for g in gates]
    if not gates:
        return ids, Notes()
    confidence: Confidence = "high" if all(g.paired for g in gates) else "medium"
    return ids, Notes.finding("crossings", ids, [g.evidence for g in gates], confidence)


# --- what kind of event -----------------------------------------------------------------------


def kind_of(
    article: Article, windows: list[Span], asides: list[Span], participants: list[Participant]
) -> tuple[EventKind, Notes]:
    """The kind the lead's meeting word names (else the body's, less surely); talks between
    ministers of both sides are ministerial talks."""
    cue = find_kind(article.text, windows, asides)
    in_lead = cue is not None
    if cue is None:
        cue = find_kind(article.text, [(article.body_start, len(article.text))], asides)
    kind = _refine_kind(cue.value if cue else EventKind.other, participants)
    if cue is None:
        return kind, Notes.finding("kind", kind.value, [], "low", "no meeting word found")
    found = Notes.finding("kind", kind.value, [cue.evidence], "high" if in_lead else "low")
    if in_lead:
        return kind, found
    warning = f"the kind ({cue.value.value}) comes from the body, not the lead"
    return kind, Notes(warnings=(warning,)) + found


def _refine_kind(kind: EventKind, participants: list[Participant]) -> EventKind:
    """Talks between ministers of both sides are ministerial talks."""
    if kind is not EventKind.talks:
        return kind
    sides = {
        p.side for p in participants if p.role is Role.head_of_delegation and "Minister" in p.title
    }
    return EventKind.ministerial_talks if len(sides) > 1 else kind


def level_of(
    article: Article,
    kind: EventKind,
    windows: list[Span],
    asides: list[Span],
    parties: dict[str, list[str]],
) -> tuple[Level, Notes]:
    """Who met, from the lead's institutions and titles (else the body's, less surely)."""
    if kind in _CENTRAL_KINDS:
        reason = f"a {kind.value} is a central-level event"
        return Level.central, Notes.finding("level", Level.central.value, [], "medium", reason)
    cue = find_level(article.text, windows, asides)
    confidence: Confidence = "high"
    if cue is None:
        cue = find_level(article.text, [(article.body_start, len(article.text))], asides)
        confidence = "low"
    if cue is None:
        guess = Level.province if parties else Level.ministry
        reason = "no institution named; a guess from the places"
        return guess, Notes.finding("level", guess.value, [], "low", reason)
    return cue.value, Notes.finding("level", cue.value.value, [cue.evidence], confidence)


def ordinal_of(
    article: Article, kind: EventKind, windows: list[Span], asides: list[Span]
) -> tuple[int | None, Notes]:
    """N of "lần thứ N" / "the Nth" next to the word naming the kind, in the lead."""
    talks = EventKind.talks if kind is EventKind.ministerial_talks else kind
    found = find_ordinal(article.text, talks, windows, asides)
    if found is None:
        return None, Notes()
    number, evidence = found
    return number, Notes.finding("ordinal", number, [evidence], "high")


_ANNUAL_MINUTES = re.compile(r"\bminutes of the (?P<n>\d+)(?:st|nd|rd|th) annual meeting\b")


def next_annual_meeting(
    kind: EventKind, ordinal: int | None, refs: list[AgreementRef], agreements: list[Agreement]
) -> tuple[EventKind, int, Notes] | None:
    """A meeting that reviews the minutes of the Nth annual meeting is the (N+1)th: annual
    meetings open by reviewing the last one's minutes. Only for a meeting named generically;
    the notes replace the kind and ordinal found before. None when it does not apply."""
    if kind not in (EventKind.conference, EventKind.other) or ordinal is not None:
        return None
    titles = {a.id: a.title.en.lower() for a in agreements}
    for ref in refs:
        found = _ANNUAL_MINUTES.search(titles.get(ref.id, ""))
        if ref.relation is AgreementRelation.reviewed and found:
            number = int(found.group("n")) + 1
            reviewed = english_ordinal(number - 1)
            reason = (
                f"the meeting reviews the minutes of the {reviewed} annual meeting "
                f"({ref.id}), so it is taken to be the next one"
            )
            kind_notes = Notes.finding(
                "kind", EventKind.annual_meeting.value, [], "low", reason, inferred=True
            )
            ordinal_notes = Notes.finding("ordinal", number, [], "low", reason, inferred=True)
            return EventKind.annual_meeting, number, kind_notes + ordinal_notes
    return None


# --- agreements and figures -------------------------------------------------------------------


def agreement_refs(
    documents: list[DocumentMention],
    agreements: list[Agreement],
    when: PartialDate | None,
    countries: list[str],
    units: set[str],
    source: DataSource,
) -> tuple[list[AgreementRef], Notes]:
    """One reference per agreement, with the strongest relation any of its mentions has; the
    minutes "signed" at the event are the recorded minutes signed on its date by its parties
    (``units``: the event's units and their units of today), if any. A document with no
    record is a mention."""
    relation: dict[str, AgreementRelation] = {}
    evidence: dict[str, list[Evidence]] = {}
    unmatched: list[Mention] = []
    for document in documents:
        agreement = document.agreement
        if agreement is None and document.relation is AgreementRelation.signed:
            agreement = _minutes_of_the_day(document, agreements, when, countries, units, source)
        if agreement is None:
            unmatched.append(_unmatched(document))
            continue
        known = relation.get(agreement)
        if known is None or _RELATION_ORDER.index(document.relation) < _RELATION_ORDER.index(known):
            relation[agreement] = document.relation
        evidence.setdefault(agreement, []).append(document.evidence)
    refs = [AgreementRef(id=a, relation=r) for a, r in relation.items()]
    notes = Notes(mentions=tuple(unmatched))
    for ref in refs:
        value = ref.model_dump(mode="json")
        notes += Notes.finding("agreements", value, evidence[ref.id], "medium")
    return refs, notes


def _unmatched(document: DocumentMention) -> Mention:
    return Mention(
        what="document",
        value={"type": document.type.value, "relation": document.relation.value},
        role="no matching record",
        evidence=[document.evidence],
    )


def _minutes_of_the_day(
    document: DocumentMention,
    agreements: list[Agreement],
    when: PartialDate | None,
    countries: list[str],
    units: set[str],
    source: DataSource,
) -> str | None:
    """ "hai bên ký biên bản": the recorded minutes signed on the event's date by its countries
    and, for provincial minutes, by at least one of its provinces (other provinces sign minutes
    in the same month)."""
    if document.type is not AgreementType.minutes or when is None:
        return None
    for agreement in agreements:
        signed = agreement.signed
        parties = {u for p in agreement.parties.provinces for u in (p, *units_today(p, source))}
        if (
            agreement.type is AgreementType.minutes
            and signed is not None
            and signed.overlaps(when.start, when.end)
            and set(agreement.parties.countries) == set(countries) | {"VN"}
            and (not parties or parties & units)
        ):
            return agreement.id
    return None


def figures_of(article: Article, dates: list[DateMention]) -> tuple[list[Figure], Notes]:
    """Numbers with a unit this project records; labels are generic, for a reviewer to name."""
    years = {d.evidence.start: d.year for d in dates if d.precision is Precision.year and d.year}
    found = [
        f
        for f in find_figures(article.text, article.language, article.sentences, years)
        if f.evidence.start >= article.body_start
    ]
    notes = Notes()
    for item in found:
        value = item.figure.model_dump(mode="json")
        reason = "label and key are generic; name what is counted"
        notes += Notes.finding("figures", value, [item.evidence], "medium", reason)
    return [f.figure for f in found], notes


# --- the source -------------------------------------------------------------------------------


def source_of(article: Article) -> tuple[Source | None, Notes]:
    """The article as the record's source; None, with a problem, when the origin does not
    name a URL or publisher."""
    origin = article.origin
    seed = (
        origin.file_name
        if origin.file_name and re.fullmatch(r"[\w.-]+\.txt", origin.file_name)
        else None
    )
    try:
        found = Source(
            publisher=origin.publisher,
            title=origin.title or (article.headline.text if article.headline else None),
            # pydantic validates the text into an HttpUrl (a bad one is the problem reported
            # below); the __init__ it declares to type checkers asks for an HttpUrl already made
            url=origin.url,  # type: ignore[arg-type]
            published=PartialDate(start=origin.published, precision=Precision.day)
            if origin.published
            else None,
            language=article.language,
            seed=seed,
            note=f"draft ingested from {origin.file_name}" if origin.file_name else None,
        )
    except ValidationError as error:
        message = error.errors()[0]["msg"].removeprefix("Value error, ")
        problem = f"source: {message} (give a URL or publisher: a header, or --url / --publisher)"
        return None, Notes(problems=(problem,))
    return found, Notes()
