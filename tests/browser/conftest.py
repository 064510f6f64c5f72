"""Headless Chromium for browser tests, with every request off this machine blocked and recorded.

``open_page()`` returns a :class:`PageRecord`: the Playwright page plus the console errors,
uncaught page errors, failed requests and blocked requests seen so far. A map page that needs
the network (a CDN script, a font) shows up in ``blocked``; a missing local file in ``failed``.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from mapapp.browser import is_local, launch_chromium


@dataclass
class PageRecord:
    """A page and what went wrong on it (each entry is a readable one-line description)."""

    page: object  # playwright.sync_api.Page (imported lazily: the module skips without it)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """All recorded problems, labelled; empty when the page loaded cleanly."""
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"page error: {e}" for e in self.page_errors]
            + [f"failed request: {e}" for e in self.failed_requests]
            + [f"blocked request: {e}" for e in self.blocked_requests]
        )


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for the session (the one ``mapapp.browser.find_chromium`` finds)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium) -> Iterator[Callable[[], PageRecord]]:
    """A factory of recorded pages in fresh browser contexts (options as Playwright's
    ``new_context``: a phone's viewport and user agent), closed after the test."""
    contexts = []

    def factory(**context_options) -> PageRecord:
        context = chromium.new_context(
            **({"viewport": {"width": 1000, "height": 700}} | context_options)
        )
        contexts.append(context)
        page = context.new_page()
        record = PageRecord(page)

        def route(route, request) -> None:
            if is_local(request.url):
                route.continue_()
            else:
                record.blocked_requests.append(request.url)
                route.abort("blockedbyclient")

        context.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and record.console_errors.append(m.text))
        page.on("pageerror", lambda e: record.page_errors.append(str(e)))
        page.on(
            "requestfailed",
            lambda r: is_local(r.url) and record.failed_requests.append(f"{r.url}: {r.failure}"),
        )
        page.on(
            "response",
            lambda r: r.status >= 400 and record.failed_requests.append(f"{r.url}: {r.status}"),
        )
        return record

    yield factory
    for context in contexts:
        context.close()


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="session")
def blank_tile_url() -> str:
    """A tile URL template that needs no network: one light-grey tile as a data: URI."""
    return "data:image/png;base64," + base64.b64encode(_png(8, 8, (230, 230, 225))).decode()
