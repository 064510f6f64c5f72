"""A draft against the existing records: is it already there, and writing it if not.

Two reports of one meeting (one in English, one in Vietnamese, or two outlets) give drafts that
differ in detail, so "the same event" is judged on several signals at once: overlapping dates
and countries, and enough agreement among kind, people, provinces, agreements and ordinal. A
draft matching an existing event is never written as a new record; with ``add_source`` its source
is added to the existing record instead.

Writing goes through the checks hand-written records pass (the :class:`~loaders.events.Event`
model, a parse of the written text, and the cross-record checks of ``check_events``), into the
user's data directory only, atomically, and never over an existing file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal

import yaml

from loaders._errors import BorderAtlasError, warn_each
from loaders._io import DataSource, data_dir_lock, write_atomic
from loaders.boundaries import units_today
from loaders.checks.events import (
    check_event,  # the per-record checks `borderatlas validate` runs
    crossing_ids,
    unit_index,
)
from loaders.events import (
    Event,
    EventKind,
    Source,
    parse_record,  # the parser hand-written files go through
    read_agreements,
    read_events,
)
from loaders.ingest.text import compact_key

EVENTS = "events"
# Kinds one report may call by another's name ("talks" / "ministerial talks").
_KIN = [
    {EventKind.talks, EventKind.ministerial_talks, EventKind.annual_meeting},
    {EventKind.conference, EventKind.annual_meeting, EventKind.online_meeting},
    {EventKind.working_group_meeting, EventKind.conference, EventKind.other},
]
SAME_EVENT_SCORE = 5


class AppendError(BorderAtlasError):
    """The draft cannot be written (read-only data, a failed check): the message says why."""


@dataclass(frozen=True)
class Match:
    """An existing event the draft reports; ``duplicate`` when date, kind and parties agree."""

    event: Event
    duplicate: bool
    score: int
    reasons: tuple[str, ...]
    cross_language: bool

    def describe(self) -> str:
        what = "duplicate of" if self.duplicate else "same event as"
        language = " (a report in another language)" if self.cross_language else ""
        return f"{what} {self.event.id}{language}: {'; '.join(self.reasons)}"


@dataclass
class Outcome:
    """What :func:`append_draft` did: ``written`` (a new record), ``source_added`` or
    ``refused`` (a match, see ``match``)."""

    action: Literal["written", "source_added", "refused"]
    path: Path | None = None
    event_id: str | None = None
    match: Match | None = None
    messages: list[str] = field(default_factory=list)


# --- matching -----------------------------------------------------------------------------------


def find_match(draft: Event, source: DataSource, events: list[Event] | None = None) -> Match | None:
    """The existing event ``draft`` most likely reports, or None (among ``events``: default all)."""
    if events is None:
        events, problems = read_events(source)
        warn_each(problems)  # a record that cannot be read cannot be matched: say so
    found = [m for e in events if (m := _compare(draft, e, source)) is not None]
    return max(found, key=lambda m: (m.duplicate, m.score), default=None)


def _parties(event: Event, source: DataSource) -> tuple[frozenset[str], frozenset[str]]:
    """Countries, and provinces as today's units ("vn-quang-nam" in 2019 is "vn-da-nang-2025")."""
    units = {u for ids in event.provinces.values() for u in ids}
    today = {c for u in units for c in units_today(u, source) or [u]}
    return frozenset(event.countries), frozenset(today)


def _compare(draft: Event, known: Event, source: DataSource) -> Match | None:
    if not draft.date.overlaps(known.date.start, known.date.end):
        return None
    countries, provinces = _parties(draft, source)
    other_countries, other_provinces = _parties(known, source)
    if not (countries <= other_countries or other_countries <= countries):
        return None
    same_day = str(draft.date) == str(known.date)
    same_parties = (countries, provinces) == (other_countries, other_provinces)
    duplicate = same_day and draft.kind == known.kind and same_parties
    score, reasons = _score(draft, known, same_day, provinces, other_provinces)
    if not duplicate and score < SAME_EVENT_SCORE:
        return None
    draft_languages = {s.language for s in draft.sources}
    known_languages = {s.language for s in known.sources}
    cross = bool(draft_languages) and not draft_languages & known_languages
    return Match(known, duplicate, score, tuple(reasons), cross)


