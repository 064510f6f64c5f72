"""Administrative units of Vietnam, Laos and Cambodia across time, and the borders between them.

Data: ``boundaries/units.csv`` (one row per unit: ids, names, validity dates),
``boundaries/admin1.geojson`` (geometry of every unit drawn from a source) and ``lineage.csv``
(which units were made from which). A unit made by merging has no drawing of its own: its
geometry is the union of its predecessors, so merged and original shapes can never disagree.

Every other file is read against these units, so they are read whole: a bad row or feature
raises :class:`~loaders._errors.DataError` naming the file, line or feature, and field; nothing
is left out. Their checks against ``official.yaml`` are in :mod:`loaders.checks.boundaries`.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from datetime import date
from functools import lru_cache
from typing import Any, Literal, TypeGuard, get_args

import geopandas as gpd
import shapely
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from loaders._errors import DataError, DataWarning
from loaders._io import (
    EMBEDDED,
    DataSource,
    json_kind,
    load_json,
    read_csv_models,
    read_yaml,
)
from loaders.vocabulary import CRS, Border, Country

UNITS_FILE = "boundaries/units.csv"
GEOMETRY_FILE = "boundaries/admin1.geojson"
CONTEXT_FILE = "boundaries/context.geojson"
LINEAGE_FILE = "lineage.csv"

BORDERS: dict[str, tuple[Country, Country]] = {"VN-LA": ("VN", "LA"), "VN-KH": ("VN", "KH")}
GEOD = Geod(ellps="WGS84")


class Unit(BaseModel):
    """One administrative unit (province, municipality or capital) for the period it existed."""

    model_config = ConfigDict(frozen=True)

    id: str
    iso_3166_2: str | None = None
    gso_code: str | None = None  # Vietnam's General Statistics Office code
    name: str
    name_vi: str
    name_local: str | None = None
    country: Country
    kind: Literal["province", "municipality", "capital"]
    valid_from: date | None = None  # None: existed before the data's coverage starts
    valid_to: date | None = None  # None: still exists
    geometry_from: Literal["source", "predecessors", "successors"]
    note: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    def valid_on(self, day: date) -> bool:
        """Whether the unit existed on ``day``."""
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_to is None or day <= self.valid_to)


class LineageLink(BaseModel):
    """``predecessor`` became (part of) ``successor`` on ``effective``."""

    model_config = ConfigDict(frozen=True)

    predecessor: str
    successor: str
    effective: date
    change: Literal["merge", "rename", "split"]
    legal_act: str


@lru_cache(maxsize=8)
def read_units(source: DataSource = EMBEDDED) -> tuple[Unit, ...]:
    """Every unit of every date, as listed in ``units.csv``; ids must be unique."""
    units = read_csv_models(source, UNITS_FILE, Unit)
    if not units:
        raise DataError(source.label(UNITS_FILE), "has a header but no units: nothing to draw")
    seen: set[str] = set()
    for line, unit in enumerate(units, start=2):
        if unit.id in seen:
            raise DataError(
                source.label(UNITS_FILE), "duplicate id", line=line, field="id", value=unit.id
            )
        seen.add(unit.id)
    return tuple(units)


@lru_cache(maxsize=8)
def lineage(source: DataSource = EMBEDDED) -> tuple[LineageLink, ...]:
    """Every recorded change: which units were merged into, renamed to or split into which."""
    return tuple(read_csv_models(source, LINEAGE_FILE, LineageLink))


@lru_cache(maxsize=8)
def all_units(source: DataSource = EMBEDDED) -> gpd.GeoDataFrame:
    """Every unit of every date with its geometry (derived units dissolved from their parts)."""
    units = read_units(source)
    by_id = {unit.id: unit for unit in units}
    drawn = _drawn_geometries(source)
    # Links to unknown ids are reported by the lineage check; loading goes on without them.
    links = tuple(
        link for link in lineage(source) if {link.predecessor, link.successor} <= by_id.keys()
    )
    geometry: dict[str, BaseGeometry] = {}

    def resolve(unit_id: str, trail: tuple[str, ...] = ()) -> BaseGeometry:
        if unit_id in geometry:
            return geometry[unit_id]
        if unit_id in trail:
            raise DataError(source.label(LINEAGE_FILE), "lineage loops", value=" -> ".join(trail))
        unit = by_id[unit_id]
        if unit.geometry_from == "source":
            if unit_id not in drawn:
                raise DataError(source.label(GEOMETRY_FILE), "no geometry for unit", value=unit_id)
            result = drawn[unit_id]
        else:
            parts = _related(links, unit_id, unit.geometry_from)
            if not parts:
                raise DataError(
                    source.label(LINEAGE_FILE),
                    f"no {unit.geometry_from} to dissolve",
                    field="geometry_from",
                    value=unit_id,
                )
            result = shapely.union_all([resolve(p, (*trail, unit_id)) for p in parts])
        geometry[unit_id] = result
        return result

    records = [unit.model_dump() | {"geometry": resolve(unit.id)} for unit in units]
    frame = gpd.GeoDataFrame(records, geometry="geometry", crs=CRS)
    return frame.set_index("id", drop=False).rename_axis(None)


def _related(links: tuple[LineageLink, ...], unit_id: str, direction: str) -> list[str]:
    if direction == "predecessors":
        return [link.predecessor for link in links if link.successor == unit_id]
    return [link.successor for link in links if link.predecessor == unit_id]


@lru_cache(maxsize=8)
def _drawn_geometries(source: DataSource) -> dict[str, BaseGeometry]:
    """Each unit's drawing in ``admin1.geojson``, checked (and repaired, saying so) on load."""
    label = source.label(GEOMETRY_FILE)
    drawn = {}
    for number, feature in enumerate(read_features(source, GEOMETRY_FILE), start=1):
        unit_id = (feature.get("properties") or {}).get("id")
        if not unit_id or not isinstance(unit_id, str):
            raise DataError(label, f"feature {number}: no unit id", field="properties.id")
        drawn[unit_id] = polygonal(label, f"feature {number} ({unit_id!r})", feature)
    return drawn


