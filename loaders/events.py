"""Cooperation events and agreements: the schema, the loader and the per-record checks.

One YAML file per record: ``geodata/events/<id>.yaml`` and ``geodata/agreements/<id>.yaml``.
The models below are the specification of those files; read them top to bottom as documentation.

Loading never stops at a bad record: :func:`read_events` and :func:`read_agreements` return the
records that parse together with a :class:`~loaders.validate.Problem` for each one that does not.
:func:`check_events` adds the checks that need other data — place ids valid at the event's date,
crossing ids, agreement and event cross-references — and is what ``borderatlas validate`` runs.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationError,
    model_serializer,
    model_validator,
)

from loaders._errors import DataError, Problem
from loaders._io import DataSource, load_yaml, not_a_regular_file
from loaders.vocabulary import (
    EARLIEST,
    Border,
    Confidence,
    Country,
    CrossingId,
    EventKind,
    Text,
    UnitId,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:--?[a-z0-9]+)*$")]


class _Record(BaseModel):
    """Strict by default: an unknown key is a typo, not data to drop silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- dates ----------------------------------------------------------------------------------


class Precision(str, Enum):
    day = "day"
    month = "month"
    quarter = "quarter"
    year = "year"


# YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn
# ASCII digits only: `\d` would also take "٢٠٢٤-٠١-٠١" (Arabic-Indic), and int() would read it.
_DATE_FORM = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q([1-4]))?$", re.ASCII)


class PartialDate(_Record):
    """A date known only as precisely as the source gives it.

    Written in YAML as ``2025-12-09`` (day), ``2024-11`` (month), ``2020-Q2`` (quarter) or
    ``2019`` (year), and dumped back in the same form. ``start`` is the first day of the period.
    A date we do not know to the day is never written as one.
    """

    start: date
    precision: Precision

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, (PartialDate, dict)):
            return value
        if isinstance(value, date):
            return {"start": value, "precision": Precision.day}
        return _parse_partial(str(value))

    @property
    def end(self) -> date:
        """The last day of the period."""
        year, month = self.start.year, self.start.month
        if self.precision is Precision.day:
            return self.start
        if self.precision is Precision.year:
            return date(year, 12, 31)
        last_month = month if self.precision is Precision.month else month + 2
        return date(year, last_month, calendar.monthrange(year, last_month)[1])

    def overlaps(self, first: date | None, last: date | None) -> bool:
        """Whether the period shares at least one day with ``first..last`` (None = open)."""
        return (first is None or self.end >= first) and (last is None or self.start <= last)

    @model_serializer
    def _written_form(self) -> str:
        return str(self)

    def __str__(self) -> str:
        start = self.start
        match self.precision:
            case Precision.day:
                return start.isoformat()
            case Precision.month:
                return f"{start.year:04d}-{start.month:02d}"
            case Precision.quarter:
                return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
        return f"{start.year:04d}"


