"""Assemble a draft event record from an article, every field with its evidence and confidence.

The event's own date, venue and parties are told apart from what the article merely mentions:
the headline and the lead (the sentence that dates the event and the one after it) name the
event; dates in anniversaries, plans, periods or asides and places outside the lead or inside a
document's name are kept as *mentions*, not fields.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from loaders._io import DataSource
from loaders.boundaries import units_today
from loaders.crossings import read_crossings
from loaders.events import (
    Agreement,
    Event,
    EventKind,
    PartialDate,
    Place,
    Precision,
    Source,
    Venue,
    read_agreements,
)
from loaders.ingest import _fields as fields
from loaders.ingest import summary
from loaders.ingest._article import (
    Finding,
    Mention,
    Origin,
    Work,
    merge_origin,
    read_header,
    url_date,
)
from loaders.ingest.dates import (
    DateMention,
    DateRole,
    Pick,
    dateline,
    event_date,
    find_dates,
    nearest_year,
)
from loaders.ingest.documents import DocumentMention, find_documents
from loaders.ingest.people import ParticipantMention, find_participants
from loaders.ingest.places import (
    CountryMention,
    CrossingMention,
    PlaceMention,
    find_crossings,
    find_places,
)
from loaders.ingest.text import (
    Language,
    Sentence,
    Span,
    detect_language,
    fold,
    sentence_at,
    split_sentences,
)
from loaders.vocabulary import Confidence

__all__ = ["Draft", "Finding", "Mention", "Origin", "extract", "read_header"]


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
    text = unicodedata.normalize("NFC", text)
    header, body_start, warnings = read_header(text)
    origin = merge_origin(origin, header)
    if origin.published is None and (in_url := url_date(origin.url)) is not None:
        origin = replace(origin, published=in_url)
        warnings.append(f"publication date {in_url} read from the URL")
    body_sentences = [s for s in split_sentences(text) if s.start >= body_start]
    sentences = [Sentence(i, s.start, s.end, s.text) for i, s in enumerate(body_sentences)]
    language = origin.language or detect_language(text[body_start:])
    work = Work(
        text=text,
        folded=fold(text),
        language=language,
        sentences=sentences,
        body_start=body_start,
        headline=_headline(text, sentences),
        published=origin.published,
        source=source,
        warnings=warnings,
    )
    record = _build(work, origin)
    return Draft(
        record=record,
        findings=work.findings,
        mentions=work.mentions,
        language=language,
        published=work.published,
        headline=work.headline.text if work.headline else None,
        problems=work.problems,
        warnings=work.warnings,
    )


def _headline(text: str, sentences: list[Sentence]) -> Sentence | None:
    """The first line, when it stands alone and reads like a headline (short, no final stop)."""
    if not sentences:
        return None
    first = sentences[0]
    alone = text[first.end : first.end + 1] in ("\n", "")
    return first if alone and len(first.text) <= 200 and not first.text.endswith(".") else None


@dataclass(frozen=True)
class _Read:
    """Every mention found in the text, before deciding which are the event's own."""

    dates: list[DateMention]
    pick: Pick | None
    when: PartialDate | None
    windows: list[Span]  # the headline and the lead
    asides: list[Span]  # document names and brackets: what they name is not the event
    people: list[ParticipantMention]
    gates: list[CrossingMention]
    places: list[PlaceMention]
    named: list[CountryMention]
    documents: list[DocumentMention]
    agreements: list[Agreement]


def _read(work: Work) -> _Read:
    """Find dates first (the event's date decides what the place names meant), then people and
    crossings (their words are not places), then places, then documents."""
    body = work.body_start
    dates = [
        d for d in find_dates(work.text, work.language, work.sentences) if d.evidence.start >= body
    ]
    top = dateline(work.folded, dates, body)
    if top is not None:  # the page's own date: it dates the article, not the event
        dates = [
            d if d is not top else d.model_copy(update={"role": DateRole.published}) for d in dates
        ]
        if work.published is None and top.year is not None and top.precision is Precision.day:
            work.published = date(top.year, top.month or 1, top.day or 1)
            work.warnings.append(f"publication date {work.published} read from the dateline")
    lead = {s.index for s in work.sentences[:3]}
    pick = event_date(dates, work.sentences, lead, work.published)
    when = _event_date(work, pick, dates)
    as_of = _as_of(work, when)
    people = find_participants(work.text, work.sentences, work.language, work.source)
    crossings, _errors = read_crossings(work.source)  # bad rows are `validate`'s business
    gates = [c for c in find_crossings(work.text, crossings) if c.evidence.start >= body]
    skip = [(p.evidence[-1].start, p.evidence[-1].end) for p in people]
    skip += [(g.evidence.start, g.evidence.end) for g in gates]
    places, named = find_places(work.text, as_of, work.source, skip)
    places = [p for p in places if p.evidence.start >= body]
    countries = {c.code for c in named} | {p.country for p in places if p.country}
    units = {u for p in places if p.unit for u in (p.unit, *units_today(p.unit, work.source))}
    agreements, _problems = read_agreements(work.source)
    documents = find_documents(
        work.text, work.sentences, agreements, dates, work.language, countries, units, work.source
    )
    documents = [d for d in documents if d.evidence.start >= body]
    # a document's name ("Biên bản cuộc họp thường niên lần thứ 28") names another meeting
    asides = [(d.evidence.start, d.evidence.end) for d in documents if d.agreement]
    asides += [(d.evidence.start, d.evidence.start + 12) for d in documents if not d.agreement]
    asides += _brackets(work.text)
    return _Read(
        dates, pick, when, _windows(work, pick), asides, people, gates, places, named,
        documents, agreements,
    )  # fmt: skip


