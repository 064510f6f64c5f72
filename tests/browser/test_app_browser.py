"""The app in a real browser: started as `borderatlas app` on a free localhost port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders.boundaries import load_units
from mapapp.browser import MAP_FRAME, aim_at, wait_for_map
from mapapp.i18n import LABELS
from mapapp.serve import app_server

pytestmark = pytest.mark.browser
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`borderatlas app --headless` on a free port, started and stopped as the bench does."""
    with app_server(None, tmp_path_factory.mktemp("app-run")) as (url, _pid):
        yield url


def open_app(open_page, url: str, **context_options):
    """A recorded page on the app at ``url`` (1440×900 unless told), once the map is drawn."""
    record = open_page(**({"viewport": {"width": 1440, "height": 900}} | context_options))
    record.page.goto(url)
    wait_for_map(record.page)
    return record, record.page


def click_unit(page, unit_id: str) -> None:
    """Zoom the map in its iframe to the unit and click a point of it that no marker, cluster
    or line covers (as the bench aims)."""
    aim = aim_at(page, load_units().loc[unit_id].geometry)
    assert aim is not None, f"markers and lines cover every point of {unit_id} tried"
    page.mouse.click(*aim)


def open_panel(page, unit_id: str, heading: str, attempts: int = 3) -> None:
    """Click the unit until its panel heading shows; a click during a rerun can be lost."""
    for attempt in range(attempts):
        click_unit(page, unit_id)
        try:
            page.get_by_role("heading", name=heading).wait_for(timeout=20_000)
            return
        except Exception:
            if attempt == attempts - 1:
                raise


MAP_STATE = """() => {
    const el = document.querySelector('.leaflet-container');
    const map = window[el.id];
    const centre = map.getCenter();
    const outline = [...el.querySelectorAll('path')].filter(
        p => p.getAttribute('stroke') === '#000000');
    const box = outline.length ? outline[0].getBoundingClientRect() : null;
    return {lat: centre.lat, lng: centre.lng, zoom: map.getZoom(), outlines: outline.length,
            box: box && [box.left, box.top, box.right, box.bottom]};
}"""


def map_state(page) -> dict:
    frame = next(f for f in page.frames if "st_folium" in (f.url or ""))
    return frame.evaluate(MAP_STATE)


def test_four_clicks_in_a_row_each_outline_the_province_and_leave_the_map_put(
    open_page, app_url: str, tmp_path: Path
) -> None:
    record, page = open_app(open_page, f"{app_url}/?lang=en")
    frame_box = page.locator(MAP_FRAME).bounding_box()
    clicks = [
        ("la-sekong", "Xê Kông · Sekong"),
        ("vn-nghe-an", "Nghệ An · Nghe An"),
        ("vn-tay-ninh-2025", "Tây Ninh · Tay Ninh"),
        ("vn-lai-chau", "Lai Châu · Lai Chau"),
    ]
    for unit_id, heading in clicks:
        aim = aim_at(page, load_units().loc[unit_id].geometry)
        assert aim is not None, unit_id
        before = map_state(page)
        page.mouse.click(*aim)
        page.get_by_role("heading", name=heading).wait_for(timeout=30_000)
        page.wait_for_function(
            f"() => location.search.includes('province={unit_id}')", timeout=30_000
        )
        page.wait_for_timeout(1_500)  # a late re-centre would show up here
        after = map_state(page)
        # the map stays where the user put it (it used to jump back to the previous province)
        assert abs(after["lat"] - before["lat"]) < 0.01 and after["zoom"] == before["zoom"]
        assert abs(after["lng"] - before["lng"]) < 0.01
        # and the clicked province is the one outlined: the click point lies in the outline
        assert after["outlines"] == 1, unit_id
        left, top, right, bottom = after["box"]
        x, y = aim[0] - frame_box["x"], aim[1] - frame_box["y"]
        assert left <= x <= right and top <= y <= bottom, unit_id
    assert "province=vn-lai-chau" in page.url and "z=8" in page.url
    page.screenshot(path=str(tmp_path / "app-four-clicks.png"))
    assert record.problems() == []


def test_clicking_nghe_an_shows_its_memorandum(open_page, app_url: str, tmp_path: Path) -> None:
    record, page = open_app(
        open_page, f"{app_url}/?lang=en", viewport={"width": 1500, "height": 1000}
    )
    open_panel(page, "vn-nghe-an", "Nghệ An · Nghe An")
    # The history is text on the page: full titles, and sources named by publisher and language.
    history = page.locator(".ba-history")
    history.wait_for(timeout=30_000)
    assert "Nghệ An" in history.inner_text()
    link = history.locator("a", has_text="(Vietnamese").first
    assert link.get_attribute("href").startswith("http")
    assert "province=vn-nghe-an" in page.url
    page.screenshot(path=str(tmp_path / "app-nghe-an.png"))
    assert record.problems() == []