def _parse_partial(text: str) -> dict[str, Any]:
    """``"2020-Q2"`` -> ``{"start": date(2020, 4, 1), "precision": quarter}``; ValueError if bad."""
    found = _DATE_FORM.match(text.strip())
    if not found:
        raise ValueError("expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY")
    year, month, day, quarter = found.groups()
    if day:
        return {"start": date(int(year), int(month), int(day)), "precision": Precision.day}
    if month:
        return {"start": date(int(year), int(month), 1), "precision": Precision.month}
    if quarter:
        return {"start": date(int(year), 3 * int(quarter) - 2, 1), "precision": Precision.quarter}
    return {"start": date(int(year), 1, 1), "precision": Precision.year}


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``text`` in one of the four written forms; raises ``ValueError`` when malformed."""
    try:
        return PartialDate(**_parse_partial(text))
    except ValueError as error:
        raise ValueError(f"{text!r}: {error}") from None


def _recorded(value: PartialDate) -> PartialDate:
    if not EARLIEST <= value.start <= date.today():
        raise ValueError(f"date out of range ({EARLIEST} to today)")
    return value


# A date in a record: besides being well formed, it is neither before EARLIEST nor in the future.
RecordedDate = Annotated[PartialDate, AfterValidator(_recorded)]


# --- shared parts ---------------------------------------------------------------------------


class Bilingual(_Record):
    """The same text in Vietnamese and English, both required."""

    vi: Text
    en: Text


class Place(_Record):
    """A place as the source names it (``name``) and the unit it lies in (``unit``), if known."""

    name: Text
    unit: UnitId | None = None


class Source(_Record):
    """Where a fact comes from. At least one of ``publisher``, ``url`` or ``seed`` is given."""

    publisher: Text | None = None
    title: Text | None = None
    url: HttpUrl | None = None  # http(s) only: URLs end up as links in the app
    published: RecordedDate | None = None
    language: Literal["vi", "en", "fr", "es", "lo", "km"]
    seed: Annotated[str, StringConstraints(pattern=r"^[\w.-]+\.txt$")] | None = None
    note: Text | None = None  # e.g. "corroborates the date and venue only"

    @model_validator(mode="after")
    def _identifiable(self) -> Source:
        if not (self.publisher or self.url or self.seed):
            raise ValueError("a source needs a publisher, a url or a seed file name")
        return self


class Inference(_Record):
    """A field whose value is inferred rather than stated, and what it was inferred from."""

    field: Text  # a field name, optionally dotted: "date", "venue.unit"
    reason: Text


class Level(str, Enum):
    """Who met: the government, ministries, provincial authorities, or border-guard commands."""

    central = "central"
    ministry = "ministry"
    province = "province"
    border_guard = "border_guard"


# Levels whose events always happen between named provinces: validate requires ``provinces``.
PROVINCIAL_LEVELS = frozenset({Level.province, Level.border_guard})


# --- events ---------------------------------------------------------------------------------


class Venue(_Record):
    """Where an event took place: a city or province, or online with its connected venues."""

    name: Text | None = None  # as the source names it: "Huế", "Sekong province"
    unit: UnitId | None = None
    online: bool = False
    connected: list[Place] = []  # "điểm cầu": the rooms an online meeting linked

    @model_validator(mode="after")
    def _consistent(self) -> Venue:
        if self.connected and not self.online:
            raise ValueError("connected venues are only for online meetings (set online: true)")
        if not (self.online or self.name):
            raise ValueError("a venue needs a name, or online: true")
        return self


class AgreementRelation(str, Enum):
    signed = "signed"  # signed at this event
    reviewed = "reviewed"  # its implementation was reviewed
    referenced = "referenced"  # mentioned, e.g. as the basis of the meeting
    planned = "planned"  # the sides agreed to draft, negotiate or renew it


class AgreementRef(_Record):
    id: Slug
    relation: AgreementRelation


class Role(str, Enum):
    head_of_delegation = "head_of_delegation"
    co_chair = "co_chair"
    chair = "chair"  # chaired the event or one of its connected venues
    delegate = "delegate"


class Participant(_Record):
    name: Text  # as the source spells it
    title: Text  # in English, e.g. "Deputy Minister of Foreign Affairs"
    side: Country
    role: Role


class Figure(_Record):
    """A number the source reports, with its unit; ``approximate`` for "nearly", "about"."""

    what: Slug  # machine key, e.g. "joint-patrols-post-level"
    label: Text  # what it counts, in English
    value: float
    unit: Literal["count", "people", "households", "patrols", "km", "USD", "VND"]
    approximate: bool = False
    period: Text | None = None  # e.g. "2024", "since November 2024"


class Event(_Record):
    """A meeting, talks, signing or other cooperation event, from one or more news sources."""

    id: Slug
    title: Bilingual
    date: RecordedDate
    end_date: RecordedDate | None = None  # last day of a multi-day event
    kind: EventKind
    series: Slug | None = None  # the recurring meeting it belongs to (``series/<id>.yaml``)
    ordinal: int | None = Field(default=None, ge=1)  # N in "the Nth annual meeting"
    level: Level
    border: Border | None = None  # the border the event is about, when it is about one
    countries: list[Country] = Field(min_length=1)  # countries whose officials took part
    provinces: dict[Country, list[UnitId]] = {}  # per side, unit ids valid at the event's date
    venue: Venue | None = None
    crossings: list[CrossingId] = []
    agreements: list[AgreementRef] = []
    participants: list[Participant] = []
    figures: list[Figure] = []
    summary: Bilingual  # in our own words, never sentences copied from the source
    related_events: list[Slug] = []  # earlier events this one refers to
    # Every record says where it comes from, how sure we are, and what was inferred from what.
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence
    inferred: list[Inference] = []
    notes: Text | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> Event:
        if self.end_date is not None and self.end_date.end < self.date.start:
            raise ValueError("end_date is before date")
        return self

    def places(self) -> list[tuple[str, str]]:
        """(field path, unit id) for every unit named: provinces per side, venue, connected."""
        found = [
            (f"provinces.{side}[{i}]", unit)
            for side, ids in self.provinces.items()
            for i, unit in enumerate(ids)
        ]
        if self.venue is not None and self.venue.unit:
            found.append(("venue.unit", self.venue.unit))
        if self.venue is not None:
            found += [
                (f"venue.connected[{i}].unit", place.unit)
                for i, place in enumerate(self.venue.connected)
                if place.unit
            ]
        return found

    def unit_ids(self) -> list[str]:
        """Every unit the event names, each once."""
        return list(dict.fromkeys(unit for _field, unit in self.places()))


# --- agreements -----------------------------------------------------------------------------


class AgreementType(str, Enum):
    treaty = "treaty"  # Hiệp ước
    protocol = "protocol"  # Nghị định thư
    agreement = "agreement"  # Hiệp định
    arrangement = "arrangement"  # Thỏa thuận (government or ministry level)
    memorandum = "memorandum"  # Bản ghi nhớ
    minutes = "minutes"  # Biên bản
    master_plan = "master_plan"  # Quy hoạch


class AgreementStatus(str, Enum):
    in_force = "in_force"
    draft = "draft"
    planned = "planned"  # agreed to be drafted or negotiated
    completed = "completed"  # its term or task ended and was reviewed (e.g. last year's minutes)
    expired = "expired"
    unknown = "unknown"


class Parties(_Record):
    countries: list[Country] = Field(min_length=1)
    provinces: list[UnitId] = []  # for provincial documents; valid at the signing date


class Agreement(_Record):
    """A treaty, agreement, memorandum, minutes or plan that events sign, review or cite."""

    id: Slug
    title: Bilingual  # descriptive where the official title is not known (say so in notes)
    short_names: list[Text] = []  # names the sources use: "2016 Border Regulation Agreement"
    type: AgreementType
    level: Level
    parties: Parties
    signed: RecordedDate | None = None  # None when no source gives the date
    place: Place | None = None
    status: AgreementStatus
    related_events: list[Slug] = []  # events that signed, reviewed or cited it
    # Every record says where it comes from, how sure we are, and what was inferred from what.
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence
    inferred: list[Inference] = []
    notes: Text | None = None

    def unit_ids(self) -> list[str]:
        """Every unit the agreement names: its parties' provinces and its place, each once."""
        place = [self.place.unit] if self.place is not None and self.place.unit else []
        return list(dict.fromkeys([*self.parties.provinces, *place]))