def _build(work: Work, origin: Origin) -> Event | None:
    """Decide every field from the mentions, then validate the record with the Event model."""
    read = _read(work)
    windows, asides = read.windows, read.asides
    cue, in_lead = fields.kind_cue(work, windows, asides)
    parties, venue = fields.parties_and_venue(
        work, read.places, windows, asides, _as_of(work, read.when)
    )
    participants = fields.participants_of(work, read.people)
    kind = fields.refine_kind(cue.value if cue else EventKind.other, participants)  # type: ignore[arg-type]
    fields.record_kind(work, kind, cue, in_lead)
    countries = fields.countries_of(work, participants, parties, read.named, windows)
    level = fields.level_of(work, kind, windows, asides, parties)
    ordinal = fields.ordinal_of(work, kind, windows, asides)
    border = fields.border_of(work, countries, read.named, windows, read.gates)
    named = {u for ids in parties.values() for u in ids} | (
        {venue.unit} if venue is not None and venue.unit else set()
    )
    units = {u for unit in named for u in (unit, *units_today(unit, work.source))}
    refs = fields.agreement_refs(work, read.documents, read.agreements, read.when, countries, units)
    kind, ordinal = fields.next_annual_meeting(work, kind, ordinal, refs, read.agreements)
    figures = fields.figures_of(work, read.dates)
    _dates_mentioned(work, read.dates, read.pick)
    if kind is EventKind.online_meeting and (venue is None or not venue.online):
        connected = [Place(name=venue.name or "", unit=venue.unit)] if venue else []
        venue = Venue(online=True, connected=connected)
    if read.gates:
        paired = all(g.paired for g in read.gates)
        gates = [g.evidence for g in read.gates]
        work.find("crossings", [g.id for g in read.gates], gates, "high" if paired else "medium")
    source_record = _source(work, origin)
    if read.when is None or source_record is None:
        return None
    facts = summary.Facts(kind, ordinal, read.when, countries, parties, venue, participants, refs)
    work.infer("title", summary.TITLE_REASON)
    work.infer("summary", summary.REASON)
    record = {
        "id": _draft_id(kind, countries, read.when),
        "title": summary.draft_title(facts, work.source),
        "date": read.when,
        "kind": kind,
        "ordinal": ordinal,
        "level": level,
        "border": border,
        "countries": countries,
        "provinces": parties,
        "venue": venue,
        "crossings": [g.id for g in read.gates],
        "agreements": refs,
        "participants": participants,
        "figures": figures,
        "summary": summary.draft_summary(facts, {a.id: a for a in read.agreements}, work.source),
        "sources": [source_record],
        "confidence": _confidence(work, read.pick, kind, parties, participants),
        "notes": "Draft made by `borderatlas ingest` from the article's words by rule; every "
        "field needs checking against the source.",
        "inferred": work.inferred,
    }
    try:
        return Event.model_validate(record)
    except ValidationError as error:
        for detail in error.errors():
            where = ".".join(str(part) for part in detail["loc"])
            work.problems.append(f"field '{where}': {detail['msg']}")
        return None


def _as_of(work: Work, when: PartialDate | None) -> date:
    """The date place names are resolved on: the event's, else the publication's, else today."""
    return when.start if when else work.published or date.today()


