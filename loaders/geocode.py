"""Geocoding: which unit (province) a place name means on a date.

``geocode("Quảng Nam", as_of=date(2019, 5, 1))`` -> matched ``vn-quang-nam``, current
``["vn-da-nang-2025"]``. Names are normalised (:func:`loaders.gazetteer.normalize_name`) and looked
up exactly first; only unknown keys go to fuzzy matching (rapidfuzz ``fuzz.ratio`` on the compact
keys). The answer is never a silent best guess: ``matched`` (one unit), ``ambiguous`` (several,
listed in ``candidates``) or ``unmatched``.

Time. A name resolves to the unit that bore it on ``as_of`` (default: today). When no unit of that
name existed then, the answer is still ``matched`` to the unit that did bear it, with
``validity="ended"`` (it had ceased to exist: "Quảng Nam" on 2025-12-01 -> ``vn-quang-nam``,
current ``["vn-da-nang-2025"]``) or ``validity="not_yet"``, and a ``note`` saying so. A town
resolves to the unit it lay in on ``as_of``, with ``place`` set. Order of preference for one key:
units existing on ``as_of``, then units that bore the name before/after, then towns ("Kon Tum" in
2026 is the former province, with its current unit, rather than the town). Prefixes and suffixes
never change that order; they only settle a tie: "Thủ đô Viêng Chăn" is the capital, "tỉnh Viêng
Chăn" the province, bare "Viêng Chăn" is ambiguous; and "thành phố Huế" also names the town.

Fuzzy threshold. ``THRESHOLD`` and ``MARGIN`` were chosen from the precision measured on the
hand-written tables ``tests/fixtures/geocode_positive.csv`` (479 rows; 77 are not in the gazetteer
and need fuzzy matching) and ``geocode_negative.csv`` (177 near-misses and non-places), with the
gazetteer of this commit (``tests/test_geocode.py::test_threshold_is_the_measured_one`` re-runs it).
Precision = right matches / all fuzzy matches; no positive was ever matched to a wrong unit, so
every error below is a negative matched:

=========================  ======  ======  ======  ======  ======
threshold                   80      85      86      87      88
=========================  ======  ======  ======  ======  ======
``fuzz.ratio``: precision   0.928   0.939   1.000   1.000   1.000
  positives found (of 77)   77      77      77      77      75
  negatives matched         6       5       0       0       0
``fuzz.WRatio``: precision  0.819   0.865   0.906   0.906   0.904
  negatives matched         17      12      8       8       8
=========================  ======  ======  ======  ======  ======

At 85 the misses are one-letter substitutions in 7-letter names: the districts Nam Đông, Hà Đông,
Đakrông score 85.7 against Lâm Đồng, Hải Dương, Đắk Nông. WRatio rewards partial matches ("Đức
Huệ" 90 against "Huế", "Vinhomes" 90 against "Vinh"). So ``fuzz.ratio`` at 87: precision 1.0 with
every fuzzy positive found, 1.3 points above the worst negative (85.7) and under the hardest
positive ("Dien Bein", a transposition, 87.5). A second unit within ``MARGIN`` (4) of the best
score makes the answer ambiguous ("Ha Tin": Hà Tĩnh or Hà Tiên, both 90.9); a margin of 4 costs no
positive, 6 makes one ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel
from rapidfuzz import fuzz, process

from loaders._io import EMBEDDED, DataSource
from loaders.boundaries import current_units_of
from loaders.gazetteer import (
    HINT_KINDS,
    Entry,
    Gazetteer,
    Hint,
    load_gazetteer,
    normalize_keys,
    normalize_name,
)
from loaders.vocabulary import COUNTRIES

THRESHOLD = 87.0  # fuzz.ratio on compact keys; see the module docstring for the measurement
MARGIN = 4.0  # another unit this close to the best score makes the answer ambiguous
MIN_FUZZY_CHARS = 5  # shorter keys are matched exactly or not at all ("Kep", "Hue", "Lao")
TOP_K = 8  # fuzzy candidates examined per query
SUGGEST_FROM = 70.0  # an unmatched answer lists units scoring at least this as suggestions

Status = Literal["matched", "ambiguous", "unmatched"]
Validity = Literal["valid", "ended", "not_yet"]


class PlaceRef(BaseModel):
    """The town a name matched, when it named a town rather than a unit."""

    id: str
    name: str
    name_vi: str | None
    kind: str
    lat: float
    lon: float


class Candidate(BaseModel):
    """One of the units an ambiguous (or unmatched, as a suggestion) name may mean."""

    id: str
    name: str
    name_vi: str
    country: str
    iso_3166_2: str | None
    valid_from: date | None
    valid_to: date | None
    current: list[str]
    score: float
    matched_name: str
    place: str | None = None


class GeocodeResult(BaseModel):
    """The answer for one name; the first twelve fields are the CLI's JSON contract."""

    query: str
    status: Status
    id: str | None = None
    name: str | None = None
    name_vi: str | None = None
    country: str | None = None
    iso_3166_2: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    current: list[str] = []
    score: float | None = None
    candidates: list[Candidate] = []
    as_of: date
    method: Literal["exact", "fuzzy"] | None = None
    matched_name: str | None = None  # the gazetteer spelling that matched
    validity: Validity | None = None  # did the unit exist on as_of?
    place: PlaceRef | None = None
    note: str | None = None