# --- series ---------------------------------------------------------------------------------


class Series(_Record):
    """A meeting that recurs: the annual talks of two provinces, a numbered conference.

    Events name it in ``series`` and give their session number in ``ordinal`` when the sources
    number the sessions (``numbered: true``); the coverage report then lists the sessions that
    no record holds yet.
    """

    id: Slug
    title: Bilingual  # the series, not a session: "Annual meeting of the border delegations"
    level: Level
    border: Border | None = None
    countries: list[Country] = Field(min_length=1)
    provinces: dict[Country, list[UnitId]] = {}  # the regular parties, for province-level series
    numbered: bool = False  # whether the sources number the sessions ("the 29th meeting")
    sources: list[Source] = []  # reports that describe the series itself, when a fact needs one
    notes: Text | None = None


# --- reading --------------------------------------------------------------------------------

Model = TypeVar("Model", Event, Agreement, Series)


def read_events(source: DataSource | None = None) -> tuple[list[Event], list[Problem]]:
    """Every event file that parses, and a Problem for each one that does not."""
    found, problems = _read_folder(source or DataSource(), "events", Event)
    return [record for _label, record in found.values()], problems


def read_agreements(source: DataSource | None = None) -> tuple[list[Agreement], list[Problem]]:
    """Every agreement file that parses, and a Problem for each one that does not."""
    found, problems = _read_folder(source or DataSource(), "agreements", Agreement)
    return [record for _label, record in found.values()], problems


