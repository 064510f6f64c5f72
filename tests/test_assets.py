"""Offline assets: every CDN asset folium asks for has a local copy, and no map rendered by
``mapapp.assets.make_offline`` refers to a CDN (checked on the HTML; tests/browser checks that
the page really draws)."""

from __future__ import annotations

import re
from pathlib import Path

import branca.colormap
import folium
import pytest
from folium import plugins

from mapapp import assets
from mapapp.assets import ASSETS, OfflineAssetError, make_offline, write_static_files

# Script and stylesheet references in rendered HTML (tile URL templates live inside the map's
# JavaScript as strings, so they do not match).
SCRIPT_SRC = re.compile(r"<script[^>]*\ssrc\s*=\s*['\"]([^'\"]+)", re.IGNORECASE)
LINK_HREF = re.compile(r"<link[^>]*\shref\s*=\s*['\"]([^'\"]+)", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
EXTERNAL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)

# The elements the map uses, each with the class whose asset lists folium renders.
USED_CLASSES = [
    folium.Map,
    plugins.MarkerCluster,
    plugins.Fullscreen,
    plugins.MiniMap,
    plugins.Search,
    plugins.GroupedLayerControl,
    plugins.MeasureControl,
    plugins.HeatMap,
]


def full_map() -> folium.Map:
    """A map with every element borderatlas uses: GeoJson with tooltip and popup, awesome-marker,
    glyphicon, DivIcon and default markers in a cluster, a polyline, the plugins, a colormap
    legend and both layer controls."""
    m = folium.Map(location=[15.5, 106.5], zoom_start=6, tiles=None, control_scale=True)
    provinces = folium.FeatureGroup(name="Provinces").add_to(m)
    border = folium.FeatureGroup(name="Border").add_to(m)
    shape = {
        "type": "Feature",
        "properties": {"id": "vn-quang-tri", "name": "Quảng Trị"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[106.5, 16.4], [107.4, 16.5], [107.2, 17.2], [106.5, 16.4]]],
        },
    }
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": [shape]},
        tooltip=folium.GeoJsonTooltip(["name"]),
        popup=folium.GeoJsonPopup(["name", "id"]),
    ).add_to(provinces)
    cluster = plugins.MarkerCluster(name="Crossings").add_to(m)
    folium.Marker([16.6, 106.6], icon=folium.Icon(icon="flag", prefix="fa")).add_to(cluster)
    folium.Marker([16.7, 106.7], icon=folium.Icon()).add_to(cluster)  # glyphicon default
    folium.Marker([16.8, 106.8], icon=folium.DivIcon(html="<b>Lao Bảo</b>")).add_to(cluster)
    folium.Marker([14.5, 107.5]).add_to(m)
    folium.PolyLine([[16.4, 106.5], [17.2, 107.2]]).add_to(border)
    plugins.HeatMap([[16.5, 106.7, 1.0]]).add_to(m)
    plugins.Fullscreen().add_to(m)
    plugins.MiniMap().add_to(m)
    plugins.Search(layer, search_label="name", geom_type="Polygon").add_to(m)
    plugins.MeasureControl().add_to(m)
    plugins.GroupedLayerControl({"Layers": [provinces, border]}, exclusive_groups=False).add_to(m)
    branca.colormap.LinearColormap(
        ["#ffeeee", "#cc0000"], vmin=0, vmax=10, caption="Events"
    ).add_to(m)
    folium.LayerControl().add_to(m)
    return m


def external_refs(html: str) -> list[str]:
    """Every script, stylesheet or CSS url() reference in ``html`` that leaves the machine."""
    refs = SCRIPT_SRC.findall(html) + LINK_HREF.findall(html) + CSS_URL.findall(html)
    return [ref for ref in refs if EXTERNAL.match(ref.strip())]


def test_every_table_entry_points_to_an_existing_file() -> None:
    for asset in ASSETS:
        assert asset.sources, asset.url
        assert asset.served_path.endswith((".js", ".css")), asset.served_path
        for source in asset.sources:
            assert source.locate().is_file(), f"{asset.url}: {source.locate()} is missing"
            assert source.exists(), f"{asset.url}: {source} holds no copy"
            assert source.read().strip(), f"{asset.url}: {source} is empty"
        for _option, image in asset.default_icons:
            assert image.locate().is_file(), image


def test_table_has_one_row_per_url_and_path() -> None:
    assert len({a.url for a in ASSETS}) == len(ASSETS)
    assert len({a.served_path for a in ASSETS}) == len(ASSETS)


@pytest.mark.parametrize("cls", USED_CLASSES, ids=lambda c: c.__name__)
def test_table_covers_every_asset_the_used_elements_request(cls: type) -> None:
    requested = [*cls.default_js, *cls.default_css]
    assert requested, f"{cls.__name__} requests nothing: folium changed, revisit the table"
    for name, url in requested:
        assert assets.asset_for(url, name).url == url


def test_plain_folium_map_does_use_cdns() -> None:
    """The premise: without make_offline the same map loads everything from CDNs."""
    refs = external_refs(full_map().get_root().render())
    assert any("leaflet.js" in ref for ref in refs)
    assert any("d3.min.js" in ref for ref in refs)  # branca's colormap legend
    assert {ref for ref in refs} <= {a.url for a in ASSETS}


def test_inline_map_refers_to_no_cdn_and_embeds_everything() -> None:
    plain = full_map().get_root().render()
    html = make_offline(full_map(), "inline").get_root().render()
    assert external_refs(html) == []
    assert SCRIPT_SRC.findall(html) == [] and LINK_HREF.findall(html) == []
    for url in set(external_refs(plain)):
        assert url not in html
    # the tile layer of the minimap is not an asset and stays as it is
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html


