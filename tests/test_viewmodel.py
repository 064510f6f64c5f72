"""What the app shows, computed without Streamlit (mapapp.viewmodel), on the embedded data."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import shapely

from loaders import boundaries
from loaders.atlas import COUNTRIES, AtlasData, Selection, cooperation_view, load_atlas
from loaders.crossings import crossings_of
from loaders.events import Event, load_events
from loaders.history import history_page, unit_history
from loaders.lookup import lookup
from mapapp.build import CREATED_AT
from mapapp.viewmodel import (
    CROSSING_ZOOM,
    FOCUS_ZOOM,
    AppState,
    clicked_unit,
    deselection_message,
    event_row,
    history_counts,
    hit_focus,
    is_click,
    map_view,
    params_from_state,
    period_of,
    province_facts,
    slider_years,
    state_from_params,
    timeline,
    unit_focus,
    years_of,
)


@pytest.fixture(scope="module")
def atlas() -> AtlasData:
    return load_atlas()


@pytest.fixture(scope="module")
def units() -> dict[str, boundaries.Unit]:
    return {unit.id: unit for unit in boundaries.read_units()}


# --- the URL ----------------------------------------------------------------------------------


def test_the_url_carries_the_whole_state() -> None:
    state = AppState(
        countries=("VN", "KH"),
        themes=("crossings",),
        start=date(2020, 1, 1),
        as_of=date(2024, 1, 1),
        kinds=("talks",),
        lang="en",
        province="vn-tay-ninh",
        view=(11.3, 106.1, 9),
    )
    params = params_from_state(state)
    assert params == {
        "countries": "VN,KH",
        "layers": "crossings",
        "from": "2020-01-01",
        "as_of": "2024-01-01",
        "kinds": "talks",
        "lang": "en",
        "province": "vn-tay-ninh",
        "lat": "11.30000",
        "lon": "106.10000",
        "z": "9",
    }
    assert state_from_params(params) == state
    assert params_from_state(AppState()) == {}  # the defaults make a bare URL


def test_bad_url_parameters_are_dropped_with_a_note_in_the_pages_language() -> None:
    state = state_from_params(
        {"countries": "VN,XX", "from": "2025-13-01", "lang": "fr", "as_of": "2001-01-01"}
    )
    assert state.countries == ("VN",)
    assert state.start is None and state.as_of is None
    assert state.lang == "vi"
    assert [note.text("en") for note in state.notes] == [
        "ignored countries=XX",
        "ignored from=2025-13-01 (expected YYYY-MM-DD)",
        "ignored as_of=2001-01-01 (units are drawn from 2008-08-01 to today)",
    ]
    assert state.notes[0].text("vi") == "đã bỏ qua countries=XX"


@pytest.mark.parametrize(
    ("params", "note"),
    [
        ({"lat": "north", "lon": "106", "z": "8"}, "ignored lat/lon/z (expected numbers)"),
        ({"lat": "95", "lon": "106", "z": "8"}, "ignored lat=95.0, lon=106.0, z=8 (out of range)"),
    ],
)
def test_a_bad_map_view_in_the_url_is_ignored(params: dict[str, str], note: str) -> None:
    state = state_from_params(params)
    assert state.view is None
    assert [n.text("en") for n in state.notes] == [note]


# --- the period slider ------------------------------------------------------------------------


def test_the_period_slider_keeps_a_shared_urls_days_until_its_year_is_moved() -> None:
    years = slider_years(date(2026, 3, 1))
    assert (years[0], years[-1]) == (1960, 2026)
    start, end = date(2019, 5, 17), date(2023, 2, 3)
    assert years_of(start, end, years) == (2019, 2023)
    assert years_of(None, None, years) == (1960, 2026)
    assert period_of(2019, 2023, years, start, end) == (start, end)  # left where the URL put it
    assert period_of(2018, 2023, years, start, end) == (date(2018, 1, 1), end)
    assert period_of(2019, 2024, years, start, end) == (start, date(2024, 12, 31))
    assert period_of(1960, 2026, years, start, end) == (None, None)  # the ends mean no bound


# --- the map widget's reports -----------------------------------------------------------------

NGHE_AN = {"properties": {"id": "vn-nghe-an"}}
CLICK = {"lat": 19.1, "lng": 104.9}


def test_a_click_outside_any_province_selects_nothing() -> None:
    shown = {"vn-nghe-an"}
    assert clicked_unit(None, shown) is None
    assert clicked_unit({"last_active_drawing": None}, shown) is None
    assert clicked_unit({"last_active_drawing": {"properties": {"name": "x"}}}, shown) is None
    assert clicked_unit({"last_active_drawing": NGHE_AN}, {"la-sekong"}) is None  # not drawn
    assert clicked_unit({"last_active_drawing": NGHE_AN}, shown) == "vn-nghe-an"


def test_a_click_is_told_from_a_pan_by_the_clicked_point() -> None:
    clicked = {"last_active_drawing": NGHE_AN, "last_object_clicked": CLICK, "zoom": 7}
    panned = clicked | {"center": {"lat": 18.0, "lng": 105.0}}
    assert is_click({}, clicked)
    assert not is_click(clicked, panned)  # the same feature stays the last drawing
    assert is_click(panned, panned | {"last_object_clicked": {"lat": 19.2, "lng": 104.9}})
    # a redrawn map's first report has no click: the previous map's click is not repeated
    assert not is_click(clicked, {"last_object_clicked": None, "zoom": 6})


def test_the_maps_view_is_the_users_not_the_one_it_is_created_at() -> None:
    lat, lon, zoom = CREATED_AT
    assert map_view({"center": {"lat": lat, "lng": lon}, "zoom": zoom}) is None
    assert map_view({"center": {"lat": 15.123456, "lng": 106.9}, "zoom": 8}) == (15.12346, 106.9, 8)
    assert map_view({"zoom": 8}) is None
    assert map_view(None) is None


def test_a_found_crossing_is_shown_closer_than_a_province(atlas: AtlasData) -> None:
    [crossing] = [h for h in lookup("Lao Bao", date.today(), atlas) if h.kind == "crossing"]
    [province] = [h for h in lookup("Borikhamxay", date.today(), atlas) if h.kind == "province"]
    assert hit_focus(crossing) == (crossing.lat, crossing.lon, CROSSING_ZOOM)
    assert hit_focus(province) == (province.lat, province.lon, FOCUS_ZOOM)


def test_a_province_from_the_url_is_centred_inside_it(atlas: AtlasData) -> None:
    view = cooperation_view(Selection(), atlas)
    lat, lon, zoom = unit_focus(view.units, "la-sekong")
    assert view.units.loc["la-sekong"].geometry.contains(shapely.Point(lon, lat))
    assert zoom == FOCUS_ZOOM
    assert unit_focus(view.units, "vn-quang-tri") is None  # merged in 2025: not on today's map


# --- the selection and the province panel -----------------------------------------------------


def test_a_deselected_province_says_why(units: dict[str, boundaries.Unit]) -> None:
    no_laos = AppState(countries=("VN", "KH"), lang="en")
    message = deselection_message("la-sekong", units["la-sekong"], no_laos)
    assert message == "Sekong is hidden by the country filter, so it is no longer selected."
    in_2010 = AppState(as_of=date(2010, 1, 1), lang="vi")
    message = deselection_message("vn-da-nang-2025", units["vn-da-nang-2025"], in_2010)
    assert message == "Đà Nẵng không tồn tại vào ngày 2010-01-01; đã bỏ chọn."


def test_a_merged_province_lists_its_predecessors_and_their_crossings(
    atlas: AtlasData, units: dict[str, boundaries.Unit]
) -> None:
    view = cooperation_view(Selection(), atlas)
    facts = province_facts(units["vn-quang-tri-2025"], view, atlas.source)
    assert sorted(facts.former) == ["vn-quang-binh", "vn-quang-tri"]
    assert facts.now == ["vn-quang-tri-2025"]
    assert facts.lineage == {"vn-quang-tri-2025", "vn-quang-binh", "vn-quang-tri"}
    gates = {c.pair_name for c in facts.crossings}
    assert {"Cha Lo – Na Phao", "Lao Bảo – Densavan"} <= gates  # Quảng Bình's, Quảng Trị's
    old = province_facts(units["vn-quang-tri"], view, atlas.source)
    assert old.now == ["vn-quang-tri-2025"]
    assert "Cha Lo – Na Phao" not in {c.pair_name for c in old.crossings}


def test_a_foreign_province_lists_the_crossings_facing_it(
    atlas: AtlasData, units: dict[str, boundaries.Unit]
) -> None:
    view = cooperation_view(Selection(), atlas)
    facts = province_facts(units["la-savannakhet"], view, atlas.source)
    assert [c.pair_name for c in facts.crossings] == ["Lao Bảo – Densavan"]


def test_the_panel_lists_only_the_crossings_the_map_draws(atlas: AtlasData) -> None:
    """With Laos off, Quảng Trị's crossings (all to Laos) are not drawn, nor listed."""
    lineage = {"vn-quang-tri-2025", "vn-quang-binh", "vn-quang-tri"}
    everything = cooperation_view(Selection(), atlas)
    no_laos = cooperation_view(Selection(countries=("VN", "KH")), atlas)
    assert len(crossings_of(lineage, everything.crossings)) == 3
    assert crossings_of(lineage, no_laos.crossings) == []