def read_series(source: DataSource | None = None) -> tuple[list[Series], list[Problem]]:
    """Every series file that parses, and a Problem for each one that does not."""
    found, problems = _read_folder(source or DataSource(), "series", Series)
    return [record for _label, record in found.values()], problems


def load_series(source: DataSource | None = None) -> list[Series]:
    """The series that parse, by id; bad records are left out, not fatal."""
    return sorted(read_series(source)[0], key=lambda series: series.id)


def load_events(source: DataSource | None = None) -> list[Event]:
    """The events that parse, by date (oldest first); bad records are left out, not fatal."""
    return sorted(read_events(source)[0], key=lambda event: (event.date.start, event.id))


def load_agreements(source: DataSource | None = None) -> list[Agreement]:
    """The agreements that parse, by id; bad records are left out, not fatal."""
    return sorted(read_agreements(source)[0], key=lambda agreement: agreement.id)


def _read_folder(
    source: DataSource, folder: str, model: type[Model]
) -> tuple[dict[str, tuple[str, Model]], list[Problem]]:
    """Parse every ``<folder>/*.yaml`` into id -> (file label, record), plus the problems."""
    parsed: list[tuple[str, str, Model]] = []  # (file name, label, record)
    problems: list[Problem] = []
    for name, entry in source.list_dir(folder):
        if not name.endswith(".yaml"):
            continue
        label = source.label(f"{folder}/{name}")
        if unreadable := not_a_regular_file(entry):
            problems.append(Problem(f"{folder}.schema", label, unreadable))
            continue
        try:
            text = source.read_text(f"{folder}/{name}")
        except DataError as error:  # not UTF-8: the message names the line
            problems.append(
                Problem(f"{folder}.schema", label, f"line {error.line}: {error.detail}")
            )
            continue
        except OSError as error:
            problems.append(Problem(f"{folder}.schema", label, f"cannot read the file: {error}"))
            continue
        record, errors = parse_record(text, model)
        problems += [Problem(f"{folder}.schema", label, msg, fld or None) for fld, msg in errors]
        if record is not None:
            parsed.append((name, label, record))
    # A file named after its id keeps the id; a same-id record in a misnamed file is the duplicate.
    parsed.sort(key=lambda item: item[0] != f"{item[2].id}.yaml")
    records: dict[str, tuple[str, Model]] = {}
    for name, label, record in parsed:
        if name != f"{record.id}.yaml":
            message = f"file name must be '{record.id}.yaml' (value: {name!r})"
            problems.append(Problem(f"{folder}.ids", label, message, "id", record.id))
        if record.id in records:
            message = f"duplicate id, also in {records[record.id][0]} (value: {record.id!r})"
            problems.append(Problem(f"{folder}.ids", label, message, "id", record.id))
        else:
            records[record.id] = (label, record)
    return records, problems


# Records are frozen, so a text parsed once gives the same record again: appending reads the
# folder several times under its lock, and the files it did not write have not changed.
PARSE_CACHE = 8192


def parse_record(text: str, model: type[Model]) -> tuple[Model | None, list[tuple[str, str]]]:
    """Parse one YAML file into ``model``; on failure, (field, message) pairs instead."""
    record, errors = _parse_cached(text, model)
    return record, list(errors)


@lru_cache(maxsize=PARSE_CACHE)
def _parse_cached(
    text: str, model: type[Model]
) -> tuple[Model | None, tuple[tuple[str, str], ...]]:
    record, errors = _parse(text, model)
    return record, tuple(errors)


def _parse(text: str, model: type[Model]) -> tuple[Model | None, list[tuple[str, str]]]:
    try:
        data = load_yaml(text)  # plain data; no aliases, no duplicate keys
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        return None, [("", f"not valid YAML{where}: {getattr(error, 'problem', None) or error}")]
    except DataError as error:  # nested too deeply to parse
        return None, [("", error.detail)]
    if not isinstance(data, dict):
        return None, [("", f"expected a mapping of fields, got {type(data).__name__}")]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, [_describe(detail) for detail in error.errors()]


