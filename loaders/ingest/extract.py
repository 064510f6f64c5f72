"""The pipeline from an article's text to a draft event record: :func:`extract` runs it.

Each stage is a function of what the stages before it returned. What a stage reports beside its
value (a field's finding with its evidence, what the article merely mentions, an inference, a
warning, a problem) comes back as :class:`~loaders.ingest.findings.Notes`, which ``extract``
adds up in the order the stages run:

1. :func:`.article.parse`: the text's header and origin, its sentences, language and headline;
2. :mod:`.dates`: every date, the page's dateline, and the event's date (:func:`.fields.date_of`);
3. :mod:`.people`, :mod:`.places` (with crossings), :mod:`.documents`: the mentions, places as
   of the event's date;
4. :mod:`.fields`: the record's fields from the mentions (through :mod:`.cues` for the kind,
   level and ordinal, :mod:`.numbers` for figures);
5. :mod:`.summary` writes the title and summary, and the :class:`~loaders.events.Event` model
   validates the record.

The event's own date, venue and parties are told apart from what the article merely mentions:
the headline and the lead (the sentence that dates the event and the two after it) name the
event; dates in anniversaries, plans, periods or asides and places outside the lead or inside a
document's name are kept as *mentions*, not fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ValidationError

from loaders._errors import warn_each
from loaders._io import DataSource
from loaders.boundaries import units_today
from loaders.crossings import load_crossing_records
from loaders.events import (
    Agreement,
    AgreementRef,
    Event,
    EventKind,
    Figure,
    Inference,
    Level,
    PartialDate,
    Participant,
    Place,
    Precision,
    Venue,
    read_agreements,
)
from loaders.ingest import fields, summary
from loaders.ingest.article import Article, Origin, parse
from loaders.ingest.dates import DateMention, DateRole, Pick, dateline, event_date, find_dates
from loaders.ingest.documents import DocumentMention, find_documents
from loaders.ingest.findings import Finding, Mention, Notes
from loaders.ingest.people import ParticipantMention, find_participants
from loaders.ingest.places import (
    CountryMention,
    CrossingMention,
    PlaceMention,
    find_crossings,
    find_places,
)
from loaders.ingest.text import Language, Span, sentence_at
from loaders.vocabulary import Confidence

__all__ = ["Draft", "extract"]


class Draft(BaseModel):
    """What :func:`loaders.ingest.ingest_text` found. ``record`` is the draft event, validated by
    the :class:`~loaders.events.Event` model, or None when it cannot be built (``problems``
    says why). Offsets index the text after Unicode NFC normalisation."""

    record: Event | None
    findings: list[Finding]
    mentions: list[Mention]
    language: Language
    published: date | None
    headline: str | None
    problems: list[str]
    warnings: list[str]


def extract(text: str, origin: Origin, source: DataSource) -> Draft:
    """The draft for ``text`` (see :class:`Draft`); ``origin`` fills in what the text's
    header does not say."""
    article = parse(text, origin)
    dated = _date(article)
    found = _mentions(article, dated, source)
    decided, notes = _fields(article, dated, found, source)
    notes = Notes(warnings=article.warnings) + dated.notes + notes
    record, notes = _record(article, dated, decided, found.agreements, notes, source)
    return Draft(
        record=record,
        findings=list(notes.findings),
        mentions=list(notes.mentions),
        language=article.language,
        published=dated.published,
        headline=article.headline.text if article.headline else None,
        problems=list(notes.problems),
        warnings=list(notes.warnings),
    )


# --- dates: every date, then the event's ------------------------------------------------------


@dataclass(frozen=True)
class _Dated:
    """The article's dates and the one that dates the event."""

    dates: list[DateMention]  # every date in the body, the page's dateline marked as such
    published: date | None  # given, from the header or URL, else from the dateline
    pick: Pick | None  # the mention that dates the event
    when: PartialDate | None  # the event's date
    notes: Notes


def _date(article: Article) -> _Dated:
    """Dates first: the event's date decides what the place names meant."""
    body = article.body_start
    dates = [
        d
        for d in find_dates(article.text, article.language, article.sentences)
        if d.evidence.start >= body
    ]
    published, notes = article.origin.published, Notes()
    top = dateline(article.folded, dates, body)
    if top is not None:  # the page's own date: it dates the article, not the event
        dates = [
            d if d is not top else d.model_copy(update={"role": DateRole.published}) for d in dates
        ]
        if published is None and top.year is not None and top.precision is Precision.day:
            published = date(top.year, top.month or 1, top.day or 1)
            notes += Notes(warnings=(f"publication date {published} read from the dateline",))
    lead = {s.index for s in article.sentences[:3]}
    pick = event_date(dates, article.sentences, lead, published)
    when, date_notes = fields.date_of(article, pick, dates, published)
    return _Dated(dates, published, pick, when, notes + date_notes)


