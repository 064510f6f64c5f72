"""Where data files come from: a user's data directory first, the embedded package data second.

A team keeps its own records by pointing ``--data-dir`` (or ``BORDERATLAS_DATA_DIR``) at a folder
laid out like ``geodata/``; any file missing there falls back to the embedded copy.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import tempfile
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources

# An embedded file (what DataSource.locate gives when the user has no copy), for loaders.index too.
from importlib.resources.abc import Traversable as Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from loaders._errors import DataError

DATA_DIR_ENV = "BORDERATLAS_DATA_DIR"
LOCK_FILE = ".borderatlas.lock"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class DataSource:
    """Resolves data file names (relative to the ``geodata/`` layout) to readable files."""

    user_dir: Path | None = None

    @classmethod
    def from_env(cls, data_dir: str | Path | None = None) -> DataSource:
        """Use ``data_dir`` if given, else ``$BORDERATLAS_DATA_DIR``, else only embedded data."""
        chosen = data_dir or os.environ.get(DATA_DIR_ENV) or None
        if chosen is None:
            return cls()
        path = Path(chosen).expanduser()
        if not path.is_dir():
            raise NotADirectoryError(f"data directory {path} does not exist or is not a folder")
        return cls(path)

    def locate(self, relative: str) -> Traversable | Path:
        """The user's copy of ``relative`` if it exists (even as a dangling link, which is then
        reported as the user's broken file), else the embedded one."""
        if self.user_dir is not None:
            candidate = self.user_dir / relative
            if candidate.exists() or candidate.is_symlink():
                return candidate
        return embedded(relative)

    def read_text(self, relative: str) -> str:
        """The file's text; :class:`DataError` naming the file and line if it is not UTF-8."""
        data = self.locate(relative).read_bytes()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            message = (
                f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
                "save the file as UTF-8"
            )
            raise DataError(self.label(relative), message, line=line) from None

    def label(self, relative: str) -> str:
        """A path to show in messages: the user's file, or ``geodata/<relative>``."""
        found = self.locate(relative)
        return str(found) if isinstance(found, Path) else f"geodata/{relative}"

    def is_users(self, label: str) -> bool:
        """Whether ``label`` (from :meth:`label`) is a file of the user's data directory."""
        return self.user_dir is not None and Path(label).is_relative_to(self.user_dir)

    def list_dir(self, relative: str) -> list[tuple[str, Traversable | Path]]:
        """Entries of folder ``relative`` other than folders; the user's replace embedded ones
        of that name. A user's entry may be no regular file (a dangling link, a device): see
        :func:`not_a_regular_file`, so readers can report it rather than skip it in silence."""
        files: dict[str, Traversable | Path] = {}
        folder = embedded(relative)
        if folder.is_dir():
            files.update({entry.name: entry for entry in folder.iterdir() if entry.is_file()})
        if self.user_dir is not None and (self.user_dir / relative).is_dir():
            user = (self.user_dir / relative).iterdir()
            files.update({p.name: p for p in user if p.is_symlink() or not p.is_dir()})
        return sorted(files.items())


def not_a_regular_file(entry: Traversable | Path) -> str | None:
    """Why ``entry`` cannot be read as a data file (a dangling link, a device ...), or None."""
    if not isinstance(entry, Path) or entry.is_file():
        return None
    if entry.is_symlink() and not entry.exists():
        return f"a link to {os.readlink(entry)!r}, which does not exist"
    return "not a regular file (a device, a pipe or a folder), so it cannot be read"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/borderatlas``, else ``~/.cache/borderatlas``: downloads and the index."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "borderatlas"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def embedded(relative: str) -> Traversable:
    """A file or folder of the embedded ``geodata`` package."""
    node = resources.files("geodata")
    for part in relative.split("/"):
        node = node / part
    return node


def write_atomic(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    Refuses to replace an existing file unless ``overwrite`` is set, so nothing is lost silently:
    a new file is linked into place, which fails if another writer created the name first. Any
    failure (a full disk, a read-only folder) leaves ``path`` as it was and no temporary file;
    the ``OSError`` raised names ``path``.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} already exists; refusing to overwrite it")
    try:
        _write_through_temporary(path, text.encode("utf-8"), overwrite)
    except FileExistsError:
        raise
    except OSError as error:  # the same kind of error, naming the file the user asked for
        raise type(error)(error.errno, error.strerror or str(error), str(path)) from None


def _write_through_temporary(path: Path, data: bytes, overwrite: bool) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file stands where the folder should be
        message = f"{path.parent} is a file, not a folder"
        raise NotADirectoryError(errno.ENOTDIR, message) from None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual mode
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic: never replaces a file that appeared meanwhile
            except FileExistsError:
                raise FileExistsError(f"{path} already exists; refusing to overwrite it") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is written (it may write fewer than it was given)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


