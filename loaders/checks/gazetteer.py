"""Checks of the gazetteer: each problem names its file and record.

Duplicate keys (YAML mapping keys, place ids, a spelling repeated in one group), unknown unit
ids, one spelling naming two units that coexist without being marked ``ambiguous``, and places
more than ``PLACE_TOLERANCE_KM`` outside the polygon of their unit.
"""

from __future__ import annotations

from datetime import date

import shapely
import yaml
from shapely.ops import nearest_points

from loaders._errors import DataError, Problem
from loaders._io import DataSource
from loaders.boundaries import GEOD, Unit, all_units
from loaders.gazetteer import (
    NOT_UNITS_FILE,
    PLACES_FILE,
    UNIT_FILES,
    Gazetteer,
    load_gazetteer,
    normalize_name,
    read_name_groups,
    read_places,
)

PLACE_TOLERANCE_KM = 5.0  # a town this far outside its unit is misplaced (or the unit is wrong)


def check_gazetteer(source: DataSource) -> list[Problem]:
    """Every problem with the gazetteer; a file too malformed to load is one problem, and an
    unknown unit id stops the checks that would look that unit up."""
    problems = _check_yaml_keys(source)
    try:
        gaz = load_gazetteer(source)
    except DataError as error:
        return [*problems, Problem("gazetteer.load", error.path, error.detail, field=error.field)]
    problems += _check_duplicates(source)
    problems += _check_unit_ids(source, gaz)
    if not any(p.check == "gazetteer.units" for p in problems):
        problems += _check_collisions(source, gaz)
        problems += _check_place_locations(source, gaz)
    return problems


def _check_yaml_keys(source: DataSource) -> list[Problem]:
    """Mapping keys given twice (``yaml.safe_load`` would silently keep the last one)."""
    problems = []
    for relative in (*UNIT_FILES.values(), PLACES_FILE, NOT_UNITS_FILE):
        try:
            root = yaml.compose(source.read_text(relative), Loader=yaml.SafeLoader)
        except (yaml.YAMLError, DataError, RecursionError):
            continue  # reported by the loader, with its line
        stack = [root] if root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                seen: set[str] = set()
                for key, value in node.value:
                    if key.value in seen:
                        line = key.start_mark.line + 1
                        message = f"key '{key.value}' given twice (line {line})"
                        problems.append(
                            Problem("gazetteer.duplicates", source.label(relative), message)
                        )
                    seen.add(key.value)
                    stack.append(value)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
    return problems


def _check_duplicates(source: DataSource) -> list[Problem]:
    problems = []
    places_label = source.label(PLACES_FILE)
    seen_ids: set[str] = set()
    for place in read_places(source).places:
        if place.id in seen_ids:
            problems.append(
                Problem("gazetteer.duplicates", places_label, "duplicate place id", "id", place.id)
            )
        seen_ids.add(place.id)
        problems += _repeated(place.names, places_label, place.id)
    for country, names_file in read_name_groups(source).items():
        label = source.label(UNIT_FILES[country])
        for group in names_file.groups:
            problems += _repeated(group.names, label, ", ".join(group.units))
    return problems


def _repeated(names: list[str], label: str, record: str) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for name in names:
        if name in seen:
            problems.append(
                Problem("gazetteer.duplicates", label, f"'{name}' listed twice", "names", record)
            )
        seen.add(name)
    return problems


def _check_unit_ids(source: DataSource, gaz: Gazetteer) -> list[Problem]:
    """Every unit id of the name groups and places must exist, in the right country."""
    said: list[tuple[str, str, str, str]] = [  # (file, country, unit id, record)
        (UNIT_FILES[country], country, unit_id, unit_id)
        for country, names_file in read_name_groups(source).items()
        for group in names_file.groups
        for unit_id in group.units
    ]
    said += [
        (PLACES_FILE, place.country, unit_id, place.id)
        for place in gaz.places.values()
        for unit_id in place.units
    ]
    problems = []
    for relative, country, unit_id, record in said:
        problem = _unit_problem(gaz, unit_id, country)
        if problem:
            label = source.label(relative)
            problems.append(Problem("gazetteer.units", label, problem, "units", record))
    return problems


def _unit_problem(gaz: Gazetteer, unit_id: str, country: str) -> str | None:
    if unit_id not in gaz.units:
        return f"unknown unit id {unit_id!r}"
    if gaz.units[unit_id].country != country:
        return f"unit {unit_id!r} is not in {country}"
    return None


def _overlap(a: Unit, b: Unit) -> bool:
    """Whether two units existed on a common day."""
    a_end, b_end = a.valid_to or date.max, b.valid_to or date.max
    return (a.valid_from or date.min) <= b_end and (b.valid_from or date.min) <= a_end


def _check_collisions(source: DataSource, gaz: Gazetteer) -> list[Problem]:
    """A spelling naming two coexisting units must come from a group marked ``ambiguous``."""
    allowed = {
        (normalize_name(name).compact, unit_id)
        for names_file in read_name_groups(source).values()
        for group in names_file.groups
        if group.ambiguous
        for name in group.names
        for unit_id in group.units
    }
    problems = []
    for key, entries in gaz.entries.items():
        units = sorted({unit_id for entry in entries for unit_id in entry.units})
        for i, first in enumerate(units):
            for second in units[i + 1 :]:
                coexist = _overlap(gaz.units[first], gaz.units[second])
                if coexist and not {(key, first), (key, second)} <= allowed:
                    names = sorted({e.name for e in entries})
                    message = f"'{names[0]}' names both {first} and {second}, which coexist"
                    label = source.label(entries[0].file)
                    problems.append(Problem("gazetteer.collisions", label, message, "names", key))
        if key in gaz.not_units:
            label = source.label(NOT_UNITS_FILE)
            message = f"'{gaz.not_units[key].name}' is listed as not a unit but names {units[0]}"
            problems.append(Problem("gazetteer.collisions", label, message, "names", key))
    return problems


def _check_place_locations(source: DataSource, gaz: Gazetteer) -> list[Problem]:
    """Each place must lie within ``PLACE_TOLERANCE_KM`` of every unit it is said to be in."""
    geometries = all_units(source).geometry
    problems = []
    for place in gaz.places.values():
        point = shapely.Point(place.lon, place.lat)
        for unit_id in place.units:
            polygon = geometries[unit_id]
            if polygon.covers(point):
                continue
            nearest = nearest_points(polygon, point)[0]
            km = GEOD.inv(place.lon, place.lat, nearest.x, nearest.y)[2] / 1000.0
            if km > PLACE_TOLERANCE_KM:
                message = f"{km:.1f} km outside {unit_id}"
                label = source.label(PLACES_FILE)
                problems.append(Problem("gazetteer.places", label, message, "lat/lon", place.id))
    return problems
