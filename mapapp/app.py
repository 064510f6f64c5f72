"""The Streamlit app (``borderatlas app``): the map, a sidebar to choose what it shows, the
cooperation history of the province the user clicks or finds, and a list of every event.

The whole state lives in the URL's query parameters (filters, the selected province, the map's
centre and zoom), so a view can be shared and reloaded. Data is loaded once per data directory
and the map is rebuilt only when the filters change; the map and the panel are one fragment, so a
click reruns them, not the page. The selected province is outlined by a layer streamlit-folium
swaps in place, and the map is moved only on purpose (a search, a shared link): a click leaves
the view where the user put it.

The selected province is one session value, changed only by :func:`select`: from the URL on a
session's first run, and then from widget callbacks (a click on the map, a search result) or when
a filter hides it. The URL is written from it. What the page shows is computed by
:mod:`mapapp.viewmodel`; this module holds the widgets and the session.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

import folium
import streamlit as st

from loaders import boundaries
from loaders._errors import BorderAtlasError
from loaders._io import DataSource
from loaders.atlas import (
    AtlasData,
    CooperationView,
    Selection,
    cooperation_view,
    events_frame,
    load_atlas,
)
from loaders.events import Event
from loaders.history import Counterpart, HistoryPage, counterparts, history_page
from loaders.index import Progress
from loaders.lookup import Hit, lookup
from loaders.vocabulary import COUNTRIES, EventKind
from mapapp import layers, mapwidget, popups
from mapapp.assets import make_offline
from mapapp.build import MapOptions, draw
from mapapp.escaping import csv_cell, markdown_text
from mapapp.export import render_html
from mapapp.i18n import LANGS, Lang, count_label, t
from mapapp.viewmodel import (
    AS_OF_FIRST,
    LIST_COLUMNS,
    THEMES,
    AppState,
    MapView,
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

STATIC_URL = "/app/static/vendor"  # `borderatlas app` writes the assets there
MAP_HEIGHT = 760  # px: the map fills a 900 px high window beside the panel
PHONE_MAP_HEIGHT = 440  # px: on a phone the panel is stacked below; half a screen of map
MAX_PANEL_ENTRIES = 300  # a province with thousands of records: the newest, then a pointer
INDEX_MAX_AGE_S = 1.0  # a file saved a second before a click is in the page it makes
MAX_LIST_ROWS = 2_000  # rows sent to the browser; at 100k events the whole table took seconds

# Session keys: the selected province (written only by select()); where the map should go (set
# only on purpose) and where it is (as the browser last reported it, or as last moved on
# purpose); the map widget.
SELECTED, GOTO, VIEW, MAP = "province", "goto", "_view", "atlas"


# --- cached data ------------------------------------------------------------------------------


def data_source() -> DataSource:
    return DataSource.from_env(os.environ.get("BORDERATLAS_DATA_DIR") or None)


@st.cache_resource(show_spinner=False)
def cached_atlas(source: DataSource, _progress: Progress | None = None) -> AtlasData:
    # Changed record files are reported by the operating system, so a click never waits for a
    # check of every file; where no folder can be watched, a page run checks them at most once
    # a second, however many queries it makes. (`_progress`: not part of the cache key.)
    return load_atlas(source, max_age_s=INDEX_MAX_AGE_S, watch=True, progress=_progress)


def records_version(source: DataSource) -> str:
    """The state of the record files (as the watcher reports them, or checked at most once a
    second): every cached result below is keyed by it, so an edited, added or deleted record
    shows on the next page run."""
    return cached_atlas(source).index.version()


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_view(source: DataSource, selection: Selection, version: str) -> CooperationView:
    return cooperation_view(selection, cached_atlas(source))


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_folium_map(
    source: DataSource, selection: Selection, options: MapOptions, version: str
) -> folium.Map:
    """The map of a selection, its assets served by the app. Never modified: rendering works
    on a copy."""
    fmap = draw(cached_view(source, selection, version), options, cached_atlas(source))
    return make_offline(fmap, "served", static_url=STATIC_URL)


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_map(
    source: DataSource, selection: Selection, options: MapOptions, version: str
) -> mapwidget.PreparedMap:
    """The map of a selection, rendered once for the map widget (a click or a pan reruns the
    fragment that shows it: rendering it each time took about half a second)."""
    return mapwidget.prepare(cached_folium_map(source, selection, options, version))


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_history(
    source: DataSource, selection: Selection, unit_id: str, version: str
) -> tuple[list[Counterpart], HistoryPage]:
    """A province's partners (over every event) and its history under the selection, read from
    the record index once per state of the files: a pan of the map reruns the panel. Only the
    records the panel lists are read whole."""
    index = cached_atlas(source).index
    partners = counterparts(unit_id, source, current=True, index=index)
    page = history_page(
        unit_id,
        source,
        limit=MAX_PANEL_ENTRIES,
        start=selection.start,
        end=selection.end,
        kinds=selection.kinds,
        index=index,
    )
    return partners, page


@st.cache_data(show_spinner=False, max_entries=8)
def cached_export(
    _source: DataSource, source_key: str, selection: Selection, options: MapOptions, version: str
) -> str:
    """The same HTML the CLI exports for this selection (self-contained, with popups)."""
    view = cached_view(_source, selection, version)  # the map's view: not counted again
    return render_html(draw(view, options, cached_atlas(_source)), self_contained=True)


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_event_files(source: DataSource, selection: Selection, version: str) -> tuple[str, str]:
    """The selection's events as CSV and GeoJSON text, built once per selection (at 100k events
    building them took two thirds of every rerun)."""
    frame = events_frame(cached_view(source, selection, version))
    table = frame.drop(columns="geometry").map(csv_cell)  # no cell runs as a spreadsheet formula
    return table.to_csv(index=False), frame.to_json(drop_id=True)


# --- the page ----------------------------------------------------------------------------------

PAGE_CSS = """<style>
.block-container{padding-top:1.2rem;padding-bottom:1rem}
@media (max-width: 640px){.block-container{padding-left:.6rem;padding-right:.6rem}}
</style>"""


def sidebar(state: AppState) -> AppState:
    """Widgets for the filters; returns the state they describe (the province is kept). A change
    of any of them redraws the map: :func:`_on_filter_change` keeps it where it was."""
    lang = st.sidebar.radio(
        t("language_picker", state.lang),
        LANGS,
        index=LANGS.index(state.lang),
        format_func=lambda code: t("language_name", code),
        horizontal=True,
        key="lang",
        on_change=_on_filter_change,
    )
    for note in state.notes:
        st.sidebar.warning(note.text(lang))
    st.sidebar.subheader(t("layers", lang))
    countries = tuple(
        c
        for c in COUNTRIES
        if st.sidebar.checkbox(
            t(c, lang), value=c in state.countries, key=f"country_{c}", on_change=_on_filter_change
        )
    )
    themes = tuple(
        th
        for th in THEMES
        if st.sidebar.checkbox(
            t(th, lang), value=th in state.themes, key=f"layer_{th}", on_change=_on_filter_change
        )
    )
    start, end = year_range(state, lang)
    kinds = st.sidebar.multiselect(
        t("event_kinds", lang),
        [k.value for k in EventKind],
        default=list(state.kinds),
        format_func=lambda k: popups.kind_label(k, lang),
        placeholder=t("all_kinds", lang),
        key="kinds",
        on_change=_on_filter_change,
    )
    today = date.today()
    as_of = st.sidebar.date_input(
        t("units_of", lang),
        value=state.as_of or today,
        min_value=AS_OF_FIRST,
        max_value=today,
        format="YYYY-MM-DD",
        key="as_of",
        on_change=_on_filter_change,
    )
    return replace(
        state,
        countries=countries,
        themes=themes,
        start=start,
        end=end,
        as_of=None if as_of == today else as_of,
        kinds=tuple(kinds),
        lang=lang,
        notes=[],
    )


def year_range(state: AppState, lang: Lang) -> tuple[date | None, date | None]:
    """The period, picked by year on a slider (see :func:`mapapp.viewmodel.period_of`)."""
    years = slider_years(date.today())
    low, high = st.sidebar.select_slider(
        t("years", lang),
        options=years,
        value=years_of(state.start, state.end, years),
        key="years",
        on_change=_on_filter_change,
    )
    return period_of(low, high, years, state.start, state.end)


def selected_outline(unit_id: str | None, view: CooperationView) -> folium.FeatureGroup:
    """The selected province drawn as a thick outline that lets clicks through (swapped into
    the mounted map by streamlit-folium: the map is not redrawn)."""
    group = folium.FeatureGroup(name="selected", control=False)
    if unit_id and unit_id in set(view.units["id"]):
        folium.GeoJson(
            view.units.loc[[unit_id]].geometry.__geo_interface__,
            style_function=lambda _f: layers.SELECTED_STYLE,
            interactive=False,
        ).add_to(group)
    return group


def on_phone() -> bool:
    """Whether the browser says it is a phone ("Mobi" in its User-Agent, as browsers mark
    mobile devices); the map's height is set in pixels, so the server must choose it."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