# --- mentions: who, where, which documents ----------------------------------------------------


@dataclass(frozen=True)
class _Mentions:
    """Every mention found in the text, before deciding which are the event's own."""

    windows: list[Span]  # the headline and the lead
    asides: list[Span]  # document names and brackets: what they name is not the event
    people: list[ParticipantMention]
    gates: list[CrossingMention]
    places: list[PlaceMention]
    named: list[CountryMention]
    documents: list[DocumentMention]
    agreements: list[Agreement]


def _mentions(article: Article, dated: _Dated, source: DataSource) -> _Mentions:
    """People and crossings first (their words are not places), then places as of the event's
    date, then documents (matched against the agreements of the countries and places named)."""
    text, body = article.text, article.body_start
    people = find_participants(text, article.sentences, article.language, source)
    crossings = load_crossing_records(source)  # a bad row is left out, with a warning
    gates = [c for c in find_crossings(text, crossings) if c.evidence.start >= body]
    skip = [(p.evidence[-1].start, p.evidence[-1].end) for p in people]
    skip += [(g.evidence.start, g.evidence.end) for g in gates]
    places, named = find_places(text, _as_of(dated), source, skip)
    places = [p for p in places if p.evidence.start >= body]
    countries = {c.code for c in named} | {p.country for p in places if p.country}
    units = {u for p in places if p.unit for u in (p.unit, *units_today(p.unit, source))}
    agreements, problems = read_agreements(source)
    warn_each(problems)  # a bad record is left out, with a warning
    documents = find_documents(
        text, article.sentences, agreements, dated.dates, article.language, countries, units, source
    )
    documents = [d for d in documents if d.evidence.start >= body]
    # a document's name ("Biên bản cuộc họp thường niên lần thứ 28") names another meeting
    asides = [(d.evidence.start, d.evidence.end) for d in documents if d.agreement]
    asides += [(d.evidence.start, d.evidence.start + 12) for d in documents if not d.agreement]
    asides += _brackets(text)
    windows = _windows(article, dated.pick)
    return _Mentions(windows, asides, people, gates, places, named, documents, agreements)


def _as_of(dated: _Dated) -> date:
    """The date place names are resolved on: the event's, else the publication's, else today."""
    return dated.when.start if dated.when else dated.published or date.today()


def _windows(article: Article, pick: Pick | None) -> list[Span]:
    """The headline and the lead: the sentence(s) dating the event and the two after each; with
    no event date, the first two sentences."""
    chosen: set[int] = set()
    if article.headline is not None:
        chosen.add(article.headline.index)
    if pick is not None:
        for evidence in pick.evidence:
            sentence = sentence_at(article.sentences, evidence.start)
            if sentence is not None:  # the lead: the dating sentence and the two after it
                chosen |= {sentence.index, sentence.index + 1, sentence.index + 2}
    else:
        first = [s.index for s in article.sentences if s is not article.headline][:2]
        chosen |= set(first)
    return [(s.start, s.end) for s in article.sentences if s.index in chosen]


def _brackets(text: str) -> list[Span]:
    return [m.span() for m in re.finditer(r"\([^()]{0,200}\)", text)]


# --- fields, then the record ------------------------------------------------------------------


@dataclass(frozen=True)
class _Fields:
    """The record's fields decided from the mentions (named as the Event model names them)."""

    kind: EventKind
    ordinal: int | None
    level: Level
    border: str | None
    countries: list[str]
    provinces: dict[str, list[str]]
    venue: Venue | None
    crossings: list[str]
    agreements: list[AgreementRef]
    participants: list[Participant]
    figures: list[Figure]


