"""Numbers and the figures they report: ``1.080 cán bộ, chiến sĩ``, ``2,25 tỷ USD``, ``468.281 km``.

Vietnamese writes ``.`` between thousands and ``,`` before decimals (``1.080`` is 1080, ``2,25``
is 2.25); English does the opposite (``4,772`` is 4772). A Vietnamese site writing in English
keeps its own habit for lengths (``468.281 km`` is 468.281 km), which the English rule reads
right, since a ``.`` in English is always a decimal point.

Only numbers followed by a unit this project records (people, households, patrols, km, USD, VND)
become figures; counts of sides, provinces or meetings are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.events import Figure, FigureUnit
from loaders.ingest.text import Evidence, Language, Sentence, fold, sentence_at, slug

NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SCALES = {
    "nghin": 1e3,
    "ngan": 1e3,
    "trieu": 1e6,
    "ty": 1e9,
    "ti": 1e9,
    "thousand": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
}
_SCALE = r"(?:\s+(?P<scale>" + "|".join(_SCALES) + r")\b)?"
# (folded noun pattern, unit, English label); the first that follows the number is used.
_NOUNS: list[tuple[str, FigureUnit, str]] = [
    (r"usd|us\$|do la(?: my)?|us dollars|dollars", "USD", "amount in US dollars"),
    (r"dong|vnd|vnđ", "VND", "amount in Vietnamese dong"),
    (r"km|ki-lo-met|kilomet(?:er|re)?s?", "km", "length in km"),
    (r"can bo,? chien si|officers and soldiers", "people", "officers and soldiers"),
    (r"(?:dot|cuoc) tuan tra|(?:joint )?patrols?", "patrols", "patrols"),
    (r"hoc sinh|students|pupils", "people", "pupils"),
    (r"cong dan|(?:[a-z]+ )?citizens", "people", "citizens"),
    (r"dai bieu|delegates", "people", "delegates"),
    (r"ho(?! tro| chieu| so)|households", "households", "households"),
    (r"nguoi|people|persons", "people", "people"),
]
_FIGURE = re.compile(
    r"(?P<approx>\b(?:gan|khoang|hon|tren|xap xi|nearly|about|around|approximately|almost|"
    r"more than|over|some)\s+)?(?<![\d.,])(?P<number>"
    + NUMBER
    + r")"
    + _SCALE
    + r"\s*(?P<noun>"
    + "|".join(f"(?:{pattern})" for pattern, _unit, _label in _NOUNS)
    + r")\b"
)


def parse_number(text: str, language: Language) -> float:
    """``"1.080"`` -> 1080 and ``"2,25"`` -> 2.25 in Vietnamese; ``"4,772"`` -> 4772 and
    ``"468.281"`` -> 468.281 in English. Raises ``ValueError`` for anything else."""
    thousands, decimal = (".", ",") if language == "vi" else (",", ".")
    head, _, tail = text.rpartition(decimal)
    if not head:  # no decimal separator
        head, tail = text, ""
    if re.fullmatch(r"\d{1,3}(?:" + re.escape(thousands) + r"\d{3})*|\d+", head) is None:
        raise ValueError(f"not a number in {language}: {text!r}")
    return float(head.replace(thousands, "") + (f".{tail}" if tail else ""))


@dataclass(frozen=True)
class FigureMention:
    """A figure the article reports and where it says so."""

    figure: Figure
    evidence: Evidence


def find_figures(
    text: str, language: Language, sentences: list[Sentence], years: dict[int, int]
) -> list[FigureMention]:
    """Figures with a recognised unit; ``years`` maps the offset of each "năm 2024"-like year
    mention to its year, so "thương mại năm 2024 đạt 2,25 tỷ USD" gets the period "2024"."""
    folded = fold(text)
    found: list[FigureMention] = []
    used: dict[str, int] = {}
    for match in _FIGURE.finditer(folded):
        unit, label = _unit_of(match.group("noun"), text, match.start("noun"))
        if unit is None:
            continue
        try:
            value = parse_number(match.group("number"), language)
        except ValueError:
            continue
        value *= _SCALES.get(match.group("scale") or "", 1.0)
        what = slug(label)
        used[what] = used.get(what, 0) + 1
        figure = Figure(
            what=what if used[what] == 1 else f"{what}-{used[what]}",
            label=label,
            value=value,
            unit=unit,
            approximate=bool(match.group("approx")),
            period=_period(sentences, years, match.start()),
        )
        found.append(FigureMention(figure, Evidence.of(text, match.start(), match.end())))
    return found


def _unit_of(noun: str, text: str, start: int) -> tuple[FigureUnit | None, str]:
    for pattern, unit, label in _NOUNS:
        if re.fullmatch(pattern, noun):
            if unit == "households" and noun == "ho" and text[start : start + 2].lower() != "hộ":
                return None, label  # "ho" without its accent is too common a syllable
            return unit, label
    return None, ""


def _period(sentences: list[Sentence], years: dict[int, int], offset: int) -> str | None:
    """The last year mentioned before ``offset`` in the same sentence, as the period."""
    sentence = sentence_at(sentences, offset)
    if sentence is None:
        return None
    before = [year for at, year in years.items() if sentence.start <= at < offset]
    return str(before[-1]) if before else None