def _score(
    draft: Event, known: Event, same_day: bool, provinces: frozenset[str], others: frozenset[str]
) -> tuple[int, list[str]]:
    """Points for each signal two reports of one meeting share, and what they were."""
    signals = [(2, "same day") if same_day else (1, "overlapping dates")]
    if draft.kind == known.kind:
        signals.append((2, f"same kind ({draft.kind.value})"))
    elif any({draft.kind, known.kind} <= kin for kin in _KIN):
        signals.append((1, "related kinds"))
    # compact keys drop accents: "Nguyen Minh Vu" is "Nguyễn Minh Vũ"
    people = {compact_key(p.name) for p in draft.participants}
    common = [p.name for p in known.participants if compact_key(p.name) in people]
    if common:
        signals.append((2, f"same people ({', '.join(common)})"))
    if provinces & others:
        signals.append((2, f"same provinces ({', '.join(sorted(provinces & others))})"))
    shared = {a.id for a in draft.agreements} & {a.id for a in known.agreements}
    if shared:
        signals.append((1, f"same agreements ({', '.join(sorted(shared))})"))
    if draft.ordinal is not None and draft.ordinal == known.ordinal:
        signals.append((1, f"same ordinal ({draft.ordinal})"))
    return sum(points for points, _ in signals), [reason for _, reason in signals]


# --- writing ------------------------------------------------------------------------------------


def append_draft(draft: Event, source: DataSource, *, add_source: bool = False) -> Outcome:
    """Write ``draft`` as a new record in ``source``'s data directory, or, when it reports an
    existing event, add its source to that record (``add_source``) or refuse."""
    folder = _events_folder(source)
    try:
        with data_dir_lock(folder.parent):  # read, decide and write as one step
            return _append_locked(draft, source, folder, add_source)
    except OSError as error:  # a full disk, a read-only folder: write_atomic kept nothing
        where = error.filename or folder
        raise AppendError(
            f"{where}: not written: {error.strerror or error}; no record was added or changed"
        ) from None


def _append_locked(draft: Event, source: DataSource, folder: Path, add_source: bool) -> Outcome:
    events, problems = read_events(source)  # once, under the lock: no other writer changes it now
    warn_each(problems)  # a record that cannot be read cannot be matched: say so
    match = find_match(draft, source, events)
    if match is not None:
        if not add_source:
            return Outcome(
                "refused",
                event_id=match.event.id,
                match=match,
                messages=[
                    f"{match.describe()}; not written (pass --add-source to add this article as a "
                    f"source of {match.event.id})"
                ],
            )
        return _add_source(match, draft.sources[0], folder, source, events)
    return _write_new(draft, folder, source, events)


def _events_folder(source: DataSource) -> Path:
    if source.user_dir is None:
        raise AppendError(
            "the embedded data is read-only: pass --data-dir DIR (a folder laid out like "
            "geodata/, or set BORDERATLAS_DATA_DIR) to append records there"
        )
    return source.user_dir / EVENTS


def _write_new(draft: Event, folder: Path, source: DataSource, events: list[Event]) -> Outcome:
    taken = {e.id for e in events} | {p.stem for p in folder.glob("*.yaml")}
    event_id, number = draft.id, 1
    while event_id in taken:
        number += 1
        event_id = f"{draft.id}-{number}"
    record = draft.model_copy(update={"id": event_id})
    record, messages = _unlinked_agreements(record, source)
    text = to_yaml(record)
    _check(record, text, source, f"{EVENTS}/{event_id}.yaml", events)
    path = folder / f"{event_id}.yaml"
    try:
        write_atomic(path, text)
    except FileExistsError as error:
        raise AppendError(str(error)) from None
    return Outcome("written", path=path, event_id=event_id, messages=messages)


def _unlinked_agreements(record: Event, source: DataSource) -> tuple[Event, list[str]]:
    """Agreement links a new record cannot carry yet: an event may name an agreement only once
    the agreement's record lists the event (``validate`` checks both ends), and appending never
    edits another record. Such links move to the notes, with what to do."""
    agreements = {a.id: a for a in read_agreements(source)[0]}
    kept = [
        r
        for r in record.agreements
        if record.id in getattr(agreements.get(r.id), "related_events", [])
    ]
    moved = [r for r in record.agreements if r not in kept]
    if not moved:
        return record, []
    listed = ", ".join(f"{r.id} ({r.relation.value})" for r in moved)
    note = (
        f"Agreements the article names, not yet linked: {listed}. To link one, add "
        f"'{record.id}' to its related_events and list it under agreements here."
    )
    notes = f"{record.notes} {note}" if record.notes else note
    message = f"not linked (their records do not list {record.id} yet): {listed}; see the notes"
    return record.model_copy(update={"agreements": kept, "notes": notes}), [message]


