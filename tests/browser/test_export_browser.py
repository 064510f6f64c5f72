"""The exported map in a real browser: it draws with no network and a province click opens its
cooperation history."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.ops import polylabel

from loaders.atlas import Selection
from loaders.boundaries import load_units
from mapapp.export import export_map

pytestmark = pytest.mark.browser


def map_variable(page) -> str:
    return page.evaluate("document.querySelector('.folium-map').id")


def click_unit(page, unit_id: str) -> None:
    """Zoom to the unit and click its pole of inaccessibility: the point farthest from its
    edges, clear of the border-crossing markers."""
    geometry = load_units().loc[unit_id].geometry
    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    point = polylabel(largest, tolerance=0.01)
    args = [map_variable(page), point.y, point.x]
    page.evaluate(
        "([name, lat, lon]) => { const map = window[name]; map.closePopup();"
        " map.setView([lat, lon], 8, {animate: false}); }",
        args,
    )
    page.wait_for_timeout(300)  # let a late fitBounds or resize settle before aiming
    xy = page.evaluate(
        """([name, lat, lon]) => {
            const map = window[name];
            if (map.getZoom() !== 8) map.setView([lat, lon], 8, {animate: false});
            const p = map.latLngToContainerPoint([lat, lon]);
            const box = document.querySelector('.folium-map').getBoundingClientRect();
            return [p.x + box.left, p.y + box.top];
        }""",
        args,
    )
    page.mouse.click(*xy)


@pytest.mark.parametrize("self_contained", [True, False], ids=["self-contained", "with-folder"])
def test_exported_map_draws_offline_and_opens_a_province_history(
    open_page, tmp_path: Path, self_contained: bool
) -> None:
    out = tmp_path / "atlas.html"
    export_map(out, Selection(), self_contained=self_contained)
    record = open_page()
    page = record.page
    page.goto(out.as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path")
    assert page.locator(".leaflet-overlay-pane path").count() >= 106  # every province drawn
    assert page.locator(".leaflet-control-layers").count() == 1
    assert page.locator(".ba-legend").count() == 1

    popup = page.locator(".leaflet-popup-content")
    for _attempt in range(3):  # on a loaded machine a marker can still be settling under the aim
        click_unit(page, "la-sekong")
        popup.wait_for(timeout=5000)
        text = popup.inner_text()
        if "Sekong" in text:
            break
    assert "Sekong" in text
    assert "2025-12-09" in text
    page.screenshot(path=str(tmp_path / "export-sekong.png"))
    assert record.problems() == []


def test_a_country_switched_off_is_not_drawn(open_page, tmp_path: Path) -> None:
    out = tmp_path / "vn-kh.html"
    export_map(out, Selection(countries=("VN", "KH")), self_contained=True)
    record = open_page()
    page = record.page
    page.goto(out.as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path")
    labels = page.locator(".leaflet-control-layers-overlays").inner_text()
    assert "Provinces of Cambodia" in labels
    assert "Provinces of Laos" not in labels
    assert record.problems() == []
