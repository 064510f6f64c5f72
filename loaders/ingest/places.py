"""Where: the places and border crossings an article names, with their offsets.

Places go through the gazetteer and the geocoder as of the event's date (a unit that did not
exist then becomes the unit that covered it); country names are kept apart. Crossings go through
``crossings.csv``: gate pairs are written with a dash (``Cầu Treo – Nam Phao``), a single name
needs a gate word beside it. Which places are the event's own is decided in :mod:`.fields`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

from loaders import boundaries
from loaders._io import DataSource
from loaders.crossings import Crossing
from loaders.gazetteer import Gazetteer, load_gazetteer, normalize_name
from loaders.geocode import geocode
from loaders.ingest.text import DASH, Evidence, Span, Word, fold, overlaps, within, words
from loaders.vocabulary import COUNTRY_NAMES_EN

__all__ = ["CountryMention", "CrossingMention", "PlaceMention", "find_crossings", "find_places"]

# --- places -----------------------------------------------------------------------------------

PlaceCue = Literal["venue", "bridge"]
_VENUE_BEFORE = re.compile(
    r"\b(?:tai|o|in|at|held in)\s+(?:(?:tinh|thanh pho|tp\.?|thu do|the city of|the province of|"
    r"the capital)\s+)?$"
)
_VENUE_AFTER = re.compile(r"^\s*(?:dang cai|hosts?|hosted)\b")
_BRIDGE_BEFORE = re.compile(r"\b(?:diem cau|dau cau)\s+(?:tinh\s+|thanh pho\s+)?$")
_BRIDGE_AFTER = re.compile(r"^\s+bridges?\b")
_PLACE_PREFIX = re.compile(
    r"\b(?:tinh|thanh pho|tp\.?|provinces? of|khoueng|khet|cac tinh)\s+(?:\w+,\s+)*$"
)
_PLACE_SUFFIX = re.compile(r"^\s+(?:provinces?|city)\b")
MAX_NAME_WORDS = 5


@dataclass(frozen=True)
class PlaceMention:
    """A place name and the unit it meant on the event's date (None when unresolved)."""

    name: str
    unit: str | None
    country: str | None
    evidence: Evidence
    exact: bool  # a gazetteer spelling, not a fuzzy match
    cue: PlaceCue | None  # "tại Huế" (venue), "điểm cầu Nghệ An" (connected venue)
    candidates: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class CountryMention:
    code: str
    evidence: Evidence


def find_places(
    text: str, as_of: date, source: DataSource, skip: list[Span]
) -> tuple[list[PlaceMention], list[CountryMention]]:
    """Province, city and town names (dictionary spellings, then fuzzy ones after a cue such
    as "tỉnh" or "province"), and country names; words inside ``skip`` spans (people's names,
    crossings) are not places."""
    gazetteer = load_gazetteer(source)
    folded = fold(text)
    tokens = [w for w in words(text) if not within(w.start, w.end, skip)]
    places: list[PlaceMention] = []
    countries: list[CountryMention] = []
    index = 0
    while index < len(tokens):
        found = (
            _dictionary_name(text, tokens, index, gazetteer) if tokens[index].capitalized else None
        )
        if found is None and tokens[index].capitalized:
            found = _cued_name(text, folded, tokens, index)
        if found is None:
            index += 1
            continue
        size, key = found
        start, end = tokens[index].start, tokens[index + size - 1].end
        item = gazetteer.not_units.get(key)
        if item is not None:
            code = _country_code(item.name)
            if item.kind == "country" and code:
                countries.append(CountryMention(code, Evidence.of(text, start, end)))
        else:
            mention = _resolve(text, start, end, as_of, source, folded)
            if mention is not None:
                places.append(mention)
        index += size
    return places, countries


def _joinable(text: str, group: list[Word]) -> bool:
    """Capitalised words separated by spaces or a dash only ("Thừa Thiên - Huế")."""
    if not all(word.capitalized for word in group):
        return False
    return all(
        re.fullmatch(r"[ \t]+|" + DASH, text[one.end : two.start]) for one, two in pairwise(group)
    )


def _dictionary_name(
    text: str, tokens: list[Word], index: int, gazetteer: Gazetteer
) -> tuple[int, str] | None:
    """The longest run of words from ``index`` that is a gazetteer spelling: (size, key)."""
    for size in range(min(MAX_NAME_WORDS, len(tokens) - index), 0, -1):
        group = tokens[index : index + size]
        if not _joinable(text, group):
            continue
        key = normalize_name(text[group[0].start : group[-1].end]).compact
        if key and (key in gazetteer.entries or key in gazetteer.not_units):
            return size, key
    return None


