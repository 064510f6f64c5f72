"""Finding the Chromium that the browser tests and the bench drive (no browser is started)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapapp import browser
from mapapp.browser import CHROMIUM_ENV, BrowserNotFound, find_chromium


def executable(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def no_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty PATH, no $BORDERATLAS_CHROMIUM and no Playwright browser; returns the PATH
    folder, where a test may put one."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    monkeypatch.setattr(browser, "playwright_chromium", lambda: None)
    return folder


def test_the_variable_wins_over_path(no_chromium: Path, monkeypatch, tmp_path: Path) -> None:
    executable(no_chromium, "chromium")
    chosen = executable(tmp_path, "my-chrome")
    monkeypatch.setenv(CHROMIUM_ENV, str(chosen))
    assert find_chromium() == chosen


def test_a_variable_that_names_no_executable_is_an_error(
    no_chromium: Path, monkeypatch, tmp_path: Path
) -> None:
    executable(no_chromium, "chromium")  # not used in its place: the user asked for another
    (tmp_path / "notes.txt").write_text("not a browser")
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "notes.txt"))
    with pytest.raises(BrowserNotFound, match=r"\$BORDERATLAS_CHROMIUM is .*notes.txt, not an"):
        find_chromium()


def test_path_is_searched_in_order(no_chromium: Path) -> None:
    chrome = executable(no_chromium, "google-chrome")
    assert find_chromium() == chrome
    debian = executable(no_chromium, "chromium")
    assert find_chromium() == debian


def test_playwright_s_own_browser_comes_last(no_chromium: Path, monkeypatch, tmp_path) -> None:
    managed = executable(tmp_path, "chrome")
    monkeypatch.setattr(browser, "playwright_chromium", lambda: managed)
    assert find_chromium() == managed
    ubuntu = executable(no_chromium, "chromium-browser")
    assert find_chromium() == ubuntu


def test_none_found_says_every_way_to_get_one(no_chromium: Path) -> None:
    with pytest.raises(BrowserNotFound) as raised:
        find_chromium()
    message = str(raised.value)
    for hint in (CHROMIUM_ENV, "chromium or chromium-browser or google-chrome", "apt-get"):
        assert hint in message
    assert "playwright install chromium" in message
