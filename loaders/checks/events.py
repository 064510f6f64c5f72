"""Checks of the event, agreement and series files, alone and against the other data.

Each file is parsed by :func:`loaders.events.read_folder` (a file that does not parse is one
problem); then every record is checked against the units of its date, the crossings, the series
and the records it links to. ``check_event`` is also what ``ingest --append`` runs on a draft.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from loaders import boundaries
from loaders._errors import Problem
from loaders._io import DataSource
from loaders.events import (
    PROVINCIAL_LEVELS,
    Agreement,
    Event,
    Inference,
    PartialDate,
    Series,
    read_folder,
)

# (check, field, message): what one check finds in one record; the caller adds file and id.
Finding = tuple[str, str, str]


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
    return {u.id: UnitSpan(u.valid_from, u.valid_to) for u in boundaries.read_units(source)}


def crossing_ids(source: DataSource) -> set[str] | None:
    """The ids in ``crossings.csv``, or None when that file does not exist yet."""
    try:
        text = source.read_text("crossings.csv")
    except FileNotFoundError:
        return None
    return {row["id"] for row in csv.DictReader(io.StringIO(text)) if row.get("id")}


def check_events(source: DataSource) -> list[Problem]:
    """Every problem in the event, agreement and series files; never raises for bad data."""
    events, problems = read_folder(source, "events", Event)
    agreements, agreement_problems = read_folder(source, "agreements", Agreement)
    problems += agreement_problems
    try:
        units: UnitIndex | None = unit_index(source)
    except Exception as error:  # boundaries missing or broken: say so once, check the rest
        units = None
        message = f"cannot check place ids, the unit table is unavailable: {error!r}"
        problems.append(Problem("events.places", source.label("boundaries"), message))
    series, series_problems = read_folder(source, "series", Series)
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
    """Place ids valid at the event's date, sides, crossings, agreements and event links.

    ``units`` or ``crossings`` None: that table is not there to check against, so its check is
    skipped (a missing unit table is reported once by :func:`check_events`)."""
    findings = [
        *_place_ids(event, units),
        *_sides(event),
        *_provinces_named(event),
        *_crossing_ids(event, crossings),
        *_agreement_links(event, agreements),
        *_event_links(event, events),
        *_inferred_fields(event.inferred, Event),
    ]
    return [
        Problem(f"events.{check}", label, message, field, event.id)
        for check, field, message in findings
    ]


def _place_ids(event: Event, units: UnitIndex | None) -> Iterator[Finding]:
    """Every unit the event names existed on its date."""
    if units is None:
        return
    for field, unit in event.places():
        for message in _unit_problems(unit, event.date, units):
            yield "places", field, message


def _sides(event: Event) -> Iterator[Finding]:
    """A province listed under a side is of that country, and the side took part."""
    for field, unit in event.places():
        side = field.removeprefix("provinces.")[:2]
        if field.startswith("provinces.") and unit[:2].upper() != side:
            yield "places", field, f"not a {side} unit (value: {unit!r})"
    for side in event.provinces:
        if side not in event.countries:
            yield "places", f"provinces.{side}", f"side {side} is not in countries"


def _provinces_named(event: Event) -> Iterator[Finding]:
    """A province-level or border-guard event names its provinces."""
    if event.level in PROVINCIAL_LEVELS and not any(event.provinces.values()):
        message = f"a {event.level.value}-level event names its provinces (provinces is empty)"
        yield "places", "provinces", message


def _crossing_ids(event: Event, crossings: set[str] | None) -> Iterator[Finding]:
    """Every crossing the event names is in ``crossings.csv`` (when that file exists)."""
    if crossings is None:
        return
    for index, crossing in enumerate(event.crossings):
        if crossing not in crossings:
            yield "crossings", f"crossings[{index}]", f"unknown crossing id {crossing!r}"


def _agreement_links(event: Event, agreements: dict[str, Agreement]) -> Iterator[Finding]:
    """Every agreement the event names exists and lists the event back."""
    for index, ref in enumerate(event.agreements):
        agreement = agreements.get(ref.id)
        if agreement is None:
            yield "agreements", f"agreements[{index}].id", f"unknown agreement id {ref.id!r}"
        elif event.id not in agreement.related_events:
            message = f"agreement {ref.id!r} does not list this event in related_events"
            yield "agreements", f"agreements[{index}].id", message


def _event_links(event: Event, events: dict[str, Event]) -> Iterator[Finding]:
    """Every related event exists."""
    for index, other in enumerate(event.related_events):
        if other not in events:
            yield "events", f"related_events[{index}]", f"unknown event id {other!r}"


def _inferred_fields(
    inferred: list[Inference], model: type[Event] | type[Agreement]
) -> Iterator[Finding]:
    """Every inference is about a field the record has."""
    for index, inference in enumerate(inferred):
        if _top_field(inference.field) not in model.model_fields:
            yield "schema", f"inferred[{index}].field", f"no such field {inference.field!r}"


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
    findings = [
        *_agreement_places(agreement, units),
        *_agreement_event_links(agreement, events),
        *_inferred_fields(agreement.inferred, Agreement),
    ]
    return [
        Problem(f"agreements.{check}", label, message, field, agreement.id)
        for check, field, message in findings
    ]


def _agreement_places(agreement: Agreement, units: UnitIndex | None) -> Iterator[Finding]:
    """The parties' provinces and the place existed on the signing date."""
    if units is None:
        return
    for index, unit in enumerate(agreement.parties.provinces):
        for message in _unit_problems(unit, agreement.signed, units):
            yield "places", f"parties.provinces[{index}]", message
    if agreement.place is not None and agreement.place.unit:
        for message in _unit_problems(agreement.place.unit, agreement.signed, units):
            yield "places", "place.unit", message


def _agreement_event_links(agreement: Agreement, events: dict[str, Event]) -> Iterator[Finding]:
    """Every related event exists and references the agreement back."""
    for index, event_id in enumerate(agreement.related_events):
        event = events.get(event_id)
        if event is None:
            yield "events", f"related_events[{index}]", f"unknown event id {event_id!r}"
        elif agreement.id not in {ref.id for ref in event.agreements}:
            message = f"event {event_id!r} does not reference this agreement"
            yield "events", f"related_events[{index}]", message