def test_the_panel_counts_what_the_map_shades_for_every_province(atlas: AtlasData) -> None:
    """The panel's first figure is the map's count, and it counts events of the history: those
    whose provinces the map draws as this one."""
    view = cooperation_view(Selection(COUNTRIES, None, None, None, None), atlas)
    for unit_id in view.units["id"]:
        history = unit_history(unit_id)
        as_party = [
            e.record
            for e in history
            if isinstance(e.record, Event) and unit_id in view.provinces_on_map(e.record)
        ]
        assert len(as_party) == view.event_count(unit_id), unit_id
        page = history_page(unit_id, limit=5)
        assert page.total == len(history)
        assert page.per_year == dict(
            sorted(Counter(e.date.start.year for e in history if e.date).items())
        )
        assert [e.record.id for e in page.entries] == [e.record.id for e in history[:5]]
        counts = history_counts(page, view, unit_id, "en")
        assert counts.startswith(f"{len(as_party)} as a party"), unit_id
    hanoi = history_page("vn-hanoi", limit=5)
    assert "held here or naming it" in history_counts(hanoi, view, "vn-hanoi", "en")


def test_the_timeline_shows_years_without_records() -> None:
    assert timeline({2019: 2, 2022: 1}) == {
        "year": ["2019", "2020", "2021", "2022"],
        "count": [2, 0, 0, 1],
    }
    assert timeline({}) == {"year": [], "count": []}


# --- the event list ---------------------------------------------------------------------------


def test_an_event_row_names_its_provinces_series_and_session_in_the_interface_language(
    atlas: AtlasData, units: dict[str, boundaries.Unit]
) -> None:
    [event] = [e for e in load_events() if e.id == "sekong-border-guard-annual-talks-2025"]
    row = event_row(event, "en", units, atlas.series)
    assert row["date"] == "2025-12-09"
    assert row["kind"] == "talks"
    assert row["provinces"] == "Hue, Da Nang, Quang Ngai, Sekong"
    assert row["series"].endswith("(session 19)")
    assert row["publishers"] == "Báo Mới (aggregator), Huế Ngày Nay"
    assert row["link"].startswith("https://baomoi.net.vn/")
    row_vi = event_row(event, "vi", units, atlas.series)
    assert (row_vi["kind"], row_vi["provinces"]) == ("hội đàm", "Huế, Đà Nẵng, Quảng Ngãi, Xê Kông")
    assert row_vi["series"].endswith("(lần thứ 19)")
