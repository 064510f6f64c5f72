"""One search over what a user may type to find a place on the map: a province in any spelling
(through the geocoder), a border crossing by the name of either side, or a word of an event
title. ``lookup("Lao Bao", day, atlas)`` -> the Lao Bảo – Densavanh crossing, and its province.

The app's search box calls this; the map's own search (in exports) only pans to a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import pandas as pd
from rapidfuzz import fuzz, process

from loaders.atlas import AtlasData
from loaders.boundaries import load_units, units_on
from loaders.crossings import Crossing
from loaders.events import Event, EventKind
from loaders.gazetteer import normalize_name
from loaders.geocode import geocode

HitKind = Literal["province", "crossing", "event"]
CROSSING_SCORE = 85  # fuzz.ratio on compact keys: "Lao Bao" vs "Lao Bảo" is 100, a typo ~90
MAX_HITS = 12


@dataclass(frozen=True)
class Hit:
    """One answer: what it is, its names, the province to select and where to move the map."""

    kind: HitKind
    id: str
    name_vi: str
    name_en: str
    unit: str | None  # the province to open (a crossing's Vietnamese province, on ``day``)
    lat: float | None = None
    lon: float | None = None

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en


def lookup(query: str, day: date, atlas: AtlasData, limit: int = MAX_HITS) -> list[Hit]:
    """Crossings named exactly first, then provinces, then other crossings, then events (newest
    first); at most ``limit``. A guess of the geocoder's (a fuzzy match) is left out when a
    crossing bears the name or a near spelling: "Densavanh" is the gate, not Phonsavan."""
    query = query.strip()
    if not query:
        return []
    exact, near = _crossings(query, day, atlas)
    provinces = _provinces(query, day, atlas, guesses=not (exact or near))
    hits = [*exact, *provinces, *near, *_events(query, day, atlas)]
    return list({(hit.kind, hit.id): hit for hit in hits}.values())[:limit]


def _provinces(query: str, day: date, atlas: AtlasData, guesses: bool) -> list[Hit]:
    found = geocode(query, as_of=day, source=atlas.source)
    if not guesses and (found.method == "fuzzy" or found.status == "unmatched"):  # suggestions
        return []
    if found.status == "matched" and found.id is not None:
        ids = [found.id] if found.validity == "valid" else list(found.current)
    else:
        ids = [candidate.id for candidate in found.candidates]
    units = load_units(day, atlas.source).set_index("id", drop=False)
    return [_province_hit(units.loc[uid]) for uid in ids if uid in units.index]


def _province_hit(row: pd.Series) -> Hit:
    point = row.geometry.representative_point()
    return Hit("province", row["id"], row["name_vi"], row["name"], row["id"], point.y, point.x)


def _crossing_keys(crossing: Crossing) -> list[str]:
    names = [crossing.name_vi, crossing.foreign_name, crossing.foreign_name_vi, crossing.pair_name]
    return [normalize_name(name).compact for name in names if name]


def _crossings(query: str, day: date, atlas: AtlasData) -> tuple[list[Hit], list[Hit]]:
    """Crossings bearing the name (or a name containing it), and those with a near spelling."""
    key = normalize_name(query).compact
    if not key:
        return [], []
    existing = set(load_units(day, atlas.source)["id"])
    exact: list[Hit] = []
    near: list[Hit] = []
    for crossing in atlas.crossings:
        keys = _crossing_keys(crossing)
        best = process.extractOne(key, keys, scorer=fuzz.ratio)
        contained = any(key in name for name in keys)
        if contained or (best and best[1] >= CROSSING_SCORE):
            unit = next(
                (u for u in (crossing.province_today, crossing.province_2024) if u in existing),
                None,
            )
            label = crossing.pair_name
            hit = Hit("crossing", crossing.id, label, label, unit, crossing.lat, crossing.lon)
            (exact if contained else near).append(hit)
    return exact, near


def _events(query: str, day: date, atlas: AtlasData) -> list[Hit]:
    """Events matching the words (full-text, accents optional, best first); each opens its
    first province as the map of ``day`` draws it (a 2019 Quảng Nam event opens Đà Nẵng)."""
    if len("".join(normalize_name(query).key.split())) < 3:  # "an" would match half the titles
        return []
    units = load_units(day, atlas.source).set_index("id", drop=False)
    hits = []
    for found in atlas.index.search(query, kinds=[kind.value for kind in EventKind]):
        event = found.record
        if not isinstance(event, Event):
            continue
        named = [u for ids in event.provinces.values() for u in ids]
        shown = [u for n in named[:1] for u in units_on(n, day, atlas.source) if u in units.index]
        where = _province_hit(units.loc[shown[0]]) if shown else None
        hits.append(
            Hit(
                "event",
                event.id,
                event.title.vi,
                event.title.en,
                where.unit if where else None,
                where.lat if where else None,
                where.lon if where else None,
            )
        )
    return hits
