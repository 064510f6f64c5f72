"""Synthetic cooperation events for the benchmark's scale runs (``borderatlas bench``).

``synthetic_events(n, seed)`` spreads ``n`` events over the real units of Vietnam and its two
neighbours, choosing for each event a day and then only units that existed on that day (63
Vietnamese provinces before 2025-07-01, 34 after; Xaisomboun and Tboung Khmum from 2013-12-31).
Like the recorded events, most pair provinces along the border; a quarter take any province.
Events name real crossings (with their provinces of that day), real agreements of the same pair
of countries signed by then, and gazetteer towns of their provinces as venues. Every event is an
:class:`loaders.events.Event` (so it passes the schema) and passes the place checks of
``borderatlas validate``; only the real agreements do not list synthetic events back.

The same ``(n, seed)`` gives the same events, on any machine, as long as the embedded data and
the clock (dates end at :data:`LAST_DAY` or today, whichever is earlier) stay the same. Titles
and summaries say the record is synthetic; sources point to ``example.org``.
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from loaders import boundaries
from loaders._io import EMBEDDED, DataSource
from loaders.boundaries import BORDERS
from loaders.crossings import Crossing, load_crossing_records
from loaders.events import Agreement, Event, Level, load_agreements
from loaders.gazetteer import read_places
from loaders.vocabulary import EventKind

FIRST_DAY = date(2005, 1, 1)
LAST_DAY = date(2025, 12, 31)
BORDER_SHARE = {"VN-LA": 0.6, "VN-KH": 0.4}  # the Lao border is the longer one
# Shares of events with each feature; chosen to look like the recorded events, not measured.
NO_PROVINCES = 0.08  # central-level events that name no province
BORDER_PROVINCES = 0.75  # provinces along the event's border; the others from anywhere
WITH_CROSSING = 0.3
WITH_AGREEMENT = 0.2
WITH_VENUE = 0.75
TOWN_VENUE = 0.6  # a venue at a gazetteer town of the province, else named after the province
MONTH_PRECISION = 0.1  # dates known to the month only
PHYSICAL_KINDS = [k for k in EventKind if k is not EventKind.online_meeting]


@dataclass(frozen=True)
class _Period:
    """Days ``start`` onwards (to the next period) and the units existing then, per country."""

    start: date
    units: dict[str, tuple[str, ...]]


class _World:
    """The real data the generator draws from, indexed for fast lookup by day."""

    def __init__(self, source: DataSource) -> None:
        self.source = source
        self.units = {unit.id: unit for unit in boundaries.read_units(source)}
        self.periods = _periods(tuple(self.units.values()))
        self.starts = [period.start for period in self.periods]
        self.crossings: dict[str, list[Crossing]] = defaultdict(list)
        for crossing in sorted(load_crossing_records(source), key=lambda c: c.id):
            self.crossings[crossing.border].append(crossing)
        self.agreements = load_agreements(source)
        self.towns: dict[str, list[str]] = defaultdict(list)  # unit id -> town names
        for place in sorted(read_places(source).places, key=lambda p: p.id):
            for unit in place.units:
                self.towns[unit].append(place.name_vi or place.name)
        self._mapped: dict[tuple[str, int], tuple[str, ...]] = {}
        self._along: dict[tuple[str, int], dict[str, tuple[str, ...]]] = {}

    def period(self, day: date) -> int:
        return bisect.bisect_right(self.starts, day) - 1

    def valid(self, country: str, day: date) -> tuple[str, ...]:
        return self.periods[self.period(day)].units.get(country, ())

    def along(self, border: str, country: str, day: date) -> tuple[str, ...]:
        """Units of ``country`` running along ``border`` on ``day`` (one answer per period)."""
        key = (border, self.period(day))
        if key not in self._along:
            units = boundaries.border_units(border, self.periods[key[1]].start, self.source)
            self._along[key] = {
                c: tuple(sorted(units.loc[units["country"] == c, "id"])) for c in BORDERS[border]
            }
        return self._along[key][country]

    def on(self, unit_id: str, day: date) -> tuple[str, ...]:
        """The unit(s) covering ``unit_id``'s territory on ``day`` (validity only changes
        between periods, so one answer per period is cached)."""
        key = (unit_id, self.period(day))
        if key not in self._mapped:
            self._mapped[key] = boundaries.units_on(unit_id, day, self.source)
        return self._mapped[key]


def _periods(units: tuple[boundaries.Unit, ...]) -> list[_Period]:
    """Split time at every day a unit starts or ends existing."""
    cuts = {FIRST_DAY}
    for unit in units:
        cuts |= {unit.valid_from} if unit.valid_from and unit.valid_from > FIRST_DAY else set()
        cuts |= {unit.valid_to + timedelta(days=1)} if unit.valid_to else set()
    periods = []
    for start in sorted(cuts):
        valid: dict[str, list[str]] = defaultdict(list)
        for unit in units:
            if unit.valid_on(start):
                valid[unit.country].append(unit.id)
        periods.append(_Period(start, {c: tuple(sorted(ids)) for c, ids in valid.items()}))
    return periods


def synthetic_events(n: int, seed: int = 0, *, source: DataSource = EMBEDDED) -> list[Event]:
    """``n`` valid synthetic events drawn with ``random.Random(seed)``, ids in order."""
    if n < 0:
        raise ValueError(f"n must be >= 0 (value: {n})")
    world = _World(source)
    rng = random.Random(seed)
    last = min(LAST_DAY, date.today())
    span = (last - FIRST_DAY).days
    return [
        Event.model_validate(
            _event(
                world,
                rng,
                f"synthetic-s{seed}-{i:07d}",
                FIRST_DAY + timedelta(rng.randint(0, span)),
            )
        )
        for i in range(n)
    ]


def _event(world: _World, rng: random.Random, event_id: str, day: date) -> dict[str, Any]:
    """One event's fields as they would be written in YAML."""
    precision_month = rng.random() < MONTH_PRECISION
    if precision_month:  # the units are then those of the month's first day, its start
        day = day.replace(day=1)
    border = "VN-LA" if rng.random() < BORDER_SHARE["VN-LA"] else "VN-KH"
    foreign = border[3:]
    kind = EventKind.online_meeting if rng.random() < 0.05 else rng.choice(PHYSICAL_KINDS)
    crossing = _crossing(world, rng, border, day) if rng.random() < WITH_CROSSING else None
    if crossing is not None:
        provinces = {"VN": [crossing[1]], foreign: [crossing[2]]}
    elif rng.random() < NO_PROVINCES:
        provinces = {}
    else:
        near = rng.random() < BORDER_PROVINCES
        provinces = {
            side: rng.sample(
                world.along(border, side, day) if near else world.valid(side, day),
                rng.choice((1, 1, 1, 2)),
            )
            for side in ("VN", foreign)
        }
    level = Level.central if not provinces else rng.choice(list(Level))
    names = [world.units[ids[0]] for ids in provinces.values() if ids]
    pair = " – ".join(u.name for u in names) or border
    pair_vi = " – ".join(u.name_vi for u in names) or border
    record: dict[str, Any] = {
        "id": event_id,
        "title": {
            "vi": f"Sự kiện tổng hợp {event_id[-7:]}: {pair_vi}",
            "en": f"Synthetic event {event_id[-7:]}: {pair}",
        },
        "date": day.strftime("%Y-%m") if precision_month else day.isoformat(),
        "kind": kind.value,
        "level": level.value,
        "border": border,
        "countries": ["VN", foreign],
        "provinces": provinces,
        "summary": {
            "vi": "Bản ghi tổng hợp dùng để đo hiệu năng, không phải sự kiện có thật.",
            "en": "A synthetic record for benchmarks, not a real event.",
        },
        "sources": [
            {
                "publisher": "borderatlas synthetic generator",
                "url": f"https://example.org/borderatlas/synthetic/{event_id}",
                "language": "en",
            }
        ],
        "confidence": rng.choice(("low", "medium", "high")),
    }
    venue = _venue(world, rng, kind, provinces)
    if venue:
        record["venue"] = venue
    if crossing is not None:
        record["crossings"] = [crossing[0]]
    agreement = _agreement(world, rng, foreign, day) if rng.random() < WITH_AGREEMENT else None
    if agreement is not None:
        record["agreements"] = [
            {"id": agreement.id, "relation": rng.choice(("reviewed", "referenced"))}
        ]
    return record


