"""The app's map widget: streamlit-folium's component, fed a map rendered once.

``st_folium(map)`` turns its folium map into Leaflet script on every call: for the app's map
(every province, border, crossing and link) that takes about half a second, and the app's map
fragment runs again on every click and pan. The map of one selection never changes between
those runs, so :func:`prepare` renders it once (the app caches the result) and :func:`show`
hands the same script to the component ``st_folium`` uses, with the parts that do change from
run to run: the selected outline, the centre and the zoom.

This leans on streamlit-folium's internal helpers, so ``pyproject.toml`` pins its minor version
and ``tests/test_app.py`` checks that :func:`show` passes the component exactly what
``st_folium`` would.

streamlit-folium is imported on first use, in a page run: it declares its component when
imported, and Streamlit registers a component only when it is declared during a page run. The
app's warm start (:func:`mapapp.app.warm_up`) imports this module before the server runs.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any, cast

import branca
import folium
import folium.elements
import streamlit as st

# What the component can report, in st_folium's order (its defaults before the first report).
_REPORTED = (
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_count",
    "last_object_clicked_tooltip",
    "last_object_clicked_popup",
    "all_drawings",
    "last_active_drawing",
    "bounds",
    "zoom",
    "last_circle_radius",
    "last_circle_polygon",
    "selected_layers",
    "selected_tags",
    "last_geocoder_result",
)
D3 = ["https://d3js.org/d3.v4.min.js", "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"]


def _streamlit_folium() -> ModuleType:
    """streamlit-folium, imported when first needed (see the module's docstring)."""
    return importlib.import_module("streamlit_folium")


@dataclass(frozen=True)
class PreparedMap:
    """A folium map as streamlit-folium's component takes it."""

    script: str  # the Leaflet script that draws the map
    header: str
    html: str
    map_id: str
    bounds: list[list[float | None]]  # None for an empty map, as folium and st_folium have it
    zoom: float | None
    css_links: list[str]
    js_links: list[str]


def prepare(fmap: folium.Map) -> PreparedMap:
    """Render ``fmap`` as ``st_folium`` would (on a copy: rendering changes the map)."""
    sf = _streamlit_folium()
    fmap = copy.deepcopy(fmap)
    fmap.get_root().render()
    fmap.render()
    html, header = sf._get_html(fmap), sf._get_header(fmap)  # before the script: it alters fmap
    css_links, js_links = _asset_links(fmap)
    return PreparedMap(
        script=sf._get_map_string(fmap),
        header=header,
        html=html,
        map_id=sf.get_full_id(fmap),
        bounds=fmap.get_bounds(),
        # folium types its options as any JSON value; Map puts its zoom_start, a number, here.
        zoom=cast("float | None", fmap.options.get("zoom")),
        css_links=css_links,
        js_links=js_links,
    )


def show(
    prepared: PreparedMap,
    *,
    key: str,
    height: int,
    returned_objects: list[str],
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    feature_group_to_add: folium.FeatureGroup | None = None,
    on_change: Callable[[dict[str, Any], dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Draw the prepared map (full width) and return what the browser reports, as
    ``st_folium(map, key=..., use_container_width=True, ...)`` does. ``on_change`` is called
    with the browser's previous report and its new one (a click is told from a pan by what
    changed)."""
    sf = _streamlit_folium()
    hash_key = _hash_key(prepared.script, key)

    def changed() -> None:
        previous = st.session_state.get(key) or {}
        st.session_state[key] = reported = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change(previous, reported)

    defaults = dict.fromkeys(_REPORTED, None) | {
        "bounds": _bounds_dict(prepared.bounds),
        "zoom": prepared.zoom,
    }
    return sf._component_func(
        script=prepared.script,
        header=prepared.header,
        html=prepared.html,
        id=prepared.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=returned_objects,
        default={name: value for name, value in defaults.items() if name in returned_objects},
        zoom=zoom,
        center=center,
        feature_group=_feature_group_script(feature_group_to_add),
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=prepared.css_links,
        js_links=prepared.js_links,
        on_change=changed,
        wrap_longitude=False,
    )


def _hash_key(script: str, key: str) -> str:
    return _HASHES.get((script, key)) or _HASHES.setdefault(
        (script, key), _streamlit_folium().generate_js_hash(script, key, False)
    )


_HASHES: dict[tuple[str, str], str] = {}  # the hash of a 700 KB script takes a while


def _feature_group_script(group: folium.FeatureGroup | None) -> str | None:
    """The script that adds ``group`` to the drawn map (named ``map_div`` on the page)."""
    if group is None:
        return None
    sf = _streamlit_folium()
    return sf._get_feature_group_string(copy.deepcopy(group), map=folium.Map(), idx=0)


def _bounds_dict(bounds: list[list[float | None]]) -> dict[str, dict[str, float | None]]:
    (south, west), (north, east) = bounds
    return {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}


def _asset_links(fmap: folium.Map) -> tuple[list[str], list[str]]:
    """The stylesheets and scripts the map's elements ask for, each once."""
    css: list[str] = []
    js: list[str] = []
    for element in _elements(fmap):
        if isinstance(element, branca.colormap.ColorMap):  # as st_folium: d3 for colour maps
            js[:0] = D3
        css += [href for _name, href in getattr(element, "default_css", [])]
        js += [src for _name, src in getattr(element, "default_js", [])]
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


def _elements(element: Any) -> Iterator[Any]:
    if isinstance(element, branca.colormap.ColorMap | folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)
