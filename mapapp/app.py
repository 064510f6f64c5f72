"""The Streamlit app (``borderatlas app``): the map, a sidebar to choose what it shows, the
cooperation history of the province the user clicks or finds, and a list of every event.

The whole state lives in the URL's query parameters (filters, the selected province, the map's
centre and zoom), so a view can be shared and reloaded. Data is loaded once per data directory
and the map is rebuilt only when the filters change; the map and the panel are one fragment, so a
click reruns them, not the page. The selected province is outlined by a layer streamlit-folium
swaps in place, and the map is moved only on purpose (a search, a shared link): a click leaves
the view where the user put it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date

import folium
import streamlit as st

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
from loaders.history import Counterpart, HistoryPage, counterparts, history_page
from loaders.lookup import Hit, lookup
from mapapp import layers, mapwidget, popups
from mapapp.assets import make_offline
from mapapp.build import CREATED_AT, LAYERS, MapOptions, draw
from mapapp.escaping import csv_cell, markdown_text
from mapapp.export import render_html
from mapapp.i18n import LANGS, Lang, count_label, t

THEMES = ("crossings", "meetings", "links")  # layers the sidebar switches (besides countries)
# The period slider's first year: the history begins with diplomatic relations (1962). Records may
# be older (loaders.events.EARLIEST bounds them); the slider's left end means "no start".
FIRST_YEAR = 1960
STATIC_URL = "/app/static/vendor"  # `borderatlas app` writes the assets there
MAP_HEIGHT = 760  # px: the map fills a 900 px high window beside the panel
PHONE_MAP_HEIGHT = 440  # px: on a phone the panel is stacked below; half a screen of map
FOCUS_ZOOM = 8  # a province found by search fills most of the map at this zoom
MAX_PANEL_ENTRIES = 300  # a province with thousands of records: the newest, then a pointer
INDEX_MAX_AGE_S = 1.0  # a file saved a second before a click is in the page it makes
MAX_LIST_ROWS = 2_000  # rows sent to the browser; at 100k events the whole table took seconds

# Session keys: the one selected province; where the map should go (set only on purpose), where
# it is (as last moved by the user or on purpose) and what the browser last reported; the map
# widget, the units it shows, the last click seen, and the filters the map was drawn for.
PROVINCE, GOTO, VIEW, REPORTED = "province", "goto", "_view", "_reported"
MAP, SHOWN, LAST_CLICK, DRAWN = "atlas", "_shown", "_last_click", "_drawn"


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
    view: tuple[float, float, int] | None = None  # the map's (lat, lon, zoom)
    notes: list[str] = field(default_factory=list, compare=False)  # ignored bad parameters

    def selection(self) -> Selection:
        kinds = frozenset(EventKind(k) for k in self.kinds) if self.kinds else None
        return Selection(self.countries, self.start, self.end, self.as_of, kinds)

    def options(self, compact: bool = True) -> MapOptions:
        """The app's map (``compact``: its own search is the app's search box) or the export's."""
        keep = {"provinces", "borders", "context", *self.themes}
        layers = frozenset(layer for layer in LAYERS if layer in keep)
        return MapOptions(lang=self.lang, layers=layers, compact=compact)


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

    def view() -> tuple[float, float, int] | None:
        try:
            lat, lon, zoom = float(params["lat"]), float(params["lon"]), int(params["z"])
        except (KeyError, ValueError):
            if any(name in params for name in ("lat", "lon", "z")):
                notes.append("ignored lat/lon/z (expected numbers)")
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 3 <= zoom <= 18):
            notes.append(f"ignored lat={lat}, lon={lon}, z={zoom} (out of range)")
            return None
        return (lat, lon, zoom)

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
        view=view(),
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
        **view_params(state.view),
    }
    defaults = params_from_defaults()
    return {k: v for k, v in params.items() if v and v != defaults.get(k)}


def view_params(view: tuple[float, float, int] | None) -> dict[str, str]:
    """Centre and zoom as short URL values (5 decimals: about a metre)."""
    if view is None:
        return {"lat": "", "lon": "", "z": ""}
    lat, lon, zoom = view
    return {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "z": str(zoom)}


def params_from_defaults() -> dict[str, str]:
    return {"countries": ",".join(COUNTRIES), "layers": ",".join(THEMES), "lang": "vi"}


# --- cached data ------------------------------------------------------------------------------


def data_source() -> DataSource:
    return DataSource.from_env(os.environ.get("BORDERATLAS_DATA_DIR") or None)


