"""Border crossings (cửa khẩu) on the Vietnam–Laos and Vietnam–Cambodia borders.

Data: ``geodata/crossings.csv``, one row per gate pair. The :class:`Crossing` model below is the
specification of a row; read it top to bottom as documentation of the columns.

A bad row is a bad record, not a bad file: :func:`read_crossings` returns the rows that parse and
a :class:`~loaders._errors.DataError` (file, line, field, value) for each that does not, and
:func:`load_crossing_records` and :func:`load_crossings` leave it out with a
:class:`~loaders._errors.DataWarning` saying the same. A file that cannot be read at all raises.
The checks of the positions against the boundaries are in :mod:`loaders.checks.crossings`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, Literal

import geopandas as gpd
import shapely
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from loaders import boundaries
from loaders._errors import DataError, warn_each
from loaders._io import EMBEDDED, DataSource
from loaders.vocabulary import (
    COUNTRY_NAMES_EN,
    CRS,
    Border,
    Confidence,
    CrossingId,
    Text,
    UnitId,
)

CROSSINGS_FILE = "crossings.csv"
AS_OF_2024 = date(2024, 1, 1)  # the date column ``province_2024`` stands for

# Both borders lie inside this box; a coordinate outside it is a typo or swapped lon/lat.
LON_RANGE = (100.0, 110.0)
LAT_RANGE = (8.0, 24.0)

CrossingClass = Literal["international", "main", "secondary", "opening"]
Status = Literal["operating", "planned", "closed"]
FOREIGN_COUNTRY: dict[str, str] = {"VN-LA": "LA", "VN-KH": "KH"}
_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class Crossing(BaseModel):
    """One border-gate pair, as a row of ``crossings.csv``."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: CrossingId  # VN-side name slug, "--", foreign-side name slug
    border: Border
    crossing_class: CrossingClass = Field(alias="class")  # cửa khẩu quốc tế / chính / phụ / lối mở
    status: Status
    status_date: str | None = None  # date of the last change of class or status: YYYY[-MM[-DD]]
    name_vi: Text  # Vietnamese-side name, with diacritics
    foreign_name: Text  # foreign-side name, romanized
    foreign_name_vi: str | None = None  # Vietnamese spelling of the foreign name, when different
    pair_name: Text  # "Cầu Treo – Nam Phao"
    province_2024: UnitId  # Vietnamese province on 2024-01-01
    province_today: UnitId  # Vietnamese province today (after the 2025-07-01 merger)
    foreign_province: UnitId  # the foreign province it faces, today
    lon: float
    lat: float
    confidence: Confidence  # of the position: high = published gate coordinate
    source_note: Text  # where the position comes from
    note: str | None = None

    @field_validator("status_date", "foreign_name_vi", "note", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("status_date")
    @classmethod
    def _partial_date(cls, value: str | None) -> str | None:
        if value is not None and not _PARTIAL_DATE.match(value):
            raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
        return value

    @field_validator("lon")
    @classmethod
    def _lon_in_region(cls, value: float) -> float:
        if not LON_RANGE[0] <= value <= LON_RANGE[1]:
            raise ValueError(f"longitude outside {LON_RANGE[0]}–{LON_RANGE[1]}°E")
        return value

    @field_validator("lat")
    @classmethod
    def _lat_in_region(cls, value: float) -> float:
        if not LAT_RANGE[0] <= value <= LAT_RANGE[1]:
            raise ValueError(f"latitude outside {LAT_RANGE[0]}–{LAT_RANGE[1]}°N")
        return value

    @property
    def foreign_country(self) -> str:
        return FOREIGN_COUNTRY[self.border]


# --- reading --------------------------------------------------------------------------------


def read_crossings(source: DataSource = EMBEDDED) -> tuple[list[Crossing], list[DataError]]:
    """Every row that parses, and one error (file, line, field, value) for each that does not.

    Besides the row's own fields this checks that ids are unique and that each unit id exists and
    was valid on the date its column stands for, in the right country.
    """
    label = source.label(CROSSINGS_FILE)
    known = _unit_validity(source)
    crossings: list[Crossing] = []
    errors: list[DataError] = []
    first_line: dict[str, int] = {}
    for line, row in _rows(source.read_text(CROSSINGS_FILE)):
        try:
            crossing = Crossing.model_validate(row)
        except ValidationError as error:
            errors.append(_as_data_error(label, line, row, error))
            continue
        if crossing.id in first_line:
            message = f"duplicate id (first on line {first_line[crossing.id]})"
            errors.append(DataError(label, message, line=line, field="id", value=crossing.id))
            continue
        first_line[crossing.id] = line
        unit_errors = list(_unit_errors(crossing, known, label, line))
        errors.extend(unit_errors)
        if not unit_errors:
            crossings.append(crossing)
    return crossings, errors


def load_crossing_records(source: DataSource = EMBEDDED) -> list[Crossing]:
    """Every crossing whose row is sound; a bad row is left out with a DataWarning naming the
    file, line and field."""
    crossings, errors = read_crossings(source)
    warn_each(errors)
    return crossings


def load_crossings(source: DataSource = EMBEDDED) -> gpd.GeoDataFrame:
    """The crossings of :func:`load_crossing_records` as points (EPSG:4326), indexed by id."""
    return to_frame(load_crossing_records(source))


def crossings_of(unit_ids: set[str], crossings: Iterable[Crossing]) -> list[Crossing]:
    """The crossings in one of ``unit_ids`` (by the province of 2024 or of today) or facing
    one of them across the border."""
    return [
        crossing
        for crossing in crossings
        if unit_ids & {crossing.province_2024, crossing.province_today, crossing.foreign_province}
    ]


def to_frame(crossings: list[Crossing]) -> gpd.GeoDataFrame:
    """Crossings as a GeoDataFrame: a column per field (``class`` as in the file), points."""
    records = [c.model_dump(by_alias=True, exclude={"lon", "lat"}) for c in crossings]
    points = [shapely.Point(c.lon, c.lat) for c in crossings]
    columns = [f.alias or name for name, f in Crossing.model_fields.items()]
    columns = [c for c in columns if c not in ("lon", "lat")]
    frame = gpd.GeoDataFrame(records, columns=columns, geometry=points, crs=CRS)
    return frame.set_index("id", drop=False).rename_axis(None)


def feature_collection(crossings: list[Crossing]) -> dict[str, Any]:
    """Crossings as a GeoJSON FeatureCollection (properties: every field but lon/lat)."""
    features = [
        {
            "type": "Feature",
            "id": crossing.id,
            "geometry": {"type": "Point", "coordinates": [crossing.lon, crossing.lat]},
            "properties": crossing.model_dump(by_alias=True, exclude={"lon", "lat"}),
        }
        for crossing in crossings
    ]
    return {"type": "FeatureCollection", "features": features}


def _rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """CSV rows with the physical line each starts on (quoted fields may span lines)."""
    reader = csv.DictReader(io.StringIO(text))
    _ = reader.fieldnames  # reads the header, so line_num counts from it
    start = reader.line_num + 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def _as_data_error(label: str, line: int, row: dict[str, str], error: ValidationError) -> DataError:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "literal_error":
        message = f"unknown value; {message.lower()}"
    return DataError(label, message, line=line, field=field, value=row.get(str(field)))


def _unit_validity(source: DataSource) -> dict[str, boundaries.Unit]:
    return {unit.id: unit for unit in boundaries.read_units(source)}


def _unit_errors(
    crossing: Crossing, known: dict[str, boundaries.Unit], label: str, line: int
) -> Iterator[DataError]:
    """A unit id that is unknown, of the wrong country, or not valid on its column's date."""
    today = date.today()
    expected = (
        ("province_2024", "VN", AS_OF_2024),
        ("province_today", "VN", today),
        ("foreign_province", crossing.foreign_country, today),
    )
    for field, country, day in expected:
        unit_id = getattr(crossing, field)
        unit = known.get(unit_id)
        if unit is None:
            yield DataError(label, "unknown unit id", line=line, field=field, value=unit_id)
        elif unit.country != country:
            found, wanted = COUNTRY_NAMES_EN[unit.country], COUNTRY_NAMES_EN[country]
            message = f"unit is in {found}, expected {wanted}"
            yield DataError(label, message, line=line, field=field, value=unit_id)
        elif not unit.valid_on(day):
            message = f"unit did not exist on {day.isoformat()}"
            yield DataError(label, message, line=line, field=field, value=unit_id)