def test_switching_laos_off_with_sekong_selected_deselects_it(
    open_page, app_url: str, tmp_path: Path
) -> None:
    record, page = open_app(
        open_page, f"{app_url}/?lang=en&province=la-sekong&lat=15.5&lon=106.9&z=8"
    )
    frame = page.frame_locator(MAP_FRAME)
    page.get_by_role("heading", name="Xê Kông · Sekong").wait_for(timeout=30_000)
    before = frame.locator(".leaflet-overlay-pane path").count()
    view = map_state(page)
    assert round(view["lat"], 1) == 15.5 and view["zoom"] == 8  # the shared view is restored
    page.get_by_text("Laos", exact=True).click()
    page.get_by_text("Sekong is hidden by the country filter").wait_for(timeout=30_000)
    page.wait_for_function("() => !location.search.includes('province=')", timeout=30_000)
    frame = page.frame_locator(MAP_FRAME)
    for _ in range(60):
        after = frame.locator(".leaflet-overlay-pane path").count()
        if 0 < after < before:
            break
        page.wait_for_timeout(500)
    assert 0 < after <= before - 18  # Laos's 18 provinces are gone
    # Nothing selected, nothing outlined. Whether the redrawn map keeps the view is not asserted:
    # on a busy machine it sometimes comes up at its overview (zoom 6) instead; a known gap.
    assert map_state(page)["outlines"] == 0
    page.screenshot(path=str(tmp_path / "app-no-laos.png"))
    assert record.problems() == []


def test_on_a_phone_the_panel_follows_the_map(open_page, app_url: str, tmp_path: Path) -> None:
    record, page = open_app(
        open_page,
        f"{app_url}/?lang=vi&province=vn-nghe-an",
        viewport={"width": 390, "height": 844},
        user_agent=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    heading = page.get_by_role("heading", name="Nghệ An · Nghe An")
    heading.wait_for(timeout=30_000)
    map_box = page.locator(MAP_FRAME).bounding_box()
    assert map_box["width"] <= 390 and map_box["height"] <= 0.8 * 844  # room to scroll past it
    heading.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "app-phone.png"))
    assert record.problems() == []


@pytest.mark.parametrize(
    ("query", "choice", "heading", "unit"),
    [
        ("Lao Bao", "Lao Bảo – Densavan · crossing", "Quảng Trị · Quang Tri", "vn-quang-tri-2025"),
        ("Borikhamxay", "Bolikhamxay · province", "Bô-ly-khăm-xay · Bolikhamxay", "la-bolikhamxay"),
    ],
)
def test_the_search_box_finds_a_crossing_or_a_spelling_and_opens_its_province(
    open_page, app_url: str, query: str, choice: str, heading: str, unit: str
) -> None:
    record, page = open_app(open_page, f"{app_url}/?lang=en")
    box = page.get_by_label("Find a province, crossing or event")
    box.fill(query)
    box.press("Enter")
    page.get_by_text(choice, exact=True).first.click()
    page.get_by_role("heading", name=heading).wait_for(timeout=30_000)
    page.wait_for_function(f"location.search.includes('province={unit}')", timeout=30_000)
    assert record.problems() == []


@pytest.mark.parametrize(
    ("lang", "other", "heading"),
    [("vi", "en", "Xê Kông · Sekong"), ("en", "vi", "Xê Kông · Sekong")],
)
def test_each_language_shows_no_label_of_the_other(
    open_page, app_url: str, lang: str, other: str, heading: str
) -> None:
    """Every interface string of the page is in the page's language."""
    record, page = open_app(open_page, f"{app_url}/?lang={lang}&province=la-sekong")
    page.get_by_role("heading", name=heading).wait_for(timeout=30_000)
    text = page.locator("section.main, section[data-testid='stSidebar']").all_inner_texts()
    shown = " ".join(text)
    foreign = [  # the language picker names each language in itself ("English"), by design
        words[other]
        for key, words in LABELS.items()
        if not key.startswith("language_")
        and len(words[other]) > 4
        and words[other] not in words[lang]
        and "{" not in words[other]
    ]
    assert [label for label in foreign if label in shown] == []
    assert record.problems() == []


def test_the_html_download_opens_as_a_map(open_page, app_url: str, tmp_path: Path) -> None:
    record, page = open_app(open_page, f"{app_url}/?lang=en")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="⬇ HTML").click()
    saved = tmp_path / "download.html"
    download.value.save_as(saved)
    exported = open_page()
    exported.page.goto(saved.as_uri())
    exported.page.wait_for_selector(".leaflet-overlay-pane path")
    assert exported.page.locator(".leaflet-overlay-pane path").count() >= 106
    assert "bindPopup" in saved.read_text(encoding="utf-8")  # the provinces' histories
    assert exported.problems() == []
    assert record.problems() == []
