"""The Streamlit app's logic, run headless with streamlit.testing (no browser)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.events import load_events

TIMEOUT = 120


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.delenv("BORDERATLAS_DATA_DIR", raising=False)
    script = tmp_path / "app_script.py"
    script.write_text("from mapapp.app import main\n\nmain()\n", encoding="utf-8")
    return AppTest.from_file(str(script), default_timeout=TIMEOUT)


def history_of(app: AppTest) -> str:
    """The HTML of the province panel's history list."""
    [history] = [e.proto.body for e in app.get("html") if "ba-history" in e.proto.body]
    return history


def test_a_province_in_the_url_opens_its_history(app: AppTest) -> None:
    app.query_params["province"] = "vn-nghe-an"
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert app.subheader[0].value == "Nghệ An · Nghe An"
    history = history_of(app)
    assert "Memorandum" in history
    assert "Báo Nghệ An (Vietnamese" in history  # sources are named by publisher and language


def search(app: AppTest, text: str) -> list[str]:
    """Type into the one search box; the labels of the results offered."""
    app.text_input(key="query").set_value(text).run()
    return list(app.radio(key=f"pick:{text}").options)


def choose(app: AppTest, text: str, label_start: str) -> None:
    [label] = [o for o in app.radio(key=f"pick:{text}").options if o.startswith(label_start)]
    app.radio(key=f"pick:{text}").set_value(label).run()


def test_choosing_a_province_in_the_search_box_opens_its_panel(app: AppTest) -> None:
    app.run()
    assert search(app, "Xekong")[0] == "Xê Kông · tỉnh"  # a spelling no label shows
    choose(app, "Xekong", "Xê Kông")
    assert app.subheader[0].value == "Xê Kông · Sekong"
    assert app.query_params["province"] == "la-sekong"
    first = history_of(app).split('class="ba-entry')[1]  # newest first
    assert "2025-12-09" in first
    assert "(lần thứ 19)" in first  # the session of its series, in the interface language


@pytest.mark.parametrize(
    ("text", "first", "province"),
    [
        ("Lao Bao", "Lao Bảo – Densavan · crossing", "vn-quang-tri-2025"),
        ("Densavanh", "Lao Bảo – Densavan · crossing", "vn-quang-tri-2025"),
        ("Mộc Bài", "Mộc Bài – Bavet · crossing", "vn-tay-ninh-2025"),
        ("Borikhamxay", "Bolikhamxay · province", "la-bolikhamxay"),
        ("Sê Kông", "Sekong · province", "la-sekong"),
    ],
)
def test_one_search_box_finds_crossings_and_any_spelling(
    app: AppTest, text: str, first: str, province: str
) -> None:
    app.query_params["lang"] = "en"
    app.run()
    assert search(app, text)[0] == first
    choose(app, text, first)
    assert app.query_params["province"] == province
    assert app.query_params["z"]  # the map moves there, and the URL says where it is


def test_a_filter_change_moves_the_redrawn_map_back_where_it_was(app: AppTest) -> None:
    """A changed filter draws a new map at its overview: its callback sends it back to the
    place the user had (here, where a search moved it)."""
    app.query_params["lang"] = "en"
    app.run()
    search(app, "Lao Bao")
    choose(app, "Lao Bao", "Lao Bảo – Densavan")
    lat, lon, zoom, moves = app.session_state["goto"]
    assert zoom == 10
    app.checkbox(key="country_KH").uncheck().run()
    assert app.session_state["goto"] == (lat, lon, zoom, moves + 1)
    assert app.query_params["province"] == "vn-quang-tri-2025"  # still selected
    assert app.query_params["z"] == "10"


def test_a_bad_url_parameter_is_noted_in_the_pages_language(app: AppTest) -> None:
    app.query_params["countries"] = "VN,XX"
    app.run()
    assert [w.value for w in app.warning] == ["đã bỏ qua countries=XX"]
    assert app.query_params["countries"] == "VN"


