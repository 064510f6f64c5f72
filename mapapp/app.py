"""The Streamlit app (``borderatlas app``): the map, a sidebar to choose what it shows, and the
cooperation history of the province the user clicks.

The whole state lives in the URL's query parameters, so a view can be shared and reloaded. Data
is loaded once per data directory and the map is rebuilt only when the selection changes.
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

import streamlit as st
from streamlit_folium import st_folium

from loaders import boundaries
from loaders._errors import BorderAtlasError
from loaders._io import DataSource
from loaders.atlas import (
    COUNTRIES,
    AtlasData,
    CooperationView,
    Selection,
    cooperation_view,
    events_frame,
    load_atlas,
)
from loaders.events import EventKind
from loaders.history import counterparts, unit_history
from mapapp import popups
from mapapp.assets import make_offline
from mapapp.build import LAYERS, MapOptions, draw
from mapapp.escaping import csv_cell, markdown_text
from mapapp.export import render_html
from mapapp.i18n import LANGS, Lang, t

THEMES = ("crossings", "meetings", "links")  # layers the sidebar switches (besides countries)
EARLIEST = date(1960, 1, 1)
STATIC_URL = "/app/static/vendor"  # `borderatlas app` writes the assets there


@dataclass(frozen=True)
class AppState:
    """Everything a view depends on; mirrored in the URL query parameters."""

    countries: tuple[str, ...] = COUNTRIES
    themes: tuple[str, ...] = THEMES
    start: date | None = None
    end: date | None = None
    as_of: date | None = None
    kinds: tuple[str, ...] = ()
    lang: Lang = "vi"
    province: str | None = None
    notes: list[str] = field(default_factory=list, compare=False)  # ignored bad parameters

    def selection(self) -> Selection:
        kinds = frozenset(EventKind(k) for k in self.kinds) if self.kinds else None
        return Selection(self.countries, self.start, self.end, self.as_of, kinds)

    def options(self) -> MapOptions:
        keep = {"provinces", "borders", "context", *self.themes}
        layers = frozenset(layer for layer in LAYERS if layer in keep)
        return MapOptions(lang=self.lang, layers=layers, compact=True)


# --- URL state -------------------------------------------------------------------------------

# The first date the units are drawn for: the unit table starts with Vietnam's 63 provinces, in
# place since Hà Tây joined Hà Nội on 2008-08-01. Streamlit's date picker raises on a value
# outside its range, so a URL asking for one is ignored with a note instead of crashing the page.
AS_OF_FIRST = date(2008, 8, 1)


def state_from_params(params: dict[str, str]) -> AppState:
    """Read the state from query parameters; a bad value is dropped with a note, never fatal."""
    state, notes = AppState(), []

    def listed(name: str, allowed: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
        if name not in params:
            return default
        values = tuple(v for v in params[name].split(",") if v)
        bad = [v for v in values if v not in allowed]
        if bad:
            notes.append(f"ignored {name}={','.join(bad)}")
        return tuple(v for v in values if v in allowed)

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(params[name]) if params.get(name) else None
        except ValueError:
            notes.append(f"ignored {name}={params[name]} (expected YYYY-MM-DD)")
            return None

    def as_of() -> date | None:
        when = day("as_of")
        if when is not None and not AS_OF_FIRST <= when <= date.today():
            notes.append(f"ignored as_of={when} (units are drawn from {AS_OF_FIRST} to today)")
            return None
        return when

    lang = params.get("lang", state.lang)
    return AppState(
        countries=listed("countries", COUNTRIES, COUNTRIES),
        themes=listed("layers", THEMES, THEMES),
        start=day("from"),
        end=day("to"),
        as_of=as_of(),
        kinds=listed("kinds", tuple(k.value for k in EventKind), ()),
        lang=lang if lang in LANGS else state.lang,
        province=params.get("province") or None,
        notes=notes,
    )


def params_from_state(state: AppState) -> dict[str, str]:
    """The query parameters of a state (defaults left out, so URLs stay short)."""
    params = {
        "countries": ",".join(state.countries),
        "layers": ",".join(state.themes),
        "from": state.start.isoformat() if state.start else "",
        "to": state.end.isoformat() if state.end else "",
        "as_of": state.as_of.isoformat() if state.as_of else "",
        "kinds": ",".join(state.kinds),
        "lang": state.lang,
        "province": state.province or "",
    }
    defaults = params_from_defaults()
    return {k: v for k, v in params.items() if v and v != defaults.get(k)}


def params_from_defaults() -> dict[str, str]:
    return {"countries": ",".join(COUNTRIES), "layers": ",".join(THEMES), "lang": "vi"}


# --- cached data ------------------------------------------------------------------------------


def data_source() -> DataSource:
    return DataSource.from_env(os.environ.get("BORDERATLAS_DATA_DIR") or None)


@st.cache_resource(show_spinner=False)
def cached_atlas(source: DataSource) -> AtlasData:
    return load_atlas(source)


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_view(source: DataSource, selection: Selection) -> CooperationView:
    return cooperation_view(selection, cached_atlas(source))


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_map(source: DataSource, selection: Selection, options: MapOptions):
    fmap = draw(cached_view(source, selection), options, cached_atlas(source))
    return make_offline(fmap, "served", static_url=STATIC_URL)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_export(
    _source: DataSource, source_key: str, selection: Selection, options: MapOptions
) -> str:
    """The same HTML the CLI exports for this selection (self-contained)."""
    atlas = cached_atlas(_source)
    return render_html(
        draw(cooperation_view(selection, atlas), options, atlas), self_contained=True
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_event_files(source: DataSource, selection: Selection) -> tuple[str, str]:
    """The selection's events as CSV and GeoJSON text, built once per selection (at 100k events
    building them took two thirds of every rerun)."""
    frame = events_frame(cached_view(source, selection))
    table = frame.drop(columns="geometry").map(csv_cell)  # no cell runs as a spreadsheet formula
    return table.to_csv(index=False), frame.to_json(drop_id=True)


# --- the page ----------------------------------------------------------------------------------


def sidebar(state: AppState, units: dict[str, boundaries.Unit], choices: list[str]) -> AppState:
    """Widgets for the selection; returns the state they describe."""
    lang = st.sidebar.radio(
        "Ngôn ngữ / Language",
        LANGS,
        index=LANGS.index(state.lang),
        format_func=lambda x: {"vi": "Tiếng Việt", "en": "English"}[x],
        horizontal=True,
        key="lang",
    )
    for note in state.notes:
        st.sidebar.warning(note)
    st.sidebar.subheader(t("layers", lang))
    countries = tuple(
        c
        for c in COUNTRIES
        if st.sidebar.checkbox(t(c, lang), value=c in state.countries, key=f"country_{c}")
    )
    themes = tuple(
        th
        for th in THEMES
        if st.sidebar.checkbox(t(th, lang), value=th in state.themes, key=f"layer_{th}")
    )
    today = date.today()
    start, end = st.sidebar.slider(
        t("period", lang),
        min_value=EARLIEST,
        max_value=today,
        value=(state.start or EARLIEST, state.end or today),
        format="YYYY-MM-DD",
        key="period",
    )
    kinds = st.sidebar.multiselect(
        "Loại sự kiện" if lang == "vi" else "Event kinds",
        [k.value for k in EventKind],
        default=list(state.kinds),
        format_func=lambda k: popups.kind_label(k, lang),
        key="kinds",
    )
    as_of = st.sidebar.date_input(
        t("units_of", lang), value=state.as_of or today, min_value=AS_OF_FIRST, key="as_of"
    )
    labels = {uid: f"{units[uid].name_vi} · {units[uid].name}" for uid in choices}
    options = ["", *sorted(choices, key=lambda u: labels[u])]
    current = state.province if state.province in choices else ""
    picked = st.sidebar.selectbox(
        t("search", lang),
        options,
        index=options.index(current),
        format_func=lambda u: labels.get(u, "—"),
        key="search",
    )
    province = state.province
    if picked != st.session_state.get("_last_search", current):
        province = picked or None
    st.session_state["_last_search"] = picked
    return AppState(
        countries,
        themes,
        None if start == EARLIEST else start,
        None if end == today else end,
        None if as_of == today else as_of,
        tuple(kinds),
        lang,
        province,
    )


def focus_on(unit_id: str | None, view: CooperationView) -> tuple[float, float] | None:
    """(lat, lon) of a point inside the selected unit, to centre the map on it."""
    if not unit_id or unit_id not in set(view.units["id"]):
        return None
    point = view.units.loc[unit_id].geometry.representative_point()
    return (point.y, point.x)


def clicked_unit(result: dict | None, shown: set[str]) -> str | None:
    """The unit id of a clicked province, if the last click hit one on the map."""
    feature = (result or {}).get("last_active_drawing") or {}
    unit_id = (feature.get("properties") or {}).get("id")
    return unit_id if unit_id in shown else None


def province_panel(state: AppState, view: CooperationView, data: AtlasData) -> None:
    """Names, lineage, partners, crossings and the history of the selected province."""
    lang, source = state.lang, data.source
    units = {u.id: u for u in boundaries.read_units(source)}
    unit = units.get(state.province or "")
    if unit is None:
        st.info(
            "Bấm vào một tỉnh trên bản đồ để xem lịch sử hợp tác."
            if lang == "vi"
            else "Click a province on the map to read its cooperation history."
        )
        return

    def name(other: boundaries.Unit | None, lang: Lang, fallback: str = "") -> str:
        """A unit's name as literal markdown text (names come from data files)."""
        return markdown_text(popups.unit_name(other, lang, fallback))

    st.subheader(markdown_text(f"{unit.name_vi} · {unit.name}"))
    st.caption(
        markdown_text(f"{t(unit.country, lang)} · {unit.kind} · ISO {unit.iso_3166_2 or '—'}")
    )
    former = boundaries.predecessors_of(unit.id, source)
    if former:
        st.markdown(
            f"**{t('formerly', lang)}:** " + ", ".join(name(units[u], lang) for u in former)
        )
    now = boundaries.current_units_of(unit.id, source)
    if now != [unit.id]:
        st.markdown(f"**{t('part_of', lang)}:** " + ", ".join(name(units[u], lang) for u in now))
    partners = counterparts(unit.id, source, current=True, events=data.events)
    if partners:
        st.markdown(
            f"**{t('counterparts', lang)}:** "
            + ", ".join(f"{name(units.get(p.unit), lang, p.unit)} ({p.events})" for p in partners)
        )
    family = {unit.id, *former}
    gates = [
        markdown_text(c.pair_name)
        for c in data.crossings
        if family & {c.province_2024, c.province_today, c.foreign_province}
    ]
    if gates:
        st.markdown(f"**{t('crossings', lang)}:** " + ", ".join(gates))
    history = unit_history(
        unit.id,
        source,
        start=state.start,
        end=state.end,
        kinds=[EventKind(k) for k in state.kinds] or None,
        events=data.events,  # the cached records: never re-read the files on a click
        agreements=data.agreements.values(),
    )
    if not history:
        st.info(t("no_events", lang))
        return
    st.markdown(f"**{t('history', lang)}** ({len(history)})")
    records = [entry.record for entry in history]
    per_year = Counter(entry.date.start.year for entry in history if entry.date is not None)
    if per_year:
        years = sorted(per_year)
        st.bar_chart(
            {"year": [str(year) for year in years], "count": [per_year[y] for y in years]},
            x="year",
            y="count",
            height=150,
            x_label=t("year", lang),
            y_label=t("records", lang),
        )
    lineage = {unit.id, *former}
    st.html(popups.history_html(records, lang, units, data.agreements, data.series, lineage))