def _fields(
    article: Article, dated: _Dated, found: _Mentions, source: DataSource
) -> tuple[_Fields, Notes]:
    """Each field in turn, its notes added as it is decided (the findings keep this order)."""
    windows, asides = found.windows, found.asides
    parties, venue, notes = fields.parties_and_venue(article, found.places, windows, asides)
    participants, more = fields.participants_of(found.people)
    notes += more
    kind, more = fields.kind_of(article, windows, asides, participants)
    notes += more
    countries, more = fields.countries_of(participants, parties, found.named, windows)
    notes += more
    level, more = fields.level_of(article, kind, windows, asides, parties)
    notes += more
    ordinal, more = fields.ordinal_of(article, kind, windows, asides)
    notes += more
    border, more = fields.border_of(article, countries, found.named, windows, found.gates)
    notes += more
    units = _units_of(parties, venue, source)
    refs, more = fields.agreement_refs(
        found.documents, found.agreements, dated.when, countries, units, source
    )
    notes += more
    annual = fields.next_annual_meeting(kind, ordinal, refs, found.agreements)
    if annual is not None:  # decides the kind and ordinal again
        kind, ordinal, more = annual
        notes = notes.without("kind", "ordinal") + more
    figures, more = fields.figures_of(article, dated.dates)
    notes += more
    notes += fields.dates_mentioned(dated.dates, dated.pick, dated.published)
    crossings, more = fields.crossings_of(found.gates)
    notes += more
    decided = _Fields(
        kind=kind,
        ordinal=ordinal,
        level=level,
        border=border,
        countries=countries,
        provinces=parties,
        venue=_online(kind, venue),
        crossings=crossings,
        agreements=refs,
        participants=participants,
        figures=figures,
    )
    return decided, notes


def _units_of(parties: dict[str, list[str]], venue: Venue | None, source: DataSource) -> set[str]:
    """The event's units and the units they are part of today (agreements name either)."""
    named = {u for ids in parties.values() for u in ids}
    if venue is not None and venue.unit:
        named.add(venue.unit)
    return {u for unit in named for u in (unit, *units_today(unit, source))}


def _online(kind: EventKind, venue: Venue | None) -> Venue | None:
    """An online meeting's venue is online, linking the place named as its venue, if any."""
    if kind is not EventKind.online_meeting or (venue is not None and venue.online):
        return venue
    connected = [Place(name=venue.name or "", unit=venue.unit)] if venue else []
    return Venue(online=True, connected=connected)


def _record(
    article: Article,
    dated: _Dated,
    decided: _Fields,
    agreements: list[Agreement],
    notes: Notes,
    source: DataSource,
) -> tuple[Event | None, Notes]:
    """The record validated by the Event model, and ``notes`` (every stage's so far: their
    inferences go into the record) with its own added; None, with the problems, when there is
    no date or source or the model refuses it."""
    source_record, more = fields.source_of(article)
    notes += more
    if dated.when is None or source_record is None:
        return None, notes
    facts = summary.Facts(
        decided.kind,
        decided.ordinal,
        dated.when,
        decided.countries,
        decided.provinces,
        decided.venue,
        decided.participants,
        decided.agreements,
    )
    notes += Notes(
        inferred=(
            Inference(field="title", reason=summary.TITLE_REASON),
            Inference(field="summary", reason=summary.REASON),
        )
    )
    record = vars(decided) | {
        "id": _draft_id(decided.kind, decided.countries, dated.when),
        "title": summary.draft_title(facts, source),
        "date": dated.when,
        "summary": summary.draft_summary(facts, {a.id: a for a in agreements}, source),
        "sources": [source_record],
        "confidence": _confidence(dated.pick, decided),
        "notes": "Draft made by `borderatlas ingest` from the article's words by rule; every "
        "field needs checking against the source.",
        "inferred": list(notes.inferred),
    }
    try:
        return Event.model_validate(record), notes
    except ValidationError as error:
        problems = tuple(
            f"field '{'.'.join(str(part) for part in detail['loc'])}': {detail['msg']}"
            for detail in error.errors()
        )
        return None, notes + Notes(problems=problems)


def _draft_id(kind: EventKind, countries: list[str], when: PartialDate) -> str:
    """ "talks-vn-la-2025-12-09": readable, and unique enough for a draft (append checks)."""
    parts = [kind.value.replace("_", "-"), *(c.lower() for c in countries), str(when).lower()]
    return "-".join(parts)


def _confidence(pick: Pick | None, decided: _Fields) -> Confidence:
    """Medium when the text dates the event and names its kind and parties; low otherwise."""
    named = decided.kind is not EventKind.other and (decided.provinces or decided.participants)
    return "medium" if pick is not None and named else "low"
