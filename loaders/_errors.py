"""Exceptions that say which file, line and field went wrong."""

from __future__ import annotations

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
    """A data file was usable only after a repair the loader made and reports (a self-crossing
    polygon split into its lobes): the data loads, and the file should still be fixed."""
