"""Text plumbing shared by the extractors: evidence spans, folding, sentences, words.

Every extractor reads the same string and reports character offsets into it, so nothing here may
change a string's length: :func:`fold` maps each character to exactly one character.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

Language = Literal["vi", "en"]

DASHES = "-‐‑‒–—−"  # hyphen, en and em dashes, minus: sources use them interchangeably
# A dash between two names ("Cầu Treo – Nam Phao", "Việt Nam - Lào"), spaced or not.
DASH = rf"\s*[{DASHES}]\s*"
# Letters that only Vietnamese writing uses: enough of them means the text is Vietnamese.
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


class Evidence(BaseModel):
    """Where a finding comes from: ``text[start:end]`` of the ingested text."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Evidence:
        return cls(start=start, end=end, text=text[start:end])


@dataclass(frozen=True)
class Sentence:
    """One sentence (or line: headlines and captions have no full stop) of the text."""

    index: int
    start: int
    end: int
    text: str

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    if char in DASHES:
        return "-"
    if char.isascii():
        return char.lower()
    base = unicodedata.normalize("NFD", char)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


class _FoldTable(dict[int, str]):
    """``str.translate`` table that works out each character's fold the first time it is seen."""

    def __missing__(self, code: int) -> str:
        self[code] = _fold_char(chr(code))
        return self[code]


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case without diacritics, one character per character (offsets stay valid).

    ``fold("Chiều 9/12 – Huế") == "chieu 9/12 - hue"``: cue words can be matched with or without
    their accents, and a match's offsets index the original text.
    """
    return text.translate(_FOLD)


def detect_language(text: str) -> Language:
    """``"vi"`` when Vietnamese-only letters are a visible share of the letters, else ``"en"``."""
    letters = sum(char.isalpha() for char in text[:20000])
    marked = len(_VIETNAMESE.findall(text[:20000]))
    return "vi" if letters and marked / letters > 0.02 else "en"


# A full stop ends a sentence unless it belongs to a number (1.080), an abbreviation (TP., v.v.)
# or an initial; a line break always does (headlines and captions have no stop). A run of stops
# is tried from its first one only: tried from every one, "....." long and unspaced is quadratic.
_ABBREVIATIONS = re.compile(r"(?:tp|tx|tt|mr|mrs|ms|dr|no|st|v\.v|ths|ts|pgs|gs|q|[^\W\d_])")
_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’)\]]*(?=\s)|\n+|\|")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with their offsets; empty lines and bare captions markers dropped."""
    sentences: list[Sentence] = []
    start = 0
    for found in _END.finditer(text):
        if found.group().startswith(".") and _ABBREVIATIONS.fullmatch(
            fold(_last_word(text, start, found.start()))
        ):
            continue
        _append(sentences, text, start, found.end())
        start = found.end()
    _append(sentences, text, start, len(text))
    return sentences


def _last_word(text: str, start: int, end: int) -> str:
    """The word that ends at ``end`` (a full stop after it may only abbreviate it)."""
    space = max(
        text.rfind(" ", max(start, end - 20), end), text.rfind("\n", max(start, end - 20), end)
    )
    return text[max(start, space + 1) : end]


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece.rstrip(" \t\r\n|"))
    if right <= left or not any(char.isalnum() for char in piece):
        return
    first, last = start + left, start + right
    sentences.append(Sentence(len(sentences), first, last, text[first:last]))


def sentence_at(sentences: list[Sentence], offset: int) -> Sentence | None:
    """The sentence holding ``offset`` (None between sentences); ``sentences`` in text order."""
    index = bisect_right(sentences, offset, key=lambda sentence: sentence.start) - 1
    if index >= 0 and sentences[index].contains(offset):
        return sentences[index]
    return None


@dataclass(frozen=True)
class Word:
    """A word with its offsets; hyphen-joined syllables ("Bô-ly-khăm-xay") are one word."""

    start: int
    end: int
    text: str

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper() or self.text[:1].isdigit()


_WORD = re.compile(r"\w+(?:[-‐]\w+)*")


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of ``text[start:end]``, offsets into ``text``."""
    return [
        Word(found.start(), found.end(), found.group())
        for found in _WORD.finditer(text, start, len(text) if end is None else end)
    ]


def compact_key(text: str) -> str:
    """ASCII letters and digits only, lower case: "Bô-ly-khăm-xay" -> "bolykhamxay"."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def slug(text: str) -> str:
    """A readable id part: "Sê Kông 2025" -> "se-kong-2025"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


Span = tuple[int, int]  # start and end offsets, as in Python slices


def within(start: int, end: int, spans: Iterable[Span]) -> bool:
    """Whether ``start..end`` lies inside one of ``spans``."""
    return any(first <= start and end <= last for first, last in spans)


def overlaps(start: int, end: int, spans: Iterable[Span]) -> bool:
    """Whether ``start..end`` shares a character with one of ``spans``."""
    return any(start < last and first < end for first, last in spans)
