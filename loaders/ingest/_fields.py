"""The draft's fields from the mentions: parties and venue, countries and border, people, kind,
level and ordinal, agreements and figures, each recorded with its evidence and confidence.

Each function takes the shared :class:`~loaders.ingest._article.Work` and records what it decided
(``work.find``), what it inferred (``work.infer``) and what it set aside (``work.mentions``).
"""

from __future__ import annotations

import re
from datetime import date

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
    Venue,
)
from loaders.ingest._article import Mention, Work
from loaders.ingest.cues import Cue, find_kind, find_level, find_ordinal
from loaders.ingest.dates import DateMention
from loaders.ingest.documents import DocumentMention
from loaders.ingest.numbers import find_figures
from loaders.ingest.people import ParticipantMention
from loaders.ingest.places import CountryMention, CrossingMention, PlaceMention
from loaders.ingest.text import Evidence, Span, within
from loaders.vocabulary import Confidence

_ORDER = {"VN": 0, "LA": 1, "KH": 2}
_RELATION_ORDER = [
    AgreementRelation.signed,
    AgreementRelation.planned,
    AgreementRelation.reviewed,
    AgreementRelation.referenced,
]
_BORDER_WORDS = re.compile(r"\b(?:bien gioi|bien phong|border|cua khau|boundary)")
_CENTRAL_BRIDGE = re.compile(r"\b(?:central bridge|diem cau trung uong|dau cau trung uong)\b")


def parties_and_venue(
    work: Work, found: list[PlaceMention], windows: list[Span], asides: list[Span], as_of: date
) -> tuple[dict[str, list[str]], Venue | None]:
    """Parties (units named in the lead, outside document names), the venue ("tại Huế", "Huế
    đăng cai") and the connected venues of an online meeting ("điểm cầu Nghệ An")."""
    parties: dict[str, list[str]] = {}
    evidence: dict[str, list[Evidence]] = {}
    venue: PlaceMention | None = None
    bridges: list[PlaceMention] = []
    for place in found:
        start, end = place.evidence.start, place.evidence.end
        own = within(start, end, windows) and not within(start, end, asides)
        if not own or place.unit is None or place.country is None:
            _mention_place(work, place)
            continue
        side = parties.setdefault(place.country, [])
        if place.unit not in side:
            side.append(place.unit)
        evidence.setdefault(place.country, []).append(place.evidence)
        if place.cue == "venue" and venue is None:
            venue = place
        if place.cue == "bridge" and place.unit not in {b.unit for b in bridges}:
            bridges.append(place)
    for country, ids in parties.items():
        exact = all(p.exact for p in found if p.unit in ids)
        work.find(f"provinces.{country}", ids, evidence[country], "high" if exact else "medium")
    parties = dict(sorted(parties.items(), key=lambda item: _ORDER[item[0]]))
    own = {unit for ids in parties.values() for unit in ids}
    work.mentions = [m for m in work.mentions if m.what != "place" or m.value["unit"] not in own]
    central = _central_bridge(work, windows, as_of)
    if bridges or central:
        connected = ([central] if central else []) + [
            Place(name=b.name, unit=b.unit) for b in bridges
        ]
        work.find(
            "venue",
            {"online": True, "connected": [p.model_dump() for p in connected]},
            [b.evidence for b in bridges],
            "medium",
        )
        return parties, Venue(online=True, connected=connected)
    if venue is not None:
        work.find(
            "venue",
            {"name": venue.name, "unit": venue.unit},
            [venue.evidence],
            "high" if venue.exact else "medium",
        )
        return parties, Venue(name=venue.name, unit=venue.unit)
    return parties, None


def _mention_place(work: Work, place: PlaceMention) -> None:
    """A place outside the lead (or unresolved): one mention per unit, every evidence kept."""
    role = "mentioned" if place.unit else "unresolved"
    for mention in work.mentions:
        if (
            mention.what == "place"
            and mention.role == role
            and mention.value["unit"] == place.unit
            and place.unit
        ):
            mention.evidence.append(place.evidence)
            return
    note = place.note or (f"could be {', '.join(place.candidates)}" if place.candidates else None)
    value = {"name": place.name, "unit": place.unit, "note": note}
    work.mentions.append(Mention(what="place", value=value, role=role, evidence=[place.evidence]))


