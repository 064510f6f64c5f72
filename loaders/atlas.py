"""What the map shows for one selection: the units of a date, the events of a period attributed
to them, the cooperation links between provinces across the border, and the meeting venues.

Events name the units valid on their own date (``vn-quang-nam`` in 2019); the map shows the
units of its ``as_of`` date (``vn-da-nang-2025`` today). :func:`cooperation_view` translates
every event onto the map's units through the lineage, so counts and histories add up on any date.
Everything here is plain data: ``mapapp`` turns it into layers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from loaders import boundaries, crossings
from loaders._io import EMBEDDED, DataSource
from loaders.crossings import Crossing
from loaders.events import Agreement, Event, EventKind, Series, load_agreements, load_series
from loaders.index import Progress, RecordIndex
from loaders.vocabulary import COUNTRIES as COUNTRIES  # the countries a Selection may name
from loaders.vocabulary import CRS


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
    """What the app keeps of a data source: the small tables in memory, the records in the index
    (read on demand: a history of 100,000 events would not fit a small server otherwise)."""

    source: DataSource
    index: RecordIndex
    agreements: dict[str, Agreement]
    crossings: tuple[Crossing, ...]
    series: dict[str, Series] = field(default_factory=dict)


@lru_cache(maxsize=4)
def load_atlas(
    source: DataSource = EMBEDDED,
    max_age_s: float = 0.0,
    watch: bool = False,
    progress: Progress | None = None,
) -> AtlasData:
    """Index the records of ``source`` (building the index if needed, reporting the files read
    to ``progress``) and load its agreements, crossings and series (boundaries load lazily by
    date). ``max_age_s`` and ``watch``: see :class:`~loaders.index.RecordIndex` (the watch
    starts before the first check, so nothing changed in between is missed)."""
    index = RecordIndex(source, max_age_s=max_age_s)
    if watch:
        index.watch()
    index.sync(progress)
    return AtlasData(
        source=source,
        index=index,
        agreements={a.id: a for a in load_agreements(source)},
        crossings=_crossings(source),
        series={series.id: series for series in load_series(source)},
    )


def _crossings(source: DataSource) -> tuple[Crossing, ...]:
    return tuple(crossings.load_crossing_records(source))  # a bad row is left out, with a warning


NEWEST_KEPT = 10  # events a province or venue keeps for its popup; the panel reads the rest


@dataclass(frozen=True)
class EventGroup:
    """The events of a province or venue: how many, and the newest few (newest first)."""

    count: int
    newest: tuple[Event, ...]


NO_EVENTS = EventGroup(0, ())


@dataclass(frozen=True)
class Venue:
    """A place where meetings took place, with the events held there."""

    key: str
    name: str
    unit: str | None
    point: shapely.Point
    events: EventGroup


@dataclass
class CooperationView:
    """The selection's units, event counts and links, ready to draw."""

    selection: Selection
    units: gpd.GeoDataFrame  # the units on selection.day in the selected countries
    index: RecordIndex
    total: int = 0  # events in the period and kinds
    by_unit: dict[str, EventGroup] = field(default_factory=dict)  # map unit -> its events
    links: Counter[tuple[str, str]] = field(default_factory=Counter)  # (VN unit, foreign unit)
    venues: list[Venue] = field(default_factory=list)
    crossings: list[Crossing] = field(default_factory=list)

    def event_count(self, unit_id: str) -> int:
        group = self.by_unit.get(unit_id)
        return group.count if group else 0

    def events(self, limit: int | None = None) -> list[Event]:
        """The selection's events, newest first (read from the index)."""
        selection = self.selection
        return self.index.events(
            start=selection.start, end=selection.end, kinds=selection.kinds, limit=limit
        )

    @cached_property
    def on_map(self) -> _MapUnits:
        """The map's units covering a recorded unit (memoised for this view)."""
        return _MapUnits(self.selection.day, self.index.source, set(self.units["id"]))

    def provinces_on_map(self, event: Event) -> list[str]:
        """The map's units for the provinces ``event`` names (what it counts for)."""
        on_map = self.on_map
        return list(
            dict.fromkeys(u for ids in event.provinces.values() for n in ids for u in on_map(n))
        )

    def counterparts(self, unit_id: str) -> list[tuple[str, int]]:
        """Units across the border that took part in joint events with ``unit_id``, most first."""
        met: Counter[str] = Counter()
        for (ours, theirs), count in self.links.items():
            if ours == unit_id:
                met[theirs] += count
            elif theirs == unit_id:
                met[ours] += count
        return met.most_common()


