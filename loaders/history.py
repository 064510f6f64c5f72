"""A province's cooperation history, following its lineage, and its partners across the border.

Units change: today's ``vn-da-nang-2025`` was made from ``vn-quang-nam`` and ``vn-da-nang`` on
2025-07-01, so its history includes theirs. :func:`unit_history` lists the events and agreements
that name a unit or any unit it was made from, newest first; :func:`counterparts` counts the
foreign provinces it met in joint events.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from loaders import boundaries
from loaders._errors import BorderAtlasError
from loaders._io import DataSource
from loaders.events import (
    Agreement,
    Country,
    Event,
    EventKind,
    PartialDate,
)
from loaders.gazetteer import normalize_name
from loaders.index import RecordIndex, UnitRow, unit_names
from loaders.vocabulary import COUNTRIES


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
    index: RecordIndex | None = None,
) -> list[HistoryEntry]:
    """Events and agreements naming ``unit_id`` or its predecessors, newest first, from the
    record index of ``source`` (or ``index``).

    ``start``/``end`` keep records whose date overlaps that period (undated records are then left
    out); ``kinds`` keeps only events of those kinds; ``country`` keeps records involving it.
    Raises :class:`UnknownUnitError` for an id that is not a unit.
    """
    source = source or DataSource()
    lineage = lineage_of(unit_id, source)
    index = index or RecordIndex(source)
    wanted = _kinds_wanted(kinds, include_agreements)
    named = index.records(units=lineage, start=start, end=end, kinds=wanted)
    entries = [HistoryEntry(record, _named(lineage, record) or unit_id) for record in named]
    return [entry for entry in entries if country is None or country in _countries(entry.record)]


@dataclass(frozen=True)
class HistoryPage:
    """The newest entries of a unit's history, and what the whole history holds: what a panel
    shows of a province with thousands of records, reading only the records it lists."""

    entries: list[HistoryEntry]  # newest first, at most the limit asked for
    total: int  # records in the whole history
    agreements: int  # of which agreements
    per_year: dict[int, int]  # dated records per year


def history_page(
    unit_id: str,
    source: DataSource | None = None,
    *,
    limit: int,
    start: date | None = None,
    end: date | None = None,
    kinds: Iterable[EventKind] | None = None,
    index: RecordIndex | None = None,
) -> HistoryPage:
    """:func:`unit_history`'s first ``limit`` entries, with the counts of all of them."""
    source = source or DataSource()
    lineage = lineage_of(unit_id, source)
    index = index or RecordIndex(source)
    wanted = _kinds_wanted(kinds, include_agreements=True)
    with index.snapshot():  # the counts and the entries from one state of the files
        dated = index.dates(units=lineage, start=start, end=end, kinds=wanted)
        records = index.records(units=lineage, start=start, end=end, kinds=wanted, limit=limit)
    per_year = Counter(day.year for _kind, day in dated if day is not None)
    return HistoryPage(
        entries=[HistoryEntry(record, _named(lineage, record) or unit_id) for record in records],
        total=len(dated),
        agreements=sum(kind == "agreement" for kind, _day in dated),
        per_year=dict(sorted(per_year.items())),
    )


def _kinds_wanted(kinds: Iterable[EventKind] | None, include_agreements: bool) -> list[str]:
    """The index's record kinds for a history filter: agreements come only with every kind."""
    wanted = [kind.value for kind in kinds or EventKind]
    return wanted + (["agreement"] if include_agreements and kinds is None else [])


def counterparts(
    unit_id: str,
    source: DataSource | None = None,
    *,
    current: bool = False,
    index: RecordIndex | None = None,
) -> list[Counterpart]:
    """Foreign units that met ``unit_id`` (or its predecessors) in joint events, most first.

    A joint event lists provinces on both sides; the units on the other side(s) are the
    counterparts. With ``current``, each counterpart is replaced by the unit(s) its territory
    belongs to today, so e.g. ``vn-quang-nam`` and ``vn-da-nang-2025`` count as one partner.
    """
    source = source or DataSource()
    lineage = set(lineage_of(unit_id, source))
    # The provinces each event names, from the index's unit rows: no record is read whole.
    rows = (index or RecordIndex(source)).unit_rows(units=lineage, kinds=EVENT_KINDS)
    sides = [(key[1], _provinces(list(group))) for key, group in groupby(rows, _record_key)]
    met: dict[str, set[str]] = {}  # partner unit -> ids of the events it shared
    today: dict[str, list[str]] = {}  # partner -> the unit(s) it belongs to now, looked up once
    for event_id, provinces in sides:
        our_sides = {side for side, ids in provinces.items() if lineage & set(ids)}
        others = [u for side, ids in provinces.items() if side not in our_sides for u in ids]
        if not our_sides:
            continue
        for other in others:
            if current and other not in today:
                today[other] = _current(other, source)
            for partner in today[other] if current else [other]:
                met.setdefault(partner, set()).add(event_id)
    ranked = sorted(met, key=lambda unit: (-len(met[unit]), unit))
    return [Counterpart(unit, tuple(sorted(met[unit]))) for unit in ranked]


EVENT_KINDS = [kind.value for kind in EventKind]


def _record_key(row: UnitRow) -> tuple[int, str]:
    return row.key, row.id


def _provinces(rows: list[UnitRow]) -> dict[str, list[str]]:
    """An event's provinces per side, as its rows in the index give them."""
    provinces: dict[str, list[str]] = {}
    for row in rows:
        if row.side in COUNTRIES:
            provinces.setdefault(row.side, []).append(row.unit)
    return provinces


def _named(lineage: list[str], record: Event | Agreement) -> str | None:
    """The first unit of ``lineage`` that ``record`` names, or None."""
    named = set(record.unit_ids())
    return next((unit for unit in lineage if unit in named), None)


def _countries(record: Event | Agreement) -> set[str]:
    if isinstance(record, Agreement):
        return set(record.parties.countries)
    return set(record.countries) | set(record.border.split("-") if record.border else [])


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
