"""The gazetteer: every spelling of every unit, the towns used as venues, and what is not a unit.

Data (``geodata/gazetteer/``, hand-written YAML):

- ``vn.yaml``, ``la.yaml``, ``kh.yaml``: groups of spellings, each for one or more units that never
  coexist (a pre-2025 province and the 2025 province that kept its name); a group marked
  ``ambiguous`` names units that do coexist (Vientiane the capital and Vientiane the province).
  The names of ``boundaries/units.csv`` (name, name_vi, name_local, ISO code) are added here.
- ``places.yaml``: towns and cities with coordinates and the units they lie in, newest first.
- ``not_units.yaml``: countries, seas, regions: names the geocoder must refuse, not guess from.

Names are compared by :func:`normalize_name`'s key, so "Tỉnh Thừa Thiên-Huế" and "thua thien hue"
are one spelling. The geocoder reads every name against the others, so the files are read whole:
a malformed file raises :class:`~loaders._errors.DataError` naming it and the field.
:mod:`loaders.checks.gazetteer` reports what is wrong with the data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from unidecode import unidecode

from loaders._errors import DataError
from loaders._io import EMBEDDED, DataSource, read_yaml
from loaders.boundaries import Unit, read_units
from loaders.vocabulary import Country

UNIT_FILES: dict[str, str] = {
    "VN": "gazetteer/vn.yaml",
    "LA": "gazetteer/la.yaml",
    "KH": "gazetteer/kh.yaml",
}
PLACES_FILE = "gazetteer/places.yaml"
NOT_UNITS_FILE = "gazetteer/not_units.yaml"

Hint = Literal["province", "capital", "city"]

# --- Normalisation ----------------------------------------------------------------------------

# Words that say what kind of place follows (or precedes) a name but are not part of it.
# Keys are already normalised (ASCII, lower case); the longest match is tried first.
PREFIXES: dict[tuple[str, ...], Hint] = {
    ("tinh",): "province",
    ("province", "of"): "province",
    ("khoueng",): "province",
    ("khouang",): "province",
    ("khwaeng",): "province",
    ("kwaeng",): "province",
    ("khet",): "province",
    ("khaet",): "province",
    ("khett",): "province",
    ("thanh", "pho"): "city",
    ("tp",): "city",
    ("t", "p"): "city",
    ("thi", "xa"): "city",
    ("thi", "tran"): "city",
    ("city", "of"): "city",
    ("krong",): "city",
    ("thu", "do"): "capital",
    ("nakhon", "luang"): "capital",
    ("nakhone", "luang"): "capital",
}
SUFFIXES: dict[tuple[str, ...], Hint] = {
    ("province",): "province",
    ("city",): "city",
    ("town",): "city",
    ("municipality",): "city",
    ("capital",): "capital",
    ("capital", "city"): "capital",
    ("prefecture",): "capital",
}
# The same words in Lao and Khmer script, which has no spaces to split words at: stripped from
# the start of the NFKC text before transliteration ("ແຂວງເຊກອງ" is Khoueng Sekong).
NATIVE_PREFIXES: dict[str, Hint] = {
    "ແຂວງ": "province",  # khoueng
    "ນະຄອນຫຼວງ": "capital",  # nakhon luang
    "ខេត្ត": "province",  # khaet
    "រាជធានី": "capital",  # reach theani
    "ក្រុង": "city",  # krong
}
# A trailing ", Laos" (or Lào, Việt Nam ...) names the country, not the place.
COUNTRY_WORDS = frozenset(
    {"lao", "laos", "lao pdr", "viet nam", "vietnam", "campuchia", "cambodia", "cpc"}
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")


@dataclass(frozen=True)
class NormalizedName:
    """A name reduced to what identifies it: ``key`` (ASCII words) and the kind ``hint``."""

    key: str
    hint: Hint | None = None

    @property
    def compact(self) -> str:
        """The key without spaces: "Bô-ly-khăm-xay" and "Bolykhamxay" are the same name."""
        return self.key.replace(" ", "")


def _affix_index(
    table: dict[tuple[str, ...], Hint], at: int
) -> dict[str, list[tuple[tuple[str, ...], Hint]]]:
    """Affixes by their first (prefixes) or last (suffixes) word, longest first."""
    index: dict[str, list[tuple[tuple[str, ...], Hint]]] = {}
    for affix, hint in sorted(table.items(), key=lambda item: -len(item[0])):
        index.setdefault(affix[at], []).append((affix, hint))
    return index


_PREFIX_INDEX = _affix_index(PREFIXES, 0)


def _fold_native(text: str) -> str:
    """One spelling of what Lao writes two ways: ຳ or ໍາ (NFKC), subscript ◌ຼ or ລ (ຫຼວງ, ຫລວງ)."""
    return unicodedata.normalize("NFKC", text).replace("\u0ebc", "\u0ea5").strip()


_NATIVE_PREFIXES = sorted(
    ((_fold_native(word), hint) for word, hint in NATIVE_PREFIXES.items()),
    key=lambda item: -len(item[0]),
)
_NATIVE_SCRIPT = re.compile("[\u0e80-\u0eff\u1780-\u17ff]")  # Lao, Khmer


def in_lao_or_khmer_script(text: str) -> bool:
    """Whether ``text`` is written (at least partly) in Lao or Khmer script."""
    return not text.isascii() and _NATIVE_SCRIPT.search(text) is not None


_SUFFIX_INDEX = _affix_index(SUFFIXES, -1)
# Latin letters with diacritics, the fast way: NFD, then drop the combining marks (U+0300-036F)
# and map the letters NFD does not decompose. Anything else is left to unidecode.
_DROP_MARKS = {mark: None for mark in range(0x300, 0x370)} | {
    ord("đ"): "d",
    ord("Đ"): "D",
    ord("ð"): "d",
    ord("Ð"): "D",
}


_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


def _transliterate(run: re.Match[str]) -> str:
    # unidecode maps character by character, so a run of them gives what the whole text would;
    # NFC first so that what NFD split and the table did not drop is one character again.
    return unidecode(unicodedata.normalize("NFC", run.group()))


def ascii_words(text: str) -> list[str]:
    """ASCII lower-case words: "Đắk-Lắk" -> ["dak", "lak"]."""
    if not text.isascii():
        stripped = unicodedata.normalize("NFD", text).translate(_DROP_MARKS)
        # unidecode decides whatever the fast path leaves that is not ASCII (œ, "–", Lao script)
        text = stripped if stripped.isascii() else _NOT_ASCII.sub(_transliterate, stripped)
    return [word for word in _NOT_ALNUM.split(text.lower()) if word]


def _find_affix(words: list[str], at_start: bool) -> tuple[int, Hint] | None:
    """The longest prefix (or suffix) that ``words`` starts (ends) with: its length and hint."""
    index = _PREFIX_INDEX if at_start else _SUFFIX_INDEX
    for affix, hint in index.get(words[0] if at_start else words[-1], ()):
        size = len(affix)
        if tuple(words[:size] if at_start else words[-size:]) == affix:
            return size, hint
    return None


def _strip_affixes(words: list[str]) -> tuple[list[str], Hint | None]:
    """Remove leading prefixes and trailing suffixes; a name made only of them becomes empty.

    Prefixes first, then suffixes: removing words at the end never makes a new prefix appear.
    """
    hint: Hint | None = None
    while words and words[0] in _PREFIX_INDEX and (found := _find_affix(words, at_start=True)):
        words, hint = words[found[0] :], hint or found[1]
    while words and words[-1] in _SUFFIX_INDEX and (found := _find_affix(words, at_start=False)):
        words, hint = words[: -found[0]], hint or found[1]
    return words, hint


def _strip_native_prefix(text: str) -> tuple[str, Hint | None]:
    """Lao or Khmer text, folded, without its leading kind word: ("ເຊກອງ", "province")."""
    text = _fold_native(text)
    for word, hint in _NATIVE_PREFIXES:
        if text.startswith(word) and len(text) > len(word):
            return text[len(word) :].lstrip(), hint
    return text, None


def _key_words(text: str) -> tuple[list[str], Hint | None]:
    if in_lao_or_khmer_script(text):
        text, hint = _strip_native_prefix(text)
        return ascii_words(text), hint
    if "(" in text or "[" in text:
        text = _PARENTHESES.sub(" ", text)
    if "," in text:
        head, _, tail = text.rpartition(",")
        if " ".join(ascii_words(tail)) in COUNTRY_WORDS:
            text = head
    words = ascii_words(text)
    if words and (words[0] in _PREFIX_INDEX or words[-1] in _SUFFIX_INDEX):
        return _strip_affixes(words)
    return words, None


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> NormalizedName:
    """Reduce a place name to its comparison key and a kind hint.

    Unicode NFC, transliteration to ASCII (unidecode: "Đắk Lắk" -> "dak lak"), lower case;
    bracketed asides and a trailing ", <country>" dropped; punctuation and hyphens become spaces;
    prefixes (tỉnh, thành phố, TP., Thủ đô, khoueng, khet, krong ...) and suffixes (Province,
    City, Capital ...) removed, remembering the kind they announce as ``hint`` ("thành phố" alone
    leaves an empty key: it names no place). Idempotent.
    """
    words, hint = _key_words(text)
    return NormalizedName(" ".join(words), hint)


def normalize_keys(texts: Iterable[str]) -> list[tuple[str, Hint | None]]:
    """``(compact key, hint)`` of each text, as :func:`normalize_name` gives, without its cache
    (for batches of distinct names, where a cache costs more than it saves)."""
    return [("".join(words), hint) for words, hint in map(_key_words, texts)]


def spelling_key(text: str) -> str:
    """``text`` compacted as :attr:`NormalizedName.compact` is, but with its kind words kept.

    "Vientiane Capital" and "Vientiane Province" share the normalised key ``vientiane``; their
    spelling keys ``vientianecapital`` and ``vientianeprovince`` tell them apart.
    """
    if in_lao_or_khmer_script(text):
        text = _fold_native(text)
    return "".join(ascii_words(text))


# The unit kinds (``units.csv``) that a kind word announces; "thành phố" also names a capital.
HINT_KINDS: dict[Hint, frozenset[str]] = {
    "province": frozenset({"province"}),
    "capital": frozenset({"capital"}),
    "city": frozenset({"municipality", "capital"}),
}


# --- Data models ------------------------------------------------------------------------------


class NameGroup(BaseModel):
    """Spellings shared by ``units`` (which never coexist, unless ``ambiguous``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    units: list[str] = Field(min_length=1)
    names: list[str] = Field(min_length=1)
    ambiguous: bool = False
    note: str | None = None


class UnitNamesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: Country
    groups: list[NameGroup]


class Place(BaseModel):
    """A town or city: where it is and which unit it lay in on each date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    name_vi: str | None = None
    country: Country
    kind: Literal["capital", "city", "town"]
    units: list[str] = Field(min_length=1)  # newest first
    geonames_id: int | None = None
    names: list[str] = Field(min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    note: str | None = None


class PlacesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: dict[str, str]
    places: list[Place]


class NotUnit(BaseModel):
    """A name that is not a unit (a country, a sea, a region ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: Literal[
        "country", "foreign province", "sea", "river", "region", "island group", "organisation"
    ]
    names: list[str] = Field(min_length=1)


class NotUnitsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    not_units: list[NotUnit]


@dataclass(frozen=True)
class Entry:
    """One spelling of one unit (or of a place, with the unit(s) it lies in)."""

    key: str  # NormalizedName.compact
    name: str  # as written in the data
    units: tuple[str, ...]  # one unit, or a place's units newest first
    file: str  # where it is written
    place: str | None = None  # place id, when the spelling names a town
    code: bool = False  # an ISO 3166-2 code: looked up exactly, never fuzzily


@dataclass(frozen=True)
class Gazetteer:
    """Everything the geocoder looks names up in, indexed by compact key."""

    units: Mapping[str, Unit]
    entries: Mapping[str, tuple[Entry, ...]]
    places: Mapping[str, Place]
    not_units: Mapping[str, NotUnit]

    def unit_on(self, entry: Entry, day: date) -> str | None:
        """The entry's unit that existed on ``day`` (None if none of them did)."""
        for unit_id in entry.units:
            unit = self.units.get(unit_id)
            if unit is not None and unit.valid_on(day):
                return unit_id
        return None


# --- Loading ----------------------------------------------------------------------------------


_File = TypeVar("_File", bound=BaseModel)


def _read_yaml(source: DataSource, relative: str, model: type[_File]) -> _File:
    label = source.label(relative)
    # not strict: a key given twice is reported by the gazetteer check, with the other problems
    raw = read_yaml(source, relative, strict=False)
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise DataError(label, first["msg"], field=field, value=first.get("input")) from None


def read_name_groups(source: DataSource = EMBEDDED) -> dict[str, UnitNamesFile]:
    """The three countries' name files, by country code."""
    return {cc: _read_yaml(source, rel, UnitNamesFile) for cc, rel in UNIT_FILES.items()}


def read_places(source: DataSource = EMBEDDED) -> PlacesFile:
    """``places.yaml``, typed."""
    return _read_yaml(source, PLACES_FILE, PlacesFile)


def read_not_units(source: DataSource = EMBEDDED) -> NotUnitsFile:
    """``not_units.yaml``, typed."""
    return _read_yaml(source, NOT_UNITS_FILE, NotUnitsFile)


def iter_entries(source: DataSource = EMBEDDED) -> Iterator[Entry]:
    """Every spelling of every unit and place, unit-table names first."""
    units_file = "boundaries/units.csv"
    for unit in read_units(source):
        for name in (unit.name, unit.name_vi, unit.name_local):
            if name:
                yield _entry(name, (unit.id,), units_file)
        if unit.iso_3166_2:
            yield _entry(unit.iso_3166_2, (unit.id,), units_file, code=True)
    for country, names_file in read_name_groups(source).items():
        for group in names_file.groups:
            for unit_id in group.units:
                for name in group.names:
                    yield _entry(name, (unit_id,), UNIT_FILES[country])
    for place in read_places(source).places:
        for name in (place.name, place.name_vi, *place.names):
            if name:
                yield _entry(name, tuple(place.units), PLACES_FILE, place=place.id)


def _entry(
    name: str, units: tuple[str, ...], file: str, place: str | None = None, code: bool = False
) -> Entry:
    return Entry(normalize_name(name).compact, name, units, file, place=place, code=code)


@lru_cache(maxsize=8)
def load_gazetteer(source: DataSource = EMBEDDED) -> Gazetteer:
    """The gazetteer of ``source``, indexed; ``DataError`` naming the file if one is malformed."""
    index: dict[str, dict[tuple[tuple[str, ...], str | None], Entry]] = {}
    for entry in iter_entries(source):
        if entry.key:
            # one entry per (units, place) and key: spellings that normalise alike are one
            index.setdefault(entry.key, {}).setdefault((entry.units, entry.place), entry)
    not_units = {
        normalize_name(name).compact: item
        for item in read_not_units(source).not_units
        for name in (item.name, *item.names)
    }
    return Gazetteer(
        units={unit.id: unit for unit in read_units(source)},
        entries={key: tuple(found.values()) for key, found in index.items()},
        places={place.id: place for place in read_places(source).places},
        not_units=not_units,
    )
