"""Article ingestion: a draft event record from a news article, by rule and gazetteer.

No network and no model: the text is split into sentences; dates (Vietnamese and English forms),
places (through the gazetteer and the geocoder, as of the event's date), border crossings,
agreements, people, numbers, the kind and level of the meeting are found by rule
(:mod:`.dates`, :mod:`.numbers`, :mod:`.entities`), and :mod:`.extract` assembles a draft whose
every field carries its evidence (character offsets) and a confidence. :mod:`.append` checks a
draft against the existing records and writes it.

    >>> draft = ingest_text(article, published=date(2025, 12, 10))
    >>> draft.record.date, draft.record.venue.unit
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from loaders._errors import BorderAtlasError
from loaders._io import EMBEDDED, DataSource
from loaders.ingest.extract import Draft, Finding, Mention, Origin, extract

__all__ = [
    "Draft",
    "Finding",
    "IngestError",
    "Mention",
    "Origin",
    "ingest_file",
    "ingest_text",
    "read_article",
]

MAX_CHARS = 200_000  # a long news article is 20,000 characters; more is not one article
MAX_BYTES = 4 * MAX_CHARS  # UTF-8 Vietnamese takes up to about 3 bytes a character


class IngestError(BorderAtlasError):
    """The input cannot be read as an article (empty, binary, not UTF-8, too large)."""


def ingest_text(
    text: str,
    published: date | None = None,
    *,
    origin: Origin | None = None,
    source: DataSource = EMBEDDED,
) -> Draft:
    """The draft event record for one article's ``text``.

    ``published`` decides years the text leaves out (``Chiều 9/12``); a ``published:`` line in a
    front-matter header does the same. ``origin`` gives the source's URL, publisher or file name
    when the text does not. Raises :class:`IngestError` for text that is empty or too long;
    everything else (no date, no source) is reported in ``Draft.problems``.
    """
    _check_text(text, "the text")
    given = origin or Origin()
    if published is not None:
        given = replace(given, published=published)
    return extract(text, given, source)


def read_article(path: Path) -> str:
    """The text of an article file; :class:`IngestError` with a plain reason when the file is
    missing, empty, binary, not UTF-8 or too large to be an article."""
    if not path.is_file():
        raise IngestError(f"{path}: {_why_not_a_file(path)}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        limit = f"at most {MAX_BYTES / 1e6:.1f} MB"
        raise IngestError(f"{path}: {size / 1e6:.1f} MB is too large for one article ({limit})")
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{path}: the file is UTF-16; save it as UTF-8 text")
    if b"\x00" in raw[:8192]:
        raise IngestError(f"{path}: the file is binary, not text (save the article as UTF-8 text)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            f"{path}: not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "convert it to UTF-8"
        ) from None
    _check_text(text, str(path))
    return text


def _why_not_a_file(path: Path) -> str:
    if path.is_dir():
        return "a folder, not an article; give the article files inside it"
    if path.exists():
        return "not a regular file (a device or a pipe); save the article as a text file"
    if path.is_symlink():
        return "a link to a file that does not exist"
    return "no such file"


def ingest_file(
    path: Path,
    published: date | None = None,
    *,
    origin: Origin | None = None,
    source: DataSource = EMBEDDED,
) -> Draft:
    """:func:`ingest_text` on a file's text, its name recorded as where the draft comes from."""
    text = read_article(path)
    given = replace(origin or Origin(), file_name=path.name)
    return ingest_text(text, published, origin=given, source=source)


def _check_text(text: str, label: str) -> None:
    if not text.strip():
        raise IngestError(f"{label}: empty (no article text)")
    if len(text) > MAX_CHARS:
        raise IngestError(
            f"{label}: {len(text):,} characters is too long for one article (at most {MAX_CHARS:,})"
        )
    controls = sum(1 for char in text[:8192] if ord(char) < 32 and char not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 8192):
        raise IngestError(f"{label}: looks binary (control characters), not article text")
