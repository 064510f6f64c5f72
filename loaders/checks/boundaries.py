"""Checks of the units, their geometry and lineage against the published facts of
``boundaries/official.yaml``: counts per date, border units, areas, border lengths, and
neighbours that neither overlap nor leave gaps on any date units changed."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import shapely

from loaders._errors import DataError, Problem
from loaders._io import DataSource
from loaders.boundaries import (
    GEOMETRY_FILE,
    LINEAGE_FILE,
    OFFICIAL_FILE,
    UNITS_FILE,
    OfficialFacts,
    all_units,
    border_length,
    border_units,
    geodesic_area_km2,
    geometry_repairs,
    lineage,
    load_units,
    official_facts,
    read_units,
)


def check_boundaries(source: DataSource) -> list[Problem]:
    """Every problem with the units, their geometry and lineage, against the official facts."""
    try:
        units = all_units(source)
        facts = official_facts(source)
    except (DataError, KeyError) as error:
        return [Problem("boundaries.load", getattr(error, "path", UNITS_FILE), str(error))]
    checks = (
        _check_geometry,
        _check_lineage,
        _check_counts,
        _check_coverage,
        _check_border_units,
        _check_areas,
        _check_border_lengths,
    )
    return [problem for check in checks for problem in check(units, facts, source)]


def _check_geometry(units: gpd.GeoDataFrame, _: OfficialFacts, source: DataSource) -> list[Problem]:
    label = source.label(GEOMETRY_FILE)
    repaired = [Problem("boundaries.geometry", label, m) for m in geometry_repairs(source)]
    return repaired + [
        Problem(
            "boundaries.geometry",
            label,
            f"invalid geometry: {shapely.is_valid_reason(g)}",
            record=uid,
        )
        for uid, g in zip(units["id"], units.geometry, strict=True)
        if g is None or g.is_empty or not g.is_valid
    ]


def _check_lineage(_: gpd.GeoDataFrame, __: OfficialFacts, source: DataSource) -> list[Problem]:
    """Every link names known units, and the dates meet: the predecessor ends the day before
    the link takes effect, the successor starts on it."""
    label = source.label(LINEAGE_FILE)
    units = {unit.id: unit for unit in read_units(source)}
    problems = []

    def report(message: str, field: str, record: str) -> None:
        problems.append(Problem("boundaries.lineage", label, message, field=field, record=record))

    for link in lineage(source):
        unknown = [r for r in ("predecessor", "successor") if getattr(link, r) not in units]
        for role in unknown:
            report("unknown unit id", role, getattr(link, role))
        if unknown:
            continue
        ended = units[link.predecessor].valid_to
        if ended is None or ended >= link.effective:
            report(f"predecessor still valid on {link.effective}", "effective", link.predecessor)
        started = units[link.successor].valid_from
        if started != link.effective:
            report(f"successor starts {started}, not {link.effective}", "effective", link.successor)
    return problems


def _check_counts(_: gpd.GeoDataFrame, facts: OfficialFacts, source: DataSource) -> list[Problem]:
    problems = []
    for expected in facts.counts:
        found = len(load_units(expected.as_of, source, countries=[expected.country]))
        if found != expected.units:
            problems.append(
                Problem(
                    "boundaries.counts",
                    source.label(UNITS_FILE),
                    f"{expected.country} has {found} units on {expected.as_of}, "
                    f"officially {expected.units}",
                )
            )
    return problems


def _check_coverage(_: gpd.GeoDataFrame, facts: OfficialFacts, source: DataSource) -> list[Problem]:
    """Neighbours on each date where units changed must neither overlap nor leave gaps."""
    label = source.label(GEOMETRY_FILE)
    dates = sorted({link.effective for link in lineage(source)} | {date.today()})
    problems = []
    for day in dates:
        units = load_units(day, source)
        tree = shapely.STRtree(units.geometry.values)
        left, right = tree.query(units.geometry.values, predicate="intersects")
        for i, j in zip(left, right, strict=True):
            if i >= j:
                continue
            overlap = geodesic_area_km2(
                shapely.intersection(units.geometry.iloc[i], units.geometry.iloc[j])
            )
            if overlap > facts.coverage_tolerance_km2:
                pair = f"{units['id'].iloc[i]} / {units['id'].iloc[j]}"
                problems.append(
                    Problem(
                        "boundaries.coverage",
                        label,
                        f"overlap of {overlap:.3f} km² on {day}",
                        record=pair,
                    )
                )
    return problems


def _check_border_units(
    _: gpd.GeoDataFrame, facts: OfficialFacts, source: DataSource
) -> list[Problem]:
    problems = []
    for expected in facts.border_units:
        found = set(
            border_units(expected.border, expected.as_of, source, facts.border_min_shared_km)["id"]
        )
        wanted = set(expected.VN) | set(expected.foreign)
        for uid in sorted(wanted - found):
            problems.append(
                Problem(
                    "boundaries.border_units",
                    source.label(GEOMETRY_FILE),
                    f"does not run along {expected.border} on {expected.as_of}",
                    record=uid,
                )
            )
        for uid in sorted(found - wanted):
            problems.append(
                Problem(
                    "boundaries.border_units",
                    source.label(GEOMETRY_FILE),
                    f"runs along {expected.border} on {expected.as_of} but is "
                    "not officially a border unit",
                    record=uid,
                )
            )
    return problems


def _check_areas(
    units: gpd.GeoDataFrame, facts: OfficialFacts, source: DataSource
) -> list[Problem]:
    problems = []
    for expected in facts.areas:
        if expected.confidence == "low":
            continue  # a figure both geometric sources contradict is documented, not enforced
        if expected.id not in units.index:
            problems.append(
                Problem(
                    "boundaries.areas",
                    source.label(OFFICIAL_FILE),
                    "unknown unit id",
                    field="id",
                    record=expected.id,
                )
            )
            continue
        area = geodesic_area_km2(units.loc[expected.id].geometry)
        off = (area - expected.km2) / expected.km2
        if abs(off) > facts.area_tolerance:
            problems.append(
                Problem(
                    "boundaries.areas",
                    source.label(GEOMETRY_FILE),
                    f"area {area:,.0f} km² is {off:+.0%} off the official {expected.km2:,.0f} km²",
                    record=expected.id,
                )
            )
    return problems


def _check_border_lengths(
    _: gpd.GeoDataFrame, facts: OfficialFacts, source: DataSource
) -> list[Problem]:
    """A line more than the tolerance off its official length, with no documented reason."""
    problems = []
    for expected in facts.border_lengths:
        length = border_length(expected.border, source)
        if expected.approximate or length.approximate is None:
            continue  # within the tolerance, or the disagreement is documented
        problems.append(
            Problem(
                "boundaries.border_lengths",
                source.label(GEOMETRY_FILE),
                f"line is {length.km:,.0f} km, {length.km / expected.km - 1:+.0%} off the "
                f"official {expected.km:,.0f} km",
                record=expected.border,
            )
        )
    return problems