def read_features(source: DataSource, relative: str) -> list[dict[str, Any]]:
    """The features of GeoJSON FeatureCollection ``relative``: DataError naming the file when it
    is no FeatureCollection (a bare list, a single Feature, a feature that is no object)."""
    label = source.label(relative)
    collection = load_json(source.read_text(relative), label)
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        found = collection.get("type") if isinstance(collection, dict) else None
        shown = repr(found) if found else f"a JSON {json_kind(collection)}"
        raise DataError(label, f"not a GeoJSON FeatureCollection (found {shown})")
    features = collection.get("features")
    if not isinstance(features, list):
        raise DataError(label, f"'features' is a JSON {json_kind(features)}, not a list")
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            kind = json_kind(feature)
            raise DataError(label, f"feature {number} is a JSON {kind}, not an object")
    return features


# Invalidity GEOS can repair without guessing: a ring crossing itself (a "bowtie") becomes its
# lobes, every one kept. Anything else (a hole outside its shell, a ring of two points) is refused.
REPAIRABLE = ("Self-intersection", "Ring Self-intersection")


def polygonal(label: str, where: str, feature: dict[str, Any]) -> BaseGeometry:
    """The feature's geometry if it is a usable (Multi)Polygon; a self-intersecting one is
    repaired with ``shapely.make_valid`` and a :class:`DataWarning` says so; anything else is a
    DataError naming ``label`` and the feature (``where``)."""
    raw = feature.get("geometry")
    if raw is None:
        raise DataError(label, f"{where}: no geometry")
    if not isinstance(raw, dict):
        raise DataError(label, f"{where}: the geometry is a JSON {json_kind(raw)}, not an object")
    bad = _first_bad_coordinate(raw.get("coordinates", []))
    if bad is not None:
        found = json.dumps(bad[0])[:40]
        raise DataError(label, f"{where}: coordinates must be numbers, found {found}")
    try:
        geometry = shapely.from_geojson(json.dumps(raw))
    except (shapely.errors.GEOSException, ValueError) as error:
        raise DataError(label, f"{where}: geometry not readable: {_reason(error)}") from None
    if geometry is None or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        kind = "nothing" if geometry is None else f"a {geometry.geom_type}"
        raise DataError(label, f"{where}: {kind}, not a Polygon or MultiPolygon")
    if geometry.is_empty:
        raise DataError(label, f"{where}: an empty {geometry.geom_type}")
    return geometry if geometry.is_valid else _repaired(label, where, geometry)


def _reason(error: Exception) -> str:
    """GEOS's message without its class and JSON-library prefixes."""
    text = str(error).removeprefix("ParseException: ").removeprefix("Error parsing JSON: ")
    text = text.rpartition("Exception: ")[2].strip("'")
    return re.sub(r"^\[json\.exception\.[^\]]*\]\s*", "", text) or "not readable"


def _first_bad_coordinate(coordinates: object) -> tuple[object] | None:
    """The first coordinate that is not a finite number, in a 1-tuple (it may be None)."""
    stack = [coordinates]  # a loop, not recursion: a hostile file may nest lists deeply
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif not _finite_number(item):
            return (item,)
    return None


def _finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _repaired(label: str, where: str, geometry: BaseGeometry) -> BaseGeometry:
    reason = shapely.is_valid_reason(geometry)
    parts = shapely.get_parts(shapely.make_valid(geometry))
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    if not reason.startswith(REPAIRABLE) or not polygons:
        raise DataError(label, f"{where}: invalid polygon: {reason}")
    message = f"{where}: invalid polygon ({reason}) repaired with shapely.make_valid; fix the file"
    warnings.warn(f"{label}: {message}", DataWarning, stacklevel=2)
    return shapely.union_all(polygons)