def _cued_name(text: str, folded: str, tokens: list[Word], index: int) -> tuple[int, str] | None:
    """A capitalised run right after "tỉnh"/"provinces of" or before "province": worth a fuzzy
    look-up even though no gazetteer spelling matched it."""
    size = 1
    while (
        size < 3
        and index + size < len(tokens)
        and _joinable(text, tokens[index : index + size + 1])
    ):
        size += 1
    start, end = tokens[index].start, tokens[index + size - 1].end
    line_start = text.rfind("\n", max(0, start - 40), start) + 1
    if _PLACE_PREFIX.search(folded[max(line_start, start - 40) : start]) or _PLACE_SUFFIX.match(
        folded[end : end + 12]
    ):
        return size, "?" + text[start:end]  # "?": not a gazetteer key, geocode it
    return None


_COUNTRY_BY_NAME = {english: code for code, english in COUNTRY_NAMES_EN.items()}


def _country_code(name: str) -> str | None:
    return _COUNTRY_BY_NAME.get(name)


def _resolve(
    text: str, start: int, end: int, as_of: date, source: DataSource, folded: str
) -> PlaceMention | None:
    """Geocode ``text[start:end]`` as of ``as_of``; a unit that did not exist then becomes the
    unit that covered its territory on that date."""
    name = text[start:end]
    result = geocode(name, as_of=as_of, source=source)
    evidence = Evidence.of(text, start, end)
    cue = _place_cue(folded, start, end)
    if result.status == "unmatched":
        return None
    if result.status == "ambiguous":
        candidates = tuple(c.id for c in result.candidates)
        return PlaceMention(name, None, None, evidence, False, cue, candidates, result.note)
    unit, note = result.id, None
    if result.validity != "valid" and unit is not None:
        covering = boundaries.units_on(unit, as_of, source)
        note = f"{name!r} names {unit}, which did not exist on {as_of}"
        unit = covering[0] if len(covering) == 1 else None
    exact = result.method == "exact"
    return PlaceMention(name, unit, result.country, evidence, exact, cue, note=note)


def _place_cue(folded: str, start: int, end: int) -> PlaceCue | None:
    before, after = folded[max(0, start - 30) : start], folded[end : end + 20]
    if _BRIDGE_BEFORE.search(before) or _BRIDGE_AFTER.match(after):
        return "bridge"
    if _VENUE_BEFORE.search(before) or _VENUE_AFTER.match(after):
        return "venue"
    return None


# --- crossings --------------------------------------------------------------------------------

_GATE = r"(?:cap cua khau|cua khau|border gates?|border crossings?|checkpoints?|gates?)"
_GATE_CLASS = r"(?:quoc te|chinh|phu|song phuong|international|main)"


@dataclass(frozen=True)
class CrossingMention:
    id: str
    evidence: Evidence
    paired: bool  # both names of the pair were written ("Cầu Treo – Nam Phao")


def _names_pattern(names: Iterable[str | None]) -> str:
    folded = {re.sub(r"[^a-z0-9]+", " ", fold(n)).strip() for n in names if n}
    parts = sorted((re.escape(n).replace(r"\ ", r"[\s-]+") for n in folded if n), key=len)
    return "(?:" + "|".join(reversed(parts)) + ")"


def _crossing_patterns(crossing: Crossing) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(pair pattern, single-name-with-a-cue pattern) for one crossing."""
    aliases = re.findall(r"\(([^)]+)\)", crossing.pair_name)
    home = _names_pattern([crossing.name_vi, *aliases])
    away = _names_pattern([crossing.foreign_name, crossing.foreign_name_vi])
    edge_l, edge_r = r"(?<![a-z0-9])", r"(?![a-z0-9])"
    pair = rf"{edge_l}(?:{home}{DASH}{away}|{away}{DASH}{home}){edge_r}"
    either = f"(?:{home}|{away})"
    single = (
        rf"\b{_GATE}\s+(?:{_GATE_CLASS}\s+)?{either}{edge_r}"
        rf"|{edge_l}{either}\s+(?:{_GATE_CLASS}\s+)?{_GATE}\b"
    )
    return re.compile(pair), re.compile(single)


def find_crossings(text: str, crossings: list[Crossing]) -> list[CrossingMention]:
    """Gate pairs written with a dash (either order), and single gate names after "cửa khẩu"
    or before "border gate"; each crossing once, at its first mention."""
    folded = fold(text)
    found: dict[str, CrossingMention] = {}
    taken: list[Span] = []
    for paired in (True, False):
        for crossing in crossings:
            pattern = _crossing_patterns(crossing)[0 if paired else 1]
            for match in pattern.finditer(folded):
                if overlaps(*match.span(), taken):
                    continue
                taken.append(match.span())
                evidence = Evidence.of(text, *match.span())
                found.setdefault(crossing.id, CrossingMention(crossing.id, evidence, paired))
    return sorted(found.values(), key=lambda mention: mention.evidence.start)