def test_a_province_hidden_by_the_country_filter_is_deselected_with_a_message(
    app: AppTest,
) -> None:
    app.query_params["province"] = "la-sekong"
    app.query_params["lang"] = "en"
    app.run()
    app.checkbox(key="country_LA").uncheck().run()
    assert [w.value for w in app.warning] == [
        "Sekong is hidden by the country filter, so it is no longer selected."
    ]
    assert "province" not in app.query_params
    assert not app.subheader or app.subheader[0].value != "Xê Kông · Sekong"


def test_the_event_list_holds_every_event_under_the_filters(app: AppTest) -> None:
    app.query_params["lang"] = "en"
    app.query_params["from"] = "2025-01-01"
    app.run()
    [table] = app.dataframe
    frame = table.value
    assert len(frame) == len([e for e in load_events() if e.date.start >= date(2025, 1, 1)])
    assert list(frame.columns) == [
        "date", "kind", "title", "provinces", "series", "publishers", "link"
    ]  # fmt: skip
    assert (frame["date"] >= "2025").all()


def test_vietnamese_mode_shows_no_english_labels(app: AppTest) -> None:
    app.query_params["province"] = "vn-nghe-an"
    app.run()
    shown = [w.label for w in [*app.checkbox, *app.multiselect, *app.text_input, *app.radio]]
    shown += [app.multiselect(key="kinds").placeholder, app.caption[0].value]
    english = {"Choose options", "province", "Event kinds", "events", "Find a province"}
    assert not [label for label in shown if any(word in label for word in english)]


def test_switching_laos_off_updates_the_url(app: AppTest) -> None:
    app.run()
    app.checkbox(key="country_LA").uncheck().run()
    assert not app.exception
    assert app.query_params["countries"] == "VN,KH"


def test_a_period_without_events_says_so(app: AppTest) -> None:
    app.query_params["province"] = "la-sekong"
    app.query_params["from"] = "2000-01-01"
    app.query_params["to"] = "2000-12-31"
    app.run()
    messages = [info.value for info in app.info]
    assert "Chưa có sự kiện trong giai đoạn này" in messages


def test_a_broken_data_file_is_named_not_a_traceback(
    app: AppTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "boundaries").mkdir()
    (tmp_path / "boundaries" / "units.csv").write_text("id,name\nvn-x,X\n", encoding="utf-8")
    monkeypatch.setenv("BORDERATLAS_DATA_DIR", str(tmp_path))
    app.run()
    assert app.error, "expected an error message"
    assert "units.csv" in app.error[0].value


def test_the_prepared_map_widget_passes_what_st_folium_would(monkeypatch) -> None:
    """mapapp.mapwidget renders the map once and reuses streamlit-folium's component: it must
    hand the component exactly what st_folium(map) does (this fails if a new streamlit-folium
    changes its internals)."""
    import copy

    import streamlit_folium

    from loaders.atlas import Selection, cooperation_view, load_atlas
    from mapapp import mapwidget
    from mapapp.app import selected_outline
    from mapapp.build import MapOptions, draw

    data = load_atlas()
    view = cooperation_view(Selection(), data)
    fmap = draw(view, MapOptions(compact=True), data)
    calls: list[dict] = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: calls.append(kw))
    asked = {
        "key": "map",
        "height": 700,
        "returned_objects": ["last_object_clicked", "last_active_drawing", "center", "zoom"],
        "center": (16.1, 106.2),
        "zoom": 7,
    }
    streamlit_folium.st_folium(
        copy.deepcopy(fmap),
        use_container_width=True,
        feature_group_to_add=selected_outline("la-sekong", view),
        **asked,
    )
    prepared = mapwidget.prepare(fmap)
    mapwidget.show(prepared, feature_group_to_add=selected_outline("la-sekong", view), **asked)
    expected, got = ({k: v for k, v in c.items() if k != "on_change"} for c in calls)
    assert got == expected
