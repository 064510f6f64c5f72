"""Units compared across dates: "vn-quang-nam" (2019) and "vn-da-nang-2025" name one territory."""

from __future__ import annotations

from loaders import boundaries
from loaders._io import DataSource


def units_today(unit: str, source: DataSource) -> list[str]:
    """The unit(s) ``unit``'s territory belongs to today; empty for an unknown id (the data's
    own checks report those, ingestion goes on without them)."""
    try:
        return boundaries.current_units_of(unit, source)
    except KeyError:
        return []