def geometry_repairs(source: DataSource) -> list[str]:
    """What loading ``admin1.geojson`` had to repair, one message a feature (for ``validate``:
    the loader warns only once, when it first reads the file)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        _drawn_geometries.__wrapped__(source)
    prefix = f"{source.label(GEOMETRY_FILE)}: "
    return [str(w.message).removeprefix(prefix) for w in caught if w.category is DataWarning]


def load_units(
    as_of: date | None = None,
    source: DataSource = EMBEDDED,
    countries: list[str] | tuple[str, ...] | None = None,
) -> gpd.GeoDataFrame:
    """The units that existed on ``as_of`` (default: today), optionally for some countries only."""
    day = as_of or date.today()
    frame = all_units(source)
    valid = (frame["valid_from"].isna() | (frame["valid_from"] <= day)) & (
        frame["valid_to"].isna() | (frame["valid_to"] >= day)
    )
    if countries:
        valid &= frame["country"].isin([c.upper() for c in countries])
    return frame[valid].copy()


def get_unit(unit_id: str, source: DataSource = EMBEDDED) -> Unit:
    """The unit with this id; ``KeyError`` naming the id when there is none."""
    for unit in read_units(source):
        if unit.id == unit_id:
            return unit
    raise KeyError(f"unknown unit id {unit_id!r}")


def successors_of(unit_id: str, source: DataSource = EMBEDDED) -> list[str]:
    """The units ``unit_id`` directly became part of (empty if it never changed)."""
    return _related(lineage(source), unit_id, "successors")


def predecessors_of(unit_id: str, source: DataSource = EMBEDDED) -> list[str]:
    """Every earlier unit that ``unit_id`` was made from, transitively, nearest first."""
    found: list[str] = []
    frontier = [unit_id]
    while frontier:
        parents = [p for u in frontier for p in _related(lineage(source), u, "predecessors")]
        frontier = [p for p in parents if p not in found]
        found.extend(frontier)
    return found


def current_units_of(
    unit_id: str, source: DataSource = EMBEDDED, today: date | None = None
) -> list[str]:
    """The unit(s) that ``unit_id``'s territory belongs to on ``today`` (default: today)."""
    day = today or date.today()
    units = {unit.id: unit for unit in read_units(source)}
    if unit_id not in units:
        raise KeyError(f"unknown unit id {unit_id!r}")
    current: list[str] = []
    frontier = [unit_id]
    while frontier:
        unit = frontier.pop(0)
        valid_to = units[unit].valid_to
        if units[unit].valid_on(day):
            current.append(unit)
        elif valid_to is None or valid_to < day:
            frontier.extend(s for s in successors_of(unit, source) if s not in current)
    return sorted(set(current), key=current.index)


def units_today(unit_id: str, source: DataSource = EMBEDDED) -> list[str]:
    """:func:`current_units_of`, but empty for an unknown id, for readers of untrusted text
    (ingestion): the data's own checks report unknown ids, and a draft goes on without them."""
    try:
        return current_units_of(unit_id, source)
    except KeyError:
        return []


@lru_cache(maxsize=4096)
def units_on(unit_id: str, day: date, source: DataSource = EMBEDDED) -> tuple[str, ...]:
    """The unit(s) covering ``unit_id``'s territory on ``day``: itself if it existed then, its
    successors if it had ended, its predecessors if it did not exist yet."""
    unit = get_unit(unit_id, source)
    if unit.valid_on(day):
        return (unit_id,)
    if unit.valid_to is not None and unit.valid_to < day:
        return tuple(current_units_of(unit_id, source, today=day))
    earlier = predecessors_of(unit_id, source)
    return tuple(p for p in earlier if get_unit(p, source).valid_on(day))


def country_outlines(
    as_of: date | None = None, source: DataSource = EMBEDDED
) -> dict[str, BaseGeometry]:
    """Each country's outline: the union of its units on ``as_of``."""
    units = load_units(as_of, source)
    return {
        code: shapely.union_all(group.geometry.values) for code, group in units.groupby("country")
    }


@lru_cache(maxsize=8)
def border_lines(source: DataSource = EMBEDDED) -> dict[str, BaseGeometry]:
    """The international border lines VN-LA and VN-KH (where the countries' outlines meet)."""
    outlines = country_outlines(None, source)
    return {
        border: shapely.line_merge(shapely.intersection(outlines[a].boundary, outlines[b].boundary))
        for border, (a, b) in BORDERS.items()
    }