def _central_bridge(work: Work, windows: list[Span], as_of: date) -> Place | None:
    """ "chaired at the Central bridge": the ministry's own room, in Hanoi (an inference)."""
    for start, end in windows:
        found = _CENTRAL_BRIDGE.search(work.folded, start, end)
        if found is not None:
            reason = (
                "the article names the central venue without placing it; a ministry's central "
                "venue is in Hanoi"
            )
            work.infer("venue.connected", reason)
            work.find(
                "venue.connected",
                "vn-hanoi",
                [Evidence.of(work.text, *found.span())],
                "low",
                reason,
            )
            return Place(name=work.text[found.start() : found.end()], unit="vn-hanoi")
    return None


def countries_of(
    work: Work,
    participants: list[Participant],
    parties: dict[str, list[str]],
    named: list[CountryMention],
    windows: list[Span],
) -> list[str]:
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
    found = found or {"VN"}
    ordered = sorted(found, key=_ORDER.__getitem__)
    work.find("countries", ordered, evidence, confidence)
    return ordered


def border_of(
    work: Work,
    countries: list[str],
    named: list[CountryMention],
    windows: list[Span],
    gates: list[CrossingMention],
) -> str | None:
    """The border the event is about, when the headline or lead speaks of the border."""
    said = [m for s, e in windows if (m := _BORDER_WORDS.search(work.folded, s, e))]
    if not said and not gates:
        return None
    neighbours = [c for c in countries if c != "VN"]
    if not neighbours:
        neighbours = [
            c.code
            for c in named
            if c.code != "VN" and within(c.evidence.start, c.evidence.end, windows)
        ]
    if len(set(neighbours)) != 1:
        return None
    found = f"VN-{neighbours[0]}"
    work.find("border", found, [Evidence.of(work.text, *m.span()) for m in said[:1]], "medium")
    return found


def participants_of(work: Work, people: list[ParticipantMention]) -> list[Participant]:
    """Everyone named with a title (the article's event is what brings them together)."""
    for person in people:
        work.find(
            "participants",
            person.participant.model_dump(mode="json"),
            list(person.evidence),
            "medium",
        )
    return [p.participant for p in people]


def kind_cue(work: Work, windows: list[Span], asides: list[Span]) -> tuple[Cue | None, bool]:
    """The word naming the kind of event, and whether it is in the lead (else in the body)."""
    cue = find_kind(work.text, windows, asides)
    if cue is not None:
        return cue, True
    cue = find_kind(work.text, [(work.body_start, len(work.text))], asides)
    if cue is not None:
        work.warnings.append(f"the kind ({cue.value.value}) comes from the body, not the lead")
    return cue, False


def refine_kind(kind: EventKind, participants: list[Participant]) -> EventKind:
    """Talks between ministers of both sides are ministerial talks."""
    if kind is not EventKind.talks:
        return kind
    sides = {
        p.side for p in participants if p.role is Role.head_of_delegation and "Minister" in p.title
    }
    return EventKind.ministerial_talks if len(sides) > 1 else kind


def record_kind(work: Work, kind: EventKind, cue: Cue | None, in_lead: bool) -> None:
    if cue is None:
        work.find("kind", kind.value, [], "low", "no meeting word found")
        return
    work.find("kind", kind.value, [cue.evidence], "high" if in_lead else "low")


def level_of(
    work: Work,
    kind: EventKind,
    windows: list[Span],
    asides: list[Span],
    parties: dict[str, list[str]],
) -> Level:
    """Who met, from the lead's institutions and titles (else the body's, less surely)."""
    central = {
        EventKind.intergovernmental_committee,
        EventKind.high_level_meeting,
        EventKind.diplomatic_relations,
    }
    if kind in central:
        work.find(
            "level", Level.central.value, [], "medium", f"a {kind.value} is a central-level event"
        )
        return Level.central
    cue = find_level(work.text, windows, asides)
    confidence: Confidence = "high"
    if cue is None:
        cue, confidence = find_level(work.text, [(work.body_start, len(work.text))], asides), "low"
    if cue is None:
        guess = Level.province if parties else Level.ministry
        work.find("level", guess.value, [], "low", "no institution named; a guess from the places")
        return guess
    work.find("level", cue.value.value, [cue.evidence], confidence)
    return cue.value  # type: ignore[return-value]


def ordinal_of(work: Work, kind: EventKind, windows: list[Span], asides: list[Span]) -> int | None:
    """N of "lần thứ N" / "the Nth" next to the word naming the kind, in the lead."""
    talks = EventKind.talks if kind is EventKind.ministerial_talks else kind
    found = find_ordinal(work.text, talks, windows, asides)
    if found is None:
        return None
    work.find("ordinal", found[0], [found[1]], "high")
    return found[0]


