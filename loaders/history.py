"""A province's cooperation history, following its lineage, and its partners across the border.

Units change: today's ``vn-da-nang-2025`` was made from ``vn-quang-nam`` and ``vn-da-nang`` on
2025-07-01, so its history includes theirs. :func:`unit_history` lists the events and agreements
that name a unit or any unit it was made from, newest first; :func:`counterparts` counts the
foreign provinces it met in joint events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from loaders import boundaries
from loaders._errors import BorderAtlasError
from loaders._io import DataSource
from loaders.events import (
    Agreement,
    Country,
    Event,
    EventKind,
    PartialDate,
    load_agreements,
)
from loaders.gazetteer import normalize_name
from loaders.index import RecordIndex, unit_names


class UnknownUnitError(BorderAtlasError, KeyError):
    """A unit id that is not in ``boundaries/units.csv``."""


@dataclass(frozen=True)
class HistoryEntry:
    """One event or agreement in a unit's history; ``via`` is the unit of the lineage it names."""

    record: Event | Agreement
    via: str

    @property
    def date(self) -> PartialDate | None:
        return self.record.date if isinstance(self.record, Event) else self.record.signed


@dataclass(frozen=True)
class Counterpart:
    """A foreign unit that took part in ``len(event_ids)`` joint events with the queried unit."""

    unit: str
    event_ids: tuple[str, ...]

    @property
    def events(self) -> int:
        return len(self.event_ids)


def lineage_of(unit_id: str, source: DataSource | None = None) -> list[str]:
    """``unit_id`` followed by every unit it was made from (transitively, nearest first)."""
    source = source or DataSource()
    if unit_id not in {unit.id for unit in boundaries.read_units(source)}:
        raise UnknownUnitError(f"unknown unit id {unit_id!r}")
    return [unit_id, *boundaries.predecessors_of(unit_id, source)]


def unit_history(
    unit_id: str,
    source: DataSource | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    kinds: Iterable[EventKind] | None = None,
    country: Country | None = None,
    include_agreements: bool = True,
    events: Iterable[Event] | None = None,
    agreements: Iterable[Agreement] | None = None,
    index: RecordIndex | None = None,
) -> list[HistoryEntry]:
    """Events and agreements naming ``unit_id`` or its predecessors, newest first.

    ``start``/``end`` keep records whose date overlaps that period (undated records are then left
    out); ``kinds`` keeps only events of those kinds; ``country`` keeps records involving it.
    ``events``/``agreements``: records to look in; by default the record index of ``source``
    (or ``index``) gives those naming the lineage. Raises :class:`UnknownUnitError` for an id
    that is not a unit.
    """
    source = source or DataSource()
    lineage = lineage_of(unit_id, source)
    if events is None and agreements is None:
        wanted = [kind.value for kind in kinds or EventKind]
        wanted += ["agreement"] if include_agreements and kinds is None else []
        index = index or RecordIndex(source)
        named = index.records(units=lineage, start=start, end=end, kinds=wanted)
        events = [record for record in named if isinstance(record, Event)]
        agreements = [record for record in named if isinstance(record, Agreement)]
    entries = [HistoryEntry(e, via) for e in events or () if (via := _named(lineage, e))]
    if include_agreements and kinds is None:
        agreements = load_agreements(source) if agreements is None else agreements
        entries += [HistoryEntry(a, via) for a in agreements if (via := _named(lineage, a))]
    keep = _Filter(start, end, None if kinds is None else set(kinds), country)
    return sorted((entry for entry in entries if keep(entry.record)), key=_newest_first)


def filter_events(
    events: Iterable[Event],
    *,
    start: date | None = None,
    end: date | None = None,
    kinds: Iterable[EventKind] | None = None,
    country: Country | None = None,
) -> list[Event]:
    """The same filters as :func:`unit_history`, for events of any unit, newest first."""
    keep = _Filter(start, end, None if kinds is None else set(kinds), country)
    kept = [event for event in events if keep(event)]
    return sorted(kept, key=lambda event: (-event.date.start.toordinal(), event.id))


def counterparts(
    unit_id: str,
    source: DataSource | None = None,
    *,
    current: bool = False,
    events: Iterable[Event] | None = None,
    index: RecordIndex | None = None,
) -> list[Counterpart]:
    """Foreign units that met ``unit_id`` (or its predecessors) in joint events, most first.

    A joint event lists provinces on both sides; the units on the other side(s) are the
    counterparts. With ``current``, each counterpart is replaced by the unit(s) its territory
    belongs to today, so e.g. ``vn-quang-nam`` and ``vn-da-nang-2025`` count as one partner.
    """
    source = source or DataSource()
    lineage = set(lineage_of(unit_id, source))
    if events is None:
        kinds = [kind.value for kind in EventKind]
        events = [
            e
            for e in RecordIndex(source).records(units=lineage, kinds=kinds)
            if isinstance(e, Event)
        ]
    met: dict[str, set[str]] = {}  # partner unit -> ids of the events it shared
    for event in events:
        our_sides = {side for side, ids in event.provinces.items() if lineage & set(ids)}
        others = [u for side, ids in event.provinces.items() if side not in our_sides for u in ids]
        if not our_sides:
            continue
        for other in others:
            for partner in _current(other, source) if current else [other]:
                met.setdefault(partner, set()).add(event.id)
    ranked = sorted(met, key=lambda unit: (-len(met[unit]), unit))
    return [Counterpart(unit, tuple(sorted(met[unit]))) for unit in ranked]


def _named(lineage: list[str], record: Event | Agreement) -> str | None:
    """The first unit of ``lineage`` that ``record`` names, or None."""
    named = set(record.unit_ids())
    return next((unit for unit in lineage if unit in named), None)


@dataclass(frozen=True)
class _Filter:
    """The period, event kinds and country a record must match (None: no condition)."""

    start: date | None
    end: date | None
    kinds: set[EventKind] | None
    country: Country | None

    def __call__(self, record: Event | Agreement) -> bool:
        when = record.date if isinstance(record, Event) else record.signed
        if (self.start or self.end) and not (when and when.overlaps(self.start, self.end)):
            return False
        if self.kinds is not None and not (isinstance(record, Event) and record.kind in self.kinds):
            return False
        return self.country is None or self.country in _countries(record)


def _countries(record: Event | Agreement) -> set[str]:
    if isinstance(record, Agreement):
        return set(record.parties.countries)
    return set(record.countries) | set(record.border.split("-") if record.border else [])


def _newest_first(entry: HistoryEntry) -> tuple[bool, int, bool, str]:
    """Sort key: dated records newest first, then undated ones; on one day events first."""
    when = entry.date
    newest = -when.start.toordinal() if when else 0
    return (when is None, newest, isinstance(entry.record, Agreement), entry.record.id)


def _current(unit_id: str, source: DataSource) -> list[str]:
    try:
        return boundaries.current_units_of(unit_id, source)
    except KeyError:  # an unknown id is reported by check_events; keep it as recorded here
        return [unit_id]


class UnknownPlaceError(BorderAtlasError, LookupError):
    """A province filter that names no unit."""


def units_for(name: str, source: DataSource) -> list[str]:
    """The units a province filter means: a unit id, or every unit spelled ``name`` (of any
    date), each followed by the units it was made from."""
    names = unit_names(source)
    known = names.units_by_key.get(normalize_name(name).compact, ())
    named = [name] if name in names.spellings else list(known)
    found = [unit for unit_id in named for unit in lineage_of(unit_id, source)]
    if not found:
        raise UnknownPlaceError(f"no province or unit is called {name!r}")
    return list(dict.fromkeys(found))
