"""The record index: events and agreements in SQLite beside their YAML files, with full-text search.

The YAML files stay the source of truth (one reviewable file per record). The index is a cache
of them, one SQLite file per data source in the user's cache folder, that answers what the app
and the CLI ask without parsing every file: a unit's history, the records of a period, and
full-text search over titles, summaries, participants, notes and place names in both languages.

How it stays true to the files:

- **Fresh on every query.** Before a query, :meth:`RecordIndex.sync` compares each record file's
  size and modification time with what was indexed; a changed, added or deleted file is re-read
  before the query runs. A file modified within :data:`RACY_NS` of being indexed is hashed again
  even when its size and time look unchanged (a same-size edit inside the file system's
  timestamp granularity leaves both alike: git's "racily clean" rule), and only a changed
  SHA-256 re-parses. A long-running process may instead :meth:`~RecordIndex.watch` the folders
  (the operating system reports changes) or allow a ``max_age_s`` between checks.
- **Safe with several processes.** Changes are written in ``BEGIN IMMEDIATE`` transactions of at
  most :data:`BATCH_FILES` files, each re-checking under the lock what it is about to write, so
  two builders serialise and leave one index; a build cut short resumes where it stopped.
- **Rebuilt when broken.** A file that SQLite cannot read (truncated, overwritten, another
  schema version) is deleted and built again; the records are never lost since YAML holds them.

Search folds text with the gazetteer's normaliser (:func:`loaders.gazetteer.ascii_words`) before
indexing and querying, so "se kong", "Sê Kông" and "SE KONG" are the same words (SQLite's
``unicode61 remove_diacritics`` tokenizer alone leaves "đ" apart from "d"). Each record is also
indexed under every spelling the gazetteer knows for the units it names, so "Xekong" finds the
events of ``la-sekong`` whatever spelling their text uses.

Records that do not parse are not indexed; :meth:`RecordIndex.problems` lists them (``borderatlas
validate`` reports them in full).
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
import random
import re
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar

import pandas as pd
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from loaders._io import DataSource, Traversable, default_cache_dir, embedded, not_a_regular_file
from loaders.events import Agreement, Event, EventKind, PartialDate, parse_record
from loaders.gazetteer import ascii_words, iter_entries

SCHEMA_VERSION = "2"
FOLDERS: dict[str, type[Event] | type[Agreement]] = {"events": Event, "agreements": Agreement}
RACY_NS = 2_000_000_000  # 2 s: coarser than any file system's timestamp granularity
WATCH_RECHECK_S = 60.0  # a watched index is still checked in full this often
BUSY_TIMEOUT_S = 60.0  # how long a process waits for another one's build to commit
TITLE, BODY, PLACES = 10.0, 1.0, 4.0  # bm25 weights: a word in the title counts most
SNIPPET_WORDS = 14
BATCH_FILES = 2_000  # files parsed, then stored in one transaction: bounded memory, resumable
PARALLEL_FROM = 2_000  # files to parse before worker processes pay for their start
PARSE_CHUNK = 200
MAX_SQL_VARIABLES = 900  # below SQLite's oldest default limit of 999 per statement
SEARCH_LIMIT = 50
INDEX_DIR_ENV = "BORDERATLAS_INDEX_DIR"

T = TypeVar("T")
RecordKind = Literal["event", "agreement"]
Progress = Callable[[int, int], None]  # (files read, files to read)
PROGRESS_FROM = 1_000  # files to read before progress is worth reporting to a person
Snippet = tuple[tuple[str, bool], ...]  # words of the matching text, each flagged if it matched

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL, indexed_ns INTEGER NOT NULL, problem TEXT);
CREATE TABLE IF NOT EXISTS records (
    rowid INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, id TEXT NOT NULL,
    kind TEXT NOT NULL, first INTEGER, last INTEGER, event_kind TEXT, json TEXT NOT NULL,
    shadowed INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS records_id ON records (id);
CREATE INDEX IF NOT EXISTS records_first ON records (first);
CREATE TABLE IF NOT EXISTS record_units (
    record INTEGER NOT NULL REFERENCES records (rowid) ON DELETE CASCADE,
    unit TEXT NOT NULL, side TEXT NOT NULL, name TEXT);
CREATE INDEX IF NOT EXISTS record_units_unit ON record_units (unit);
CREATE INDEX IF NOT EXISTS record_units_record ON record_units (record);
CREATE VIRTUAL TABLE IF NOT EXISTS record_text USING fts5 (
    title, body, places, tokenize = 'unicode61 remove_diacritics 2');
"""