@st.cache_resource(show_spinner=False)
def cached_atlas(source: DataSource) -> AtlasData:
    # Changed record files are reported by the operating system, so a click never waits for a
    # check of every file; where no folder can be watched, a page run checks them at most once
    # a second, however many queries it makes.
    return load_atlas(source, max_age_s=INDEX_MAX_AGE_S, watch=True)


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
    """Widgets for the filters; returns the state they describe (the province is kept)."""
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
    start, end = year_range(state, lang)
    kinds = st.sidebar.multiselect(
        t("event_kinds", lang),
        [k.value for k in EventKind],
        default=list(state.kinds),
        format_func=lambda k: popups.kind_label(k, lang),
        placeholder=t("all_kinds", lang),
        key="kinds",
    )
    today = date.today()
    as_of = st.sidebar.date_input(
        t("units_of", lang),
        value=state.as_of or today,
        min_value=AS_OF_FIRST,
        max_value=today,
        format="YYYY-MM-DD",
        key="as_of",
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
    """The period, picked by year (a day slider over 66 years moved 35 years in 120 px). A
    period from a shared URL keeps its exact days while its years are left as they are."""
    years = list(range(FIRST_YEAR, date.today().year + 1))
    first = state.start.year if state.start else years[0]
    last = state.end.year if state.end else years[-1]
    low, high = st.sidebar.select_slider(
        t("years", lang), options=years, value=(first, last), key="years"
    )
    start = state.start if low == first else date(low, 1, 1)
    end = state.end if high == last else date(high, 12, 31)
    return (None if low == years[0] else start), (None if high == years[-1] else end)


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


def clicked_unit(result: dict | None, shown: set[str]) -> str | None:
    """The unit id of a clicked province, if the last click hit one on the map."""
    feature = (result or {}).get("last_active_drawing") or {}
    unit_id = (feature.get("properties") or {}).get("id")
    return unit_id if unit_id in shown else None


def _on_map_change() -> None:
    """A click on a province selects it; a pan or zoom only records where the map is.

    A click is told from a pan by ``last_object_clicked`` changing: ``last_active_drawing``
    stays the same feature while the user pans, or after a search chose another province.
    """
    result = st.session_state.get(MAP) or {}
    click = result.get("last_object_clicked")
    if click and click != st.session_state.get(LAST_CLICK):
        st.session_state[LAST_CLICK] = click
        unit_id = clicked_unit(result, st.session_state.get(SHOWN, set()))
        if unit_id:
            st.session_state[PROVINCE] = unit_id


def on_phone() -> bool:
    """Whether the browser says it is a phone ("Mobi" in its User-Agent, as browsers mark
    mobile devices); the map's height is set in pixels, so the server must choose it."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


def map_view(result: dict | None) -> tuple[float, float, int] | None:
    """Where the map is, as the browser last reported it: (lat, lon, zoom). A redrawn map
    first reports the view it is created at, before it is moved into place: not the user's."""
    centre, zoom = (result or {}).get("center"), (result or {}).get("zoom")
    if not centre or zoom is None:
        return None
    view = (round(centre["lat"], 5), round(centre["lng"], 5), int(zoom))
    return None if view == CREATED_AT else view


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
        key=f"pick:{query}",
        label_visibility="collapsed",
        on_change=_choose,
        args=(f"pick:{query}", labels),
    )


def _choose(widget: str, labels: dict[str, Hit]) -> None:
    hit = labels.get(st.session_state.get(widget) or "")
    if hit is None:
        return
    if hit.unit:
        st.session_state[PROVINCE] = hit.unit
    if hit.lat is not None and hit.lon is not None:
        go_to(hit.lat, hit.lon, FOCUS_ZOOM + 2 if hit.kind == "crossing" else FOCUS_ZOOM)


def reconcile(state: AppState, units: dict[str, boundaries.Unit], shown: set[str]) -> str | None:
    """Deselect a province the filters hide or the date lacks, and say why."""
    unit_id = st.session_state.get(PROVINCE)
    if not unit_id or unit_id in shown:
        return None
    st.session_state[PROVINCE] = None
    unit = units.get(unit_id)
    name = popups.unit_name(unit, state.lang, unit_id)
    if unit is not None and unit.country not in state.countries:
        return t("deselected_hidden", state.lang, name=name)
    day = (state.as_of or date.today()).isoformat()
    return t("deselected_date", state.lang, name=name, day=day)


@st.fragment
def map_and_panel(state: AppState, source: DataSource, message: str | None) -> None:
    """The map and the province panel: a click reruns this, not the whole page."""
    data = cached_atlas(source)
    version = records_version(source)
    view = cached_view(source, state.selection(), version)
    shown = set(view.units["id"])
    st.session_state[SHOWN] = shown
    left, right = st.columns([3, 2], gap="medium")
    with right:
        search_box(state, data)
    province = st.session_state.get(PROVINCE)
    with left:
        result = mapwidget.show(
            cached_map(source, state.selection(), state.options(), version),
            key=MAP,
            height=PHONE_MAP_HEIGHT if on_phone() else MAP_HEIGHT,
            returned_objects=["last_active_drawing", "last_object_clicked", "center", "zoom"],
            **goto_props(st.session_state.get(GOTO)),
            feature_group_to_add=selected_outline(province, view),
            on_change=_on_map_change,
        )
    reported = map_view(result)
    if reported is not None and reported != st.session_state.get(REPORTED):
        st.session_state[REPORTED] = st.session_state[VIEW] = reported  # the user moved it
    with right:
        if message:
            st.warning(message)
        province_panel(replace(state, province=province), view, data, version)
    sync_url(replace(state, province=province, view=st.session_state.get(VIEW) or state.view))