def agreement_refs(
    work: Work,
    documents: list[DocumentMention],
    agreements: list[Agreement],
    when: PartialDate | None,
    countries: list[str],
    units: set[str],
) -> list[AgreementRef]:
    """One reference per agreement, with the strongest relation any of its mentions has; the
    minutes "signed" at the event are the recorded minutes signed on its date by its parties
    (``units``: the event's units and their units of today), if any."""
    relation: dict[str, AgreementRelation] = {}
    evidence: dict[str, list[Evidence]] = {}
    for document in documents:
        agreement = document.agreement
        if agreement is None and document.relation is AgreementRelation.signed:
            agreement = _minutes_of_the_day(document, agreements, when, countries, units, work)
        if agreement is None:
            work.mentions.append(
                Mention(
                    what="document",
                    value={"type": document.type.value, "relation": document.relation.value},
                    role="no matching record",
                    evidence=[document.evidence],
                )
            )
            continue
        known = relation.get(agreement)
        if known is None or _RELATION_ORDER.index(document.relation) < _RELATION_ORDER.index(known):
            relation[agreement] = document.relation
        evidence.setdefault(agreement, []).append(document.evidence)
    refs = [AgreementRef(id=a, relation=r) for a, r in relation.items()]
    for ref in refs:
        work.find("agreements", ref.model_dump(mode="json"), evidence[ref.id], "medium")
    return refs


_ANNUAL_MINUTES = re.compile(r"\bminutes of the (?P<n>\d+)(?:st|nd|rd|th) annual meeting\b")


def next_annual_meeting(
    work: Work,
    kind: EventKind,
    ordinal: int | None,
    refs: list[AgreementRef],
    agreements: list[Agreement],
) -> tuple[EventKind, int | None]:
    """A meeting that reviews the minutes of the Nth annual meeting is the (N+1)th: annual
    meetings open by reviewing the last one's minutes. Only for a meeting named generically."""
    if kind not in (EventKind.conference, EventKind.other) or ordinal is not None:
        return kind, ordinal
    titles = {a.id: a.title.en.lower() for a in agreements}
    for ref in refs:
        found = _ANNUAL_MINUTES.search(titles.get(ref.id, ""))
        if ref.relation is AgreementRelation.reviewed and found:
            number = int(found.group("n")) + 1
            reason = (
                f"the meeting reviews the minutes of the {found.group('n')}th annual meeting "
                f"({ref.id}), so it is taken to be the next one"
            )
            work.infer("kind", reason)
            work.infer("ordinal", reason)
            work.findings = [f for f in work.findings if f.field not in ("kind", "ordinal")]
            work.find("kind", EventKind.annual_meeting.value, [], "low", reason)
            work.find("ordinal", number, [], "low", reason)
            return EventKind.annual_meeting, number
    return kind, ordinal


def _minutes_of_the_day(
    document: DocumentMention,
    agreements: list[Agreement],
    when: PartialDate | None,
    countries: list[str],
    units: set[str],
    work: Work,
) -> str | None:
    """ "hai bên ký biên bản": the recorded minutes signed on the event's date by its countries
    and, for provincial minutes, by at least one of its provinces (other provinces sign minutes
    in the same month)."""
    if document.type is not AgreementType.minutes or when is None:
        return None
    for agreement in agreements:
        signed = agreement.signed
        parties = {
            u for p in agreement.parties.provinces for u in (p, *units_today(p, work.source))
        }
        if (
            agreement.type is AgreementType.minutes
            and signed is not None
            and signed.overlaps(when.start, when.end)
            and set(agreement.parties.countries) == set(countries) | {"VN"}
            and (not parties or parties & units)
        ):
            return agreement.id
    return None


def figures_of(work: Work, dates: list[DateMention]) -> list[Figure]:
    """Numbers with a unit this project records; labels are generic, for a reviewer to name."""
    years = {d.evidence.start: d.year for d in dates if d.precision is Precision.year and d.year}
    found = [
        f
        for f in find_figures(work.text, work.language, work.sentences, years)
        if f.evidence.start >= work.body_start
    ]
    for item in found:
        work.find(
            "figures",
            item.figure.model_dump(mode="json"),
            [item.evidence],
            "medium",
            "label and key are generic; name what is counted",
        )
    return [f.figure for f in found]
