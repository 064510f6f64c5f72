"""Date expressions in Vietnamese and English news text, and which of them dates the event.

Vietnamese writes the day before the month (``9/12`` is 9 December, ``14-2`` is 14 February),
puts a time of day before it (``Chiều 9/12``, ``sáng 14-2``), writes months as ``tháng 1-2025``,
``(9-2024)`` or ``11/2024`` and quarters as ``Quý II năm 2020``; English texts write
``December 24`` or ``March 16, 2016``. A year left out is decided by the publication date.

:func:`find_dates` returns every expression with its offsets and what its context says it dates
(an anniversary, a plan, a period, an earlier event, a document); :func:`event_date` picks the
one that dates the reported event itself, if any does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from pydantic import BaseModel, ConfigDict

from loaders.events import PartialDate, Precision
from loaders.ingest.text import Evidence, Language, Sentence, fold, sentence_at


class DateRole(str, Enum):
    """What the words around a date say it dates (a date with no role may date the event)."""

    anniversary = "anniversary"  # "kỷ niệm 60 năm (5/9/1962 - 5/9/2022)"
    planned = "planned"  # "cuộc họp tiếp theo vào Quý II năm 2020", "next year"
    period = "period"  # "từ tháng 11/2024 đến nay", "since"
    earlier = "earlier"  # another, earlier event: "(9-2024)", "tháng 12-2024 vừa qua"
    signing = "signing"  # a document's date: "signed on March 16, 2016", "ký ngày"
    published = "published"  # the page's dateline: "Thursday 26 August 2010" alone on a line


class DateMention(BaseModel):
    """One date expression; ``year`` is None when the text leaves it out."""

    model_config = ConfigDict(frozen=True)

    evidence: Evidence
    precision: Precision
    year: int | None
    month: int | None = None
    day: int | None = None
    time_of_day: str | None = None  # sáng, chiều, morning ... (as written, folded)
    cued: bool = False  # "ngày", a weekday or a time of day introduces it
    role: DateRole | None = None

    def on_year(self, year: int) -> PartialDate | None:
        """The date in ``year`` (None when that day does not exist, e.g. 29/2 of 2025)."""
        try:
            start = date(year, self.month or 1, self.day or 1)
        except ValueError:
            return None
        return PartialDate(start=start, precision=self.precision)

    def resolve(self, reference: date | None) -> PartialDate | None:
        """The stated date, or, without a year, the one nearest ``reference`` (publication)."""
        if self.year is not None:
            return self.on_year(self.year)
        if reference is None:
            return None
        return nearest_year(self, reference)


def nearest_year(mention: DateMention, reference: date) -> PartialDate | None:
    """The year that puts a yearless date nearest ``reference``.

    News reports what happened, and announces only what is near: a date after the reference
    counts three times its distance, so "December 24" published on 3 January is last December.
    """
    best: tuple[float, PartialDate] | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        value = mention.on_year(year)
        if value is None:
            continue
        middle = value.start + (value.end - value.start) / 2
        distance = (middle - reference) / timedelta(days=1)
        cost = distance * 3 if distance > 0 else -distance
        if best is None or cost < best[0]:
            best = (cost, value)
    return best[1] if best else None


# --- patterns (matched on the folded text: lower case, no diacritics) -----------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_WORD_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_Y = r"(?P<y>(?:19|20)\d{2})(?!\d)"
_NOT_AFTER_NUMBER = r"(?<![\d/.,-])"
_NOT_BEFORE_NUMBER = r"(?![\d/-]|[.,]\d)"

# (precision, pattern), most specific first: an earlier pattern's match wins an overlap.
_VI_PATTERNS: list[tuple[Precision, str]] = [
    (Precision.day, r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
    (Precision.day, _NOT_AFTER_NUMBER + r"(?P<d>\d{1,2})([/.-])(?P<m>\d{1,2})\2" + _Y),
    (
        Precision.day,
        r"\bngay\s+(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})(?:\s*(?:nam\s+|[/-])" + _Y + ")?",
    ),
    (Precision.month, r"\bthang\s+(?P<m>\d{1,2})\s*(?:[/-]|\s+nam\s+)\s*" + _Y),
    (Precision.month, r"\(\s*(?P<m>\d{1,2})\s*[/-]\s*" + _Y + r"\s*\)"),
    (Precision.month, _NOT_AFTER_NUMBER + r"(?P<m>\d{1,2})[/-]" + _Y + _NOT_BEFORE_NUMBER),
    (Precision.day, _NOT_AFTER_NUMBER + r"(?P<d>\d{1,2})[/-](?P<m>\d{1,2})" + _NOT_BEFORE_NUMBER),
    (Precision.month, r"\bthang\s+(?P<m>\d{1,2})(?![\d/-])"),
    (Precision.quarter, r"\bquy\s+(?P<q>iv|i{1,3}|[1-4])\b(?:\s*(?:nam\s+|[/-]\s*)" + _Y + ")?"),
    (Precision.year, r"\bnam\s+" + _Y),
]
_EN_PATTERNS: list[tuple[Precision, str]] = [
    (Precision.day, r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
    (Precision.day, _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+" + _Y + ")?"),
    (
        Precision.day,
        r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _Y + ")?",
    ),
    (Precision.month, _MONTH + r",?\s+" + _Y),
    (
        Precision.quarter,
        r"(?:\bq(?P<q>[1-4])|\b(?P<qw>first|second|third|fourth)\s+quarter)"
        r"(?:\s*(?:of\s+|,\s*)?" + _Y + ")?",
    ),
    (Precision.year, r"\b(?:in|during|since|by|of|for)\s+" + _Y),
]
_COMPILED = {
    "vi": [(precision, re.compile(pattern)) for precision, pattern in _VI_PATTERNS],
    "en": [(precision, re.compile(pattern)) for precision, pattern in _EN_PATTERNS],
}

# A time of day (or "ngày", a weekday) right before a date: Chiều 9/12, on the morning of ...
_VI_LEAD = re.compile(
    r"(?:(?P<tod>sang|trua|chieu|toi|dem)\s+)?"
    r"(?:(?P<weekday>thu\s+(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s+nhat),?\s+)?"
    r"(?:(?P<ngay>ngay|hom)\s+)?$"
)
_EN_LEAD = re.compile(
    r"(?:(?:on|in)\s+)?(?:the\s+)?(?:(?P<tod>morning|afternoon|evening|night)\s+of\s+)?"
    r"(?:(?P<ngay>on|monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?$"
)


@dataclass(frozen=True)
class _Raw:
    start: int
    end: int
    precision: Precision
    groups: dict[str, str | None]


def find_dates(text: str, language: Language, sentences: list[Sentence]) -> list[DateMention]:
    """Every date expression in ``text``, in order, each with its role from the context."""
    folded = fold(text)
    found = [
        mention
        for raw in _matches(folded, language)
        if (mention := _mention(text, folded, raw, language)) is not None
    ]
    return [
        mention.model_copy(update={"role": _role(text, folded, mention, sentences)})
        for mention in found
    ]


def _matches(folded: str, language: Language) -> Iterator[_Raw]:
    """Matches of every pattern, a character taken by an earlier pattern never reused."""
    taken = bytearray(len(folded))
    raws: list[_Raw] = []
    for precision, pattern in _COMPILED[language]:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            raws.append(_Raw(start, end, precision, match.groupdict()))
    yield from sorted(raws, key=lambda raw: raw.start)


def _mention(text: str, folded: str, raw: _Raw, language: Language) -> DateMention | None:
    """A match as a mention, or None when it is not a real date (month 13, "Nam" the place)."""
    groups = raw.groups
    year = _number(groups, "y")
    month = _month_of(groups)
    day = _number(groups, "d")
    if raw.precision is Precision.quarter:
        quarter = _ROMAN_QUARTERS.get(groups.get("q") or "") or _WORD_QUARTERS[groups["qw"] or ""]
        month = 3 * quarter - 2
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    if raw.precision is Precision.year and language == "vi" and not _is_nam(text, raw.start):
        return None
    if language == "en" and groups.get("mon") == "may" and text[raw.start] != "M":
        return None  # "may 2020" is the modal verb more often than the month
    lead = None
    if raw.precision is Precision.day:  # "hai chiều năm 2024" is two-way trade, not afternoon
        before = folded[max(0, raw.start - 40) : raw.start]
        lead = (_VI_LEAD if language == "vi" else _EN_LEAD).search(before)
    start = raw.start - (len(lead.group()) if lead and lead.group().strip() else 0)
    tod = lead.group("tod") if lead else None
    return DateMention(
        evidence=Evidence.of(text, start, raw.end),
        precision=raw.precision,
        year=year,
        month=month,
        day=day,
        time_of_day=tod,
        cued=bool(lead and (tod or lead.group("ngay") or lead.groupdict().get("weekday"))),
    )


def _month_of(groups: dict[str, str | None]) -> int | None:
    if groups.get("mon"):
        return _MONTHS[groups["mon"] or ""]
    return _number(groups, "m")


def _number(groups: dict[str, str | None], name: str) -> int | None:
    value = groups.get(name)
    return int(value) if value else None


def _is_nam(text: str, start: int) -> bool:
    """Whether folded "nam" at ``start`` is the word năm (year), not the name Nam."""
    word = text[start : start + 3]
    return word.lower() == "năm" or word == "nam"


# --- roles ------------------------------------------------------------------------------------

# "Ha Noi, Jan. 11 (VNA) --", "Kon Tum, 26/10 (TTXVN) -": the agency's dateline dates the wire
# story, which is usually sent the day after the event it reports.
_AGENCY_DATELINE = re.compile(r"\s*\([a-z][a-z .&-]{1,30}\)\s*(?:-{1,2}|\u2013|\u2014)")
_CUES: list[tuple[DateRole, re.Pattern[str], re.Pattern[str] | None]] = [
    # (role, cue in the words before the date (same sentence), cue right after it)
    (
        DateRole.anniversary,
        re.compile(r"\b(?:ky niem|anniversary|celebrat\w*|tron \d+ nam)\b"),
        None,
    ),
    (
        DateRole.signing,
        re.compile(r"\b(?:ky(?: ket)?(?: vao)?(?: ngay)?|signed(?: on| in)?|dated|ban hanh)\s*$"),
        None,
    ),
    (
        DateRole.period,
        re.compile(r"\b(?:(?P<tu>tu)|since|from|giai doan|between)\s+(?:\w+\s+){0,2}$"),
        re.compile(r"^\s*(?:den nay|den|to date|until|[-] ?nay)\b"),
    ),
    (
        DateRole.planned,
        re.compile(
            r"\b(?:du kien|(?P<se>se)|ke hoach|sap toi|tiep theo|phuong huong|will|next|upcoming|"
            r"expected|plans?|planned|scheduled)\b[^.;]*$"
        ),
        re.compile(r"^\s*(?:toi|sap toi)\b"),
    ),
    (
        DateRole.earlier,
        re.compile(r"\b(?:nam ngoai|truoc do|last year|earlier|previous)\b[^.;]*$"),
        re.compile(r"^\s*(?:vua qua|truoc|last)\b"),
    ),
]


# Folded, these cue words are also other words: "tu" is từ (from) but also tư (fourth, as in
# "thứ tư", Wednesday); "se" is sẽ (will) but also Sê (Sê Kông). The original must be the cue.
_FOLDED_TWINS = {"tu": "từ", "se": "sẽ"}


def _cue(pattern: re.Pattern[str], text: str, folded: str, start: int, end: int) -> bool:
    for match in pattern.finditer(folded, start, end):
        twins = [(g, v) for g, v in match.groupdict().items() if v and g in _FOLDED_TWINS]
        if all(text[match.start(g) : match.end(g)].lower() == _FOLDED_TWINS[g] for g, _v in twins):
            return True
    return False


def _role(
    text: str, folded: str, mention: DateMention, sentences: list[Sentence]
) -> DateRole | None:
    """What the words around ``mention`` (in its sentence) say it dates; None if nothing."""
    sentence = sentence_at(sentences, mention.evidence.start)
    first = max(sentence.start if sentence else 0, mention.evidence.start - 200)
    start, end = mention.evidence.start, mention.evidence.end
    near = max(first, start - 80)
    after = folded[end : end + 30]
    if _AGENCY_DATELINE.match(after):
        return DateRole.published
    if _in_brackets(folded, mention):
        anniversary = _cue(_CUES[0][1], text, folded, first, start)
        return DateRole.anniversary if anniversary else DateRole.earlier
    for role, cue_before, cue_after in _CUES:
        window_start = first if role is DateRole.anniversary else near
        if _cue(cue_before, text, folded, window_start, start) or (
            cue_after is not None and cue_after.search(after)
        ):
            return role
    return None


def _in_brackets(folded: str, mention: DateMention) -> bool:
    """``(9-2024)``, ``(tháng 1-2025)``, ``(5/9/1962 - 5/9/2022)``: dates an aside names."""
    start, end = mention.evidence.start, mention.evidence.end
    opened = folded[max(0, start - 40) : start + 1]
    closed = folded[end - 1 : end + 40]
    return (
        opened.rfind("(") > opened.rfind(")")
        and closed.find(")") != -1
        and (closed.find("(") == -1 or closed.find(")") < closed.find("("))
    )


# --- the page's dateline ----------------------------------------------------------------------

# What may stand beside the date on a dateline: weekdays, times, time zones, separators.
_DATELINE_WORDS = re.compile(
    r"\b(?:thu\s+(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s+nhat|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|gmt|utc|ict|am|pm|cap nhat|updated"
    r"|posted|published|ngay)\b|\d{1,2}:\d{2}(?::\d{2})?|[+-]\d{1,2}\b|[\W_]"
)
DATELINE_LINES = 3  # a dateline sits among the first lines of the page


def dateline(folded: str, mentions: list[DateMention], body_start: int) -> DateMention | None:
    """The date that stamps the page near its top: a news agency's dateline ("Ha Noi, Jan. 11
    (VNA) --"), or a line holding nothing but a full date, a weekday, a time and separators
    ("Thursday 26 August 2010", "15:56 | 12/12/2024 GMT+7"). It says when the story was filed,
    not when the event happened."""
    offset = body_start
    lines = [line for line in folded[body_start:].split("\n")[: DATELINE_LINES * 3]]
    seen = 0
    for line in lines:
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        seen += 1
        if seen > DATELINE_LINES:
            return None
        inside = [m for m in mentions if start <= m.evidence.start and m.evidence.end <= offset]
        stamped = [m for m in inside if m.role is DateRole.published]
        if stamped:  # "Ha Noi, Jan. 11 (VNA) --"
            return stamped[0]
        if len(inside) != 1 or inside[0].precision is not Precision.day or inside[0].year is None:
            continue
        mention = inside[0]
        rest = line[: mention.evidence.start - start] + line[mention.evidence.end - start :]
        if not _DATELINE_WORDS.sub("", rest).strip():
            return mention
    return None


# --- the event's own date ---------------------------------------------------------------------

_HELD = re.compile(
    r"\b(?:to chuc|dien ra|khai mac|hop|hoi dam|hoi nghi|held|took place|met|talks|meeting|"
    r"conference|ky ket)\b"
)


@dataclass(frozen=True)
class Pick:
    """The mention chosen as the event's date, every mention of that same date, and its score."""

    mention: DateMention
    evidence: tuple[Evidence, ...]
    score: float


