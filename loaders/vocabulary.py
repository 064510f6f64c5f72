"""The words every loader shares, defined once: countries, borders, ids, confidence, the CRS.

Record models (crossings, events, agreements) validate against these types, so an id that is
malformed in one file is malformed everywhere.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

CRS = "EPSG:4326"  # every geometry and coordinate in geodata/ is lon/lat on WGS 84
COUNTRIES = ("VN", "LA", "KH")
Country = Literal["VN", "LA", "KH"]
COUNTRY_NAMES = {"VN": "Vietnam", "LA": "Laos", "KH": "Cambodia"}
Border = Literal["VN-LA", "VN-KH"]
Confidence = Literal["low", "medium", "high"]

# A unit: its country's code, then a slug of its English name (``vn-da-nang-2025``).
UnitId = Annotated[str, StringConstraints(pattern=r"^(vn|la|kh)-[a-z0-9]+(?:-[a-z0-9]+)*$")]
# A crossing pair: the Vietnamese-side name slug, a double hyphen, the foreign-side name slug.
CrossingId = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*--[a-z0-9]+(?:-[a-z0-9]+)*$")
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# ISO 3166-1 alpha-3, as boundary files (geoBoundaries, GADM) and their URLs name countries.
COUNTRY_ISO3: dict[Country, str] = {"VN": "VNM", "LA": "LAO", "KH": "KHM"}


def parse_country(code: str) -> Country:
    """VN, LA or KH from an alpha-2 or alpha-3 code in any case (``"lao"`` -> ``"LA"``).

    Raises ``ValueError`` for anything else.
    """
    text = code.strip().upper()
    for country, iso3 in COUNTRY_ISO3.items():
        if text in (country, iso3):
            return country
    raise ValueError(f"unknown country {code!r}: expected VN, LA or KH")
