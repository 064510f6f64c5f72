"""Maps drawn by headless Chromium with the network blocked: the proof that make_offline works.

Each test renders a map with the plugins borderatlas uses, opens it (as a file for ``inline``,
from a loopback HTTP server laid out like Streamlit's ``/app/static/`` for ``served``) and checks
that Leaflet drew the shapes and controls with no console error, failed or blocked request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import branca.colormap
import folium
import pytest
from folium import plugins

from mapapp.assets import make_offline, write_static_files

pytestmark = pytest.mark.browser

# Rough outlines (a few vertices each) of border provinces, in their real places.
PROVINCES = {
    "vn-quang-tri": ("Quảng Trị", [(106.5, 16.4), (107.4, 16.5), (107.2, 17.2), (106.6, 17.1)]),
    "vn-kon-tum": ("Kon Tum", [(107.6, 14.1), (108.5, 14.3), (108.3, 15.4), (107.5, 15.2)]),
    "la-savannakhet": (
        "Savannakhet",
        [(104.7, 16.2), (106.0, 15.9), (106.6, 16.5), (106.3, 17.1), (105.0, 17.0)],
    ),
    "kh-ratanakiri": ("Ratanakiri", [(106.6, 13.4), (107.5, 13.5), (107.5, 14.6), (106.7, 14.4)]),
}


def province_collection() -> dict:
    """The provinces as a GeoJSON FeatureCollection with ``id`` and ``name`` properties."""
    features = [
        {
            "type": "Feature",
            "properties": {"id": unit_id, "name": name},
            "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        }
        for unit_id, (name, ring) in PROVINCES.items()
    ]
    return {"type": "FeatureCollection", "features": features}


def sample_map(tile_url: str, grouped: bool = False) -> folium.Map:
    """A tile-less map: provinces (tooltip, popup), a marker cluster, awesome-markers (a Font
    Awesome and a glyphicon one), a default Leaflet marker, a border line, fullscreen, minimap,
    search, measure, a colormap legend and a layer control (grouped or plain)."""
    # Without tiles folium drops max_zoom, and MarkerCluster throws "Map has no maxZoom
    # specified": pass Leaflet's option itself.
    m = folium.Map(location=[15.3, 106.6], zoom_start=7, tiles=None, control_scale=True, maxZoom=18)
    provinces = folium.FeatureGroup(name="Provinces").add_to(m)
    lines = folium.FeatureGroup(name="Border").add_to(m)
    layer = folium.GeoJson(
        province_collection(),
        style_function=lambda f: {"fillColor": "#3182bd", "color": "#08306b", "weight": 2},
        tooltip=folium.GeoJsonTooltip(["name"]),
        popup=folium.GeoJsonPopup(["name", "id"]),
    ).add_to(provinces)
    cluster = plugins.MarkerCluster(name="Crossings").add_to(m)
    for lat, lon in [(16.62, 106.59), (16.63, 106.60), (16.61, 106.61)]:
        folium.Marker([lat, lon], icon=folium.DivIcon(html="<b>×</b>")).add_to(cluster)
    folium.Marker([14.8, 108.0], icon=folium.Icon(icon="flag", prefix="fa", color="red")).add_to(m)
    folium.Marker([16.0, 105.6], icon=folium.Icon(color="green")).add_to(m)  # a glyphicon
    folium.Marker([14.3, 107.0]).add_to(m)  # Leaflet's default (blue) marker image
    folium.PolyLine([[16.4, 106.5], [17.1, 106.6]], color="#d62728", weight=4).add_to(lines)
    plugins.Fullscreen().add_to(m)
    plugins.MiniMap(tile_layer=folium.TileLayer(tiles=tile_url, attr="blank")).add_to(m)
    plugins.Search(layer, search_label="name", geom_type="Polygon").add_to(m)
    plugins.MeasureControl().add_to(m)
    branca.colormap.LinearColormap(
        ["#ffeeee", "#cc0000"], vmin=0, vmax=10, caption="Events"
    ).add_to(m)
    if grouped:
        plugins.GroupedLayerControl({"Layers": [provinces, lines]}, exclusive_groups=False).add_to(
            m
        )
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def assert_map_drew(record, tmp_path: Path) -> None:
    """Leaflet panes, province paths, markers, plugin controls and fonts are there, nothing
    failed; a screenshot goes to ``tmp_path/map.png``."""
    page = record.page
    page.wait_for_selector(".leaflet-pane .leaflet-interactive", timeout=10_000)
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)  # let the cluster and the minimap finish their first draw
    page.screenshot(path=str(tmp_path / "map.png"))
    count = page.locator
    assert count(".leaflet-pane").count() >= 5
    # one SVG path per province plus the border line
    assert count(".leaflet-overlay-pane svg path").count() >= len(PROVINCES) + 1
    for control in (
        ".leaflet-control-zoom-fullscreen",
        ".leaflet-control-minimap",
        ".leaflet-control-search",
        ".leaflet-control-measure",
        ".leaflet-control-layers",
        ".leaflet-control-scale",
        ".legend.leaflet-control svg",  # the branca colormap, drawn by d3
    ):
        assert count(control).count() >= 1, f"{control} is missing"
    assert count(".marker-cluster").count() >= 1
    assert page.evaluate(
        """[...document.querySelectorAll('img.leaflet-marker-icon')]
               .some(i => i.complete && i.naturalWidth > 0)"""
    ), "the default Leaflet marker image did not load"
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("Font Awesome" in family for family in loaded), loaded
    assert "Glyphicons Halflings" in loaded, loaded
    assert record.problems() == []


def test_inline_map_draws_from_a_file_with_no_network(open_page, blank_tile_url, tmp_path) -> None:
    html = tmp_path / "map.html"
    make_offline(sample_map(blank_tile_url), "inline").save(str(html))
    record = open_page()
    record.page.goto(html.as_uri())
    assert_map_drew(record, tmp_path)
    assert record.page.locator("script[src], link[rel=stylesheet]").count() == 0


@pytest.fixture
def static_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server on a free loopback port serving ``tmp_path/site``; yields (base URL, root)."""
    root = tmp_path / "site"
    root.mkdir()

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def test_served_map_draws_from_a_static_folder(
    open_page, blank_tile_url, static_server, tmp_path
) -> None:
    base_url, root = static_server
    # the layout Streamlit uses: <app dir>/static/vendor/... served at /app/static/vendor/...
    write_static_files(root / "app" / "static" / "vendor")
    m = make_offline(sample_map(blank_tile_url, grouped=True), "served", "/app/static/vendor")
    m.save(str(root / "index.html"))
    record = open_page()
    requested: list[str] = []
    record.page.on("request", lambda r: requested.append(r.url))
    record.page.goto(f"{base_url}/index.html")
    assert_map_drew(record, tmp_path)
    assert record.page.locator(".leaflet-control-layers-group").count() >= 1
    assert any(u.endswith("/app/static/vendor/leaflet/leaflet.js") for u in requested)
    assert any(u.endswith("/font-awesome/webfonts/fa-solid-900.woff2") for u in requested)


def test_plain_folium_map_is_blocked_and_stays_empty(open_page, blank_tile_url, tmp_path) -> None:
    """The control: without make_offline the fixture blocks the CDNs and nothing draws."""
    html = tmp_path / "plain.html"
    sample_map(blank_tile_url).save(str(html))
    record = open_page()
    record.page.goto(html.as_uri())
    assert any(url.endswith("/leaflet.js") for url in record.blocked_requests)
    assert record.page.locator(".leaflet-pane").count() == 0
    assert any("L is not defined" in e for e in record.page_errors), record.page_errors
