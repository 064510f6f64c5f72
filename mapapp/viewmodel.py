"""What the app shows, as plain data: its state and the URL that carries it, the period a year
slider means, what the map widget reported, the province panel's facts and the event list's rows.

Nothing here imports streamlit: :mod:`mapapp.app` owns the session and draws these with widgets,
and the tests call them directly on the embedded data.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd

from loaders import boundaries
from loaders._io import DataSource
from loaders.atlas import CooperationView, Selection
from loaders.boundaries import Unit
from loaders.crossings import Crossing, crossings_of
from loaders.events import Event, Series
from loaders.history import HistoryPage
from loaders.lookup import Hit
from loaders.vocabulary import COUNTRIES, EventKind
from mapapp import popups
from mapapp.build import CREATED_AT, LAYERS, MapOptions
from mapapp.i18n import LANGS, Lang, t

THEMES = ("crossings", "meetings", "links")  # layers the sidebar switches (besides countries)
# The period slider's first year, a choice of the interface: the history begins with diplomatic
# relations (1962). Records may be older (loaders.vocabulary.EARLIEST, 1900, bounds the data);
# the slider's left end means "no start".
FIRST_YEAR = 1960
# The first date the units are drawn for: the unit table starts with Vietnam's 63 provinces, in
# place since Hà Tây joined Hà Nội on 2008-08-01. Streamlit's date picker raises on a value
# outside its range, so a URL asking for one is ignored with a note instead of crashing the page.
AS_OF_FIRST = date(2008, 8, 1)
FOCUS_ZOOM = 8  # a province found by search fills most of the map at this zoom
CROSSING_ZOOM = FOCUS_ZOOM + 2  # a crossing found by search: close enough to see its road
LIST_COLUMNS = ["date", "kind", "title", "provinces", "series", "publishers", "link"]

MapView = tuple[float, float, int]  # where the map is: (lat, lon, zoom)


@dataclass(frozen=True)
class Note:
    """A message for the user kept as a label key and its values, so it shows in the language
    the page has when it is drawn (a URL is read before the language picker)."""

    key: str
    values: dict[str, object] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        return t(self.key, lang, **self.values)


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
    view: MapView | None = None
    notes: list[Note] = field(default_factory=list, compare=False)  # ignored bad parameters

    def selection(self) -> Selection:
        kinds = frozenset(EventKind(k) for k in self.kinds) if self.kinds else None
        return Selection(self.countries, self.start, self.end, self.as_of, kinds)

    def options(self, compact: bool = True) -> MapOptions:
        """The app's map (``compact``: its own search is the app's search box) or the export's."""
        keep = {"provinces", "borders", "context", *self.themes}
        layers = frozenset(layer for layer in LAYERS if layer in keep)
        return MapOptions(lang=self.lang, layers=layers, compact=compact)


# --- the URL ----------------------------------------------------------------------------------


def state_from_params(params: dict[str, str]) -> AppState:
    """Read the state from query parameters; a bad value is dropped with a note, never fatal."""
    state, notes = AppState(), []

    def listed(name: str, allowed: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
        if name not in params:
            return default
        values = tuple(v for v in params[name].split(",") if v)
        bad = [v for v in values if v not in allowed]
        if bad:
            notes.append(Note("ignored_values", {"name": name, "values": ",".join(bad)}))
        return tuple(v for v in values if v in allowed)

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(params[name]) if params.get(name) else None
        except ValueError:
            notes.append(Note("ignored_date", {"name": name, "value": params[name]}))
            return None

    def as_of() -> date | None:
        when = day("as_of")
        if when is not None and not AS_OF_FIRST <= when <= date.today():
            notes.append(Note("ignored_as_of", {"day": when, "first": AS_OF_FIRST}))
            return None
        return when

    def view() -> MapView | None:
        try:
            lat, lon, zoom = float(params["lat"]), float(params["lon"]), int(params["z"])
        except (KeyError, ValueError):
            if any(name in params for name in ("lat", "lon", "z")):
                notes.append(Note("ignored_view"))
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 3 <= zoom <= 18):
            notes.append(Note("ignored_view_range", {"lat": lat, "lon": lon, "z": zoom}))
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
        **_view_params(state.view),
    }
    defaults = {"countries": ",".join(COUNTRIES), "layers": ",".join(THEMES), "lang": "vi"}
    return {k: v for k, v in params.items() if v and v != defaults.get(k)}


def _view_params(view: MapView | None) -> dict[str, str]:
    """Centre and zoom as short URL values (5 decimals: about a metre)."""
    if view is None:
        return {"lat": "", "lon": "", "z": ""}
    lat, lon, zoom = view
    return {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "z": str(zoom)}


# --- the sidebar's period ---------------------------------------------------------------------


def slider_years(today: date) -> list[int]:
    """The years the period slider offers."""
    return list(range(FIRST_YEAR, today.year + 1))


def years_of(start: date | None, end: date | None, years: list[int]) -> tuple[int, int]:
    """Where the slider's two ends sit for a period (an open end at the slider's end)."""
    return (start.year if start else years[0]), (end.year if end else years[-1])