def _check(record: Event, text: str, source: DataSource, relative: str, known: list[Event]) -> None:
    """The checks a hand-written file passes: it parses to the same record, and its places,
    crossings, agreements and links hold against the data."""
    parsed, errors = parse_record(text, Event)
    if parsed is None or parsed != record:
        details = (
            "; ".join(f"{f}: {m}" for f, m in errors) or "the written text reads back differently"
        )
        raise AppendError(f"the draft does not read back as written: {details}")
    events = {e.id: e for e in known} | {record.id: record}
    agreements = {a.id: a for a in read_agreements(source)[0]}
    problems = check_event(
        record, relative, unit_index(source), crossing_ids(source), agreements, events
    )
    if problems:
        raise AppendError(
            "the draft fails the record checks: " + "; ".join(str(p) for p in problems)
        )


class _Dumper(yaml.SafeDumper):
    """Writes dates plain (``date: 2025-12-09``, as people write them; the record loader reads
    them as text) and long texts folded, like the hand-written files."""

    # types-PyYAML declares this per instance; PyYAML keeps it on the class, as here.
    yaml_implicit_resolvers: ClassVar = {  # type: ignore[misc]
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
    }


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = ">" if len(value) > 80 and " " in value and "\n" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _number(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
    if value.is_integer() and abs(value) < 1e15:  # 1080, not 1080.0
        return dumper.represent_int(int(value))
    return dumper.represent_float(value)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(float, _number)


def to_yaml(record: Event) -> str:
    """The record as a YAML file in the layout of the hand-written ones (fields in model order,
    defaults left out)."""
    data = record.model_dump(mode="json", exclude_defaults=True)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


# --- adding a source ----------------------------------------------------------------------------


def _same_source(one: Source, other: Source) -> bool:
    pairs = [(one.url, other.url), (one.seed, other.seed)]
    return any(a is not None and a == b for a, b in pairs) or (
        one.publisher is not None and (one.publisher, one.title) == (other.publisher, other.title)
    )


def _add_source(
    match: Match, new: Source, folder: Path, source: DataSource, events: list[Event]
) -> Outcome:
    """Add ``new`` to the matched record's sources, editing only that record's file (its own
    words and layout kept: the source is inserted as text at the end of ``sources``)."""
    record = match.event
    if any(_same_source(new, known) for known in record.sources):
        return Outcome(
            "refused",
            event_id=record.id,
            match=match,
            messages=[f"{match.describe()}; this source is already listed in {record.id}"],
        )
    name = f"{record.id}.yaml"
    if name not in dict(source.list_dir(EVENTS)):
        raise AppendError(
            f"the record {record.id} is not in a file named {name}; add the source by hand"
        )
    text = source.read_text(f"{EVENTS}/{name}")
    updated = insert_source(text, new)
    expected = record.model_copy(update={"sources": [*record.sources, new]})
    _check(expected, updated, source, f"{EVENTS}/{name}", events)
    path = folder / name  # the user's copy replaces the embedded one of the same name
    write_atomic(path, updated, overwrite=path.exists())
    return Outcome(
        "source_added",
        path=path,
        event_id=record.id,
        match=match,
        messages=[f"{match.describe()}; added this article as a source of {record.id}"],
    )


_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:", re.MULTILINE)


def insert_source(text: str, new: Source) -> str:
    """``text`` with ``new`` appended to its top-level ``sources:`` list, nothing else changed."""
    found = re.search(r"^sources:[ \t]*\n", text, re.MULTILINE)
    if found is None:
        raise AppendError("the record has no 'sources:' block to add to")
    following = _TOP_KEY.search(text, found.end())
    end = following.start() if following else len(text)
    block = text[found.end() : end]
    leading = block[: len(block) - len(block.lstrip(" \t"))]  # the first line's indentation
    indent = leading if block.strip() else "  "
    entry = yaml.dump(
        [new.model_dump(mode="json", exclude_none=True)],
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    lines = "".join(
        indent + line if line.strip() else line for line in entry.splitlines(keepends=True)
    )
    body = block.rstrip("\n") + "\n" if block.strip() else ""
    tail = text[end:]
    return text[: found.end()] + body + lines + tail