def cooperation_view(selection: Selection, data: AtlasData | None = None) -> CooperationView:
    """Count, link and place the selection's events on the units of ``selection.day``.

    Counted as tables of the units the index says each event names, so only the few events
    popups show are ever read whole.
    """
    data = data or load_atlas()
    source, day = data.source, selection.day
    units = boundaries.load_units(day, source, countries=selection.countries)
    kinds = [kind.value for kind in (selection.kinds or EventKind)]
    on_map = _MapUnits(day, source, set(units["id"]))
    with data.index.snapshot():
        rows = data.index.unit_frame(start=selection.start, end=selection.end, kinds=kinds)
        tally = _tally(rows, on_map)
        records = data.index.by_key(tally.keys_to_read())
        total = data.index.count(start=selection.start, end=selection.end, kinds=kinds)
    view = CooperationView(selection, units, data.index, total=total, links=tally.links)
    view.by_unit = {
        unit: EventGroup(int(tally.unit_counts[unit]), _events(keys, records))
        for unit, keys in tally.unit_newest.items()
    }
    view.venues = _venues(tally, records, units, source)
    # A crossing goes with the foreign country it leads to: Laos off, VN-LA crossings off.
    view.crossings = [c for c in data.crossings if c.foreign_country in selection.countries]
    return view


@dataclass
class _MapUnits:
    """The map's units (on ``day``) covering a recorded unit, each once; memoised."""

    day: date
    source: DataSource
    shown: set[str]
    known: dict[str, list[str]] = field(default_factory=dict)

    def __call__(self, unit: str) -> list[str]:
        if unit not in self.known:
            mapped = dict.fromkeys(boundaries.units_on(unit, self.day, self.source))
            self.known[unit] = [u for u in mapped if u in self.shown]
        return self.known[unit]


@dataclass
class _Tally:
    """Counts per map unit and venue, links, and the keys of the newest events of each."""

    unit_counts: dict[str, int]
    unit_newest: dict[str, list[int]]
    links: Counter[tuple[str, str]]
    venue_counts: dict[tuple[str, str], int]
    venue_newest: dict[tuple[str, str], list[int]]

    def keys_to_read(self) -> set[int]:
        newest = (*self.unit_newest.values(), *self.venue_newest.values())
        return {key for keys in newest for key in keys}


def _tally(rows: pd.DataFrame, on_map: _MapUnits) -> _Tally:
    """Count the events of ``rows`` (the index's unit rows, newest event first) per map unit,
    link and venue, as tables: at 100,000 events a Python loop over the rows took seconds.

    A unit counts the events naming it (or a unit it was made from) as a province; a link, the
    events naming a Vietnamese and a foreign province; a venue, the events held there, an
    online meeting counting at each connected venue instead of its own.
    """
    rows = rows.assign(order=rows["key"].map(_first_positions(rows["key"])))
    mapping = pd.DataFrame(
        [(unit, shown) for unit in rows["unit"].unique() for shown in on_map(unit)],
        columns=["unit", "map_unit"],
    )
    placed = rows.merge(mapping, on="unit")
    provinces = placed[placed["side"].isin(COUNTRIES)]
    units = provinces.drop_duplicates(["key", "map_unit"]).sort_values("order")
    online = set(rows.loc[rows["side"] == "connected", "key"])
    at = placed[(placed["side"] == "connected") | (placed["side"] == "venue")]
    at = at[(at["side"] == "connected") | ~at["key"].isin(online)]
    venues = at.assign(name=at["name"].fillna("")).drop_duplicates(["key", "map_unit", "name"])
    venues = venues.sort_values("order")
    return _Tally(
        unit_counts=_group_sizes(units, ["map_unit"]),
        unit_newest=_newest(units, ["map_unit"]),
        links=Counter(_group_sizes(_pairs(provinces), ["map_unit", "map_unit_other"])),
        venue_counts=_group_sizes(venues, ["map_unit", "name"]),
        venue_newest=_newest(venues, ["map_unit", "name"]),
    )