def go_to(lat: float, lon: float, zoom: int) -> None:
    """Move the map on purpose (a search result, a shared link, a redrawn map)."""
    st.session_state[VIEW] = (lat, lon, zoom)
    st.session_state[GOTO] = (lat, lon, zoom, st.session_state.get(GOTO, (0,) * 4)[3] + 1)


def goto_props(goto: tuple[float, float, int, int] | None) -> dict:
    """``center`` and ``zoom`` for st_folium. Its frontend applies them only when they differ
    from the values it applied last (kept even when the map is redrawn), so going back to the
    same place would do nothing: each move is nudged by its own count of ten-millionths of a
    zoom level and billionths of a degree, which Leaflet snaps away."""
    if goto is None:
        return {"center": None, "zoom": None}
    lat, lon, zoom, count = goto
    nudge = count % 1000
    return {"center": (lat + nudge * 1e-9, lon), "zoom": zoom + nudge * 1e-7}


def search_box(state: AppState, data: AtlasData) -> None:
    """One box for provinces (any spelling), crossings (either side's name) and event titles.
    Choosing a result selects its province and moves the map there."""
    lang = state.lang
    query = st.text_input(
        t("search_box", lang), key="query", placeholder=t("search_hint", lang)
    ).strip()
    if not query:
        return
    hits = lookup(query, state.as_of or date.today(), data)
    if not hits:
        st.caption(t("search_none", lang, q=query))
        return
    labels = {f"{hit.kind}:{hit.id}": hit for hit in hits}
    st.radio(
        t("search_pick", lang),
        list(labels),
        index=None,
        format_func=lambda key: f"{labels[key].name(lang)} · {t('hit_' + labels[key].kind, lang)}",
        key=f"pick:{query}",  # a new query offers its results unpicked
        label_visibility="collapsed",
        on_change=_on_pick,
        args=(f"pick:{query}", labels),
    )


