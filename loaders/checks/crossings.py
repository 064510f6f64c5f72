"""Checks of ``crossings.csv``: every bad row, and every position the boundaries contradict.

A crossing must lie within its tolerance of its border line (geodesic distance, computed in UTM
48N), within 2 km of its Vietnamese provinces of 2024 and of today, and face the named foreign
province (the nearest foreign unit, or within 2 km of it). When the embedded line puts the point
on the foreign side, the province tolerance is counted from that line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from loaders import boundaries
from loaders._errors import DataError, Problem
from loaders._io import DataSource
from loaders.crossings import AS_OF_2024, CROSSINGS_FILE, Crossing, read_crossings
from loaders.vocabulary import COUNTRY_NAMES_EN, CRS

METRIC_CRS = "EPSG:32648"  # UTM 48N covers 102–108°E, the whole of both borders

BORDER_TOLERANCE_KM = 5.0
# Public boundary lines disagree by a median 2–3 km along VN–LA (p95 ~7 km) and ~2 km along VN–KH.
# A position marked ``low`` is an estimate, not a measurement: it is held to a wider band that
# still catches gross errors (wrong province, swapped or mistyped coordinates). The crossings that
# rely on it are listed in geodata/SOURCES.md with their measured distance.
LOW_CONFIDENCE_EXTRA_KM = 5.0
PROVINCE_TOLERANCE_KM = 2.0

# (check, field, message): what one check finds about one crossing.
Finding = tuple[str, str, str]


def check_crossings(source: DataSource) -> list[Problem]:
    """Every problem with ``crossings.csv``: bad rows, and positions the boundaries contradict."""
    label = source.label(CROSSINGS_FILE)
    try:
        crossings, errors = read_crossings(source)
        geometry = _Geometry(source)
    except DataError as error:
        return [Problem("crossings.load", error.path, error.detail, error.field)]
    problems = [
        Problem("crossings.load", label, _row_message(e), e.field, f"line {e.line}") for e in errors
    ]
    for crossing in crossings:
        problems.extend(
            Problem(f"crossings.{check}", label, message, field, crossing.id)
            for check, field, message in _check_one(crossing, geometry)
        )
    return problems


def border_tolerance_km(crossing: Crossing) -> float:
    """How far from the embedded border line this crossing's position may lie."""
    extra = LOW_CONFIDENCE_EXTRA_KM if crossing.confidence == "low" else 0.0
    return BORDER_TOLERANCE_KM + extra


def _row_message(error: DataError) -> str:
    shown = f" (value: {error.value!r})" if error.value is not None else ""
    return f"{error.detail}{shown}"


class _Geometry:
    """The boundaries a crossing is checked against, projected once to a metric CRS."""

    def __init__(self, source: DataSource) -> None:
        lines = boundaries.border_lines(source)
        self.lines = {b: _project(g) for b, g in lines.items()}
        self.units_2024 = boundaries.load_units(AS_OF_2024, source).to_crs(METRIC_CRS)
        self.units_today = boundaries.load_units(None, source).to_crs(METRIC_CRS)
        self.countries = {
            code: shapely.union_all(group.geometry.values)
            for code, group in self.units_today.groupby("country")
        }


_Shape = TypeVar("_Shape", bound=BaseGeometry)


def _project(geometry: _Shape) -> _Shape:
    """``geometry`` in METRIC_CRS (a point stays a point, a line a line)."""
    projected: _Shape = gpd.GeoSeries([geometry], crs=CRS).to_crs(METRIC_CRS).iloc[0]
    return projected


@dataclass(frozen=True)
class _Position:
    """Where a crossing lies, measured once: the projected point, its distance to its border
    line and the countries whose outline contains it."""

    point: shapely.Point
    border_km: float
    inside: list[str]


def _check_one(crossing: Crossing, geo: _Geometry) -> Iterator[Finding]:
    point = _project(shapely.Point(crossing.lon, crossing.lat))
    border_km = geo.lines[crossing.border].distance(point) / 1000.0
    inside = [code for code, outline in geo.countries.items() if outline.contains(point)]
    at = _Position(point, border_km, inside)
    yield from _near_border(crossing, at)
    yield from _on_its_side(crossing, at)
    yield from _near_provinces(crossing, at, geo)
    yield from _faces_foreign_province(crossing, at, geo)


def _near_border(crossing: Crossing, at: _Position) -> Iterator[Finding]:
    tolerance = border_tolerance_km(crossing)
    if at.border_km > tolerance:
        yield (
            "border",
            "lon/lat",
            f"{at.border_km:.1f} km from the {crossing.border} border line "
            f"(tolerance {tolerance:.0f} km for {crossing.confidence} confidence)",
        )


def _on_its_side(crossing: Crossing, at: _Position) -> Iterator[Finding]:
    """In Vietnam or the country it faces, and not deep inside the latter."""
    if not at.inside:
        yield "side", "lon/lat", "lies outside Vietnam, Laos and Cambodia"
        return
    country = at.inside[0]
    if country not in ("VN", crossing.foreign_country):
        yield "side", "lon/lat", f"lies in {COUNTRY_NAMES_EN[country]}"
    elif country == crossing.foreign_country and at.border_km > border_tolerance_km(crossing):
        yield (
            "side",
            "lon/lat",
            f"lies {at.border_km:.1f} km inside {COUNTRY_NAMES_EN[country]}, "
            f"beyond the {border_tolerance_km(crossing):.0f} km tolerance",
        )


def _near_provinces(crossing: Crossing, at: _Position, geo: _Geometry) -> Iterator[Finding]:
    """Within the tolerance of its Vietnamese provinces of 2024 and of today. On the foreign side
    of the embedded line the province is at least the line's distance away: the tolerance
    starts from the line."""
    slack = PROVINCE_TOLERANCE_KM + (at.border_km if "VN" not in at.inside else 0.0)
    for field, units, day in (
        ("province_2024", geo.units_2024, AS_OF_2024.isoformat()),
        ("province_today", geo.units_today, "today"),
    ):
        unit_id = getattr(crossing, field)
        if unit_id not in units.index:
            continue  # reported by read_crossings
        km = units.loc[unit_id].geometry.distance(at.point) / 1000.0
        if km > slack:
            yield "province", field, f"{km:.1f} km from {unit_id} ({day}); allowed {slack:.1f} km"


def _faces_foreign_province(crossing: Crossing, at: _Position, geo: _Geometry) -> Iterator[Finding]:
    """The named foreign province is the nearest foreign unit, or within the tolerance of it."""
    foreign = geo.units_today[geo.units_today["country"] == crossing.foreign_country]
    if crossing.foreign_province not in foreign.index:
        return  # reported by read_crossings
    distances = foreign.distance(at.point) / 1000.0
    nearest = distances.idxmin()
    named_km = float(distances[crossing.foreign_province])
    if named_km - float(distances[nearest]) > PROVINCE_TOLERANCE_KM:
        yield (
            "foreign_province",
            "foreign_province",
            f"faces {nearest} ({distances[nearest]:.1f} km), not "
            f"{crossing.foreign_province} ({named_km:.1f} km)",
        )
