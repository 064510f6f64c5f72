"""What the map shows for one selection: the units of a date, the events of a period attributed
to them, the cooperation links between provinces across the border, and the meeting venues.

Events name the units valid on their own date (``vn-quang-nam`` in 2019); the map shows the
units of its ``as_of`` date (``vn-da-nang-2025`` today). :func:`cooperation_view` translates
every event onto the map's units through the lineage, so counts and histories add up on any date.
Everything here is plain data: ``mapapp`` turns it into layers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import geopandas as gpd
import shapely

from loaders import boundaries, crossings
from loaders._io import EMBEDDED, DataSource
from loaders.crossings import Crossing
from loaders.events import (
    Agreement,
    Event,
    EventKind,
    Series,
    load_agreements,
    load_events,
    load_series,
)
from loaders.history import filter_events
from loaders.vocabulary import COUNTRIES


@dataclass(frozen=True)
class Selection:
    """What the user asked to see: countries, a period, the units' date and event kinds."""

    countries: tuple[str, ...] = COUNTRIES
    start: date | None = None
    end: date | None = None
    as_of: date | None = None  # the units of this date; None = today
    kinds: frozenset[EventKind] | None = None  # None = every kind

    def __post_init__(self) -> None:
        unknown = set(self.countries) - set(COUNTRIES)
        if unknown:
            raise ValueError(f"unknown country code(s) {sorted(unknown)}: expected VN, LA or KH")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")

    @property
    def day(self) -> date:
        return self.as_of or date.today()


@dataclass(frozen=True)
class AtlasData:
    """Everything loaded once from a data source (the app caches one of these)."""

    source: DataSource
    events: tuple[Event, ...]
    agreements: dict[str, Agreement]
    crossings: tuple[Crossing, ...]
    series: dict[str, Series] = field(default_factory=dict)


@lru_cache(maxsize=4)
def load_atlas(source: DataSource = EMBEDDED) -> AtlasData:
    """Load events, agreements and crossings of ``source`` (boundaries load lazily by date)."""
    return AtlasData(
        source=source,
        events=tuple(load_events(source)),
        agreements={a.id: a for a in load_agreements(source)},
        crossings=_crossings(source),
        series={series.id: series for series in load_series(source)},
    )


def _crossings(source: DataSource) -> tuple[Crossing, ...]:
    found, errors = crossings.read_crossings(source)
    if errors:
        raise errors[0]
    return tuple(found)


@dataclass(frozen=True)
class Venue:
    """A place where meetings took place, with the events held there (newest first)."""

    key: str
    name: str
    unit: str | None
    point: shapely.Point
    events: tuple[Event, ...]


@dataclass
class CooperationView:
    """The selection's units, events and their links, ready to draw."""

    selection: Selection
    units: gpd.GeoDataFrame  # the units on selection.day in the selected countries
    events: list[Event]  # events in the period and kinds, newest first
    events_by_unit: dict[str, list[Event]] = field(default_factory=dict)  # newest first
    units_by_event: dict[str, list[str]] = field(default_factory=dict)  # map units per event
    links: Counter[tuple[str, str]] = field(default_factory=Counter)  # (VN unit, foreign unit)
    venues: list[Venue] = field(default_factory=list)
    crossings: list[Crossing] = field(default_factory=list)

    def event_count(self, unit_id: str) -> int:
        return len(self.events_by_unit.get(unit_id, ()))

    def counterparts(self, unit_id: str) -> list[tuple[str, int]]:
        """Units across the border that took part in joint events with ``unit_id``, most first."""
        met = Counter()
        for (ours, theirs), count in self.links.items():
            if ours == unit_id:
                met[theirs] += count
            elif theirs == unit_id:
                met[ours] += count
        return met.most_common()


