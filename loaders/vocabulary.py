"""The words every loader shares, defined once: countries and their names, borders, ids,
confidence, event kinds and their labels, the CRS and the earliest date a record may carry.

Record models (crossings, events, agreements) validate against these types, so an id that is
malformed in one file is malformed everywhere; the app, the CLI and the ingestion name things
with these tables, so a country or an event kind reads the same wherever it is shown.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import StringConstraints

CRS = "EPSG:4326"  # every geometry and coordinate in geodata/ is lon/lat on WGS 84
# Nothing this project records is older: an earlier year in a record is a typo.
EARLIEST = date(1900, 1, 1)

COUNTRIES = ("VN", "LA", "KH")
Country = Literal["VN", "LA", "KH"]
# Each country's name in Vietnamese and in English: the one table the other shapes come from.
COUNTRY_NAMES: dict[str, tuple[str, str]] = {
    "VN": ("Việt Nam", "Vietnam"),
    "LA": ("Lào", "Laos"),
    "KH": ("Campuchia", "Cambodia"),
}
COUNTRY_NAMES_EN: dict[str, str] = {code: en for code, (_vi, en) in COUNTRY_NAMES.items()}

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


class EventKind(str, Enum):
    """What kind of event it was (the Vietnamese term sources use is in the comment)."""

    annual_meeting = "annual_meeting"  # "cuộc họp thường niên (lần thứ N)"
    talks = "talks"  # "hội đàm", including annual border-guard talks
    conference = "conference"  # "hội nghị"
    online_meeting = "online_meeting"  # "họp trực tuyến", with connected venues
    ministerial_talks = "ministerial_talks"
    political_consultation = "political_consultation"  # "tham vấn chính trị"
    intergovernmental_committee = "intergovernmental_committee"  # "kỳ họp Ủy ban liên Chính phủ"
    high_level_meeting = "high_level_meeting"  # party or state leadership
    working_group_meeting = "working_group_meeting"  # "Nhóm công tác"
    joint_patrol = "joint_patrol"  # "tuần tra song phương"
    signing = "signing"
    border_gate_inauguration = "border_gate_inauguration"  # a gate or opening starts operating
    border_gate_upgrade = "border_gate_upgrade"  # "nâng cấp": a gate raised to main/international
    diplomatic_relations = "diplomatic_relations"  # establishment of relations
    other = "other"


# What each kind is called, (Vietnamese, English), as the noun reads inside a sentence: the label
# the map, the app and its lists show ("hội đàm", "talks"), and what a summary starts with once
# it capitalises the first letter ("Hội đàm lần thứ 19 giữa ...", "19th talks between ...").
KIND_LABELS: dict[EventKind, tuple[str, str]] = {
    EventKind.annual_meeting: ("cuộc họp thường niên", "annual meeting"),
    EventKind.talks: ("hội đàm", "talks"),
    EventKind.conference: ("hội nghị", "conference"),
    EventKind.online_meeting: ("cuộc họp trực tuyến", "online meeting"),
    EventKind.ministerial_talks: ("hội đàm cấp Bộ trưởng", "ministerial talks"),
    EventKind.political_consultation: ("tham vấn chính trị", "political consultation"),
    EventKind.intergovernmental_committee: (
        "kỳ họp Ủy ban liên Chính phủ",
        "session of the Intergovernmental Committee",
    ),
    EventKind.high_level_meeting: ("cuộc gặp cấp cao", "high-level meeting"),
    EventKind.working_group_meeting: ("cuộc họp Nhóm công tác", "working group meeting"),
    EventKind.joint_patrol: ("tuần tra song phương", "joint patrol"),
    EventKind.signing: ("lễ ký kết", "signing"),
    EventKind.border_gate_inauguration: ("lễ khánh thành cửa khẩu", "border gate inauguration"),
    EventKind.border_gate_upgrade: ("nâng cấp cửa khẩu", "border gate upgrade"),
    EventKind.diplomatic_relations: ("thiết lập quan hệ ngoại giao", "diplomatic relations"),
    EventKind.other: ("sự kiện hợp tác", "cooperation event"),
}
