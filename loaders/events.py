"""Cooperation events, agreements and series: the schema and the loaders.

One YAML file per record: ``geodata/events/<id>.yaml``, ``geodata/agreements/<id>.yaml`` and
``geodata/series/<id>.yaml``. The models below are the specification of those files; read them
top to bottom as documentation.

A bad record does not stop loading: :func:`read_events`, :func:`read_agreements` and
:func:`read_series` return the records that parse together with a
:class:`~loaders._errors.Problem` (file, field, message) for each one that does not, and the
``load_*`` functions leave it out with a :class:`~loaders._errors.DataWarning` saying the same.
The checks that need other data (place ids valid at the event's date, crossing ids, agreement
and event cross-references) are in :mod:`loaders.checks.events`.
"""

from __future__ import annotations

import calendar
import re
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

from loaders._errors import DataError, Problem, warn_each
from loaders._io import DataSource, load_yaml, not_a_regular_file
from loaders.vocabulary import (
    EARLIEST,
    Border,
    Confidence,
    CrossingId,
    Text,
    UnitId,
)

# Named here too, as the types of the records' fields: callers import them with the records.
from loaders.vocabulary import Country as Country
from loaders.vocabulary import EventKind as EventKind

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


FigureUnit = Literal["count", "people", "households", "patrols", "km", "USD", "VND"]


class Figure(_Record):
    """A number the source reports, with its unit; ``approximate`` for "nearly", "about"."""

    what: Slug  # machine key, e.g. "joint-patrols-post-level"
    label: Text  # what it counts, in English
    value: float
    unit: FigureUnit
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
    found, problems = read_folder(source or DataSource(), "events", Event)
    return [record for _label, record in found.values()], problems


def read_agreements(source: DataSource | None = None) -> tuple[list[Agreement], list[Problem]]:
    """Every agreement file that parses, and a Problem for each one that does not."""
    found, problems = read_folder(source or DataSource(), "agreements", Agreement)
    return [record for _label, record in found.values()], problems


def read_series(source: DataSource | None = None) -> tuple[list[Series], list[Problem]]:
    """Every series file that parses, and a Problem for each one that does not."""
    found, problems = read_folder(source or DataSource(), "series", Series)
    return [record for _label, record in found.values()], problems


def load_series(source: DataSource | None = None) -> list[Series]:
    """The series that parse, by id; a bad record is left out with a DataWarning."""
    series, problems = read_series(source)
    warn_each(problems)
    return sorted(series, key=lambda one: one.id)


def load_events(source: DataSource | None = None) -> list[Event]:
    """The events that parse, by date (oldest first); a bad record is left out with a
    DataWarning."""
    events, problems = read_events(source)
    warn_each(problems)
    return sorted(events, key=lambda event: (event.date.start, event.id))


def load_agreements(source: DataSource | None = None) -> list[Agreement]:
    """The agreements that parse, by id; a bad record is left out with a DataWarning."""
    agreements, problems = read_agreements(source)
    warn_each(problems)
    return sorted(agreements, key=lambda agreement: agreement.id)


def read_folder(
    source: DataSource, folder: str, model: type[Model]
) -> tuple[dict[str, tuple[str, Model]], list[Problem]]:
    """Parse every ``<folder>/*.yaml`` into id -> (file label, record), plus the problems: a file
    that does not parse, and the second of two records with one id, are left out."""
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