@dataclass(frozen=True)
class _Hit:
    unit: str
    place: str | None
    validity: Validity
    name: str
    score: float = 100.0


@dataclass(frozen=True)
class _Outcome:
    hits: tuple[_Hit, ...]
    method: Literal["exact", "fuzzy"] | None
    note: str | None = None


class _Matcher:
    """Resolves normalised keys for one (date, country); build once, reuse for many names."""

    def __init__(self, gazetteer: Gazetteer, day: date, country: str | None) -> None:
        self.gaz, self.day, self.country = gazetteer, day, country
        self.entries = {
            key: kept
            for key, found in gazetteer.entries.items()
            if (kept := tuple(e for e in found if self._in_country(e)))
        }
        spelled = {key for key, found in self.entries.items() if not all(e.code for e in found)}
        self.choices = sorted(k for k in spelled | set(gazetteer.not_units) if len(k) >= 3)

    def _in_country(self, entry: Entry) -> bool:
        unit = self.gaz.units.get(entry.units[0])
        return unit is not None and (self.country is None or unit.country == self.country)

    # -- exact ---------------------------------------------------------------------------------

    def exact(self, key: str, hint: Hint | None) -> _Outcome | None:
        """The units ``key`` names on the matcher's date; None when the key is unknown."""
        if key in self.gaz.not_units:
            item = self.gaz.not_units[key]
            return _Outcome((), "exact", f"{item.name} is a {item.kind}, not a province")
        entries = self.entries.get(key)
        if not entries:
            return None
        valid, other, places = self._tiers(entries)
        for tier in (valid, other, places):
            if tier:
                hits = self._prefer_kind(_distinct(tier), hint)
                if hint == "city":  # "thành phố Huế": the same unit, and the town named
                    towns = {h.unit: h for h in places}
                    hits = tuple(towns.get(h.unit, h) if h.validity == "valid" else h for h in hits)
                return _Outcome(hits, "exact")
        return None

    def _tiers(self, entries: Iterable[Entry]) -> tuple[list[_Hit], list[_Hit], list[_Hit]]:
        valid: list[_Hit] = []
        other: list[_Hit] = []
        places: list[_Hit] = []
        for entry in entries:
            if entry.place is not None:
                unit_id = self.gaz.unit_on(entry, self.day)
                if unit_id is not None:
                    places.append(_Hit(unit_id, entry.place, "valid", entry.name))
                continue
            unit = self.gaz.units[entry.units[0]]
            if unit.valid_on(self.day):
                valid.append(_Hit(unit.id, None, "valid", entry.name))
            else:
                ended = unit.valid_to is not None and unit.valid_to < self.day
                other.append(_Hit(unit.id, None, "ended" if ended else "not_yet", entry.name))
        return valid, self._nearest_in_time(other), places

    def _nearest_in_time(self, hits: list[_Hit]) -> list[_Hit]:
        """Of units not existing on the date: the last to end before it, else the first after."""
        units = self.gaz.units
        ended = [
            (end, h) for h in hits if h.validity == "ended" and (end := units[h.unit].valid_to)
        ]
        if ended:
            last = max(end for end, _h in ended)
            return [h for end, h in ended if end == last]
        # none ended, so each is a unit not yet created on the date: it has a start
        later = [(start, h) for h in hits if (start := units[h.unit].valid_from)]
        if later:
            first = min(start for start, _h in later)
            return [h for start, h in later if start == first]
        return []

    def _prefer_kind(self, hits: list[_Hit], hint: Hint | None) -> tuple[_Hit, ...]:
        """Among several units, keep those of the kind the prefix announced (if any are)."""
        if len(hits) < 2 or hint is None:
            return tuple(hits)
        kept = [h for h in hits if h.place or self.gaz.units[h.unit].kind in HINT_KINDS[hint]]
        return tuple(kept or hits)

    # -- fuzzy ---------------------------------------------------------------------------------

    def scores(self, keys: Sequence[str]) -> np.ndarray:
        """``fuzz.ratio`` of every key against every choice (rows: keys)."""
        return process.cdist(keys, self.choices, scorer=fuzz.ratio, dtype=np.float32, workers=-1)

    def fuzzy(self, key: str, hint: Hint | None, row: np.ndarray) -> _Outcome:
        """Decide from one row of scores: matched, ambiguous or unmatched (with suggestions)."""
        top = np.argsort(-row, kind="stable")[:TOP_K]
        best = float(row[top[0]]) if len(top) else 0.0
        if len(key) < MIN_FUZZY_CHARS or best < THRESHOLD:
            return self._suggestions(top, row, hint)
        window = [i for i in top if row[i] >= max(THRESHOLD, best - MARGIN)]
        hits: list[_Hit] = []
        for index in window:
            choice = self.choices[index]
            outcome = self.exact(choice, hint)
            if outcome is None:
                continue
            if not outcome.hits:  # close to a country, a sea ...: refuse to guess a unit
                return _Outcome((), "fuzzy", f"close to '{choice}': {outcome.note}")
            hits.extend(_rescored(outcome.hits, float(row[index])))
        return _Outcome(tuple(_distinct(hits)), "fuzzy")

    def _suggestions(self, top: np.ndarray, row: np.ndarray, hint: Hint | None) -> _Outcome:
        hits: list[_Hit] = []
        for index in top[:3]:
            outcome = self.exact(self.choices[index], hint)
            if outcome is not None and row[index] >= SUGGEST_FROM:
                hits.extend(_rescored(outcome.hits, float(row[index])))
        note = "no name close enough" + ("; suggestions in candidates" if hits else "")
        return _Outcome(tuple(_distinct(hits)), None, note)