def border_units(
    border: str,
    as_of: date | None = None,
    source: DataSource = EMBEDDED,
    min_shared_km: float = 5.0,
) -> gpd.GeoDataFrame:
    """Units of both sides running along ``border`` on ``as_of``, with the length they share.

    A unit counts when it shares at least ``min_shared_km`` of the line: a corner touch is not a
    border. The result has a ``shared_km`` column, sorted by country then along-border length.
    """
    if not _is_border(border):
        raise ValueError(f"unknown border {border!r}: expected one of {', '.join(BORDERS)}")
    line = border_lines(source)[border]
    units = load_units(as_of, source, countries=BORDERS[border])
    corridor = shapely.buffer(line, 1e-6)  # edges are shared exactly; this absorbs float noise
    shared = shapely.intersection(shapely.boundary(units.geometry.values), corridor)
    units["shared_km"] = [geodesic_length_km(g) for g in shared]
    picked = units[units["shared_km"] >= min_shared_km]
    return picked.sort_values(["country", "shared_km"], ascending=[False, False])


LENGTH_METHOD = "geodesic on the WGS84 ellipsoid with pyproj's Geod, along the embedded line"


class BorderLength(BaseModel):
    """How long a border line is: as measured on the embedded line, and as officially given."""

    model_config = ConfigDict(frozen=True)

    border: Border
    km: float  # measured: geodesic length of the embedded line (LENGTH_METHOD)
    official_km: float | None = None
    approximate: str | None = None  # why ``km`` is off the official figure by more than allowed


def border_length(border: str, source: DataSource = EMBEDDED) -> BorderLength:
    """The length of ``border``'s line, measured on the most detailed line the data has (the
    embedded one), with the official figure and, when the two disagree by more than
    ``border_length_tolerance``, the documented reason (or a note that there is none)."""
    if not _is_border(border):
        raise ValueError(f"unknown border {border!r}: expected one of {', '.join(BORDERS)}")
    km = geodesic_length_km(border_lines(source)[border])
    facts = official_facts(source)
    official = next((f for f in facts.border_lengths if f.border == border), None)
    if official is None:
        return BorderLength(border=border, km=km)
    off = abs(km - official.km) / official.km > facts.border_length_tolerance
    reason = (official.approximate or "no reason documented") if off else None
    return BorderLength(border=border, km=km, official_km=official.km, approximate=reason)


def _is_border(name: str) -> TypeGuard[Border]:
    """Whether ``name`` is one of the values of :data:`~loaders.vocabulary.Border`."""
    return name in get_args(Border)


def geodesic_length_km(geometry: BaseGeometry) -> float:
    """Length on the WGS84 ellipsoid, in kilometres."""
    return GEOD.geometry_length(geometry) / 1000.0 if not geometry.is_empty else 0.0


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid, in square kilometres."""
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6 if not geometry.is_empty else 0.0


def context_countries(source: DataSource = EMBEDDED) -> gpd.GeoDataFrame:
    """Neighbouring countries (Thailand, China) as light map context; checked like the units."""
    label = source.label(CONTEXT_FILE)
    features = read_features(source, CONTEXT_FILE)
    geometries = [
        polygonal(label, f"feature {number}", feature)
        for number, feature in enumerate(features, start=1)
    ]
    properties = [feature.get("properties") or {} for feature in features]
    return gpd.GeoDataFrame(properties, geometry=geometries, crs=CRS)


# --- Official facts (`official.yaml`): what the boundaries are checked against --------------

OFFICIAL_FILE = "boundaries/official.yaml"


class OfficialCount(BaseModel):
    country: Country
    as_of: date
    units: int


class OfficialBorderUnits(BaseModel):
    border: Border
    as_of: date
    VN: list[str]
    foreign: list[str]


class OfficialArea(BaseModel):
    id: str
    km2: float
    confidence: Literal["high", "low"] = "high"
    note: str | None = None


class OfficialBorderLength(BaseModel):
    border: Border
    km: float
    # Why the embedded line may measure more than the tolerance off ``km``: reported, not enforced.
    approximate: str | None = None


class OfficialFacts(BaseModel):
    """Published facts the embedded boundaries must agree with (``official.yaml``)."""

    counts: list[OfficialCount]
    border_units: list[OfficialBorderUnits]
    areas: list[OfficialArea]
    area_tolerance: float
    coverage_tolerance_km2: float
    border_min_shared_km: float
    # Optional, so an official.yaml written before lengths were checked still loads.
    border_lengths: list[OfficialBorderLength] = []
    border_length_tolerance: float = 0.05


def official_facts(source: DataSource = EMBEDDED) -> OfficialFacts:
    """The facts of ``official.yaml``, typed."""
    label = source.label(OFFICIAL_FILE)
    raw = read_yaml(source, OFFICIAL_FILE, strict=False)
    try:
        return OfficialFacts.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise DataError(label, first["msg"], field=field) from None
