"""Injection payloads in every text field, in a real browser: no dialog opens, no element is
injected, no request leaves the machine — in both exports and in the app.

The page is exercised the way a user would meet the payloads: it loads (tooltips and popups are
bound on load, where folium's template literals would run), then every crossing and venue popup
is shown and every tooltip opened.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import FOREIGN_HOST, write_hostile_data_dir

from loaders._io import DataSource
from loaders.atlas import Selection, load_atlas
from mapapp.export import export_map
from mapapp.serve import app_server

pytestmark = pytest.mark.browser

# Elements a payload would create if its markup were parsed rather than shown.
INJECTED = "img[src='x'], svg[onload], [onerror], [onload], a[href^='javascript:']"


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile_data_dir(tmp_path_factory.mktemp("hostile-data"))


def watch_dialogs(page) -> list[str]:
    seen: list[str] = []

    def on_dialog(dialog) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def show_every_popup(frame) -> int:
    """Put a copy of every bound popup's content (crossings, venues, provinces) into the page,
    and open every tooltip; return how many popups there were. Markers inside a closed cluster
    cannot open their popups, so the content is shown in a container of its own."""
    return frame.evaluate(
        """() => {
            const map = window[document.querySelector('.leaflet-container').id];
            const shelf = document.createElement('div');
            shelf.id = 'ba-test-popups';
            document.body.appendChild(shelf);
            let shown = 0;
            map.eachLayer(layer => {
                const popup = layer.getPopup && layer.getPopup();
                const content = popup && popup.getContent();
                if (content instanceof Node) {
                    shelf.appendChild(content.cloneNode(true)); shown += 1;
                } else if (typeof content === 'string') {
                    shelf.insertAdjacentHTML('beforeend', content); shown += 1;
                }
                if (layer.getTooltip && layer.getTooltip() && map.hasLayer(layer)) {
                    try { layer.openTooltip(); } catch (e) {}
                }
            });
            return shown;
        }"""
    )


@pytest.mark.parametrize("self_contained", [True, False], ids=["self-contained", "with-folder"])
def test_exported_map_of_hostile_data_runs_no_payload(
    open_page, hostile_dir: Path, tmp_path: Path, self_contained: bool
) -> None:
    out = tmp_path / "hostile.html"
    data = load_atlas(DataSource(hostile_dir))
    export_map(out, Selection(), self_contained=self_contained, data=data)
    record = open_page()
    page = record.page
    dialogs = watch_dialogs(page)
    page.goto(out.as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path")
    assert show_every_popup(page) >= 34  # every crossing, and the venues
    assert "pixel.png" in page.locator("#ba-test-popups").inner_text()  # shown as text
    assert dialogs == []
    assert page.locator(INJECTED).count() == 0
    assert [url for url in record.blocked_requests if FOREIGN_HOST in url] == []
    assert record.problems() == []


@pytest.fixture(scope="module")
def hostile_app_url(hostile_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with app_server(str(hostile_dir), tmp_path_factory.mktemp("hostile-app")) as (url, _pid):
        yield url


def test_app_with_hostile_data_runs_no_payload(
    open_page, hostile_app_url: str, tmp_path: Path
) -> None:
    record = open_page()
    page = record.page
    page.set_viewport_size({"width": 1440, "height": 900})
    dialogs = watch_dialogs(page)
    page.goto(f"{hostile_app_url}/?lang=en&province=vn-nghe-an")
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=60_000)
    # The panel shows the hostile unit name and crossing names as text, not as markdown.
    page.get_by_text("pixel.png", exact=False).first.wait_for(timeout=30_000)
    map_frame = next(f for f in page.frames if f.locator(".leaflet-container").count())
    assert show_every_popup(map_frame) >= 34
    page.screenshot(path=str(tmp_path / "hostile-app.png"))
    assert dialogs == []
    assert page.locator(INJECTED).count() == 0
    assert map_frame.locator(INJECTED).count() == 0
    assert [url for url in record.blocked_requests if FOREIGN_HOST in url] == []
