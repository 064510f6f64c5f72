"""Measure article ingestion against the hand-checked records it would have drafted.

Maintainers' tool, not part of the package. Each input is a report's text as the record's author
read it, saved outside the repository (article text never enters it) with a front-matter header
naming the record it supports::

    ---
    url: https://...
    publisher: VietnamPlus (VNA)
    published: 2022-10-27
    language: en
    record: kon-tum-attapeu-cooperation-memorandum-signing-2022
    ---
    <text>

For every report the script drafts an event with ``loaders.ingest`` and compares the draft's
date, kind and places (the units of ``provinces`` and the venue) with the record in the data.
It writes one CSV row per report (what the draft said, what the record says, which fields the
draft got right) and prints precision and recall per field:

    python scripts/measure_ingest.py TEXT_DIR... --out docs/ingest-evaluation.csv

A date is right when the draft's date is the record's, to the same precision; a kind when it is
the same kind; places are counted unit by unit (a draft place is right when the record names it).
A report usually supports only part of a record, so recall is a lower bound.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from loaders._io import DataSource
from loaders.events import Event, load_events
from loaders.ingest import IngestError, ingest_text, read_article

FIELDS = ("date", "kind", "places")


@dataclass(frozen=True)
class Row:
    """One report: what the draft found and what the record holds."""

    record: str
    url: str
    language: str
    draft_date: str
    record_date: str
    draft_kind: str
    record_kind: str
    draft_places: tuple[str, ...]
    record_places: tuple[str, ...]

    @property
    def date_right(self) -> bool:
        return self.draft_date == self.record_date

    @property
    def kind_right(self) -> bool:
        return self.draft_kind == self.record_kind

    @property
    def places_right(self) -> int:
        return len(set(self.draft_places) & set(self.record_places))

    def as_csv(self) -> dict[str, str]:
        return {
            "record": self.record,
            "url": self.url,
            "language": self.language,
            "draft_date": self.draft_date,
            "record_date": self.record_date,
            "date_right": str(self.date_right).lower(),
            "draft_kind": self.draft_kind,
            "record_kind": self.record_kind,
            "kind_right": str(self.kind_right).lower(),
            "draft_places": " ".join(self.draft_places),
            "record_places": " ".join(self.record_places),
            "places_right": str(self.places_right),
        }


def header_value(text: str, key: str) -> str:
    """A value of the front-matter header (``key: value`` lines between ``---`` fences)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return ""
    for line in lines[1:]:
        if line.strip() == "---":
            break
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return ""


def draft_fields(text: str, source: DataSource) -> tuple[str, str, tuple[str, ...]]:
    """(date, kind, places) as the draft has them; empty when the draft has none."""
    draft = ingest_text(text, source=source)
    found = {finding.field: finding.value for finding in draft.findings}
    when = found.get("date")
    kind = found.get("kind")
    places = [u for side in ("VN", "LA", "KH") for u in found.get(f"provinces.{side}") or []]
    venue = found.get("venue.unit")
    if venue:
        places.append(venue)
    return (str(when) if when else "", str(kind) if kind else "", tuple(dict.fromkeys(places)))


def measure(paths: list[Path], source: DataSource) -> list[Row]:
    records: dict[str, Event] = {event.id: event for event in load_events(source)}
    rows: list[Row] = []
    for path in paths:
        try:
            text = read_article(path)
        except IngestError as error:
            print(f"skipped: {error}", file=sys.stderr)
            continue
        record = records.get(header_value(text, "record"))
        if record is None:  # an agreement's report, or a record renamed since
            continue
        when, kind, places = draft_fields(text, source)
        rows.append(
            Row(
                record=record.id,
                url=header_value(text, "url"),
                language=header_value(text, "language"),
                draft_date=when,
                record_date=str(record.date),
                draft_kind=kind,
                record_kind=record.kind.value,
                draft_places=places,
                record_places=tuple(record.unit_ids()),
            )
        )
    return rows


def scores(rows: list[Row]) -> dict[str, tuple[float, float, int, int]]:
    """Field -> (precision, recall, drafted, reports); places are counted per unit."""
    result: dict[str, tuple[float, float, int, int]] = {}
    for field, drafted, right in (
        ("date", sum(1 for r in rows if r.draft_date), sum(1 for r in rows if r.date_right)),
        ("kind", sum(1 for r in rows if r.draft_kind), sum(1 for r in rows if r.kind_right)),
    ):
        result[field] = (right / drafted if drafted else 0.0, right / len(rows), drafted, len(rows))
    drafted_units = sum(len(r.draft_places) for r in rows)
    record_units = sum(len(r.record_places) for r in rows)
    right_units = sum(r.places_right for r in rows)
    result["places"] = (
        right_units / drafted_units if drafted_units else 0.0,
        right_units / record_units if record_units else 0.0,
        drafted_units,
        record_units,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path, help="folders of report texts")
    parser.add_argument("--out", type=Path, help="write one CSV row per report here")
    options = parser.parse_args()
    paths = sorted(p for folder in options.dirs for p in folder.rglob("*.txt"))
    rows = measure(paths, DataSource())
    if options.out:
        with options.out.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0].as_csv()))
            writer.writeheader()
            writer.writerows(row.as_csv() for row in rows)
    languages = Counter(row.language for row in rows)
    print(f"{len(rows)} reports ({', '.join(f'{n} {k}' for k, n in languages.items())})")
    for language in (None, *sorted(languages)):
        subset = [row for row in rows if language is None or row.language == language]
        label = language or "all"
        for field, (precision, recall, drafted, total) in scores(subset).items():
            print(
                f"{label:4} {field:7} precision {precision:.2f}  recall {recall:.2f}  "
                f"({drafted} drafted / {total})"
            )


if __name__ == "__main__":
    main()
