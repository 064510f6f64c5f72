"""A data directory whose every text field carries a corpus of injection payloads.

Used by the map, app and browser tests: whatever the payloads try (close a JavaScript template
literal, run ``${...}``, break out of an attribute, plant a markdown image that fetches another
host, reverse the text direction, repaint a terminal), the page must show them as text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from loaders._io import embedded

# 203.0.113.0/24 is TEST-NET-3 (RFC 5737): a request to it can only come from a payload.
FOREIGN_HOST = "203.0.113.7"
PAYLOADS = (
    "${alert('template')}",
    "`;alert('backtick');`",
    "\\`${alert('escaped-backtick')}",
    "</script><script>alert('script')</script>",
    "<img src=x onerror=alert('img')>",
    "\"'><svg onload=alert('attribute')>",
    "javascript:alert('scheme')",
    f"![pixel](http://{FOREIGN_HOST}/pixel.png)",
    ":red[coloured] $x^2$",
    "\u202eevil-rtl\u202c",
    "\x1b[31mred-terminal\x1b[0m",
)
PAYLOAD = " ".join(PAYLOADS)
# A cell that starts like this runs in a spreadsheet; the event's title and venue start with it.
FORMULA = f'=HYPERLINK("http://{FOREIGN_HOST}","click")'

MARKERS = ("template", "backtick", "escaped-backtick", "script", "img", "attribute")

UNIT_TEXT_COLUMNS = ("name", "name_vi")
CROSSING_TEXT_COLUMNS = ("name_vi", "foreign_name", "pair_name", "source_note", "note")


def write_hostile_data_dir(root: Path) -> Path:
    """Copy the embedded units and crossings with payloads in their text fields, and add one
    event and one agreement whose every text field carries the payloads; return ``root``."""
    (root / "boundaries").mkdir(parents=True)
    (root / "events").mkdir()
    (root / "agreements").mkdir()
    _rewrite_csv("boundaries/units.csv", root, UNIT_TEXT_COLUMNS)
    _rewrite_csv("crossings.csv", root, CROSSING_TEXT_COLUMNS)
    (root / "events" / "hostile-event.yaml").write_text(
        yaml.safe_dump(hostile_event(), allow_unicode=True), encoding="utf-8"
    )
    (root / "agreements" / "hostile-agreement.yaml").write_text(
        yaml.safe_dump(hostile_agreement(), allow_unicode=True), encoding="utf-8"
    )
    return root


def _rewrite_csv(relative: str, root: Path, columns: tuple[str, ...]) -> None:
    rows = list(csv.DictReader(io.StringIO(embedded(relative).read_text(encoding="utf-8"))))
    for row in rows:
        for column in columns:
            row[column] = f"{row[column]} {PAYLOAD}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    (root / relative).write_text(out.getvalue(), encoding="utf-8")


def _bilingual() -> dict[str, str]:
    return {"vi": PAYLOAD, "en": PAYLOAD}


def hostile_event() -> dict:
    return {
        "id": "hostile-event",
        "title": {"vi": PAYLOAD, "en": f"{FORMULA} {PAYLOAD}"},
        "date": "2024-05-01",
        "kind": "talks",
        "level": "province",
        "border": "VN-LA",
        "countries": ["VN", "LA"],
        "provinces": {"VN": ["vn-nghe-an"], "LA": ["la-bolikhamxay"]},
        "venue": {"name": f"{FORMULA} {PAYLOAD}", "unit": "vn-nghe-an"},
        "agreements": [{"id": "hostile-agreement", "relation": "signed"}],
        "participants": [
            {"name": PAYLOAD, "title": PAYLOAD, "side": "VN", "role": "head_of_delegation"}
        ],
        "summary": _bilingual(),
        "sources": [
            {
                "publisher": PAYLOAD,
                "title": PAYLOAD,
                "url": f"http://{FOREIGN_HOST}/report?q=${{alert('url')}}",
                "language": "en",
                "note": PAYLOAD,
            }
        ],
        "confidence": "low",
        "notes": PAYLOAD,
    }


def hostile_agreement() -> dict:
    return {
        "id": "hostile-agreement",
        "title": _bilingual(),
        "short_names": [PAYLOAD],
        "type": "memorandum",
        "level": "province",
        "parties": {"countries": ["VN", "LA"], "provinces": ["vn-nghe-an", "la-bolikhamxay"]},
        "signed": "2024-05-01",
        "place": {"name": PAYLOAD, "unit": "vn-nghe-an"},
        "status": "unknown",
        "related_events": ["hostile-event"],
        "sources": [{"publisher": PAYLOAD, "language": "en"}],
        "confidence": "low",
        "notes": PAYLOAD,
    }