def province_panel(state: AppState, view: CooperationView, data: AtlasData, version: str) -> None:
    """Names, lineage, partners, crossings and the history of the selected province."""
    lang, source = state.lang, data.source
    units = {u.id: u for u in boundaries.read_units(source)}
    unit = units.get(state.province or "")
    if unit is None:
        st.info(t("click_prompt", lang))
        return

    def name(other: boundaries.Unit | None, lang: Lang, fallback: str = "") -> str:
        """A unit's name as literal markdown text (names come from data files)."""
        return markdown_text(popups.unit_name(other, lang, fallback))

    st.subheader(markdown_text(f"{unit.name_vi} · {unit.name}"))
    kind = t(f"kind_{unit.kind}", lang)
    st.caption(markdown_text(f"{t(unit.country, lang)} · {kind} · ISO {unit.iso_3166_2 or '—'}"))
    former = boundaries.predecessors_of(unit.id, source)
    if former:
        st.markdown(
            f"**{t('formerly', lang)}:** " + ", ".join(name(units[u], lang) for u in former)
        )
    now = boundaries.current_units_of(unit.id, source)
    if now != [unit.id]:
        st.markdown(f"**{t('part_of', lang)}:** " + ", ".join(name(units[u], lang) for u in now))
    partners, history = cached_history(source, state.selection(), unit.id, version)
    if partners:
        st.markdown(
            f"**{t('counterparts', lang)}:** "
            + ", ".join(f"{name(units.get(p.unit), lang, p.unit)} ({p.events})" for p in partners)
        )
    family = {unit.id, *former}
    gates = [
        markdown_text(c.pair_name)
        for c in view.crossings
        if family & {c.province_2024, c.province_today, c.foreign_province}
    ]
    if gates:
        st.markdown(f"**{t('crossings', lang)}:** " + ", ".join(gates))
    if not history.total:
        st.info(t("no_events", lang))
        return
    st.markdown(f"**{t('history', lang)}:** " + history_counts(history, view, unit.id, lang))
    if history.per_year:
        years = range(min(history.per_year), max(history.per_year) + 1)  # gaps stay visible
        st.bar_chart(
            {
                "year": [str(year) for year in years],
                "count": [history.per_year.get(year, 0) for year in years],
            },
            x="year",
            y="count",
            height=160,
            x_label=t("year", lang),
            y_label=t("records", lang),
        )
    records = [entry.record for entry in history.entries]
    lineage = {unit.id, *former}
    st.html(popups.history_html(records, lang, units, data.agreements, data.series, lineage))
    if history.total > len(records):
        st.caption(t("panel_cut", lang, n=len(records), total=history.total))


def history_counts(history: HistoryPage, view: CooperationView, unit_id: str, lang: Lang) -> str:
    """What the history holds, the first figure being the map's: the events the province (or
    a province it was made from) took part in; then events held there or naming it only (a
    national meeting in Hà Nội), and agreements."""
    as_party = view.event_count(unit_id)
    named = history.total - history.agreements - as_party
    parts = [t("as_party", lang, n=as_party)]
    parts += [t("named_only", lang, n=named)] if named > 0 else []
    parts += [t("agreements_n", lang, n=history.agreements)] if history.agreements else []
    return " · ".join(parts)


def downloads(state: AppState, view: CooperationView, source: DataSource, version: str) -> None:
    """The current map as HTML (the document `borderatlas export` writes), and the filtered
    events as CSV and GeoJSON (the rows of the event list), in the sidebar.

    Each file is made when its button is clicked, on Streamlit's download thread (cached
    after): at 100k events making all three on every visit held the page for 25 s. The buttons
    live outside the map fragment, because a rerun of the fragment (every pan) would replace
    them and a click in flight would find its file gone.
    """
    lang, selection, options = state.lang, state.selection(), state.options(compact=False)
    sidebar = st.sidebar
    sidebar.subheader(t("downloads", lang))
    sidebar.caption(count_label(view.total, lang))
    sidebar.download_button(
        "⬇ HTML",
        lambda: cached_export(source, str(source.user_dir), selection, options, version),
        file_name="borderatlas.html",
        mime="text/html",
        key="download_html",
    )
    sidebar.download_button(
        "⬇ CSV",
        lambda: cached_event_files(source, selection, version)[0],
        file_name="borderatlas-events.csv",
        mime="text/csv",
        key="download_csv",
    )
    sidebar.download_button(
        "⬇ GeoJSON",
        lambda: cached_event_files(source, selection, version)[1],
        file_name="borderatlas-events.geojson",
        mime="application/geo+json",
        key="download_geojson",
    )