def test_inline_css_refers_only_to_data_uris() -> None:
    html = make_offline(full_map(), "inline").get_root().render()
    head = html.split("</head>")[0]
    styles = "".join(re.findall(r"<style>(.*?)</style>", head, re.DOTALL))
    refs = [r.strip() for r in CSS_URL.findall(styles)]
    assert refs, "the inlined CSS should carry url() references"
    assert [r for r in refs if not r.startswith(("data:", "#"))] == []
    assert "data:font/woff2;base64," in styles  # Font Awesome glyphs
    assert "data:image/png;base64," in styles  # Leaflet's layer-control images
    assert 'L.Icon.Default.imagePath=""' in head  # default markers use the inlined images


def test_inline_code_cannot_end_its_block_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """Code holding "</script" (jQuery UI does) must not close the block it is embedded in."""
    js_url = assets._LEAFLET + "leaflet.js"
    monkeypatch.setattr(assets, "asset_text", lambda url, mode: "s = '</SCRIPT><b>';")
    block = assets._inline_html.__wrapped__(js_url)
    assert block == "<script>s = '<\\/SCRIPT><b>';</script>"
    for asset in ASSETS:  # and the real ones stay one block each
        html = assets._inline_html(asset.url)
        tag = "script" if asset.kind == "js" else "style"
        assert html.lower().count(f"</{tag}") == 1, asset.url


def test_served_mode_rewrites_every_asset(tmp_path: Path) -> None:
    plain = full_map().get_root().render()
    m = make_offline(full_map(), "served", static_url="/app/static/vendor")
    html = m.get_root().render()
    written = {p.relative_to(tmp_path).as_posix() for p in write_static_files(tmp_path)}
    links = SCRIPT_SRC.findall(html) + LINK_HREF.findall(html)
    assert external_refs(html) == []
    assert len(links) == len(SCRIPT_SRC.findall(plain) + LINK_HREF.findall(plain))
    for link in links:
        assert link.startswith("/app/static/vendor/"), link
        assert link.removeprefix("/app/static/vendor/") in written, link


def test_served_mode_gives_streamlit_folium_local_links() -> None:
    """streamlit-folium reads each element's default_js/default_css, not the header."""
    m = make_offline(full_map(), "served", static_url="/app/static/vendor")
    m.get_root().render()
    lists = [
        url
        for element in assets._walk(m.get_root())
        for _name, url in [
            *getattr(element, "default_js", []),
            *getattr(element, "default_css", []),
        ]
    ]
    assert lists and all(url.startswith("/app/static/vendor/") for url in lists)
    # folium's own class-level lists stay untouched for other maps in the process
    assert folium.Map.default_js[0][1].startswith("https://")
    assert plugins.MarkerCluster.default_css[0][1].startswith("https://")


def test_a_served_map_can_then_be_exported_inline() -> None:
    """The app shows a map in served mode, then offers it as a standalone download."""
    m = make_offline(full_map(), "served", static_url="/app/static/vendor")
    m.get_root().render()
    make_offline(m, "served", static_url="/static/other")
    assert "/static/other/leaflet/leaflet.js" in m.get_root().render()
    html = make_offline(m, "inline").get_root().render()
    assert external_refs(html) == []
    assert SCRIPT_SRC.findall(html) == [] and LINK_HREF.findall(html) == []
    assert "/static/other/" not in html and "/app/static/vendor/" not in html


def test_written_css_refers_only_to_written_files(tmp_path: Path) -> None:
    files = write_static_files(tmp_path)
    assert (tmp_path / "leaflet/images/layers.png").is_file()
    assert (tmp_path / "font-awesome/webfonts/fa-solid-900.woff2").is_file()
    for css in (f for f in files if f.suffix == ".css"):
        for ref in CSS_URL.findall(css.read_text(encoding="utf-8")):
            ref = ref.strip()
            if ref.startswith(("data:", "#")):
                continue
            target = (css.parent / re.split(r"[?#]", ref)[0]).resolve()
            assert target.is_file() and target.is_relative_to(tmp_path), f"{css}: {ref}"


def test_write_static_files_is_idempotent(tmp_path: Path) -> None:
    first = write_static_files(tmp_path)
    stamps = {p: p.stat().st_mtime_ns for p in first}
    assert write_static_files(tmp_path) == first
    assert {p: p.stat().st_mtime_ns for p in first} == stamps


def test_asset_without_local_copy_raises_naming_it() -> None:
    m = full_map()
    plugins.Draw().add_to(m)  # leaflet.draw is not in the table
    with pytest.raises(OfflineAssetError, match=r"'leaflet_draw_js'.*leaflet\.draw\.js"):
        make_offline(m, "inline")


def test_asset_added_after_make_offline_raises_at_render() -> None:
    m = make_offline(full_map(), "inline")
    plugins.Draw().add_to(m)
    with pytest.raises(OfflineAssetError, match=r"leaflet\.draw"):
        m.get_root().render()


def test_hand_written_cdn_link_in_header_raises() -> None:
    m = make_offline(full_map(), "served")
    tag = '<script src="https://unpkg.com/some-plugin.js"></script>'
    m.get_root().header.add_child(folium.Element(tag), name="custom")
    with pytest.raises(OfflineAssetError, match="'custom'"):
        m.get_root().render()


def test_a_missing_asset_is_one_line_from_the_command_line(
    tmp_path: Path, run_main, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assets, "_BY_URL", {})  # as if folium asked for URLs the table lacks
    out = tmp_path / "map.html"
    result = run_main("export", out, "--self-contained")
    assert result.code == 1
    assert "borderatlas has no local copy of it" in result.one_line()  # no traceback
    assert not out.exists()


def test_bad_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match="mode"):
        make_offline(full_map(), "cdn")  # type: ignore[arg-type]