# --- the selection -----------------------------------------------------------------------------


def select(unit_id: str | None, goto: MapView | None = None) -> None:
    """Make ``unit_id`` the selected province (None: none) and, with ``goto``, move the map.

    The one writer of the selection. Its sources all come through here: the URL on a session's
    first run (:func:`start_session`), a click on the map (:func:`_on_map_report`), a search
    result (:func:`_on_pick`), and a filter that hides the province (:func:`deselect_hidden`).
    The widgets' callbacks run before the page, so the outline and the panel of the same run
    show the new selection."""
    st.session_state[SELECTED] = unit_id
    if goto is not None:
        go_to(*goto)


def selected() -> str | None:
    return st.session_state.get(SELECTED)


def start_session(state: AppState, view: CooperationView) -> None:
    """The first run of a browser session: the selection and the view come from the URL (read
    this once: from then on the URL is written from the session)."""
    if SELECTED in st.session_state:
        return
    focus = unit_focus(view.units, state.province) if state.province else None
    select(state.province, goto=state.view or focus)


def deselect_hidden(
    state: AppState, units: dict[str, boundaries.Unit], shown: set[str]
) -> str | None:
    """Deselect a province the filters hide or the date lacks, and say why."""
    unit_id = selected()
    if not unit_id or unit_id in shown:
        return None
    select(None)
    return deselection_message(unit_id, units.get(unit_id), state)


def _on_map_report(
    shown: frozenset[str], previous: dict[str, Any], reported: dict[str, Any]
) -> None:
    """The browser reported the map: a click on a province selects it; a pan, a zoom or a move
    made on purpose records where the map is."""
    if is_click(previous, reported):
        unit_id = clicked_unit(reported, shown)
        if unit_id:
            select(unit_id)
    moved_to = map_view(reported)
    if moved_to is not None:
        st.session_state[VIEW] = moved_to


def _on_pick(widget: str, hits: dict[str, Hit]) -> None:
    """A search result was chosen: select its province (if it has one) and move the map there."""
    hit = hits.get(st.session_state.get(widget) or "")
    if hit is not None:
        select(hit.unit or selected(), goto=hit_focus(hit))


def _on_filter_change() -> None:
    """A filter changed, so the map is drawn anew (at its overview): keep it where it was."""
    if st.session_state.get(VIEW):
        go_to(*st.session_state[VIEW])


