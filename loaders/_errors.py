"""The error vocabulary: exceptions that say which file, line and field went wrong, the
:class:`Problem` a data check reports instead of raising, and the :class:`DataWarning` a loader
gives for what it repaired or left out.

The policy for bad data (docs/architecture.md, "Words and errors"): a file a loader needs whole
raises :class:`DataError`; a bad record (one row of ``crossings.csv``, one event, agreement or
series file) is left out, returned as a :class:`Problem` or :class:`DataError` by the ``read_*``
functions and warned of by the ``load_*`` ones; ``borderatlas validate`` lists every problem.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path


class BorderAtlasError(Exception):
    """Base class of every error this package raises on purpose."""


class DataError(BorderAtlasError):
    """A data file holds a value that cannot be used.

    The message names the file, the line or record (when known), the field and the value, so a
    user can find and fix it without reading a traceback.
    """

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.value = value
        self.detail = message
        parts = [self.path if line is None else f"{self.path}:{line}"]
        if field:
            parts.append(f"field '{field}'")
        shown = f" (value: {value!r})" if value is not None else ""
        parts.append(f"{message}{shown}")
        super().__init__(": ".join(parts))


class DataWarning(UserWarning):
    """A data file was usable only in part, or after a repair the loader made and reports (a bad
    record left out, a self-crossing polygon split into its lobes): the data loads, and the file
    should still be fixed."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where it is, which field, what is wrong."""

    check: str  # which check found it, e.g. "boundaries.counts"
    file: str  # the file as the user knows it (their copy or geodata/...)
    message: str
    field: str | None = None
    record: str | None = None  # the id or line of the offending record, when there is one

    def __str__(self) -> str:
        where = self.file + (f" [{self.record}]" if self.record else "")
        field = f" field '{self.field}':" if self.field else ""
        return f"{where}:{field} {self.message} ({self.check})"

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


def warn_each(problems: Iterable[Problem | DataError]) -> None:
    """One :class:`DataWarning` per problem a loader went on past (a record it left out, a
    misnamed file), each naming the file, the line or record, and the field: never a silent skip."""
    for problem in problems:
        warnings.warn(str(problem), DataWarning, stacklevel=3)
