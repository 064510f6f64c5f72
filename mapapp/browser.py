"""The app in a headless Chromium, as the browser tests and ``borderatlas bench`` drive it.

- :func:`find_chromium` finds the browser: ``$BORDERATLAS_CHROMIUM``, then a Chromium or Chrome
  on ``PATH``, then the one Playwright manages (``playwright install chromium``).
- :func:`launch_chromium` starts it headless with the options both need.
- :func:`is_local` tells a request that stays on this machine from one that would leave it.
- :func:`wait_for_map` and :func:`aim_at` know the app's page: the map in streamlit-folium's
  iframe, and where a click lands on a province rather than on a line or marker above it.

Playwright is not a dependency of the product. The pages passed in are Playwright's; this module
imports Playwright only to ask where its own browser is.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from loaders._errors import BorderAtlasError

CHROMIUM_ENV = "BORDERATLAS_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# No sandbox: tests and the bench run as root in containers, where Chromium's sandbox cannot.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


class BrowserNotFound(BorderAtlasError):
    """No Chromium to drive; the message says where one was looked for and how to get one."""


def find_chromium() -> Path:
    """The Chromium to drive: ``$BORDERATLAS_CHROMIUM`` when set (it must be an executable
    file), else the first of :data:`CHROMIUM_NAMES` on ``PATH``, else Playwright's own."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        path = Path(configured)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise BrowserNotFound(f"${CHROMIUM_ENV} is {configured}, not an executable file")
        return path
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    managed = playwright_chromium()
    if managed is not None:
        return managed
    raise BrowserNotFound(
        f"no Chromium found: set ${CHROMIUM_ENV} to one, put {' or '.join(CHROMIUM_NAMES)} on "
        "PATH (apt-get install chromium), or let Playwright fetch its own "
        "(playwright install chromium)"
    )


@functools.cache  # asking starts Playwright's driver, a Node.js process: once is enough
def playwright_chromium() -> Path | None:
    """The Chromium that ``playwright install chromium`` put in place; None without one (or
    without Playwright)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = Path(playwright.chromium.executable_path)
    except (Error, OSError):  # the driver cannot start here (inside an event loop, no Node)
        return None
    return path if path.is_file() else None


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium (:func:`find_chromium`'s) from a started ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=str(find_chromium()), args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    """True for a URL that stays on this machine (file/data/blob or a loopback server)."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


def wait_for_map(page: Any, timeout_s: float = 60) -> Any:
    """Wait until the app's map has drawn its first shape; returns the map's frame locator."""
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=timeout_s * 1000)
    return frame


def _inner_points(geometry: Any, count: int = 40) -> list[tuple[float, float]]:
    """(lat, lon) points inside the unit's largest part, farthest from its edges first."""
    import shapely
    from shapely.ops import polylabel

    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    west, south, east, north = largest.bounds
    grid = [
        shapely.Point(
            west + (east - west) * (i + 0.5) / 12, south + (north - south) * (j + 0.5) / 12
        )
        for i in range(12)
        for j in range(12)
    ]
    inside = sorted(
        (p for p in grid if largest.contains(p)), key=lambda p: -largest.exterior.distance(p)
    )
    return [(p.y, p.x) for p in [polylabel(largest, tolerance=0.01), *inside][:count]]


AIM_SCRIPT = """async ([points]) => {
    // Zoom to the unit, then take the first point where the province itself is on top: at
    // scale, link lines and venue markers cover the middle of a busy province. The layers
    // redraw after the zoom, so the hit test waits for two frames and a moment.
    const el = document.querySelector('.leaflet-container');
    const map = window[el.id];
    map.setView(points[0], 8, {animate: false});
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    await new Promise(done => setTimeout(done, 300));
    const box = el.getBoundingClientRect();
    for (const point of points) {
        const p = map.latLngToContainerPoint(point);
        if (p.x < 5 || p.y < 5 || p.x > el.clientWidth - 5 || p.y > el.clientHeight - 5) continue;
        const hit = document.elementFromPoint(p.x + box.left, p.y + box.top);
        // A province is a filled path; link and border lines are not filled.
        if (hit && hit.tagName === 'path' && (hit.getAttribute('fill') || 'none') !== 'none') {
            return [p.x + box.left, p.y + box.top];
        }
    }
    return null;
}"""


def aim_at(page: Any, geometry: Any) -> tuple[float, float] | None:
    """Zoom the map to the unit; page coordinates of a point where a click hits the unit (None
    when lines and markers cover every point tried)."""
    frame = next(
        f for f in page.frames if "st_folium" in (f.url or "") or f.locator(".folium-map").count()
    )
    points = _inner_points(geometry)
    for _attempt in range(20):  # the layers may still be drawing just after the first path
        found = frame.evaluate(AIM_SCRIPT, [points])
        if found is not None:
            break
        page.wait_for_timeout(500)
    else:
        return None
    box = page.locator(MAP_FRAME).bounding_box()
    return box["x"] + found[0], box["y"] + found[1]
