"""The app in headless Chromium: page load to map drawn, click to panel, the server's memory.

Started and driven as the browser tests do (:func:`mapapp.serve.app_server`, the helpers of
:mod:`mapapp.browser`), with one addition: the click goes to a point where the province is on
top, not a link line or a venue marker, and when links cover it, the links layer is switched off.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.measure import process_memory
from bench.steps.common import Skipped, data_source

NO_LINKS = "lang=en&layers=crossings,meetings"  # the view with the links layer switched off


def _block_remote(context: Any) -> None:
    """Nothing leaves the machine: any request off localhost is aborted."""
    from mapapp.browser import is_local

    def route(route: Any, request: Any) -> None:
        route.continue_() if is_local(request.url) else route.abort("blockedbyclient")

    context.route("**/*", route)


def _open_map(
    context: Any, url: str, timeout_s: float, query: str = "lang=en"
) -> tuple[Any, float]:
    """A new page (a new app session) on the map; the seconds until the map was drawn."""
    from mapapp.browser import wait_for_map

    page = context.new_page()
    start = time.perf_counter()
    page.goto(f"{url}/?{query}", timeout=timeout_s * 1000)
    wait_for_map(page, timeout_s)
    return page, time.perf_counter() - start


def _click_to_panel(page: Any, unit: Any, geometry: Any, timeout_s: float) -> dict[str, Any] | None:
    """Click the unit; seconds until its heading, then its history list, are shown (None when
    the timeout ran out first); None when no point of the unit can be clicked. The page is
    fresh, so no earlier panel can be mistaken for this one."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from mapapp.browser import aim_at

    aim = aim_at(page, geometry)
    if aim is None:
        return None
    x, y = aim
    heading = page.get_by_role("heading", name=f"{unit.name_vi} · {unit.name}")
    table = page.locator(".ba-history").first
    found: dict[str, Any] = {"unit": unit.id, "heading": None, "seconds": None}
    start = time.perf_counter()
    page.mouse.click(x, y)
    try:
        heading.wait_for(timeout=timeout_s * 1000)
        found["heading"] = time.perf_counter() - start
        table.wait_for(timeout=max(timeout_s - found["heading"], 0.001) * 1000)
        found["seconds"] = time.perf_counter() - start
    except PlaywrightTimeout:
        pass
    return found


def _click(
    context: Any, url: str, unit: Any, geometry: Any, p: dict[str, Any]
) -> tuple[dict[str, Any], float]:
    """One click on ``unit``, each try on a fresh page: with links, then (if their lines cover
    the unit) without. Also returns the page load of the first try (a second visit)."""
    loads = []
    for query in ("lang=en", NO_LINKS):
        page, loaded = _open_map(context, url, p["page_timeout_s"], query)
        loads.append(loaded)
        click = _click_to_panel(page, unit, geometry, p["click_timeout_s"])
        page.close()
        if click is not None:
            return click | {"links_off": query == NO_LINKS}, loads[0]
    return {"unit": unit.id, "heading": None, "seconds": None, "covered": True}, loads[0]


def _browser_tools() -> Any:
    """Playwright's ``sync_playwright``, once a Chromium is known to be there."""
    from mapapp.browser import BrowserNotFound, find_chromium

    try:
        find_chromium()
        from playwright.sync_api import sync_playwright
    except BrowserNotFound as missing:
        raise Skipped(str(missing)) from None
    except ImportError:
        raise Skipped("playwright is not installed (pip install 'borderatlas[bench]')") from None
    return sync_playwright


def step_app(p: dict[str, Any]) -> dict[str, Any]:
    """Server start (command to health check answering), page load to map drawn (a first and
    a second visit) and click to panel (each click on a fresh page), with the server's resident
    memory afterwards."""
    sync_playwright = _browser_tools()
    from loaders import boundaries
    from mapapp.browser import launch_chromium
    from mapapp.serve import app_server

    source = data_source(p)
    units = {u.id: u for u in boundaries.read_units(source)}
    shapes = boundaries.load_units(None, source)
    found: dict[str, Any] = {"clicks": []}
    started = time.perf_counter()
    with app_server(p.get("data_dir"), Path(p["run_dir"])) as app, sync_playwright() as pw:
        found["server_start"] = time.perf_counter() - started  # the warm start included
        browser = launch_chromium(pw)
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        _block_remote(context)
        page, found["first_load"] = _open_map(context, app.url, p["page_timeout_s"])
        page.close()
        for unit_id in p["clicks"]:
            geometry = shapes.loc[unit_id].geometry
            click, loaded = _click(context, app.url, units[unit_id], geometry, p)
            found.setdefault("second_load", loaded)
            found["clicks"].append(click)
            if click["seconds"] is None:
                break
        memory = process_memory(app.pid)
        found["server_rss_mib"] = memory.get("VmRSS")
        found["server_peak_rss_mib"] = memory.get("VmHWM")
        browser.close()
    return found