def _crossing(
    world: _World, rng: random.Random, border: str, day: date
) -> tuple[str, str, str] | None:
    """A crossing of ``border`` with its Vietnamese and foreign units of ``day``."""
    crossing = rng.choice(world.crossings[border])
    ours = world.on(crossing.province_2024, day) or world.on(crossing.province_today, day)
    theirs = world.on(crossing.foreign_province, day)
    if not (ours and theirs):
        return None
    return crossing.id, ours[0], theirs[0]


def _venue(
    world: _World, rng: random.Random, kind: EventKind, provinces: dict[str, list[str]]
) -> dict[str, Any] | None:
    """Online with a connected room per side, or a town or the province itself, or nothing."""
    if not provinces:
        return None
    if kind is EventKind.online_meeting:
        rooms = [
            {"name": world.units[ids[0]].name_vi, "unit": ids[0]} for ids in provinces.values()
        ]
        return {"online": True, "connected": rooms}
    if rng.random() >= WITH_VENUE:
        return None
    unit = rng.choice([u for ids in provinces.values() for u in ids])
    towns = world.towns.get(unit)
    if towns and rng.random() < TOWN_VENUE:
        return {"name": rng.choice(towns), "unit": unit}
    return {"name": world.units[unit].name_vi, "unit": unit}


def _agreement(world: _World, rng: random.Random, foreign: str, day: date) -> Agreement | None:
    """An agreement between Vietnam and ``foreign`` already signed on ``day`` (or undated)."""
    fitting = [
        a
        for a in world.agreements
        if foreign in a.parties.countries and (a.signed is None or a.signed.start <= day)
    ]
    return rng.choice(fitting) if fitting else None


def event_yaml(event: Event) -> str:
    """The YAML text of an event file, as ``load_events`` reads it back."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available: faster
    data = event.model_dump(mode="json", exclude_defaults=True)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def write_events(events: list[Event], data_dir: Path) -> Path:
    """Write one ``<id>.yaml`` per event into ``data_dir/events/`` (a folder it creates and
    that must not exist yet, so nothing is ever overwritten); returns that folder."""
    folder = Path(data_dir) / "events"
    folder.mkdir(parents=True, exist_ok=False)
    for event in events:
        with open(folder / f"{event.id}.yaml", "x", encoding="utf-8", newline="\n") as out:
            out.write(event_yaml(event))
    return folder
