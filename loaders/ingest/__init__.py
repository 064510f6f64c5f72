"""Article ingestion: a draft event record from a news article, by rule and gazetteer.

No network and no model. Every field of the draft carries its evidence (character offsets into
the text) and a confidence; what the article names that is not the event's own is kept apart as
a mention. The stages, each a function of what the ones before it returned, and their modules:

    text -> sentences                  article (parse: header, origin, headline), text
      -> dates -> the event's date     dates, fields.date_of
      -> places, people, documents,    places (and crossings), people, documents, numbers,
         numbers                       cues (kind, level, ordinal)
      -> fields                        fields, each with its evidence (findings)
      -> draft                         extract (runs the stages), summary (title and summary)
      -> append                        append: matched against the records, then written

:func:`ingest_text` and :func:`ingest_file` are the entry points; :mod:`.append` checks a draft
against the existing records and writes it.

    >>> draft = ingest_text(article, published=date(2025, 12, 10))
    >>> draft.record.date, draft.record.venue.unit
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from loaders._errors import BorderAtlasError
from loaders._io import EMBEDDED, DataSource
from loaders.ingest.article import Origin
from loaders.ingest.extract import Draft, extract
from loaders.ingest.findings import Finding, Mention

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
