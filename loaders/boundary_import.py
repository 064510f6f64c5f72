"""Importing a user's boundary file: geoBoundaries, GADM or any file OGR reads.

Nothing here runs unless a user asks for it (``borderatlas boundaries-import``). The files may
come from :mod:`loaders.download` or from anywhere else; this layer only reads them.

- ``import_files(paths, "geoboundaries" | "gadm" | "generic", ...)`` reads any file pyogrio can
  open and maps each feature onto our unit ids: by unit id (generic mode), by ISO 3166-2 code,
  else by name among the units valid on the source's date (``as_of``), compared through the
  gazetteer's normaliser (:func:`loaders.gazetteer.normalize_name`), then by the geocoder. The
  :class:`ImportResult` lists matched, unmatched and duplicate features: nothing is dropped
  silently.
- ``write_data_dir(result, out_dir)`` writes ``<out_dir>/boundaries/admin1.geojson`` in the
  embedded file's format, for use as ``--data-dir``.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pyogrio
import pyogrio.raw
import shapely
from shapely.geometry.base import BaseGeometry

from loaders._errors import BorderAtlasError, DataError
from loaders._io import EMBEDDED, DataSource, write_atomic
from loaders.boundaries import GEOMETRY_FILE, Unit, all_units, read_units
from loaders.gazetteer import HINT_KINDS, Hint, normalize_name, spelling_key
from loaders.geocode import geocode
from loaders.vocabulary import COUNTRIES, COUNTRY_NAMES_EN, CRS, parse_country

Format = Literal["geoboundaries", "gadm", "generic"]
Method = Literal["id", "iso", "name", "geocoder"]

# GADM 4.1 and the pinned geoBoundaries release both predate Vietnam's 2025 changes, so their
# features are the 63 provinces of 2024; the last day before Huế became a city is the default.
DEFAULT_AS_OF = date(2024, 12, 31)
COORD_DECIMALS = 6  # ~0.1 m: keeps the sources' detail, and the file a reviewable text file
# A file's country field may hold a name instead of a code: ours, or the UN's "Lao PDR".
COUNTRY_OF_NAME = {
    normalize_name(name).compact: country
    for country, name in [*COUNTRY_NAMES_EN.items(), ("LA", "Lao PDR")]
}
MISSING_TEXT = {"", "na", "n/a", "none", "null", "nan"}


# Where the data must be: around Vietnam, Laos and Cambodia. Their units span lon 100.1..109.5 E,
# lat 8.6..23.4 N (the bounds of geodata/boundaries/admin1.geojson); the box adds a margin for a
# neighbour's provinces in the same file. An import must touch it, not lie inside it: a file with
# the Paracels (112 E) is fine, a file whose CRS was wrong lands thousands of km away.
REGION_BOUNDS = (97.0, 8.0, 110.5, 23.5)  # (west, south, east, north), degrees


class ImportUsageError(DataError):
    """The file is readable but the options do not fit it (a ``--layer`` it lacks, a field the
    format needs): a usage mistake, not bad data."""


class MissingFieldError(ImportUsageError):
    """The file lacks a field the chosen format (or field mapping) needs: a usage mistake."""


@dataclass(frozen=True)
class FieldMap:
    """Which attribute of the input file holds what (``None``: the file has no such field).

    ``names`` are tried in order; ``alt_names`` may hold several names separated by ``|`` (as in
    GADM's VARNAME_1). ``country_code`` (VN, LA or KH) applies to every feature of the file.
    """

    unit_id: str | None = None
    iso: str | None = None
    names: tuple[str, ...] = ()
    alt_names: tuple[str, ...] = ()
    country: str | None = None
    country_code: str | None = None
    feature_id: str | None = None

    def required(self) -> list[str]:
        """Every field the file must have."""
        optional = (self.unit_id, self.iso, self.country, self.feature_id)
        return [f for f in (*optional, *self.names, *self.alt_names) if f]


GEOBOUNDARIES_FIELDS = FieldMap(
    iso="shapeISO", names=("shapeName",), country="shapeGroup", feature_id="shapeID"
)
GADM_FIELDS = FieldMap(
    iso="ISO_1",
    names=("NAME_1",),
    alt_names=("VARNAME_1", "NL_NAME_1"),
    country="GID_0",
    feature_id="GID_1",
)
GADM_LAYER = "ADM_ADM_1"  # the level-1 layer of GADM 4.1 GeoPackages


@dataclass(frozen=True)
class SourceFeature:
    """One input feature, as a user can find it again in their file."""

    file: str
    record: int  # 1-based position in the layer
    feature_id: str | None
    name: str | None
    iso: str | None
    country: str | None

    def label(self) -> str:
        shown = self.name or self.feature_id or self.iso or "unnamed"
        return f"{Path(self.file).name}#{self.record} {shown!r}"


@dataclass(frozen=True)
class Match:
    feature: SourceFeature
    unit_id: str
    method: Method


@dataclass(frozen=True)
class Unmatched:
    feature: SourceFeature
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """Several features mapped to one unit: none of them is used."""

    unit_id: str
    features: tuple[Match, ...]


@dataclass
class ImportResult:
    """What an import found, feature by feature, and the usable geometry.

    ``frame`` holds one row per unit drawn from a source (``id``, geometry in EPSG:4326), like
    the embedded ``admin1.geojson``. ``derived`` are features that matched a unit the loader
    dissolves from its parts (merged units): their geometry is not used. ``missing`` are units
    that need a drawn geometry and got none from the files.
    """

    as_of: date
    files: list[str]
    source: DataSource  # whose units.csv the features were matched against
    matched: list[Match]
    unmatched: list[Unmatched]
    duplicates: list[Duplicate]
    derived: list[Match]
    missing: list[str]
    frame: gpd.GeoDataFrame = field(repr=False)

    @property
    def ok(self) -> bool:
        """True when every feature found exactly one unit."""
        return not self.unmatched and not self.duplicates

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (no geometry)."""
        return {
            "as_of": self.as_of.isoformat(),
            "files": self.files,
            "matched": [asdict(m) for m in self.matched],
            "unmatched": [asdict(u) for u in self.unmatched],
            "duplicates": [asdict(d) for d in self.duplicates],
            "derived": [asdict(m) for m in self.derived],
            "missing": self.missing,
        }


# --- reading ------------------------------------------------------------------------------


def fields_for(fmt: Format, generic: FieldMap | None = None) -> FieldMap:
    """The field mapping of a named format, or the user's own for ``generic``."""
    if fmt == "geoboundaries":
        return GEOBOUNDARIES_FIELDS
    if fmt == "gadm":
        return GADM_FIELDS
    if fmt == "generic":
        if generic is None or not (generic.unit_id or generic.iso or generic.names):
            raise ValueError("generic format needs a field mapping with an id, iso or name field")
        return generic
    raise ValueError(f"unknown format {fmt!r}: expected geoboundaries, gadm or generic")


def read_layer(path: str | Path, fmt: Format, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read one layer of an OGR-readable file, reprojected to EPSG:4326.

    GADM GeoPackages hold every level: their level-1 layer is chosen unless ``layer`` is given.
    The coordinates must fit the CRS the file gives (or, with none, longitude/latitude) and land
    around Vietnam, Laos and Cambodia (``REGION_BOUNDS``): metres read as degrees are refused.
    """
    path = Path(path)
    try:
        layers = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
        layer = _choose_layer(path, fmt, layers, layer)
        with warnings.catch_warnings():
            # GDAL's notes ("Non closed ring detected") become the errors below, in one line
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise DataError(path, f"not readable as a vector file: {error}") from None
    except shapely.errors.GEOSException:
        raise _unreadable_feature(path, layer) from None
    return _to_wgs84(path, frame)


def _choose_layer(path: Path, fmt: Format, layers: list[str], layer: str | None) -> str | None:
    """The layer to read: the one asked for (it must exist), GADM's level 1, or the only one."""
    if layer is not None and layer not in layers:
        raise ImportUsageError(path, f"no layer {layer!r}; its layers: {', '.join(layers)}")
    if layer is None and len(layers) > 1:
        if fmt != "gadm" or GADM_LAYER not in layers:
            raise ImportUsageError(path, "several layers: choose one", value=", ".join(layers))
        return GADM_LAYER
    return layer


def _unreadable_feature(path: Path, layer: str | None) -> DataError:
    """Which feature's geometry GEOS cannot read (an unclosed ring, too few points), and why."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        wkb = pyogrio.raw.read(path, layer=layer, columns=[])[2]
    for number, blob in enumerate(wkb, start=1):
        try:
            shapely.from_wkb(blob)
        except shapely.errors.GEOSException as error:
            reason = str(error).rpartition("Exception: ")[2]
            return DataError(path, f"feature {number}: geometry not readable: {reason}")
    return DataError(path, "a geometry is not readable")


def _to_wgs84(path: Path, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` in EPSG:4326, once its coordinates are shown to fit the CRS they claim."""
    claimed = frame.crs.to_string() if frame.crs is not None else "none given"
    if frame.crs is None or frame.crs.is_geographic:
        _require_degrees(path, frame, claimed)
    frame = frame.set_crs(CRS) if frame.crs is None else frame.to_crs(CRS)
    _require_region(path, frame, claimed)
    return frame


def _require_degrees(path: Path, frame: gpd.GeoDataFrame, claimed: str) -> None:
    """Longitudes within ±180 and latitudes within ±90, or the CRS is not what the file says."""
    xy = shapely.get_coordinates(frame.geometry.values)
    if not len(xy):
        return
    x, y = abs(xy[:, 0]), abs(xy[:, 1])
    if x.max() > 180 or y.max() > 90:
        largest = max(x.max(), y.max())
        raise DataError(
            path,
            f"coordinates up to {largest:,.0f} are not degrees (CRS: {claimed}); "
            "is the CRS missing or wrong?",
        )


def _require_region(path: Path, frame: gpd.GeoDataFrame, claimed: str) -> None:
    """Some feature must touch ``REGION_BOUNDS``: else the CRS put the data somewhere else."""
    drawn = frame.geometry[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if drawn.empty or drawn.intersects(shapely.box(*REGION_BOUNDS)).any():
        return
    west, south, east, north = drawn.total_bounds
    raise DataError(
        path,
        f"read with CRS {claimed}, the features lie at lon {west:.1f}..{east:.1f}, "
        f"lat {south:.1f}..{north:.1f}, not around Vietnam, Laos and Cambodia "
        f"(lon {REGION_BOUNDS[0]:g}..{REGION_BOUNDS[2]:g}, "
        f"lat {REGION_BOUNDS[1]:g}..{REGION_BOUNDS[3]:g}); is the CRS wrong?",
    )


def import_files(
    paths: Sequence[str | Path],
    fmt: Format,
    *,
    fields: FieldMap | None = None,
    as_of: date | None = None,
    country: str | None = None,
    layer: str | None = None,
    source: DataSource = EMBEDDED,
    use_geocoder: bool = True,
) -> ImportResult:
    """Map every feature of ``paths`` onto our unit ids, as of ``as_of`` (default 2024-12-31).

    ``fields`` is the mapping for ``generic``; the named formats bring their own. ``country``
    (VN, LA or KH) says every feature lies in that country. Returns the full report and the
    geometry of the units that matched exactly one feature.
    """
    mapping = fields_for(fmt, fields)
    if country:
        mapping = replace(mapping, country_code=parse_country(country))
    day = as_of or DEFAULT_AS_OF
    index = UnitIndex(read_units(source), day)
    matches: list[Match] = []
    unmatched: list[Unmatched] = []
    geometries: dict[SourceFeature, BaseGeometry] = {}
    for path in paths:
        frame = read_layer(path, fmt, layer)
        fitted = _fit(mapping, list(frame.columns), fmt, path)
        records = frame.drop(columns=frame.geometry.name).to_dict("records")
        pairs = zip(records, frame.geometry, strict=True)
        for number, (attrs, geometry) in enumerate(pairs, start=1):
            names = _names(attrs, fitted)
            feature = describe(str(path), number, attrs, fitted, names)
            unit_id = _text(attrs.get(fitted.unit_id)) if fitted.unit_id else None
            outcome = index.match(feature, names, unit_id, use_geocoder=use_geocoder)
            polygon = _polygonal(geometry)
            if isinstance(outcome, Match) and polygon is not None:
                matches.append(outcome)
                geometries[feature] = polygon
            elif isinstance(outcome, Match):
                unmatched.append(Unmatched(feature, "no polygon geometry"))
            else:
                unmatched.append(outcome)
    result = _assemble(matches, unmatched, geometries, index)
    return ImportResult(as_of=day, files=[str(p) for p in paths], source=source, **result)


def _fit(mapping: FieldMap, columns: list[str], fmt: Format, path: str | Path) -> FieldMap:
    """The mapping for this file: a field the user named must exist; of a named format's fields
    only the name is essential (older GADM releases, for one, have no ISO_1)."""
    if fmt != "generic":
        mapping = replace(
            mapping,
            alt_names=tuple(f for f in mapping.alt_names if f in columns),
            iso=mapping.iso if mapping.iso in columns else None,
            country=mapping.country if mapping.country in columns else None,
            feature_id=mapping.feature_id if mapping.feature_id in columns else None,
        )
    absent = [f for f in mapping.required() if f not in columns]
    if absent:
        raise MissingFieldError(path, f"no field {absent[0]!r} for format {fmt}")
    return mapping


def _assemble(
    matches: list[Match],
    unmatched: list[Unmatched],
    geometries: dict[SourceFeature, BaseGeometry],
    index: UnitIndex,
) -> dict[str, Any]:
    """Sort matches into unique, duplicate and derived ones; list the units left without one."""
    by_unit: dict[str, list[Match]] = {}
    for match in matches:
        by_unit.setdefault(match.unit_id, []).append(match)
    unique = [group[0] for group in by_unit.values() if len(group) == 1]
    duplicates = [Duplicate(uid, tuple(group)) for uid, group in by_unit.items() if len(group) > 1]
    drawn = [m for m in unique if index.units[m.unit_id].geometry_from == "source"]
    covered = {m.unit_id for m in drawn}
    frame = gpd.GeoDataFrame(
        {"id": [m.unit_id for m in drawn]},
        geometry=[geometries[m.feature] for m in drawn],
        crs=CRS,
    )
    return {
        "matched": unique,
        "unmatched": unmatched,
        "duplicates": duplicates,
        "derived": [m for m in unique if m.unit_id not in covered],
        "missing": [
            u.id
            for u in index.units.values()
            if u.geometry_from == "source" and u.id not in covered
        ],
        "frame": frame,
    }


def describe(
    path: str, record: int, attrs: dict[str, Any], mapping: FieldMap, names: list[str]
) -> SourceFeature:
    """The identifying attributes of one feature, cleaned of GIS placeholders like "NA"."""
    iso = _text(attrs.get(mapping.iso)) if mapping.iso else None
    country = mapping.country_code
    if country is None and mapping.country:
        country = country_code(_text(attrs.get(mapping.country)))
    if country is None and iso and "-" in iso:
        country = iso.split("-", 1)[0].upper()
    return SourceFeature(
        file=path,
        record=record,
        feature_id=_text(attrs.get(mapping.feature_id)) if mapping.feature_id else None,
        name=names[0] if names else None,
        iso=iso,
        country=country,
    )


def country_code(value: str | None) -> str | None:
    """VN/LA/KH from an ISO 3166-1 alpha-2 or alpha-3 code or an English name; else the value."""
    if value is None:
        return None
    try:
        return parse_country(value)
    except ValueError:
        return COUNTRY_OF_NAME.get(normalize_name(value).compact, value.strip().upper())


def _names(attrs: dict[str, Any], mapping: FieldMap) -> list[str]:
    names = [_text(attrs.get(f)) for f in mapping.names]
    for alt in mapping.alt_names:
        names.extend((_text(attrs.get(alt)) or "").split("|"))
    return [n.strip() for n in names if n and n.strip()]


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return None if text.lower() in MISSING_TEXT else text


def _polygonal(geometry: BaseGeometry | None) -> BaseGeometry | None:
    """The polygons of ``geometry`` (repaired if invalid), or None when it has none."""
    if geometry is None or geometry.is_empty:
        return None
    parts = shapely.get_parts(shapely.make_valid(geometry))
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons) if polygons else None


# --- matching -----------------------------------------------------------------------------


def iso_key(code: str) -> tuple[str, str] | None:
    """An ISO 3166-2 code as (country, subdivision), ``VN-01`` equal to ``VN-1``."""
    country, _, part = code.strip().upper().partition("-")
    if not country or not part:
        return None
    return country, str(int(part)) if part.isdigit() else part


class UnitIndex:
    """Our units, indexed by id, ISO code and names, for matching on one date.

    A name is looked up by its spelling first, kind words and all ("Viêng Chăn" is the name of
    the province alone), then by the gazetteer's normalised key, where the kind word settles a
    tie ("Vientiane Prefecture" is the capital, "Tỉnh Viêng Chăn" the province).
    """

    def __init__(self, units: Iterable[Unit], day: date) -> None:
        self.day = day
        self.units = {unit.id: unit for unit in units}
        self.by_iso: dict[tuple[str, str], list[Unit]] = {}
        self.by_spelling: dict[str, set[str]] = {}
        self.by_key: dict[str, set[str]] = {}
        for unit in self.units.values():
            key = iso_key(unit.iso_3166_2) if unit.iso_3166_2 else None
            if key:
                self.by_iso.setdefault(key, []).append(unit)
            if not unit.valid_on(day):
                continue
            for name in filter(None, (unit.name, unit.name_vi, unit.name_local)):
                for index, keyed in (
                    (self.by_spelling, spelling_key(name)),
                    (self.by_key, normalize_name(name).compact),
                ):
                    if keyed:  # a name made of kind words only has no key
                        index.setdefault(keyed, set()).add(unit.id)

    def match(
        self,
        feature: SourceFeature,
        names: list[str],
        unit_id: str | None = None,
        *,
        use_geocoder: bool = True,
    ) -> Match | Unmatched:
        """The unit this feature stands for (by our id, ISO code, then name), or why none."""
        if feature.country and feature.country not in COUNTRIES:
            return Unmatched(feature, f"country {feature.country} is not VN, LA or KH")
        if unit_id:
            return self._by_id(feature, unit_id)
        code = iso_key(feature.iso) if feature.iso else None
        if code in self.by_iso:
            return self._by_iso(feature, self.by_iso[code])
        return self._by_name(feature, names, use_geocoder)

    def _by_id(self, feature: SourceFeature, unit_id: str) -> Match | Unmatched:
        unit = self.units.get(unit_id)
        if unit is None:
            return Unmatched(feature, f"unknown unit id {unit_id!r}")
        if not unit.valid_on(self.day):
            return Unmatched(feature, f"unit {unit_id} {_validity(unit)}, not on {self.day}")
        return Match(feature, unit_id, "id")

    def _by_iso(self, feature: SourceFeature, candidates: list[Unit]) -> Match | Unmatched:
        valid = [u for u in candidates if u.valid_on(self.day)]
        if len(valid) == 1:
            return Match(feature, valid[0].id, "iso")
        # The code names a territory of another date: a name match would pick the wrong one.
        known = "; ".join(f"{u.id} {_validity(u)}" for u in candidates)
        return Unmatched(feature, f"ISO code {feature.iso} is {known}: none valid on {self.day}")

    def _by_name(
        self, feature: SourceFeature, names: list[str], use_geocoder: bool
    ) -> Match | Unmatched:
        ambiguous: set[str] = set()
        for name in names:
            for found in self._named(name, feature):
                if len(found) == 1:
                    return Match(feature, next(iter(found)), "name")
                ambiguous |= found
        if ambiguous:
            return Unmatched(feature, f"name fits several units: {', '.join(sorted(ambiguous))}")
        if use_geocoder and names:
            found_id = self._geocode(feature, names)
            if found_id:
                return Match(feature, found_id, "geocoder")
        tried = " / ".join(dict.fromkeys(names)) or "(no name)"
        where = f" in {feature.country}" if feature.country else ""
        return Unmatched(feature, f"no unit named {tried}{where} on {self.day}")

    def _named(self, name: str, feature: SourceFeature) -> Iterator[set[str]]:
        """The units of the feature's country that ``name`` may stand for, most exact first: by
        spelling, then by normalised key (of the kind its kind word announces, if any is)."""
        yield self._of_country(feature, self.by_spelling.get(spelling_key(name), ()))
        normalized = normalize_name(name)
        found = self._of_country(feature, self.by_key.get(normalized.compact, ()))
        yield self._of_kind(found, normalized.hint)

    def _of_country(self, feature: SourceFeature, unit_ids: Iterable[str]) -> set[str]:
        return {u for u in unit_ids if self._in_country(u, feature)}

    def _of_kind(self, unit_ids: set[str], hint: Hint | None) -> set[str]:
        """Of several units, those of the kind ``hint`` announces, if any are."""
        if len(unit_ids) < 2 or hint is None:
            return unit_ids
        return {u for u in unit_ids if self.units[u].kind in HINT_KINDS[hint]} or unit_ids

    def _in_country(self, unit_id: str, feature: SourceFeature) -> bool:
        return feature.country is None or self.units[unit_id].country == feature.country

    def _geocode(self, feature: SourceFeature, names: list[str]) -> str | None:
        """Ask the geocoder, accepting only an unambiguous match of a unit valid on our date."""
        for name in names:
            try:
                found = geocode(name, as_of=self.day, country=feature.country)
            except (BorderAtlasError, ValueError):  # a broken gazetteer; a country it refuses
                continue
            # A name of a town inside a unit ("place") is no name for the unit's outline.
            if found.status != "matched" or found.place is not None:
                continue
            unit = self.units.get(found.id or "")
            if unit is not None and unit.valid_on(self.day) and self._in_country(unit.id, feature):
                return unit.id
        return None


def _validity(unit: Unit) -> str:
    start = unit.valid_from.isoformat() if unit.valid_from else "…"
    end = unit.valid_to.isoformat() if unit.valid_to else "…"
    return f"({start} to {end})"


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    path: Path
    imported: list[str]  # unit ids drawn from the imported files
    filled: list[str]  # unit ids whose geometry was copied from the import's data source


def write_data_dir(
    result: ImportResult, out_dir: str | Path, *, overwrite: bool = False, fill: bool = True
) -> Written:
    """Write ``<out_dir>/boundaries/admin1.geojson`` in the embedded file's format.

    Every unit drawn from a source needs a geometry (merged units are dissolved by the loader).
    Units the import did not cover (``result.missing``) are copied from the data the features
    were matched against (the embedded data by default) and listed in ``filled``; with
    ``fill=False`` a gap raises ``DataError``. An existing file is replaced only with
    ``overwrite=True`` (``FileExistsError`` otherwise).
    """
    path = Path(out_dir) / GEOMETRY_FILE
    if result.missing and not fill:
        raise DataError(path, "no geometry for units", value=", ".join(result.missing))
    imported = dict(zip(result.frame["id"], result.frame.geometry, strict=True))
    filler = all_units(result.source) if result.missing else None
    features = []
    for unit in read_units(result.source):
        if unit.id in imported:
            geometry = shapely.set_precision(imported[unit.id], 10**-COORD_DECIMALS)
        elif filler is not None and unit.id in result.missing:
            geometry = filler.loc[unit.id, "geometry"]
        else:
            continue
        features.append(
            {"type": "Feature", "properties": {"id": unit.id}, "geometry": _geojson(geometry)}
        )
    write_atomic(path, _feature_lines(features), overwrite=overwrite)
    return Written(path, list(imported), [uid for uid in result.missing if fill])


def _geojson(geometry: BaseGeometry) -> dict[str, Any]:
    feature: dict[str, Any] = json.loads(shapely.to_geojson(geometry))
    return feature


def _feature_lines(features: list[dict[str, Any]]) -> str:
    """A FeatureCollection with one feature per line, as ``scripts/build_boundaries.py`` writes."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[' + ",\n".join(lines) + "]}\n"
