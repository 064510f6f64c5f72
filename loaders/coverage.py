"""How complete the recorded history is: per border unit, per year, per series, per language.

``borderatlas coverage`` prints this report. A unit takes part in an event when the event names
it as a party (``provinces``), its venue or a connected venue; a unit of today also takes part
in the events of the units it was made from (``vn-da-nang-2025`` inherits ``vn-quang-nam``'s).
The border units are the official lists of ``boundaries/official.yaml`` (the 2024 units) and the
units their territory belongs to today.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from loaders import boundaries
from loaders._io import DataSource
from loaders.events import Agreement, Event, Series, load_agreements, load_events, load_series

# The history is useful for a unit when it holds at least this many events over this many years.
MIN_EVENTS_PER_UNIT = 5
MIN_YEARS_PER_UNIT = 3


@dataclass(frozen=True)
class UnitCoverage:
    """The events and agreements one unit (with its predecessors) takes part in."""

    unit: str
    name: str
    country: str
    events: int
    agreements: int
    years: tuple[int, ...]  # the distinct years of its events

    @property
    def sufficient(self) -> bool:
        return self.events >= MIN_EVENTS_PER_UNIT and len(self.years) >= MIN_YEARS_PER_UNIT


@dataclass(frozen=True)
class SeriesCoverage:
    """The recorded sessions of a series and, for a numbered one, the sessions not recorded."""

    series: str
    title: str
    sessions: int
    ordinals: tuple[int, ...]
    missing: tuple[int, ...]  # 1..highest recorded ordinal, minus the recorded ones
    years: tuple[int, ...]


@dataclass(frozen=True)
class Coverage:
    events: int
    agreements: int
    national_events: int  # events that name no unit: reachable from the event list, not a map click
    units_2024: tuple[UnitCoverage, ...]
    units_today: tuple[UnitCoverage, ...]
    years: dict[int, dict[str, int]]  # year -> {"events": n, "agreements": n}
    series: tuple[SeriesCoverage, ...]
    languages: dict[str, int]  # source language -> sources citing it

    def shortfalls(self) -> list[UnitCoverage]:
        """The 2024 border units whose history is still thinner than the minimum."""
        return [unit for unit in self.units_2024 if not unit.sufficient]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for group in ("units_2024", "units_today"):
            for row, unit in zip(data[group], getattr(self, group), strict=True):
                row["sufficient"] = unit.sufficient
        return data


def coverage(source: DataSource | None = None) -> Coverage:
    """The coverage of the recorded history in ``source``."""
    source = source or DataSource()
    events, agreements = load_events(source), load_agreements(source)
    units = {unit.id: unit for unit in boundaries.read_units(source)}
    border_2024 = _official_border_units(source)
    today = list(
        dict.fromkeys(u for unit in border_2024 for u in boundaries.current_units_of(unit, source))
    )

    def unit_row(unit_id: str) -> UnitCoverage:
        lineage = {unit_id, *boundaries.predecessors_of(unit_id, source)}
        joined = [e for e in events if lineage & set(e.unit_ids())]
        signed = [a for a in agreements if lineage & set(a.unit_ids())]
        unit = units[unit_id]
        return UnitCoverage(
            unit=unit_id,
            name=unit.name,
            country=unit.country,
            events=len(joined),
            agreements=len(signed),
            years=tuple(sorted({e.date.start.year for e in joined})),
        )

    return Coverage(
        events=len(events),
        agreements=len(agreements),
        national_events=sum(1 for e in events if not e.unit_ids()),
        units_2024=tuple(unit_row(u) for u in border_2024),
        units_today=tuple(unit_row(u) for u in today),
        years=_per_year(events, agreements),
        series=tuple(_series_row(s, events) for s in load_series(source)),
        languages=_languages([*events, *agreements]),
    )


def _official_border_units(source: DataSource) -> list[str]:
    """Vietnam's, Laos's and Cambodia's units along the two borders (official 2024 lists)."""
    found: list[str] = []
    for listed in boundaries.official_facts(source).border_units:
        found += [*listed.VN, *listed.foreign]
    return list(dict.fromkeys(found))


def _per_year(
    events: Iterable[Event], agreements: Iterable[Agreement]
) -> dict[int, dict[str, int]]:
    event_years = Counter(e.date.start.year for e in events)
    signed_years = Counter(a.signed.start.year for a in agreements if a.signed)
    return {
        year: {"events": event_years[year], "agreements": signed_years[year]}
        for year in sorted(event_years | signed_years)
    }


def _series_row(series: Series, events: Iterable[Event]) -> SeriesCoverage:
    sessions = [e for e in events if e.series == series.id]
    ordinals = sorted({e.ordinal for e in sessions if e.ordinal is not None})
    missing: list[int] = []
    if series.numbered and ordinals:
        missing = sorted(set(range(1, ordinals[-1] + 1)) - set(ordinals))
    return SeriesCoverage(
        series=series.id,
        title=series.title.en,
        sessions=len(sessions),
        ordinals=tuple(ordinals),
        missing=tuple(missing),
        years=tuple(sorted({e.date.start.year for e in sessions})),
    )


def _languages(records: Iterable[Event | Agreement]) -> dict[str, int]:
    counted = Counter(source.language for record in records for source in record.sources)
    return dict(counted.most_common())
