"""Reading, checking and geocoding borderatlas data. Never imports folium or streamlit."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("borderatlas")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
