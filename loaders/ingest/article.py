"""The first stage: an article's text made ready to read, and what it says about itself.

:func:`parse` normalises the text (NFC: offsets index this form), reads a front-matter header
and in-text source lines into an :class:`Origin`, takes a publication date from the URL when
nothing else gives one, and splits the body into sentences, with its language and headline.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import yaml

from loaders._errors import DataError
from loaders._io import load_yaml
from loaders.ingest.text import Language, Sentence, detect_language, fold, split_sentences

__all__ = ["Article", "Origin", "merge_origin", "parse", "read_header", "url_date"]

HEADER_KEYS = ("published", "url", "publisher", "title", "language")


@dataclass(frozen=True)
class Origin:
    """Where the text comes from, as far as the caller or the text's own header knows."""

    url: str | None = None
    publisher: str | None = None
    title: str | None = None
    language: Language | None = None
    published: date | None = None
    file_name: str | None = None  # the file the text was read from


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n---[ \t]*\n", re.DOTALL)
# "Nguồn SGGP : https://...", "Source: VNA - https://...", "Nguồn: https://..."
# One line; the publisher starts with a non-space and each run of blanks has one quantifier,
# so a line of spaces cannot be split many ways (the earlier form was cubic in its length).
_SOURCE_LINE = re.compile(
    r"^(?:Nguồn|Source)\b[ \t]*(?::[ \t]*)?"
    r"(?:(?P<pub>[^:\s][^:\n]{0,59}?)[ \t]*[:–-][ \t]*)?(?P<url>https?://\S+)",
    re.MULTILINE,
)
_DATELINE = re.compile(r"^\((?P<pub>[\w.\- ]{2,40})\)\s*[-–]", re.MULTILINE)


def read_header(text: str) -> tuple[Origin, int, list[str]]:
    """A YAML front matter block (``---`` lines around ``published:``, ``url:``, ``publisher:``,
    ``title:``, ``language:``) and in-text source lines ("Nguồn SGGP : https://...", a
    "(Baonghean.vn) -" dateline): the origin, the offset where the article starts, warnings."""
    warnings: list[str] = []
    found: dict[str, Any] = {}
    body_start = 0
    block = _FRONT_MATTER.match(text)
    if block is not None:
        body_start = block.end()
        try:
            data = load_yaml(block.group("body"))
        except (yaml.YAMLError, DataError) as error:  # DataError: nested too deeply
            data = None
            warnings.append(f"the header is not valid YAML and was ignored: {error}")
        if isinstance(data, dict):
            unknown = sorted(str(k) for k in data if k not in HEADER_KEYS)
            if unknown:
                warnings.append(f"header keys ignored: {', '.join(unknown)}")
            found = {k: data[k] for k in HEADER_KEYS if data.get(k) is not None}
    body = text[body_start:]
    line = _SOURCE_LINE.search(body)
    dateline = _DATELINE.search(body[:2000])
    url = found.get("url") or (line.group("url") if line else None)
    publisher = found.get("publisher") or (line and line.group("pub"))
    publisher = publisher or (dateline and dateline.group("pub"))
    return (
        Origin(
            url=str(url).rstrip(".,;") if url else None,
            publisher=str(publisher).strip() if publisher else None,
            title=found.get("title"),
            language=found.get("language") if found.get("language") in ("vi", "en") else None,
            published=_header_date(found.get("published"), warnings),
        ),
        body_start,
        warnings,
    )


def _header_date(value: Any, warnings: list[str]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        warnings.append(f"header 'published' is not a date (YYYY-MM-DD): {value!r}")
        return None


# News sites put the publication date in the path: /2010/08/..., /2022/10/27/..., ...-20140626...
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)/(?P<m>0[1-9]|1[0-2])(?:/(?P<d>0[1-9]|[12]\d|3[01]))?(?=/|$)"
    r"|(?<![\d])(?P<cy>(?:19|20)\d\d)(?P<cm>0[1-9]|1[0-2])(?P<cd>0[1-9]|[12]\d|3[01])(?!\d)"
)


def url_date(url: str | None) -> date | None:
    """The publication date a URL's path gives (the month's first day when it gives no day)."""
    found = _URL_DATE.search(url or "")
    if found is None:
        return None
    year, month, day = (found["y"], found["m"], found["d"]) if found["y"] else found.group(4, 5, 6)
    try:
        return date(int(year), int(month), int(day or 1))
    except ValueError:  # 20230231 is no date
        return None


def merge_origin(given: Origin, header: Origin) -> Origin:
    """The caller's values win; the header fills the gaps."""
    return Origin(
        url=given.url or header.url,
        publisher=given.publisher or header.publisher,
        title=given.title or header.title,
        language=given.language or header.language,
        published=given.published or header.published,
        file_name=given.file_name,
    )


@dataclass(frozen=True)
class Article:
    """The text as every later stage reads it: offsets index ``text`` (and ``folded``, its
    folded copy); ``sentences`` are those of the body, after any header."""

    text: str
    folded: str
    body_start: int
    sentences: list[Sentence]
    language: Language
    headline: Sentence | None
    origin: Origin  # the caller's values, then the header's, then the URL's date
    warnings: tuple[str, ...]


def parse(text: str, given: Origin) -> Article:
    """``text`` ready to read; ``given`` (the caller's origin) wins over the header."""
    text = unicodedata.normalize("NFC", text)
    header, body_start, warnings = read_header(text)
    origin = merge_origin(given, header)
    if origin.published is None and (in_url := url_date(origin.url)) is not None:
        origin = replace(origin, published=in_url)
        warnings.append(f"publication date {in_url} read from the URL")
    body = [s for s in split_sentences(text) if s.start >= body_start]
    sentences = [Sentence(i, s.start, s.end, s.text) for i, s in enumerate(body)]
    return Article(
        text=text,
        folded=fold(text),
        body_start=body_start,
        sentences=sentences,
        language=origin.language or detect_language(text[body_start:]),
        headline=_headline(text, sentences),
        origin=origin,
        warnings=tuple(warnings),
    )


def _headline(text: str, sentences: list[Sentence]) -> Sentence | None:
    """The first line, when it stands alone and reads like a headline (short, no final stop)."""
    if not sentences:
        return None
    first = sentences[0]
    alone = text[first.end : first.end + 1] in ("\n", "")
    return first if alone and len(first.text) <= 200 and not first.text.endswith(".") else None