class UnitRow(NamedTuple):
    """A unit a record names (see :meth:`RecordIndex.unit_rows`)."""

    key: int  # the record's key in this index, for :meth:`RecordIndex.by_key`
    id: str  # the record's id
    unit: str
    side: str  # VN/LA/KH (provinces), venue, connected, party or place
    name: str | None  # the place's name, for venue, connected and place


@dataclass(frozen=True)
class SearchHit:
    """One record that matched a search, with the words that matched in context."""

    id: str
    kind: RecordKind
    record: Event | Agreement
    snippet: Snippet
    score: float  # bm25: lower is better

    @property
    def date(self) -> PartialDate | None:
        return self.record.date if isinstance(self.record, Event) else self.record.signed

    def snippet_text(self, before: str = "[", after: str = "]") -> str:
        """The snippet with each matched word between ``before`` and ``after`` (punctuation
        around a word stays outside: "(Sê" -> "([Sê]")."""
        return " ".join(_marked(word, before, after) if hit else word for word, hit in self.snippet)


def _marked(word: str, before: str, after: str) -> str:
    found = _PUNCTUATED.match(word)  # matches any word: each part may be empty
    if found is None or not found[2]:
        return word
    lead, core, trail = found.groups()
    return f"{lead}{before}{core}{after}{trail}"


_PUNCTUATED = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Listed:
    """A record file as found in the data source."""

    path: str  # "events/<name>.yaml"
    entry: Traversable | Path | str  # a str is a file system path (made a Path when read)
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class _Indexed:
    size: int
    mtime_ns: int
    sha256: str
    indexed_ns: int


def index_path(source: DataSource) -> Path:
    """Where ``source``'s index lives: ``$BORDERATLAS_INDEX_DIR``, else the user's cache, under a
    name derived from the embedded data's and the data directory's locations."""
    folder = Path(os.environ.get(INDEX_DIR_ENV) or default_cache_dir() / "index")
    user = str(source.user_dir.resolve()) if source.user_dir else ""
    key = hashlib.sha256(f"{embedded('')}\0{user}".encode()).hexdigest()[:20]
    return folder / f"{key}.sqlite"