def _distinct(hits: Iterable[_Hit]) -> list[_Hit]:
    """One hit per unit, the first (best) one."""
    seen: dict[str, _Hit] = {}
    for hit in hits:
        seen.setdefault(hit.unit, hit)
    return list(seen.values())


def _rescored(hits: Iterable[_Hit], score: float) -> list[_Hit]:
    return [_Hit(h.unit, h.place, h.validity, h.name, round(score, 1)) for h in hits]


@lru_cache(maxsize=32)
def _matcher(source: DataSource, day: date, country: str | None) -> _Matcher:
    return _Matcher(load_gazetteer(source), day, country)


@lru_cache(maxsize=4096)
def _current(unit_id: str, source: DataSource) -> tuple[str, ...]:
    return tuple(current_units_of(unit_id, source))


def _check_country(country: str | None) -> str | None:
    if country is None:
        return None
    code = country.upper()
    if code not in COUNTRIES:
        raise ValueError(f"unknown country {country!r}: expected one of {', '.join(COUNTRIES)}")
    return code


# --- building answers -------------------------------------------------------------------------


def _record(
    query: str, outcome: _Outcome | None, m: _Matcher, source: DataSource
) -> dict[str, Any]:
    """The JSON-ready answer (the fields of :class:`GeocodeResult`)."""
    record: dict[str, Any] = {"query": query, "as_of": m.day, "current": [], "candidates": []}
    if outcome is None:
        return record | {"status": "unmatched", "note": "unknown name"}
    record |= {"method": outcome.method, "note": outcome.note}
    matched = outcome.method is not None and len(outcome.hits) == 1
    if not matched:
        status = "ambiguous" if outcome.method and outcome.hits else "unmatched"
        candidates = [_candidate(h, m, source) for h in outcome.hits]
        if status == "ambiguous":
            spelled = [f"{c['matched_name']} ({c['id']})" for c in candidates]
            record["note"] = "could be " + " or ".join(spelled)
        best = max((c["score"] for c in candidates), default=None)
        return record | {"status": status, "candidates": candidates, "score": best}
    hit = outcome.hits[0]
    unit = m.gaz.units[hit.unit]
    current = list(_current(unit.id, source))
    record |= {
        "status": "matched",
        "id": unit.id,
        "name": unit.name,
        "name_vi": unit.name_vi,
        "country": unit.country,
        "iso_3166_2": unit.iso_3166_2,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "current": current,
        "score": hit.score,
        "matched_name": hit.name,
        "validity": hit.validity,
        "place": _place(hit.place, m.gaz),
    }
    if hit.validity == "ended":
        record["note"] = (
            f"{unit.name_vi} ({unit.id}) no longer existed on {m.day}: it ended on "
            f"{unit.valid_to}; its territory is part of {', '.join(current)} today"
        )
    elif hit.validity == "not_yet":
        record["note"] = f"{unit.id} did not exist yet on {m.day}: it exists from {unit.valid_from}"
    return record