@st.fragment
def map_and_panel(state: AppState, source: DataSource, message: str | None) -> None:
    """The map and the province panel: a click reruns this, not the whole page."""
    data = cached_atlas(source)
    version = records_version(source)
    view = cached_view(source, state.selection(), version)
    left, right = st.columns([3, 2], gap="medium")
    with right:
        search_box(state, data)
    with left:
        mapwidget.show(
            cached_map(source, state.selection(), state.options(), version),
            key=MAP,
            height=PHONE_MAP_HEIGHT if on_phone() else MAP_HEIGHT,
            returned_objects=["last_active_drawing", "last_object_clicked", "center", "zoom"],
            **goto_props(st.session_state.get(GOTO)),
            feature_group_to_add=selected_outline(selected(), view),
            on_change=partial(_on_map_report, frozenset(view.units["id"])),
        )
    state = replace(state, province=selected(), view=st.session_state.get(VIEW) or state.view)
    with right:
        if message:
            st.warning(message)
        province_panel(state, view, data, version)
    sync_url(state)


def province_panel(state: AppState, view: CooperationView, data: AtlasData, version: str) -> None:
    """Names, lineage, partners, crossings and the history of the selected province."""
    lang, source = state.lang, data.source
    units = {u.id: u for u in boundaries.read_units(source)}
    unit = units.get(state.province or "")
    if unit is None:
        st.info(t("click_prompt", lang))
        return

    def names(unit_ids: list[str]) -> str:
        """Units' names as literal markdown text (names come from data files)."""
        return ", ".join(markdown_text(popups.unit_name(units.get(u), lang, u)) for u in unit_ids)

    facts = province_facts(unit, view, source)
    st.subheader(markdown_text(f"{unit.name_vi} · {unit.name}"))
    iso = t("iso_code", lang, code=unit.iso_3166_2 or "—")
    st.caption(markdown_text(f"{t(unit.country, lang)} · {t(f'kind_{unit.kind}', lang)} · {iso}"))
    if facts.former:
        st.markdown(f"**{t('formerly', lang)}:** {names(facts.former)}")
    if facts.now != [unit.id]:
        st.markdown(f"**{t('part_of', lang)}:** {names(facts.now)}")
    partners, history = cached_history(source, state.selection(), unit.id, version)
    if partners:
        listed = ", ".join(f"{names([p.unit])} ({p.events})" for p in partners)
        st.markdown(f"**{t('counterparts', lang)}:** {listed}")
    if facts.crossings:
        gates = ", ".join(markdown_text(c.pair_name) for c in facts.crossings)
        st.markdown(f"**{t('crossings', lang)}:** {gates}")
    if not history.total:
        st.info(t("no_events", lang))
        return
    st.markdown(f"**{t('history', lang)}:** {history_counts(history, view, unit.id, lang)}")
    if history.per_year:
        st.bar_chart(
            timeline(history.per_year),
            x="year",
            y="count",
            height=160,
            x_label=t("year", lang),
            y_label=t("records", lang),
        )
    records = [entry.record for entry in history.entries]
    st.html(popups.history_html(records, lang, units, data.agreements, data.series, facts.lineage))
    if history.total > len(records):
        st.caption(t("panel_cut", lang, n=len(records), total=history.total))


