"""What the steps share: how a step says it cannot run, and the data it reads.

Step modules import only the standard library at their top: each step imports what it measures
inside itself, in its own fresh process, so imports are timed and counted where they belong.
"""

from __future__ import annotations

from typing import Any


class Skipped(Exception):
    """A step that cannot run here (a missing browser or package); the message says why."""


def data_source(params: dict[str, Any]) -> Any:
    """The data the step measures: ``params["data_dir"]`` over the embedded data."""
    from loaders._io import DataSource

    return DataSource.from_env(params.get("data_dir"))


def warm_data(source: Any) -> Any:
    """Load everything a map needs (loading is measured on its own); returns the atlas data."""
    from loaders import boundaries
    from loaders.atlas import load_atlas

    boundaries.all_units(source)
    boundaries.border_lines(source)
    return load_atlas(source)