def _candidate(hit: _Hit, m: _Matcher, source: DataSource) -> dict[str, Any]:
    unit = m.gaz.units[hit.unit]
    return {
        "id": unit.id,
        "name": unit.name,
        "name_vi": unit.name_vi,
        "country": unit.country,
        "iso_3166_2": unit.iso_3166_2,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "current": list(_current(unit.id, source)),
        "score": hit.score,
        "matched_name": hit.name,
        "place": hit.place,
    }


def _place(place_id: str | None, gaz: Gazetteer) -> dict[str, Any] | None:
    if place_id is None:
        return None
    place = gaz.places[place_id]
    return place.model_dump(include={"id", "name", "name_vi", "kind", "lat", "lon"})


# --- public API -------------------------------------------------------------------------------


def geocode(
    name: str,
    as_of: date | None = None,
    country: str | None = None,
    source: DataSource = EMBEDDED,
) -> GeocodeResult:
    """Resolve one place name to the unit it meant on ``as_of`` (default: today).

    ``country`` ("VN", "LA" or "KH") restricts the answer to that country's units and towns.
    Raises ``ValueError`` for an unknown country; never raises for an unknown name.
    """
    m = _matcher(source, as_of or date.today(), _check_country(country))
    normalized = normalize_name(name)
    outcome = m.exact(normalized.compact, normalized.hint)
    if outcome is None and normalized.compact:
        outcome = m.fuzzy(normalized.compact, normalized.hint, m.scores([normalized.compact])[0])
    return GeocodeResult.model_validate(_record(name, outcome, m, source))


def geocode_many(
    names: pd.Series | Sequence[str],
    as_of: date | None = None,
    country: str | None = None,
    source: DataSource = EMBEDDED,
) -> pd.DataFrame:
    """Resolve many names at once; one row per name, columns as :class:`GeocodeResult`.

    Every distinct name is normalised once; distinct keys found in the gazetteer are resolved by
    dictionary lookup, and only the distinct keys left over are scored, in one
    ``rapidfuzz.process.cdist`` batch. Same answers as :func:`geocode`, name by name.
    """
    m = _matcher(source, as_of or date.today(), _check_country(country))
    series = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object)
    codes, uniques = pd.factorize(series.fillna("").astype(str))
    key_codes, distinct = pd.factorize(pd.Series(normalize_keys(uniques), dtype=object))
    outcomes = {pair: m.exact(*pair) for pair in distinct}
    unknown = [pair for pair, outcome in outcomes.items() if outcome is None and pair[0]]
    for start in range(0, len(unknown), 4096):  # bounded memory: 4096 rows of scores at a time
        chunk = unknown[start : start + 4096]
        for pair, row in zip(chunk, m.scores([key for key, _ in chunk]), strict=True):
            outcomes[pair] = m.fuzzy(pair[0], pair[1], row)
    frame = pd.DataFrame([_record("", outcomes[pair], m, source) for pair in distinct])
    frame = frame.iloc[key_codes[codes]].reset_index(drop=True)
    frame["query"] = series.to_numpy(dtype=object)
    answers: pd.DataFrame = frame.reindex(columns=list(GeocodeResult.model_fields))
    return answers


STREAM_BATCH = 10_000  # names resolved together: large enough for cdist, small enough for memory


def geocode_stream(
    names: Iterable[str],
    as_of: date | None = None,
    country: str | None = None,
    source: DataSource = EMBEDDED,
    batch: int = STREAM_BATCH,
) -> Iterator[GeocodeResult]:
    """Resolve names as they arrive, ``batch`` at a time through :func:`geocode_many`.

    Memory stays bounded whatever the input's length (a file of millions of names), and the
    first answers come out before the last names are read. Same answers as :func:`geocode`.
    """
    names = iter(names)
    while chunk := list(islice(names, batch)):
        frame = geocode_many(chunk, as_of, country, source).astype(object)
        for row in frame.where(frame.notna(), None).to_dict("records"):
            yield GeocodeResult.model_validate(row)