def _describe(detail: Any) -> tuple[str, str]:
    """A pydantic error as (dotted field path, message with the offending value)."""
    field = ""
    for part in detail["loc"]:
        field += f"[{part}]" if isinstance(part, int) else f".{part}" if field else str(part)
    message = detail["msg"].removeprefix("Value error, ")
    if detail["type"] != "missing":
        shown = repr(detail["input"])
        message += f" (value: {shown if len(shown) <= 120 else shown[:117] + '...'})"
    return field, message


# --- cross-record checks --------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpan:
    """When an administrative unit existed: ``valid_from..valid_to``, None meaning open."""

    valid_from: date | None
    valid_to: date | None

    def overlaps(self, when: PartialDate) -> bool:
        return when.overlaps(self.valid_from, self.valid_to)


UnitIndex = dict[str, UnitSpan]


def unit_index(source: DataSource) -> UnitIndex:
    """Every unit of every date, from ``loaders.boundaries``, as id -> validity span."""
    from loaders import boundaries  # imported here: geopandas is heavy and events need little

    return {u.id: UnitSpan(u.valid_from, u.valid_to) for u in boundaries.read_units(source)}


def crossing_ids(source: DataSource) -> set[str] | None:
    """The ids in ``crossings.csv``, or None when that file does not exist yet."""
    try:
        text = source.read_text("crossings.csv")
    except FileNotFoundError:
        return None
    return {row["id"] for row in csv.DictReader(io.StringIO(text)) if row.get("id")}


def check_events(source: DataSource) -> list[Problem]:
    """Every problem in the event and agreement files; never raises for bad data."""
    events, problems = _read_folder(source, "events", Event)
    agreements, agreement_problems = _read_folder(source, "agreements", Agreement)
    problems += agreement_problems
    try:
        units: UnitIndex | None = unit_index(source)
    except Exception as error:  # boundaries missing or broken: say so once, check the rest
        units = None
        message = f"cannot check place ids, the unit table is unavailable: {error!r}"
        problems.append(Problem("events.places", source.label("boundaries"), message))
    series, series_problems = _read_folder(source, "series", Series)
    problems += series_problems
    crossings = crossing_ids(source)
    event_by_id = {event_id: record for event_id, (_label, record) in events.items()}
    agreement_by_id = {agreement_id: record for agreement_id, (_l, record) in agreements.items()}
    series_by_id = {series_id: record for series_id, (_label, record) in series.items()}
    for label, event in events.values():
        problems += check_event(event, label, units, crossings, agreement_by_id, event_by_id)
        problems += _check_event_series(event, label, series_by_id)
    problems += _check_ordinals(events, source)
    for label, agreement in agreements.values():
        problems += _check_agreement(agreement, label, units, event_by_id)
    for label, one_series in series.values():
        problems += _check_series(one_series, label, units)
    return problems


def _check_series(series: Series, label: str, units: UnitIndex | None) -> list[Problem]:
    """The regular parties of a series are known units (of any date: series outlive mergers)."""
    if units is None:
        return []
    return [
        Problem("series.places", label, message, f"provinces.{side}[{index}]", series.id)
        for side, ids in series.provinces.items()
        for index, unit in enumerate(ids)
        for message in _unit_problems(unit, None, units)
    ]


def _check_event_series(event: Event, label: str, series: dict[str, Series]) -> list[Problem]:
    """The series exists, and a numbered series' session says which one it is."""
    if event.series is None:
        return []
    known = series.get(event.series)
    if known is None:
        message = f"unknown series id {event.series!r} (no series/{event.series}.yaml)"
        return [Problem("events.series", label, message, "series", event.id)]
    if known.numbered and event.ordinal is None:
        message = f"series {event.series!r} is numbered: give the session's ordinal"
        return [Problem("events.series", label, message, "ordinal", event.id)]
    return []


def _check_ordinals(events: dict[str, tuple[str, Event]], source: DataSource) -> list[Problem]:
    """One record per session: two events of a series with the same ordinal are a duplicate.
    The embedded record keeps the session and the user's copy is reported."""
    first: dict[tuple[str, int], str] = {}
    found: list[Problem] = []

    def users_first(item: tuple[str, Event]) -> tuple[bool, str]:
        return (source.is_users(item[0]), item[1].id)

    ordered = sorted(events.values(), key=users_first)
    for label, event in ordered:
        if event.series is None or event.ordinal is None:
            continue
        key = (event.series, event.ordinal)
        if key in first:
            message = f"session {event.ordinal} of {event.series!r} is also {first[key]!r}"
            found.append(Problem("events.series", label, message, "ordinal", event.id))
        else:
            first[key] = event.id
    return found


