"""The words that say what kind of event it was, who met, and which in a series it was.

The cue tables (``KIND_CUES``, ``LEVEL_CUES``) are in ``_vocab``, by priority; the finders here
return the first cue inside the headline and lead that is not inside an aside (a document's
name, brackets). An ordinal counts only next to the word naming the kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from loaders.events import EventKind, Level
from loaders.ingest import _vocab as vocab
from loaders.ingest.text import Evidence, Span, fold, overlaps

__all__ = [
    "ORDINAL",
    "Cue",
    "find_kind",
    "find_level",
    "find_ordinal",
    "ordinal_value",
    "roman_to_int",
]


V = TypeVar("V", EventKind, Level)


@dataclass(frozen=True)
class Cue(Generic[V]):
    """A vocabulary word that told the kind or level, and where."""

    value: V
    evidence: Evidence


def find_kind(text: str, windows: list[Span], skip: list[Span]) -> Cue[EventKind] | None:
    """The event kind named in ``windows`` (headline and lead), by the priority of ``KIND_CUES``;
    words inside ``skip`` (document names, asides) do not count."""
    return _first_cue(text, vocab.KIND_CUES, windows, skip)


def find_level(text: str, windows: list[Span], skip: list[Span]) -> Cue[Level] | None:
    """Who met (border guards, central government, ministries, provinces), by priority."""
    return _first_cue(text, vocab.LEVEL_CUES, windows, skip)


def _first_cue(
    text: str,
    table: list[tuple[V, re.Pattern[str]]],
    windows: list[Span],
    skip: list[Span],
) -> Cue[V] | None:
    folded = fold(text)
    for value, pattern in table:
        for start, end in windows:
            for match in pattern.finditer(folded, start, end):
                if not overlaps(*match.span(), skip):
                    return Cue(value, Evidence.of(text, *match.span()))
    return None


def find_ordinal(
    text: str, kind: EventKind, windows: list[Span], skip: list[Span]
) -> tuple[int, Evidence] | None:
    """N of "Hội đàm thường niên lần thứ XIX" or "the 30th annual meeting": an ordinal next to
    a word naming the kind, in the lead, with no other meeting word between them ("họp trực
    tuyến chuẩn bị Hội nghị lần thứ 11" numbers the conference, not the online meeting)."""
    folded = fold(text)
    own = [p for k, p in vocab.KIND_CUES if k is kind]
    others = [p for k, p in vocab.KIND_CUES if k is not kind]
    for pattern in own:
        for start, end in windows:
            for cue in pattern.finditer(folded, start, end):
                if overlaps(*cue.span(), skip):
                    continue
                near = (max(start, cue.start() - 25), min(end, cue.end() + 40))
                for match in ORDINAL.finditer(folded, *near):
                    value = ordinal_value(match)
                    gap = folded[min(match.end(), cue.end()) : max(match.start(), cue.start())]
                    if (
                        value
                        and not overlaps(*match.span(), skip)
                        and not any(other.search(gap) for other in others)
                    ):
                        return value, Evidence.of(text, *match.span())
    return None


# --- ordinals ---------------------------------------------------------------------------------

ORDINAL_WORDS = {
    "nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
    "muoi": 10, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
ORDINAL = re.compile(
    r"\blan thu\s+(?P<vi>\d+|[ivxlc]+|" + "|".join(ORDINAL_WORDS) + r")\b"
    r"|\b(?P<en>\d+)(?:st|nd|rd|th)\b"
    r"|\b(?P<word>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b"
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_to_int(text: str) -> int | None:
    """``"xix"`` -> 19; None when ``text`` is not a well-formed Roman numeral."""
    if not text or any(char not in _ROMAN for char in text):
        return None
    total = 0
    for index, char in enumerate(text):
        value = _ROMAN[char]
        following = _ROMAN[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total if total > 0 and int_to_roman(total) == text else None


def int_to_roman(number: int) -> str:
    """19 -> ``"xix"`` (lower case, as folded text writes it)."""
    parts = [(100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v")]
    parts += [(4, "iv"), (1, "i")]
    written = ""
    for value, letters in parts:
        while number >= value:
            written += letters
            number -= value
    return written


def ordinal_value(match: re.Match[str]) -> int | None:
    """The number an :data:`ORDINAL` match stands for ("lần thứ XIX" -> 19, "30th" -> 30)."""
    text = match.group("vi") or match.group("en") or match.group("word") or ""
    if text.isdigit():
        return int(text)
    return ORDINAL_WORDS.get(text) or roman_to_int(text)


def english_ordinal(number: int) -> str:
    """``number`` as an English ordinal: 1st, 2nd, 3rd, 11th, 33rd."""
    teens = 10 <= number % 100 <= 20
    return f"{number}{'th' if teens else {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"