def period_of(
    low: int, high: int, years: list[int], start: date | None, end: date | None
) -> tuple[date | None, date | None]:
    """The period the slider's years mean. A period picked by year (a day slider over 66 years
    moved 35 years in 120 px); an end left at the year of ``start``/``end`` (a shared URL's)
    keeps its exact day; an end at the slider's end means no bound."""
    first, last = years_of(start, end, years)
    start = start if low == first else date(low, 1, 1)
    end = end if high == last else date(high, 12, 31)
    return (None if low == years[0] else start), (None if high == years[-1] else end)


# --- the map widget's reports and moves --------------------------------------------------------


def clicked_unit(reported: dict[str, Any] | None, shown: Container[str]) -> str | None:
    """The unit id of a clicked province, if the last click hit one on the map."""
    feature = (reported or {}).get("last_active_drawing") or {}
    unit_id = (feature.get("properties") or {}).get("id")
    return unit_id if unit_id in shown else None


def is_click(previous: dict[str, Any] | None, reported: dict[str, Any]) -> bool:
    """Whether a report of the map is a click on a feature, not a pan or a zoom: its
    ``last_object_clicked`` changed. (``last_active_drawing`` stays the same feature while the
    user pans, or after a search chose another province.)"""
    click = reported.get("last_object_clicked")
    return bool(click) and click != (previous or {}).get("last_object_clicked")


def map_view(reported: dict[str, Any] | None) -> MapView | None:
    """Where the map is, as the browser reported it. A redrawn map first reports the view it is
    created at, before it is moved into place: not the user's."""
    centre, zoom = (reported or {}).get("center"), (reported or {}).get("zoom")
    if not centre or zoom is None:
        return None
    view = (round(centre["lat"], 5), round(centre["lng"], 5), int(zoom))
    return None if view == CREATED_AT else view


def unit_focus(units: gpd.GeoDataFrame, unit_id: str) -> MapView | None:
    """A view that centres the map on a unit (None if the map does not show it)."""
    if unit_id not in units.index:
        return None
    point = units.loc[unit_id].geometry.representative_point()
    return (round(point.y, 5), round(point.x, 5), FOCUS_ZOOM)


def hit_focus(hit: Hit) -> MapView | None:
    """Where the map goes for a search result (a crossing is shown closer than a province)."""
    if hit.lat is None or hit.lon is None:
        return None
    return (hit.lat, hit.lon, CROSSING_ZOOM if hit.kind == "crossing" else FOCUS_ZOOM)


# --- the selection -----------------------------------------------------------------------------


def deselection_message(unit_id: str, unit: Unit | None, state: AppState) -> str:
    """Why a selected province left the map: the country filter hides it, or the units' date
    (``state.as_of``) lacks it."""
    name = popups.unit_name(unit, state.lang, unit_id)
    if unit is not None and unit.country not in state.countries:
        return t("deselected_hidden", state.lang, name=name)
    day = (state.as_of or date.today()).isoformat()
    return t("deselected_date", state.lang, name=name, day=day)


# --- the province panel -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceFacts:
    """What the panel says of a province besides its history."""

    unit: Unit
    former: list[str]  # the units it was made from (the 2025 merger's predecessors)
    now: list[str]  # the units of today it is part of: its own id if it still exists
    crossings: list[Crossing]  # on the map, at it or at a unit it was made from, or facing one

    @property
    def lineage(self) -> set[str]:
        """The province and the units it was made from: their events and crossings are its own."""
        return {self.unit.id, *self.former}


def province_facts(unit: Unit, view: CooperationView, source: DataSource) -> ProvinceFacts:
    former = boundaries.predecessors_of(unit.id, source)
    return ProvinceFacts(
        unit=unit,
        former=former,
        now=boundaries.current_units_of(unit.id, source),
        crossings=crossings_of({unit.id, *former}, view.crossings),
    )


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


def timeline(per_year: dict[int, int]) -> dict[str, list]:
    """Records per year for a bar chart, from the first year to the last: gaps stay visible."""
    years = range(min(per_year), max(per_year) + 1) if per_year else range(0)
    return {"year": [str(year) for year in years], "count": [per_year.get(y, 0) for y in years]}


# --- the event list ---------------------------------------------------------------------------


def event_row(event: Event, lang: Lang, units: dict[str, Unit], series: dict[str, Series]) -> dict:
    """One event as a row of the event list (the columns of LIST_COLUMNS)."""
    provinces = ", ".join(
        popups.unit_name(units.get(u), lang, u) for ids in event.provinces.values() for u in ids
    )
    its_series = series.get(event.series or "")
    series_name = getattr(its_series.title, lang) if its_series else ""
    if its_series and event.ordinal:
        series_name += f" ({t('session', lang, n=event.ordinal)})"
    publishers = ", ".join(dict.fromkeys(s.publisher for s in event.sources if s.publisher))
    return {
        "date": str(event.date),
        "kind": popups.kind_label(event.kind.value, lang),
        "title": getattr(event.title, lang),
        "provinces": provinces,
        "series": series_name,
        "publishers": publishers,
        "link": next((str(s.url) for s in event.sources if s.url), None),
    }