def check_event(
    event: Event,
    label: str,
    units: UnitIndex | None,
    crossings: set[str] | None,
    agreements: dict[str, Agreement],
    events: dict[str, Event],
) -> list[Problem]:
    """Place ids valid at the event's date, sides, crossings, agreements and event links."""
    found: list[Problem] = []

    def report(check: str, field: str, message: str) -> None:
        found.append(Problem(f"events.{check}", label, message, field, event.id))

    if units is not None:
        for field, unit in event.places():
            for message in _unit_problems(unit, event.date, units):
                report("places", field, message)
    for field, unit in event.places():
        side = field.removeprefix("provinces.")[:2]
        if field.startswith("provinces.") and unit[:2].upper() != side:
            report("places", field, f"not a {side} unit (value: {unit!r})")
    for side in event.provinces:
        if side not in event.countries:
            report("places", f"provinces.{side}", f"side {side} is not in countries")
    if event.level in PROVINCIAL_LEVELS and not any(event.provinces.values()):
        message = f"a {event.level.value}-level event names its provinces (provinces is empty)"
        report("places", "provinces", message)
    if crossings is not None:  # None: crossings.csv is not there yet, nothing to check against
        for index, crossing in enumerate(event.crossings):
            if crossing not in crossings:
                report("crossings", f"crossings[{index}]", f"unknown crossing id {crossing!r}")
    for index, ref in enumerate(event.agreements):
        agreement = agreements.get(ref.id)
        if agreement is None:
            report("agreements", f"agreements[{index}].id", f"unknown agreement id {ref.id!r}")
        elif event.id not in agreement.related_events:
            message = f"agreement {ref.id!r} does not list this event in related_events"
            report("agreements", f"agreements[{index}].id", message)
    for index, other in enumerate(event.related_events):
        if other not in events:
            report("events", f"related_events[{index}]", f"unknown event id {other!r}")
    for index, inference in enumerate(event.inferred):
        if _top_field(inference.field) not in Event.model_fields:
            report("schema", f"inferred[{index}].field", f"no such field {inference.field!r}")
    return found


def _top_field(path: str) -> str:
    """``"participants[0].role"`` -> ``"participants"``: the field an inference is about."""
    return path.split(".")[0].split("[")[0]


def _unit_problems(unit: str, when: PartialDate | None, units: UnitIndex) -> list[str]:
    span = units.get(unit)
    if span is None:
        return [f"unknown unit id {unit!r}"]
    if when is not None and not span.overlaps(when):
        valid = f"{span.valid_from or '…'} to {span.valid_to or 'today'}"
        return [f"unit {unit!r} did not exist on {when} (valid {valid})"]
    return []


def _check_agreement(
    agreement: Agreement, label: str, units: UnitIndex | None, events: dict[str, Event]
) -> list[Problem]:
    """Party and place ids valid at the signing date, and links back from related events."""
    found: list[Problem] = []

    def report(check: str, field: str, message: str) -> None:
        found.append(Problem(f"agreements.{check}", label, message, field, agreement.id))

    if units is not None:
        for index, unit in enumerate(agreement.parties.provinces):
            for message in _unit_problems(unit, agreement.signed, units):
                report("places", f"parties.provinces[{index}]", message)
        if agreement.place is not None and agreement.place.unit:
            for message in _unit_problems(agreement.place.unit, agreement.signed, units):
                report("places", "place.unit", message)
    for index, event_id in enumerate(agreement.related_events):
        event = events.get(event_id)
        if event is None:
            report("events", f"related_events[{index}]", f"unknown event id {event_id!r}")
        elif agreement.id not in {ref.id for ref in event.agreements}:
            message = f"event {event_id!r} does not reference this agreement"
            report("events", f"related_events[{index}]", message)
    for index, inference in enumerate(agreement.inferred):
        if _top_field(inference.field) not in Agreement.model_fields:
            report("schema", f"inferred[{index}].field", f"no such field {inference.field!r}")
    return found
