"""Reading, checking and geocoding borderatlas data. Never imports folium or streamlit.

The names below are the API to script against (README, "Scripting"); each is imported on first
use, so ``import loaders`` stays light and the CLI starts fast. Two functions share their
module's name and are imported from it: ``from loaders.geocode import geocode`` and
``from loaders.lookup import lookup`` (as a package attribute, the name is the module).
Everything else is internal and may change.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

try:
    __version__ = version("borderatlas")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

if TYPE_CHECKING:
    from loaders._errors import BorderAtlasError, DataError, Problem
    from loaders._io import EMBEDDED, DataSource
    from loaders.atlas import Selection, cooperation_view, load_atlas
    from loaders.boundaries import Unit, border_length, load_units, read_units, units_on
    from loaders.checks import validate
    from loaders.crossings import Crossing, load_crossings
    from loaders.events import Agreement, Event, load_agreements, load_events
    from loaders.geocode import GeocodeResult
    from loaders.history import counterparts, history_page, unit_history
    from loaders.index import RecordIndex
    from loaders.ingest import ingest_file, ingest_text
    from loaders.ingest.append import append_draft

# The public name -> the module that defines it.
_EXPORTS = {
    # where the data is, and what goes wrong with it
    "DataSource": "loaders._io",
    "EMBEDDED": "loaders._io",
    "BorderAtlasError": "loaders._errors",
    "DataError": "loaders._errors",
    "Problem": "loaders._errors",
    "validate": "loaders.checks",
    # units across time, and names
    "Unit": "loaders.boundaries",
    "read_units": "loaders.boundaries",
    "load_units": "loaders.boundaries",
    "units_on": "loaders.boundaries",
    "border_length": "loaders.boundaries",
    "GeocodeResult": "loaders.geocode",
    # crossings and the cooperation history
    "Crossing": "loaders.crossings",
    "load_crossings": "loaders.crossings",
    "Event": "loaders.events",
    "Agreement": "loaders.events",
    "load_events": "loaders.events",
    "load_agreements": "loaders.events",
    "RecordIndex": "loaders.index",
    "unit_history": "loaders.history",
    "history_page": "loaders.history",
    "counterparts": "loaders.history",
    "Selection": "loaders.atlas",
    "load_atlas": "loaders.atlas",
    "cooperation_view": "loaders.atlas",
    # news articles into records
    "ingest_text": "loaders.ingest",
    "ingest_file": "loaders.ingest",
    "append_draft": "loaders.ingest.append",
}

__all__ = [
    "EMBEDDED",
    "Agreement",
    "BorderAtlasError",
    "Crossing",
    "DataError",
    "DataSource",
    "Event",
    "GeocodeResult",
    "Problem",
    "RecordIndex",
    "Selection",
    "Unit",
    "__version__",
    "append_draft",
    "border_length",
    "cooperation_view",
    "counterparts",
    "history_page",
    "ingest_file",
    "ingest_text",
    "load_agreements",
    "load_atlas",
    "load_crossings",
    "load_events",
    "load_units",
    "read_units",
    "unit_history",
    "units_on",
    "validate",
]


def __getattr__(name: str) -> object:
    """Import a public name's module when the name is first used (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'loaders' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