def event_date(
    mentions: list[DateMention],
    sentences: list[Sentence],
    lead: set[int],
    reference: date | None,
) -> Pick | None:
    """The mention that dates the event itself, or None when no mention is a fit.

    A candidate has no role from its context and is precise to the day or month. It scores for
    a time of day before it (``Chiều 9/12``), day precision, a missing year (news gives the
    event's day without one), being in the headline or lead (sentence indexes in ``lead``), and
    a meeting word in its sentence; a stated year long before ``reference`` counts against it.
    """
    scored: list[tuple[float, DateMention]] = []
    held: dict[int, bool] = {}  # by sentence: does it speak of a meeting?
    for mention in mentions:
        if mention.role is not None or mention.precision not in (Precision.day, Precision.month):
            continue
        sentence = sentence_at(sentences, mention.evidence.start)
        score = 5.0 if mention.time_of_day else 1.0 if mention.cued else 0.0
        score += 2.0 if mention.precision is Precision.day else 0.0
        score += 1.0 if mention.year is None else 0.0
        score += 2.0 if sentence is not None and sentence.index in lead else 0.0
        if sentence is not None and sentence.index not in held:
            held[sentence.index] = bool(_HELD.search(fold(sentence.text)))
        score += 1.0 if sentence is not None and held[sentence.index] else 0.0
        if mention.year is not None and reference is not None and reference.year - mention.year > 1:
            score -= 3.0
        scored.append((score, mention))
    if not scored:
        return None
    score, best = max(scored, key=lambda item: item[0])
    if score < 2.0:
        return None
    same = [m.evidence for m in mentions if _same_date(m, best) and m.role is None]
    return Pick(best, tuple(same), score)


def _same_date(one: DateMention, other: DateMention) -> bool:
    keys = ("precision", "year", "month", "day")
    return all(getattr(one, key) == getattr(other, key) for key in keys)