def cooperation_view(selection: Selection, data: AtlasData | None = None) -> CooperationView:
    """Attribute the selection's events to the units of ``selection.day``."""
    data = data or load_atlas()
    source, day = data.source, selection.day
    units = boundaries.load_units(day, source, countries=selection.countries)
    shown = set(units["id"])
    events = filter_events(
        data.events, start=selection.start, end=selection.end, kinds=selection.kinds
    )
    view = CooperationView(selection=selection, units=units, events=events)
    by_unit: dict[str, list[Event]] = defaultdict(list)
    for event in events:  # newest first, so every unit's list is too
        sides = {side: _on_map(ids, day, source, shown) for side, ids in event.provinces.items()}
        view.units_by_event[event.id] = list(
            dict.fromkeys(u for ids in sides.values() for u in ids)
        )
        for unit in view.units_by_event[event.id]:
            by_unit[unit].append(event)
        for ours in sides.get("VN", ()):
            for side, theirs in sides.items():
                if side != "VN":
                    view.links.update((ours, other) for other in theirs)
    view.events_by_unit = dict(by_unit)
    view.venues = _venues(events, units, day, source)
    # A crossing goes with the foreign country it leads to: Laos off, VN-LA crossings off.
    view.crossings = [c for c in data.crossings if c.foreign_country in selection.countries]
    return view


def _on_map(unit_ids: list[str], day: date, source: DataSource, shown: set[str]) -> list[str]:
    """The map's units (on ``day``) covering ``unit_ids``, each once."""
    mapped = (u for unit in unit_ids for u in boundaries.units_on(unit, day, source))
    return [unit for unit in dict.fromkeys(mapped) if unit in shown]


def _venues(
    events: list[Event], units: gpd.GeoDataFrame, day: date, source: DataSource
) -> list[Venue]:
    """Group events by where they took place; online meetings count at every connected venue.

    A venue named after a town in the gazetteer sits at the town; otherwise at a point inside
    its unit.
    """
    unit_points = dict(zip(units["id"], units.geometry.representative_point(), strict=True))
    grouped: dict[str, list[Event]] = defaultdict(list)
    where: dict[str, tuple[str, str, shapely.Point]] = {}
    for event in events:
        if event.venue is None:
            continue
        places = [(p.name, p.unit) for p in event.venue.connected] or [
            (event.venue.name or "", event.venue.unit)
        ]
        for name, unit in places:
            for mapped in boundaries.units_on(unit, day, source) if unit else ():
                if mapped in unit_points:
                    key = f"{mapped}:{name}"
                    grouped[key].append(event)
                    point = _town_point(name, mapped, source) or unit_points[mapped]
                    where[key] = (name, mapped, point)
    return [Venue(key, *where[key], tuple(evts)) for key, evts in grouped.items()]


@lru_cache(maxsize=4)
def _towns(source: DataSource) -> dict[tuple[str, str], shapely.Point]:
    """Gazetteer towns by (normalised name, unit id): a venue named like a town in its unit."""
    from loaders.gazetteer import normalize_name, read_places

    return {
        (normalize_name(name).compact, unit): shapely.Point(place.lon, place.lat)
        for place in read_places(source).places
        for name in (place.name, place.name_vi or "", *place.names)
        for unit in place.units
        if name
    }


def _town_point(name: str, unit: str, source: DataSource) -> shapely.Point | None:
    from loaders.gazetteer import normalize_name

    return _towns(source).get((normalize_name(name).compact, unit)) if name else None


def events_frame(view: CooperationView) -> gpd.GeoDataFrame:
    """The view's events as a table with a point each (the venue, else the first province)."""
    venue_points = {e.id: v.point for v in view.venues for e in v.events}
    unit_points = dict(
        zip(view.units["id"], view.units.geometry.representative_point(), strict=True)
    )
    rows, points = [], []
    for event in view.events:
        mapped = view.units_by_event.get(event.id, [])
        rows.append(
            {
                "id": event.id,
                "date": str(event.date),
                "end_date": str(event.end_date) if event.end_date else None,
                "kind": event.kind.value,
                "level": event.level.value,
                "countries": ",".join(event.countries),
                "provinces": ",".join(u for ids in event.provinces.values() for u in ids),
                "provinces_on_map": ",".join(mapped),
                "venue": event.venue.name if event.venue else None,
                "agreements": ",".join(ref.id for ref in event.agreements),
                "title_en": event.title.en,
                "title_vi": event.title.vi,
                "sources": " ".join(str(s.url) for s in event.sources if s.url),
                "confidence": event.confidence,
            }
        )
        fallback = next((unit_points[u] for u in mapped if u in unit_points), None)
        points.append(venue_points.get(event.id, fallback))
    return gpd.GeoDataFrame(rows, geometry=points, crs=boundaries.CRS)