def _event_date(work: Work, pick: Pick | None, dates: list[DateMention]) -> PartialDate | None:
    """The event's date: as stated, its year from the publication date or the event's name, or
    (no date in the text) the publication month; None, with a problem, when nothing gives one."""
    if pick is None:
        if work.published is None:
            work.problems.append(
                "no date found: the text names no day or month for the event and no publication "
                "date was given (use --published DATE or a 'published:' header)"
            )
            return None
        value = PartialDate(start=work.published.replace(day=1), precision=Precision.month)
        reason = "the article gives no date for the event; the publication month stands in"
        work.find("date", str(value), [], "low", reason)
        work.infer("date", reason)
        work.warnings.append(reason)
        return value
    mention = pick.mention
    strong: Confidence = "high" if mention.time_of_day or mention.cued else "medium"
    if mention.year is not None:
        value = mention.on_year(mention.year)
        work.find("date", str(value), list(pick.evidence), strong)
        return value
    if work.published is not None:
        value = nearest_year(mention, work.published)
        reason = (
            f"the text gives {mention.evidence.text!r} without a year; the year is the one "
            f"that puts it nearest the publication date {work.published}"
        )
        work.find("date", str(value), list(pick.evidence), strong, reason)
        work.infer("date", reason)
        return value
    year = _year_in_sentence(work, mention, dates)
    if year is None:
        work.problems.append(
            f"the event date {mention.evidence.text!r} has no year and no publication date was "
            "given: pass --published DATE"
        )
        return None
    value = mention.on_year(year.year or 0)
    reason = (
        f"the text gives {mention.evidence.text!r} without a year; {year.evidence.text!r} in "
        "the same sentence gives it"
    )
    work.find("date", str(value), [*pick.evidence, year.evidence], "medium", reason)
    work.infer("date", reason)
    return value


def _year_in_sentence(
    work: Work, mention: DateMention, dates: list[DateMention]
) -> DateMention | None:
    """ "Chiều 9/12 ... Hội đàm thường niên lần thứ XIX năm 2025": the name gives the year."""
    sentence = sentence_at(work.sentences, mention.evidence.start)
    for other in dates:
        if (
            other.precision is Precision.year
            and other.role is None
            and sentence
            and sentence.contains(other.evidence.start)
        ):
            return other
    return None


def _dates_mentioned(work: Work, dates: list[DateMention], pick: Pick | None) -> None:
    chosen = {e.start for e in pick.evidence} if pick else set()
    for mention in dates:
        if mention.evidence.start in chosen:
            continue
        value = mention.resolve(work.published)
        role = mention.role.value if mention.role else "mentioned"
        work.mentions.append(
            Mention(
                what="date",
                value=str(value) if value else mention.evidence.text,
                role=role,
                evidence=[mention.evidence],
            )
        )


def _windows(work: Work, pick: Pick | None) -> list[Span]:
    """The headline and the lead: the sentence(s) dating the event and the one after each; with
    no event date, the first two sentences."""
    chosen: set[int] = set()
    if work.headline is not None:
        chosen.add(work.headline.index)
    if pick is not None:
        for evidence in pick.evidence:
            sentence = sentence_at(work.sentences, evidence.start)
            if sentence is not None:  # the lead: the dating sentence and the two after it
                chosen |= {sentence.index, sentence.index + 1, sentence.index + 2}
    else:
        first = [s.index for s in work.sentences if s is not work.headline][:2]
        chosen |= set(first)
    return [(s.start, s.end) for s in work.sentences if s.index in chosen]


def _brackets(text: str) -> list[Span]:
    return [m.span() for m in re.finditer(r"\([^()]{0,200}\)", text)]


def _source(work: Work, origin: Origin) -> Source | None:
    seed = (
        origin.file_name
        if origin.file_name and re.fullmatch(r"[\w.-]+\.txt", origin.file_name)
        else None
    )
    try:
        return Source(
            publisher=origin.publisher,
            title=origin.title or (work.headline.text if work.headline else None),
            url=origin.url,
            published=PartialDate(start=origin.published, precision=Precision.day)
            if origin.published
            else None,
            language=work.language,
            seed=seed,
            note=f"draft ingested from {origin.file_name}" if origin.file_name else None,
        )
    except ValidationError as error:
        message = error.errors()[0]["msg"].removeprefix("Value error, ")
        work.problems.append(
            f"source: {message} (give a URL or publisher: a header, or --url / --publisher)"
        )
        return None


def _draft_id(kind: EventKind, countries: list[str], when: PartialDate) -> str:
    """ "talks-vn-la-2025-12-09": readable, and unique enough for a draft (append checks)."""
    parts = [kind.value.replace("_", "-"), *(c.lower() for c in countries), str(when).lower()]
    return "-".join(parts)


def _confidence(
    work: Work,
    pick: Pick | None,
    kind: EventKind,
    parties: dict[str, list[str]],
    participants: list[Any],
) -> Confidence:
    """Medium when the text dates the event and names its kind and parties; low otherwise."""
    dated = pick is not None and not any(p.startswith("the event date") for p in work.problems)
    return (
        "medium" if dated and kind is not EventKind.other and (parties or participants) else "low"
    )