@contextmanager
def data_dir_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive OS lock on the data directory ``folder`` (``.borderatlas.lock`` in it).

    Writers that read the records, decide and write (``ingest --append``) do all three inside
    it, so two of them never decide on the same stale state: parallel appends lose nothing.
    """
    import fcntl  # POSIX; the lock file outlives the lock, which is released on close

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def read_csv_models(source: DataSource, relative: str, model: type[M]) -> list[M]:
    """Parse every row of a CSV file into ``model``; errors name the file, line and field."""
    label = source.label(relative)
    text = source.read_text(relative)
    rows = csv.DictReader(io.StringIO(text))
    if not text.strip():
        raise DataError(label, "the file is empty: expected a header line, then one row a record")
    records = []
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        try:
            records.append(model.model_validate(row))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or None
            raise DataError(
                label, first["msg"], line=line, field=field, value=row.get(str(field))
            ) from None
    return records


EMBEDDED = DataSource()
"""The embedded data only (the default of every loader)."""


# --- YAML ---------------------------------------------------------------------------------------

# libyaml's safe loader parses ten times faster than the pure-Python one (100k events load in
# minutes, not tens of minutes); both build the same plain data.
if TYPE_CHECKING:  # mypy needs one class to derive from; the two have the same interface
    _SafeBase = yaml.SafeLoader
else:
    _SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RecordLoader(_SafeBase):
    """A safe loader that leaves dates as text (PyYAML would raise on ``2019-13-01`` before the
    schema could report it against its field, and partial dates need our parser anyway) and
    refuses a key given twice (plain YAML silently keeps the last value)."""

    # types-PyYAML declares this per instance; PyYAML keeps it on the class, as here.
    yaml_implicit_resolvers: ClassVar = {  # type: ignore[misc]
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        first_line: dict[object, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable) and key in first_line:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"key {key!r} given twice (first on line {first_line[key]})",
                    key_node.start_mark,
                )
            if isinstance(key, Hashable):
                first_line[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str, path: str | Path | None = None, *, strict: bool = True) -> Any:
    """Plain data from a record's or a header's YAML ``text`` (read from ``path``, if a file).

    Raises ``yaml.YAMLError`` (with the line) for bad YAML, a duplicate key or an alias: records
    have no use for aliases, and nested ones expand exponentially (a 1 kB file of them took
    50 s and 3 GB to load). ``strict=False`` keeps duplicate keys and dates as plain YAML does
    (for files whose checks report duplicates themselves). A text nested deeper than the parser
    can follow (libyaml stops at 1000 levels; the pure-Python parser would overflow Python's
    stack) raises :class:`DataError` naming ``path``: it is no data file, and no line helps.
    """
    try:
        if "*" in text:  # cheap test first: only a text with an asterisk can hold an alias
            for event in yaml.parse(text, Loader=_SafeBase):
                if isinstance(event, yaml.AliasEvent):
                    raise yaml.composer.ComposerError(
                        None,
                        None,
                        f"alias *{event.anchor} is not allowed here",
                        # types-PyYAML allows only the pure-Python parser's Mark here; libyaml's
                        # parser gives its own, which the error formats just the same.
                        event.start_mark,  # type: ignore[arg-type]
                    )
        return yaml.load(text, Loader=_RecordLoader if strict else _SafeBase)  # plain data only
    except RecursionError:
        raise _too_deep(path) from None
    except yaml.YAMLError as error:
        if getattr(error, "problem", None) == "exceeded maximum nesting depth":  # libyaml's
            raise _too_deep(path) from None
        raise


def _too_deep(path: str | Path | None) -> DataError:
    return DataError(path or "YAML text", "nested too deeply to be a data file (over 1000 levels)")


def read_yaml(source: DataSource, relative: str, *, strict: bool = True) -> Any:
    """The plain data of YAML file ``relative``; any fault is a one-line :class:`DataError`
    naming the file and line (PyYAML's own messages span several lines)."""
    label = source.label(relative)
    try:
        return load_yaml(source.read_text(relative), label, strict=strict)
    except yaml.YAMLError as error:
        line, problem = yaml_problem(error)
        raise DataError(label, f"not valid YAML: {problem}", line=line) from None


def yaml_problem(error: yaml.YAMLError) -> tuple[int | None, str]:
    """The line (1-based, when known) and a one-line description of a YAML error."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    return (mark.line + 1 if mark is not None else None), " ".join(problem.split())


# --- JSON ---------------------------------------------------------------------------------------


def json_kind(value: object) -> str:
    """What JSON calls ``value``'s type: object, list, string, number, boolean or null."""
    kinds = {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}
    return kinds.get(type(value), "number")


def load_json(text: str, path: str | Path) -> Any:
    """The data of JSON ``text`` read from ``path``; :class:`DataError` naming it when the text
    is not JSON, nests too deeply for Python's parser, or holds a number too long to convert."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(path, f"not valid JSON: {error.msg}", line=error.lineno) from None
    except RecursionError:
        raise DataError(path, "not usable JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise DataError(path, f"not usable JSON: {error}") from None