def downloads(state: AppState, view: CooperationView, source: DataSource) -> None:
    """The current map as HTML, and the filtered events as CSV and GeoJSON."""
    lang = state.lang
    table, geojson = cached_event_files(source, state.selection())
    cols = st.columns(3)
    html = cached_export(source, str(source.user_dir), state.selection(), state.options())
    cols[0].download_button(
        "⬇ HTML", html, file_name="borderatlas.html", mime="text/html", key="download_html"
    )
    cols[1].download_button(
        "⬇ CSV",
        table,
        file_name="borderatlas-events.csv",
        mime="text/csv",
        key="download_csv",
    )
    cols[2].download_button(
        "⬇ GeoJSON",
        geojson,
        file_name="borderatlas-events.geojson",
        mime="application/geo+json",
        key="download_geojson",
    )
    st.caption(f"{len(view.events)} {t('events', lang)}")


def main() -> None:
    st.set_page_config(page_title="borderatlas", page_icon="🗺", layout="wide")
    state = state_from_params(dict(st.query_params))
    try:
        source = data_source()
        data = cached_atlas(source)
        units = {u.id: u for u in boundaries.read_units(source)}
    except (BorderAtlasError, NotADirectoryError) as error:
        st.error(f"The data could not be loaded: {error}")
        st.stop()
    choices = list(boundaries.load_units(state.as_of, source)["id"])
    picked = sidebar(state, units, choices)
    state = replace(picked, province=picked.province if picked.province in choices else None)
    if not state.countries:
        st.warning(
            "Chọn ít nhất một nước." if state.lang == "vi" else "Choose at least one country."
        )
        st.stop()
    view = cached_view(source, state.selection())
    left, right = st.columns([5, 3], gap="medium")
    with left:
        # st_folium changes the map it renders, so each run draws a copy of the cached one.
        fmap = copy.deepcopy(cached_map(source, state.selection(), state.options()))
        focus = focus_on(state.province, view)
        result = st_folium(
            fmap,
            key="atlas",
            height=640,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
            # Changing these pans the map without re-mounting it (a province chosen in search).
            center=focus,
            zoom=7 if focus else None,
        )
        clicked = clicked_unit(result, set(view.units["id"]))
        if clicked and clicked != st.session_state.get("_last_click"):
            st.session_state["_last_click"] = clicked
            state = replace(state, province=clicked)
        if not view.events:
            st.info(t("no_events", state.lang))
    with right:
        province_panel(state, view, data)
        downloads(state, view, source)
    st.query_params.from_dict(params_from_state(state))


if __name__ == "__main__":
    main()