def downloads(state: AppState, view: CooperationView, source: DataSource, version: str) -> None:
    """The current map as HTML (the document `borderatlas export` writes), and the filtered
    events as CSV and GeoJSON (the rows of the event list), in the sidebar.

    Each file is made when its button is clicked, on Streamlit's download thread (cached
    after): at 100k events making all three on every visit held the page for 25 s. The buttons
    live outside the map fragment, because a rerun of the fragment (every pan) would replace
    them and a click in flight would find its file gone.
    """
    lang, selection, options = state.lang, state.selection(), state.options(compact=False)
    st.sidebar.subheader(t("downloads", lang))
    st.sidebar.caption(count_label(view.total, lang))
    st.sidebar.download_button(
        t("download_html", lang),
        lambda: cached_export(source, str(source.user_dir), selection, options, version),
        file_name="borderatlas.html",
        mime="text/html",
        key="download_html",
    )
    st.sidebar.download_button(
        t("download_csv", lang),
        lambda: cached_event_files(source, selection, version)[0],
        file_name="borderatlas-events.csv",
        mime="text/csv",
        key="download_csv",
    )
    st.sidebar.download_button(
        t("download_geojson", lang),
        lambda: cached_event_files(source, selection, version)[1],
        file_name="borderatlas-events.geojson",
        mime="application/geo+json",
        key="download_geojson",
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_event_rows(
    source: DataSource, selection: Selection, lang: Lang, words: str, version: str
) -> tuple[list[dict], int]:
    """The event list's rows (at most MAX_LIST_ROWS) and how many events there are in all:
    the selection's events newest first, or, with ``words``, the best matches of a full-text
    search of the record index. Shared, not copied: never modified."""
    data = cached_atlas(source)
    units = {u.id: u for u in boundaries.read_units(source)}
    if not words:
        view = cached_view(source, selection, version)
        events = view.events(limit=MAX_LIST_ROWS)
        return [event_row(event, lang, units, data.series) for event in events], view.total
    kinds = [kind.value for kind in selection.kinds or EventKind]  # no "agreement": events only
    hits = data.index.search(
        words, start=selection.start, end=selection.end, kinds=kinds, limit=MAX_LIST_ROWS
    )
    rows = [
        event_row(hit.record, lang, units, data.series) | {"match": hit.snippet_text("[", "]")}
        for hit in hits
        if isinstance(hit.record, Event)
    ]
    return rows, len(rows)


def event_list(state: AppState, source: DataSource) -> None:
    """The events under the current filters as a sortable table, searchable by text."""
    lang = state.lang
    words = " ".join(st.text_input(t("filter_list", lang), key="list_filter").split())
    rows, total = cached_event_rows(source, state.selection(), lang, words, records_version(source))
    caption = f"{count_label(total, lang)} · {t('search_found' if words else 'whole_list', lang)}"
    if len(rows) < total:
        caption += " " + t("list_cut", lang, n=f"{len(rows):,}")
    st.caption(caption)
    if not rows:
        st.info(t("search_none", lang, q=words) if words else t("no_events", lang))
        return
    columns = ["match", *LIST_COLUMNS] if words else LIST_COLUMNS
    st.dataframe(
        [{column: row[column] for column in columns} for row in rows],
        hide_index=True,
        width="stretch",
        height=min(36 * (len(rows) + 1) + 4, 720),
        column_config={
            "match": st.column_config.TextColumn(t("col_match", lang), width="large"),
            "date": st.column_config.TextColumn(t("col_date", lang), width="small"),
            "kind": st.column_config.TextColumn(t("col_kind", lang), width="medium"),
            "title": st.column_config.TextColumn(t("col_title", lang), width="large"),
            "provinces": st.column_config.TextColumn(t("col_provinces", lang)),
            "series": st.column_config.TextColumn(t("col_series", lang)),
            "publishers": st.column_config.TextColumn(t("col_publishers", lang)),
            "link": st.column_config.LinkColumn(t("col_link", lang), display_text="↗"),
        },
    )


def sync_url(state: AppState) -> None:
    """Mirror the state in the URL, changing only the parameters that differ."""
    wanted = params_from_state(state)
    for name in [*st.query_params]:
        if name not in wanted:
            del st.query_params[name]
    for name, value in wanted.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def main() -> None:
    state = state_from_params(dict(st.query_params))
    st.set_page_config(page_title=t("page_title", state.lang), page_icon="🗺", layout="wide")
    st.html(PAGE_CSS)
    try:
        source = data_source()
        cached_atlas(source)
        units = {u.id: u for u in boundaries.read_units(source)}
    except (BorderAtlasError, NotADirectoryError) as error:
        st.error(t("data_error", state.lang, error=error))
        st.stop()
    state = sidebar(state)
    st.set_page_config(page_title=t("page_title", state.lang))  # the language just picked
    if not state.countries:
        st.warning(t("choose_country", state.lang))
        st.stop()
    version = records_version(source)
    view = cached_view(source, state.selection(), version)
    start_session(state, view)
    message = deselect_hidden(state, units, set(view.units["id"]))
    downloads(state, view, source, version)
    map_tab, list_tab = st.tabs([t("map_tab", state.lang), t("list_tab", state.lang)])
    with map_tab:
        map_and_panel(state, source, message)
    with list_tab:
        event_list(state, source)


def warm_up(progress: Progress | None = None) -> None:
    """Fill the caches a first page run reads: the data, the default view, its map and event
    list in each language. ``borderatlas app`` calls it before the server answers; a data error
    is left for the page to show. ``progress`` hears of the record files read while the index
    is built. The map is drawn, not rendered for the widget: that needs streamlit-folium, which
    must first be imported in a page run (:mod:`mapapp.mapwidget`)."""
    try:
        source = data_source()
        cached_atlas(source, progress)
        version = records_version(source)
        boundaries.read_units(source)
    except (BorderAtlasError, NotADirectoryError):
        return
    for lang in LANGS:
        state = AppState(lang=lang)
        cached_folium_map(source, state.selection(), state.options(), version)
        cached_event_rows(source, state.selection(), lang, "", version)


if __name__ == "__main__":
    main()