class RecordIndex:
    """The index of one data source. Every query first brings it up to date with the files."""

    def __init__(
        self, source: DataSource, path: Path | None = None, *, max_age_s: float = 0.0
    ) -> None:
        """``max_age_s``: a query re-checks the files unless they were checked this recently
        (0, the default: every query; the app allows a second, so that the queries of one page
        share one check)."""
        self.source = source
        self.path = path or index_path(source)
        self.max_age_s = max_age_s
        self._checked_at: float | None = None  # time.monotonic() of the last check
        self._files = _FileCache()
        self._changed = threading.Event()  # set by the file watcher (see watch())
        self._watching = False
        self._frozen = False  # within snapshot(): no check until it ends

    # --- queries ------------------------------------------------------------------------------

    def records(
        self,
        *,
        units: Iterable[str] | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[Event | Agreement]:
        """Records naming any of ``units`` (all if None) dated within ``start..end``, newest first.

        ``kinds`` are event kinds, plus ``"agreement"`` for agreements; with a period, undated
        records are left out.
        """
        where, params = _filters(units, start, end, kinds)
        sql = f"SELECT kind, json FROM records r WHERE {where} ORDER BY {_NEWEST_FIRST}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_record(kind, text) for kind, text in self._query(sql, params)]

    def events(
        self,
        *,
        units: Iterable[str] | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: Iterable[EventKind] | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """Like :meth:`records`, for events only (of ``kinds``, by default every kind)."""
        wanted = [kind.value for kind in (EventKind if kinds is None else kinds)]
        found = self.records(units=units, start=start, end=end, kinds=wanted, limit=limit)
        return [record for record in found if isinstance(record, Event)]

    def count(
        self,
        *,
        units: Iterable[str] | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: Iterable[str] | None = None,
    ) -> int:
        """How many records :meth:`records` would return."""
        where, params = _filters(units, start, end, kinds)
        return int(self._query(f"SELECT COUNT(*) FROM records r WHERE {where}", params)[0][0])

    def unit_rows(
        self,
        *,
        units: Iterable[str] | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: Iterable[str] | None = None,
    ) -> list[UnitRow]:
        """Every (record key, id, unit, side, place name) of the matching records (those naming
        any of ``units``, if given), newest record first and each record's rows together: what
        maps count, link and place, and partners are found by, without reading any record."""
        sql, params = _unit_rows_query(units, start, end, kinds)
        return [UnitRow(*row) for row in self._query(sql, params)]

    def unit_frame(
        self,
        *,
        units: Iterable[str] | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """:meth:`unit_rows` as a table (columns ``key``, ``id``, ``unit``, ``side``, ``name``),
        for counting at scale without a Python object per row."""
        sql, params = _unit_rows_query(units, start, end, kinds)

        def read(db: sqlite3.Connection) -> pd.DataFrame:
            self._ensure_fresh(db)
            return pd.read_sql_query(sql, db, params=params)

        return self._run(read)

    def dates(
        self,
        *,
        units: Iterable[str] | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: Iterable[str] | None = None,
    ) -> list[tuple[str, date | None]]:
        """(kind, first day) of each matching record, as :meth:`records` would list them: what
        a history's counts and its timeline need, without reading the records."""
        where, params = _filters(units, start, end, kinds)
        sql = f"SELECT r.kind, r.first FROM records r WHERE {where} ORDER BY {_NEWEST_FIRST}"
        rows = self._query(sql, params)
        return [(kind, date.fromordinal(first) if first else None) for kind, first in rows]

    def by_key(self, keys: Iterable[int]) -> dict[int, Event | Agreement]:
        """The records of the given keys (from :meth:`unit_rows`)."""
        keys = list(dict.fromkeys(keys))

        def read(db: sqlite3.Connection) -> dict[int, Event | Agreement]:
            self._ensure_fresh(db)
            found: dict[int, Event | Agreement] = {}
            for at in range(0, len(keys), MAX_SQL_VARIABLES):
                chunk = keys[at : at + MAX_SQL_VARIABLES]
                marks = ", ".join("?" * len(chunk))
                sql = f"SELECT rowid, kind, json FROM records WHERE rowid IN ({marks})"
                rows = db.execute(sql, chunk)
                found.update({key: _record(kind, text) for key, kind, text in rows})
            return found

        return self._run(read)

    def search(
        self,
        text: str,
        *,
        units: Iterable[str] | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: Iterable[str] | None = None,
        limit: int = SEARCH_LIMIT,
    ) -> list[SearchHit]:
        """Records whose text has every word of ``text`` (accents and case optional; a word of
        four letters or more also matches as a prefix: "traffick" finds "trafficking"), best
        first, with the same filters as :meth:`records`."""
        words = _query_words(text)
        if not words:
            return []
        where, params = _filters(units, start, end, kinds)
        sql = (
            f"SELECT r.kind, r.json, bm25(record_text, {TITLE}, {BODY}, {PLACES}) AS score "
            "FROM record_text JOIN records r ON r.rowid = record_text.rowid "
            f"WHERE record_text MATCH ? AND {where} ORDER BY score, {_NEWEST_FIRST} LIMIT ?"
        )
        match, marked = _match_expression(words, unit_names(self.source))
        rows = self._query(sql, [match, *params, int(limit)])
        return [_hit(kind, text, score, marked) for kind, text, score in rows]

    def problems(self) -> list[tuple[str, str]]:
        """(file, message) for every record file that could not be indexed."""
        rows = self._query("SELECT path, problem FROM files WHERE problem IS NOT NULL", [])
        return [(self.source.label(path), problem) for path, problem in rows]

    # --- keeping it fresh ---------------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> int:
        """Bring the index up to date with the record files; the number of files (re)indexed."""

        return self._run(lambda db: self._check(db, progress))

    def _check(self, db: sqlite3.Connection, progress: Progress | None = None) -> int:
        self._changed.clear()  # before checking: a change made during the check sets it again
        changed = _sync(db, self.source, self._files, progress)
        self._checked_at = time.monotonic()
        return changed

    def version(self) -> str:
        """A name for the indexed state of the files (after a check, as queries make one): it
        changes whenever a record file does, so caches of query results can be keyed by it."""

        def generation(db: sqlite3.Connection) -> str:
            self._ensure_fresh(db)
            return _meta(db, "generation") or "0"

        return f"{self.path}:{self._run(generation)}"

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Within the block, queries share one check of the files (made on entry, as a query
        would make it): the counts, rows and records of one map come from one state of the data."""
        self._run(self._ensure_fresh)
        self._frozen = True
        try:
            yield
        finally:
            self._frozen = False

    def watch(self) -> bool:
        """Learn of changed record files from the operating system (inotify and the like)
        instead of checking every file before a query: a long-running process (the app) then
        answers at 100,000 records without a second of ``stat`` calls per click. Every
        :data:`WATCH_RECHECK_S` the files are still checked in full, for file systems that send
        no events (network mounts). False if no folder could be watched."""
        if self._watching:
            return True
        from watchdog.observers import Observer

        observer = Observer()
        observer.daemon = True
        handler = _ChangeHandler(self._changed)
        folders = [folder for folder in _record_folders(self.source) if folder.is_dir()]
        try:
            for folder in folders:
                observer.schedule(handler, str(folder), recursive=False)
            observer.start()
        except OSError:  # no inotify watches left, an unsupported file system ...
            return False
        self._watching = bool(folders)
        self._changed.set()  # anything may have changed before the watch began
        return self._watching

    def _ensure_fresh(self, db: sqlite3.Connection) -> None:
        if self._frozen:
            return
        checked = self._checked_at
        age = math.inf if checked is None else time.monotonic() - checked
        if self._watching:
            stale = self._changed.is_set() or age > WATCH_RECHECK_S
        else:
            stale = age > self.max_age_s
        if stale:
            self._check(db)

    def _query(self, sql: str, params: list[str | int]) -> list[tuple[Any, ...]]:
        def fresh_rows(db: sqlite3.Connection) -> list[tuple[Any, ...]]:
            self._ensure_fresh(db)
            return db.execute(sql, params).fetchall()

        return self._run(fresh_rows)

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` on the open index; an index SQLite cannot read is deleted and built again.

        ``OperationalError`` (a lock held too long, a full disk) is not damage and is raised.
        """
        try:
            with closing(_open(self.path)) as db:
                return work(db)
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError:  # "file is not a database", "disk image is malformed"
            _remove(self.path)
            with closing(_open(self.path)) as db:
                return work(db)


# --- opening ----------------------------------------------------------------------------------


def _open(path: Path) -> sqlite3.Connection:
    """Connect to the index at ``path``, creating it if needed; ``sqlite3.DatabaseError`` if the
    file is not a usable index of this schema version."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":  # once per file
            _when_unlocked(lambda: db.execute("PRAGMA journal_mode = WAL"))  # readers never wait
        if _schema_version(db) is None:
            with _write(db):
                if _schema_version(db) is None:  # nobody created it while we waited
                    for statement in _SCHEMA.split(";"):
                        db.execute(statement)
                    db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        if _schema_version(db) != SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"{path} is an index of another schema version")
    except BaseException:
        db.close()
        raise
    return db


def _when_unlocked(statement: Callable[[], object]) -> None:
    """Run ``statement``, retrying while another connection holds the lock: switching to WAL
    needs the file to itself and, unlike a transaction, does not wait on SQLite's busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            statement()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.01, 0.1))


def _schema_version(db: sqlite3.Connection) -> str | None:
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return row[0] if row else None


@contextmanager
def _write(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction; other processes wait (up to the busy timeout) for it to end."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- syncing ----------------------------------------------------------------------------------


@dataclass
class _FileCache:
    """What the index holds per file, as last read from it; re-read when another process (or
    connection) has written since (the ``generation`` every write transaction increments)."""

    generation: str | None = None
    known: dict[str, _Indexed] = field(default_factory=dict)

    def current(self, db: sqlite3.Connection) -> dict[str, _Indexed]:
        generation = _meta(db, "generation")
        if generation != self.generation:
            self.known, self.generation = _known(db), generation
        return self.known


def _sync(
    db: sqlite3.Connection, source: DataSource, cache: _FileCache, progress: Progress | None
) -> int:
    """Re-read the files that changed since they were indexed; the number of files changed."""
    names = unit_names(source)
    if _meta(db, "names") != names.fingerprint:
        with _write(db):  # the gazetteer changed: every record's place words must be redone
            db.execute("DELETE FROM files")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('names', ?)", (names.fingerprint,))
            _next_generation(db)
    listed = _list_files(source)
    known = cache.current(db)
    stale = [file for path, file in listed.items() if _maybe_changed(file, known.get(path))]
    gone = [path for path in known if path not in listed]
    if not stale and not gone:
        return 0
    changed = _forget(db, gone)
    done = 0
    with _parser(len(stale)) as parse:
        parsed = parse(partial(_parse_file, names=names), stale)  # workers run ahead of storing
        while batch := list(islice(parsed, BATCH_FILES)):
            changed += _store(db, batch)
            done += len(batch)
            if progress is not None:
                progress(done, len(stale))
    return len(changed)


def _forget(db: sqlite3.Connection, gone: list[str]) -> list[str]:
    """Delete the records of files that no longer exist; the paths deleted."""
    if not gone:
        return []
    with _write(db):
        deleted = [path for path in gone if path in _known(db)]  # not already by another process
        for path in deleted:
            _delete(db, path)
        _next_generation(db)
    return deleted


def _store(db: sqlite3.Connection, parsed: list[_Parsed]) -> list[str]:
    """One batch of files in one transaction: each changed file's record replaces the old one,
    an unchanged one (same digest, new time) only gets its new time. The paths changed."""
    with _write(db):
        known = _known(db, [file.path for file in parsed])  # under the lock: re-check the work
        changed = []
        for file in parsed:
            before = known.get(file.path)
            if before is None or before.sha256 != file.sha256:
                _delete(db, file.path)
                _insert(db, file)
                changed.append(file.path)
            db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                (file.path, file.size, file.mtime_ns, file.sha256, file.read_ns, file.problem),
            )
        _resolve_duplicates(db, changed)
        _next_generation(db)
    return changed


def _next_generation(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT INTO meta VALUES ('generation', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


# What a file watcher reports: a write, not a read (the index's own reads send "opened" and
# "closed_no_write" events, which must not mark it stale).
_CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})


class _ChangeHandler(FileSystemEventHandler):
    """Sets ``changed`` when a record file (or a record folder) changes (watchdog calls
    ``dispatch`` with each event)."""

    def __init__(self, changed: threading.Event) -> None:
        self.changed = changed

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES:
            return
        paths = [event.src_path, event.dest_path]
        if any(_is_record_path(os.fsdecode(path)) for path in paths if path):
            self.changed.set()


def _is_record_path(path: str) -> bool:
    """A record file, or a record folder itself (created, moved or deleted whole); not the
    index's own files or anything else that lives beside them."""
    name = os.path.basename(path)
    return name.endswith(".yaml") or name in FOLDERS


def _record_folders(source: DataSource) -> list[Path]:
    folders = [Path(str(embedded(folder))) for folder in FOLDERS]
    if source.user_dir is not None:
        folders += [source.user_dir / folder for folder in FOLDERS]
        folders.append(source.user_dir)  # a record folder created after the watch began
    return folders


def _list_files(source: DataSource) -> dict[str, _Listed]:
    """The record files of ``source`` with their size and time: the user's replace embedded
    ones of the same name (as :meth:`DataSource.list_dir`), one ``stat`` per file."""
    listed: dict[str, _Listed] = {}
    for folder in FOLDERS:
        packaged = embedded(folder)
        if not isinstance(packaged, Path):  # a zipped package: no times to compare
            for name, entry in source.list_dir(folder):
                if name.endswith(".yaml"):
                    listed[f"{folder}/{name}"] = _Listed(f"{folder}/{name}", entry, -1, -1)
            continue
        for root in (packaged, source.user_dir / folder if source.user_dir else None):
            if root is not None and root.is_dir():
                listed.update(_scan(root, folder, users=root is not packaged))
    return listed


def _scan(root: Path, folder: str, *, users: bool) -> Iterator[tuple[str, _Listed]]:
    with os.scandir(root) as entries:
        for entry in entries:
            if not entry.name.endswith(".yaml") or entry.is_dir():
                continue
            if not users and not entry.is_file():
                continue
            path = f"{folder}/{entry.name}"
            yield path, _Listed(path, entry.path, *_size_and_time(entry))


def _size_and_time(entry: os.DirEntry[str]) -> tuple[int, int]:
    """The file's size and modification time; (-1, -1) when it is no regular file (a dangling
    link, a device), which is then read, and reported, on every sync."""
    try:
        found = entry.stat()
    except OSError:
        return -1, -1
    return (found.st_size, found.st_mtime_ns) if stat.S_ISREG(found.st_mode) else (-1, -1)


def _known(db: sqlite3.Connection, paths: list[str] | None = None) -> dict[str, _Indexed]:
    """What the index holds per file (of ``paths``, or of every file)."""
    sql = "SELECT path, size, mtime_ns, sha256, indexed_ns FROM files"
    if paths is None:
        return {path: _Indexed(*values) for path, *values in db.execute(sql)}
    found = {}
    for at in range(0, len(paths), MAX_SQL_VARIABLES):
        chunk = paths[at : at + MAX_SQL_VARIABLES]
        rows = db.execute(f"{sql} WHERE path IN ({', '.join('?' * len(chunk))})", chunk)
        found.update({path: _Indexed(*values) for path, *values in rows})
    return found


def _maybe_changed(file: _Listed, indexed: _Indexed | None) -> bool:
    return (
        indexed is None
        or file.size < 0
        or (file.size, file.mtime_ns) != (indexed.size, indexed.mtime_ns)
        or file.mtime_ns >= indexed.indexed_ns - RACY_NS
    )


@contextmanager
def _parser(
    files: int,
) -> Iterator[Callable[[Callable[[_Listed], _Parsed], Iterable[_Listed]], Iterator[_Parsed]]]:
    """A ``map`` that parses files: in worker processes (one per core) when there are many,
    since parsing YAML and validating records is most of a cold build; here otherwise."""
    workers = os.cpu_count() or 1
    if files < PARALLEL_FROM or workers < 2:
        yield map
        return
    # spawn, not fork: the app calls this from one of Streamlit's threads
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield partial(pool.map, chunksize=PARSE_CHUNK)


_RecordRow = tuple[str, RecordKind, int | None, int | None, str | None, str]
_UnitNamed = tuple[str, str, str | None]  # (unit, side, place name)


@dataclass(frozen=True)
class _Parsed:
    """A record file read and turned into rows, ready to store (plain data: it crosses from a
    worker process)."""

    path: str
    size: int
    mtime_ns: int
    sha256: str
    read_ns: int
    problem: str | None = None
    record: _RecordRow | None = None  # (id, kind, first, last, event_kind, json)
    units: tuple[_UnitNamed, ...] = ()
    texts: tuple[str, str, str] = ("", "", "")


def _parse_file(file: _Listed, names: UnitNames) -> _Parsed:
    read_ns = time.time_ns()  # before reading: a later edit must look newer than this
    stats = (file.path, file.size, file.mtime_ns)
    entry = Path(file.entry) if isinstance(file.entry, str) else file.entry
    if unreadable := not_a_regular_file(entry):
        return _Parsed(*stats, "", read_ns, unreadable)
    data = entry.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return _Parsed(*stats, digest, read_ns, f"line {line}: not UTF-8 text")
    model = FOLDERS[file.path.split("/")[0]]
    # a call per model: parse_record's result has the type of the one model class it is given
    record, errors = parse_record(text, Event) if model is Event else parse_record(text, Agreement)
    if record is None:
        problems = (f"{field}: {message}" if field else message for field, message in errors)
        return _Parsed(*stats, digest, read_ns, "; ".join(problems))
    units = _units_named(record)
    texts = _texts(record, [unit for unit, _side, _name in units], names)
    return _Parsed(*stats, digest, read_ns, None, _record_row(record), tuple(units), texts)


def _record_row(record: Event | Agreement) -> _RecordRow:
    when = record.date if isinstance(record, Event) else record.signed
    last = record.end_date if isinstance(record, Event) and record.end_date else when
    return (
        record.id,
        _kind(record),
        when.start.toordinal() if when else None,
        last.end.toordinal() if last else None,
        record.kind.value if isinstance(record, Event) else None,
        record.model_dump_json(exclude_defaults=True),
    )


def _delete(db: sqlite3.Connection, path: str) -> None:
    row = db.execute("SELECT rowid, id FROM records WHERE path = ?", (path,)).fetchone()
    db.execute("DELETE FROM files WHERE path = ?", (path,))
    if row is not None:
        db.execute("DELETE FROM record_text WHERE rowid = ?", (row[0],))
        db.execute("DELETE FROM records WHERE rowid = ?", (row[0],))


def _insert(db: sqlite3.Connection, file: _Parsed) -> None:
    if file.record is None:
        return
    row = db.execute(
        "INSERT INTO records (path, id, kind, first, last, event_kind, json, shadowed) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        (file.path, *file.record),
    )
    db.executemany(
        "INSERT INTO record_units VALUES (?, ?, ?, ?)",
        [(row.lastrowid, unit, side, name) for unit, side, name in file.units],
    )
    db.execute(
        "INSERT INTO record_text (rowid, title, body, places) VALUES (?, ?, ?, ?)",
        (row.lastrowid, *file.texts),
    )


def _resolve_duplicates(db: sqlite3.Connection, paths: list[str]) -> None:
    """Of the records sharing an id, serve the one in the file named after it, else the first
    file by name: the rule :func:`loaders.events.read_events` follows."""
    ids = {Path(path).stem for path in paths}
    ids |= {
        row[0]
        for path in paths
        for row in db.execute("SELECT id FROM records WHERE path = ?", (path,))
    }
    for record_id in ids:
        rows = db.execute(
            "SELECT rowid, path, kind FROM records WHERE id = ? ORDER BY path", (record_id,)
        ).fetchall()
        by_kind: dict[str, list[tuple[int, str]]] = {}
        for rowid, path, kind in rows:
            by_kind.setdefault(kind, []).append((rowid, path))
        for candidates in by_kind.values():
            winner = min(candidates, key=lambda c: (Path(c[1]).name != f"{record_id}.yaml", c[1]))
            for rowid, _path in candidates:
                db.execute(
                    "UPDATE records SET shadowed = ? WHERE rowid = ?", (rowid != winner[0], rowid)
                )


def _kind(record: Event | Agreement) -> RecordKind:
    return "event" if isinstance(record, Event) else "agreement"


def _record(kind: str, text: str) -> Event | Agreement:
    return (Event if kind == "event" else Agreement).model_validate_json(text)


def _units_named(record: Event | Agreement) -> list[_UnitNamed]:
    """(unit, side, place name) for every unit the record names. Sides: a country code for an
    event's provinces, ``venue`` and ``connected`` for where it took place (with the name the
    source gives), ``party`` and ``place`` for an agreement's."""
    if isinstance(record, Agreement):
        place = record.place
        parties: list[_UnitNamed] = [(unit, "party", None) for unit in record.parties.provinces]
        return parties + ([(place.unit, "place", place.name)] if place and place.unit else [])
    named: list[_UnitNamed] = [
        (unit, side, None) for side, ids in record.provinces.items() for unit in ids
    ]
    venue = record.venue
    if venue is not None and venue.unit:
        named.append((venue.unit, "venue", venue.name or ""))
    if venue is not None:
        named += [(p.unit, "connected", p.name) for p in venue.connected if p.unit]
    return named


# --- words ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitNames:
    """Every spelling the gazetteer knows, by unit id (folded), the units each spelling names
    (by compact key), and a digest of them all."""

    spellings: dict[str, tuple[str, ...]]
    units_by_key: dict[str, tuple[str, ...]]
    fingerprint: str

    def words(self, unit: str) -> str:
        return " ".join(self.spellings.get(unit, (unit,)))


@lru_cache(maxsize=8)
def unit_names(source: DataSource) -> UnitNames:
    """The gazetteer's spellings of every unit, as the index and queries use them."""
    spellings: dict[str, set[str]] = {}
    units_by_key: dict[str, set[str]] = {}
    for entry in iter_entries(source):
        if entry.place is None and not entry.code and entry.key:
            spellings.setdefault(entry.units[0], set()).add(_fold(entry.name))
            units_by_key.setdefault(entry.key, set()).update(entry.units)
    folded = {unit: tuple(sorted(found)) for unit, found in sorted(spellings.items())}
    digest = hashlib.sha256(repr(sorted(folded.items())).encode()).hexdigest()
    by_key = {key: tuple(sorted(units)) for key, units in units_by_key.items()}
    return UnitNames(folded, by_key, digest)


def _fold(text: str) -> str:
    return " ".join(ascii_words(text))


def _texts(record: Event | Agreement, units: list[str], names: UnitNames) -> tuple[str, str, str]:
    """The record's words for the three searched columns: title, body and places."""
    title = [record.title.en, record.title.vi]
    body = [record.notes or ""]
    body += [f"{s.publisher or ''} {s.title or ''}" for s in record.sources]
    places = [names.words(unit) for unit in dict.fromkeys(units)]
    if isinstance(record, Event):
        body += [record.summary.en, record.summary.vi]
        body += [f"{p.name} {p.title}" for p in record.participants]
        places += [record.venue.name or ""] if record.venue else []
        places += [crossing.replace("-", " ") for crossing in record.crossings]
    else:
        title += record.short_names
        places += [record.place.name] if record.place else []
    return _fold(" ".join(title)), _fold(" ".join(body)), _fold(" ".join(places))


MAX_QUERY_WORDS = 32
PREFIX_FROM = 4  # shorter words match whole: "se" must not find "security", nor "mìn" "minister"


def _query_words(text: str) -> list[str]:
    return ascii_words(text)[:MAX_QUERY_WORDS]


MAX_NAME_WORDS = 4  # the longest unit name to look for in a query ("ba ria vung tau")


def _match_expression(words: list[str], names: UnitNames) -> tuple[str, list[str]]:
    """An FTS5 query, and the words a snippet marks as matched.

    Every word is quoted so that none is read as an operator, longer ones as prefixes; a run of
    words that spells a unit also matches the unit's other spellings, so "Xekong" finds (and
    marks) a text that writes "Sê Kông" or "Sekong"."""
    terms, marked, at = [], list(words), 0
    while at < len(words):
        span, units = _unit_span(words, at, names)
        if units:
            spellings = {s for unit in units for s in names.spellings.get(unit, ())}
            phrases = sorted(spellings | {" ".join(words[at : at + span])})
            terms.append("(" + " OR ".join(f'"{phrase}"' for phrase in phrases) + ")")
            marked += [word for phrase in phrases for word in phrase.split()]
        else:
            word = words[at]
            terms.append(f'"{word}"*' if len(word) >= PREFIX_FROM else f'"{word}"')
        at += span
    return " AND ".join(terms), list(dict.fromkeys(marked))


def _unit_span(words: list[str], at: int, names: UnitNames) -> tuple[int, tuple[str, ...]]:
    """The longest run of words from ``at`` that is a unit's spelling, and its units."""
    for span in range(min(MAX_NAME_WORDS, len(words) - at), 0, -1):
        units = names.units_by_key.get("".join(words[at : at + span]), ())
        if units:
            return span, units
    return 1, ()


def _matches(word: str, query: list[str]) -> bool:
    pieces = ascii_words(word)
    return any(
        piece.startswith(q) if len(q) >= PREFIX_FROM else piece == q
        for piece in pieces
        for q in query
    )


def _snippet(record: Event | Agreement, query: list[str]) -> Snippet:
    """The first of the record's texts with a matched word, cut to the words around it; the
    title when only a place name matched."""
    texts = [record.title.en, record.title.vi]
    if isinstance(record, Event):
        texts += [record.summary.en, record.summary.vi]
        texts += [f"{p.name}, {p.title}" for p in record.participants]
    texts += [record.notes] if record.notes else []
    for text in texts:
        words = text.split()
        hits = [i for i, word in enumerate(words) if _matches(word, query)]
        if hits:
            first = max(0, hits[0] - SNIPPET_WORDS // 3)
            shown = words[first : first + SNIPPET_WORDS]
            marked = [(word, _matches(word, query)) for word in shown]
            before = [("…", False)] if first > 0 else []
            after = [("…", False)] if first + SNIPPET_WORDS < len(words) else []
            return tuple(before + marked + after)
    return tuple((word, False) for word in record.title.en.split())


def _hit(kind: str, text: str, score: float, query: list[str]) -> SearchHit:
    record = _record(kind, text)
    return SearchHit(record.id, _kind(record), record, _snippet(record, query), score)


# --- filters ----------------------------------------------------------------------------------

# Dated records newest first, then undated ones; on one day events before agreements.
_NEWEST_FIRST = "r.first IS NULL, r.first DESC, r.kind = 'agreement', r.id"


def _unit_rows_query(
    units: Iterable[str] | None,
    start: date | None,
    end: date | None,
    kinds: Iterable[str] | None,
) -> tuple[str, list[str | int]]:
    """The units the matching records name, one row each, newest record first."""
    where, params = _filters(units, start, end, kinds)
    sql = (
        "SELECT r.rowid AS key, r.id, u.unit, u.side, u.name FROM records r "
        f"JOIN record_units u ON u.record = r.rowid WHERE {where} "
        f"ORDER BY {_NEWEST_FIRST}, r.rowid"
    )
    return sql, params


def _filters(
    units: Iterable[str] | None,
    start: date | None,
    end: date | None,
    kinds: Iterable[str] | None,
) -> tuple[str, list[str | int]]:
    """A WHERE clause over ``records r`` and its parameters."""
    clauses = ["r.shadowed = 0"]
    params: list[str | int] = []
    if units is not None:
        units = list(units)
        marks = ", ".join("?" * len(units))
        clauses.append(f"r.rowid IN (SELECT record FROM record_units WHERE unit IN ({marks}))")
        params += units
    if start is not None:
        clauses.append("r.last >= ?")
        params.append(start.toordinal())
    if end is not None:
        clauses.append("r.first <= ?")
        params.append(end.toordinal())
    if kinds is not None:
        kinds = list(kinds)
        clauses.append(f"COALESCE(r.event_kind, r.kind) IN ({', '.join('?' * len(kinds))})")
        params += kinds
    return " AND ".join(clauses), params