LIST_COLUMNS = ["date", "kind", "title", "provinces", "series", "publishers", "link"]


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
        return [_event_row(event, lang, units, data) for event in events], view.total
    kinds = [kind.value for kind in selection.kinds or EventKind]
    hits = data.index.search(
        words, start=selection.start, end=selection.end, kinds=kinds, limit=MAX_LIST_ROWS
    )
    rows = [
        _event_row(hit.record, lang, units, data) | {"match": hit.snippet_text("[", "]")}
        for hit in hits
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
            "kind": st.column_config.TextColumn(t("col_kind", lang), width="small"),
            "title": st.column_config.TextColumn(t("col_title", lang), width="large"),
            "provinces": st.column_config.TextColumn(t("col_provinces", lang)),
            "series": st.column_config.TextColumn(t("col_series", lang)),
            "publishers": st.column_config.TextColumn(t("col_publishers", lang)),
            "link": st.column_config.LinkColumn(t("col_link", lang), display_text="↗"),
        },
    )


def _event_row(event, lang: Lang, units: dict[str, boundaries.Unit], data: AtlasData) -> dict:
    provinces = ", ".join(
        popups.unit_name(units.get(u), lang, u) for ids in event.provinces.values() for u in ids
    )
    series = data.series.get(event.series or "")
    series_name = getattr(series.title, lang) if series else ""
    if series and event.ordinal:
        series_name += f" ({t('session', lang, n=event.ordinal)})"
    title = getattr(event.title, lang)
    publishers = ", ".join(dict.fromkeys(s.publisher or "" for s in event.sources if s.publisher))
    link = next((str(s.url) for s in event.sources if s.url), None)
    return {
        "date": str(event.date),
        "kind": popups.kind_label(event.kind.value, lang),
        "title": title,
        "provinces": provinces,
        "series": series_name,
        "publishers": publishers,
        "link": link,
    }


def sync_url(state: AppState) -> None:
    """Mirror the state in the URL, changing only the parameters that differ."""
    wanted = params_from_state(state)
    for name in [*st.query_params]:
        if name not in wanted:
            del st.query_params[name]
    for name, value in wanted.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def start_session(state: AppState, view: CooperationView) -> None:
    """The first run of a browser session: the selection and the view come from the URL."""
    if PROVINCE in st.session_state:
        return
    st.session_state[PROVINCE] = state.province
    if state.view is not None:
        go_to(*state.view)
    elif state.province and state.province in set(view.units["id"]):
        point = view.units.loc[state.province].geometry.representative_point()
        go_to(round(point.y, 5), round(point.x, 5), FOCUS_ZOOM)


def keep_view_on_redraw(source: DataSource, state: AppState) -> None:
    """When the filters change the map is drawn anew: keep it where the user had it."""
    drawn = (state.selection(), state.options())
    if st.session_state.get(DRAWN, drawn) != drawn and st.session_state.get(VIEW):
        go_to(*st.session_state[VIEW])
    st.session_state[DRAWN] = drawn


def main() -> None:
    st.set_page_config(
        page_title="borderatlas · Việt Nam – Lào – Campuchia",
        page_icon="🗺",
        layout="wide",
    )
    st.html(PAGE_CSS)
    state = state_from_params(dict(st.query_params))
    try:
        source = data_source()
        cached_atlas(source)
        units = {u.id: u for u in boundaries.read_units(source)}
    except (BorderAtlasError, NotADirectoryError) as error:
        st.error(t("data_error", state.lang, error=error))
        st.stop()
    state = sidebar(state)
    if not state.countries:
        st.warning(t("choose_country", state.lang))
        st.stop()
    version = records_version(source)
    view = cached_view(source, state.selection(), version)
    start_session(state, view)
    keep_view_on_redraw(source, state)
    message = reconcile(state, units, set(view.units["id"]))
    downloads(state, view, source, version)
    map_tab, list_tab = st.tabs([t("map_tab", state.lang), t("list_tab", state.lang)])
    with map_tab:
        map_and_panel(state, source, message)
    with list_tab:
        event_list(state, source)


def warm_up() -> None:
    """Fill the caches a first page run reads: the data, the default view, its map and event
    list in each language. ``borderatlas app`` calls it before the server answers; a data error
    is left for the page to show. The map is drawn, not rendered for the widget: that needs
    streamlit-folium, which must first be imported in a page run (:mod:`mapapp.mapwidget`)."""
    try:
        source = data_source()
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
