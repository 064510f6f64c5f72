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