def _group_sizes(table: pd.DataFrame, by: list[str]) -> dict[Any, int]:
    """Rows per group, by the group's value of ``by`` (a tuple when ``by`` names several)."""
    key = by[0] if len(by) == 1 else by
    return {name: int(size) for name, size in table.groupby(key).size().items()}


def _first_positions(keys: pd.Series) -> dict[int, int]:
    """Each record key's rank in newest-first order (its first row's position)."""
    return {key: rank for rank, key in enumerate(dict.fromkeys(keys))}


def _newest(table: pd.DataFrame, by: list[str]) -> dict[Any, list[int]]:
    """The keys of the newest NEWEST_KEPT events per group (``table`` is newest first), by the
    group's value of ``by`` (a tuple of values when ``by`` names several columns)."""
    kept = table.groupby(by, sort=False).head(NEWEST_KEPT)
    grouped = kept.groupby(by, sort=False)["key"].agg(list)
    return {name: [int(key) for key in keys] for name, keys in grouped.items()}


def _pairs(provinces: pd.DataFrame) -> pd.DataFrame:
    """Each event's (Vietnamese map unit, foreign map unit) pairs, once: the links it makes."""
    ours = provinces.loc[provinces["side"] == "VN", ["key", "map_unit"]]
    theirs = provinces.loc[provinces["side"] != "VN", ["key", "map_unit"]]
    return ours.merge(theirs, on="key", suffixes=("", "_other")).drop_duplicates()


def _venues(
    tally: _Tally,
    records: dict[int, Event | Agreement],
    units: gpd.GeoDataFrame,
    source: DataSource,
) -> list[Venue]:
    """Venues at their town when the gazetteer has one of that name in the unit, else at a
    point inside the unit."""
    unit_points = dict(zip(units["id"], units.geometry.representative_point(), strict=True))
    venues = []
    for (unit, name), keys in tally.venue_newest.items():
        point = _town_point(name, unit, source) or unit_points[unit]
        events = EventGroup(int(tally.venue_counts[(unit, name)]), _events(keys, records))
        venues.append(Venue(_venue_key(unit, name), name, unit, point, events))
    return venues


def _venue_key(unit: str, name: str) -> str:
    return f"{unit}:{name}"


def _events(keys: list[int], records: dict[int, Event | Agreement]) -> tuple[Event, ...]:
    return tuple(record for key in keys if isinstance(record := records[key], Event))


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
    on_map = view.on_map
    venue_points = {venue.key: venue.point for venue in view.venues}
    unit_points = dict(
        zip(view.units["id"], view.units.geometry.representative_point(), strict=True)
    )
    rows, points = [], []
    for event in view.events():
        mapped = view.provinces_on_map(event)
        rows.append(_event_fields(event, mapped))
        at_venue = (venue_points.get(key) for key in _venue_keys(event, on_map))
        fallback = (unit_points[u] for u in mapped if u in unit_points)
        points.append(next((p for p in (*at_venue, *fallback) if p is not None), None))
    return gpd.GeoDataFrame(rows, geometry=points, crs=CRS)


def _venue_keys(event: Event, on_map: _MapUnits) -> list[str]:
    if event.venue is None:
        return []
    places = [(p.name, p.unit) for p in event.venue.connected] or [
        (event.venue.name or "", event.venue.unit)
    ]
    return [_venue_key(u, name) for name, unit in places if unit for u in on_map(unit)]


def _event_fields(event: Event, mapped: list[str]) -> dict[str, object]:
    return {
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
