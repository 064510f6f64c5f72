"""Folium layers built from a :class:`loaders.atlas.CooperationView`: provinces per country
(shaded by events), border lines, crossings, meeting venues and cooperation links.

Every layer is its own ``FeatureGroup`` so the layer control can switch it; strings reach the
page only through :mod:`mapapp.popups`, which escapes them and builds every tooltip and popup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import folium
import numpy as np
import shapely
from branca.colormap import StepColormap
from shapely.geometry.base import BaseGeometry

from loaders.atlas import NO_EVENTS, CooperationView, Venue
from loaders.boundaries import Unit
from loaders.events import Agreement
from mapapp import popups
from mapapp.escaping import html_text, map_fragment
from mapapp.i18n import Lang, count_label, t

NO_EVENTS_FILL = "#f4f1ea"
SHADES = ["#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"]  # ColorBrewer OrRd, light→dark
COUNTRY_OUTLINE = {"VN": "#8c2d04", "LA": "#225ea8", "KH": "#4a1486"}
BORDER_STYLE = {"VN-LA": "#1d4ed8", "VN-KH": "#7e22ce"}
# Crossings and venues are small dots, not pins: a pin 25 px wide hid the point a user clicks in
# 45 of 77 provinces at the default view. The legend draws the same dots.
CROSSING_STYLE = {  # class -> (fill colour, radius in px)
    "international": ("#d63e2a", 6),
    "main": ("#2563eb", 5),
    "secondary": ("#575757", 4),
    "opening": ("#a3a3a3", 3.5),
}
VENUE_STYLE = ("#047857", 4.5)  # (fill colour, radius in px), as a crossing's
SELECTED_STYLE = {"color": "#000000", "weight": 4.5, "fill": False}  # the app's chosen province
# Pane stacking: provinces (overlayPane, 400) < links < borders < markers (600).
LINKS_PANE, BORDERS_PANE = "ba-links", "ba-borders"
DISPLAY_GRID_DEGREES = 1e-4
MAX_LINK_WEIGHT = 5.0  # px: a busy pair of provinces still leaves its provinces visible


def event_scale(counts: Iterable[int]) -> StepColormap:
    """Quantile bins of the provinces that have events: each shade holds about as many
    provinces (round-number bins left most provinces in the lightest one). Bins start at whole
    counts; equal quantiles merge, so few distinct counts give fewer bins."""
    positive = sorted(count for count in counts if count > 0) or [1]
    quantiles = np.quantile(positive, np.linspace(0, 1, len(SHADES) + 1)[:-1], method="lower")
    starts = sorted({int(q) for q in quantiles})
    index = [*starts, positive[-1] + 1]
    colours = SHADES[-len(starts) :] if len(starts) > 1 else SHADES[2:3]
    return StepColormap(colours, index=index, vmin=index[0], vmax=index[-1])


def province_layer(
    view: CooperationView,
    country: str,
    lang: Lang,
    units: dict[str, Unit],
    agreements: dict[str, Agreement],
    lineages: dict[str, list[str]],
    scale: StepColormap,
    with_popup: bool = True,
) -> folium.FeatureGroup:
    """The provinces of one country, shaded by event count, with tooltip and history popup
    (the app leaves the popup out: its side panel shows the history)."""
    group = folium.FeatureGroup(name=t("provinces_of", lang, country=t(country, lang)))
    frame = view.units[view.units["country"] == country]
    features = []
    for unit_id, geometry in zip(frame["id"], frame.geometry, strict=True):
        unit = units[unit_id]
        count = view.event_count(unit_id)
        popup = with_popup and popups.province_popup(
            unit,
            view.by_unit.get(unit_id, NO_EVENTS),
            view.counterparts(unit_id),
            lang,
            units,
            agreements,
            lineages.get(unit_id, [unit_id]),
        )
        properties = {
            "id": unit_id,
            "country": country,
            "events": count,
            "fill": scale(count) if count else NO_EVENTS_FILL,
            "tooltip": popups.province_tooltip(unit, count, lang),
        }
        if popup:
            properties["popup"] = popup
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": shapely.geometry.mapping(_for_display(geometry)),
            }
        )
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=f"provinces-{country}",
        style_function=lambda f, c=country: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.85,
            "color": COUNTRY_OUTLINE[c],
            "weight": 0.8,
        },
        highlight_function=lambda _f: {"weight": 3, "color": "#111827", "fillOpacity": 0.95},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=420)
        if with_popup
        else None,
        zoom_on_click=with_popup,  # in the app a click selects and the map stays where it is
        smooth_factor=1.0,
    ).add_to(group)
    return group


def _for_display(geometry: BaseGeometry) -> BaseGeometry:
    """Coordinates on a 1e-4° grid (about 11 m): far finer than the boundary data's accuracy
    (its generalised lines lie a kilometre or more from the surveyed border), and it keeps the
    page small. Every unit is rounded the same way, so shared edges stay shared."""
    return shapely.set_precision(geometry, DISPLAY_GRID_DEGREES, mode="pointwise")


def border_layer(lines: Mapping[str, BaseGeometry], lang: Lang) -> folium.FeatureGroup:
    """The international border lines, drawn above the provinces."""
    group = folium.FeatureGroup(name=t("borders", lang))
    for border, line in lines.items():
        folium.GeoJson(
            shapely.geometry.mapping(line),
            style_function=lambda _f, b=border: {"color": BORDER_STYLE[b], "weight": 3.5},
            tooltip=popups.tooltip(html_text(border)),
            pane=BORDERS_PANE,
        ).add_to(group)
    return group


def crossings_layer(view: CooperationView, lang: Lang) -> folium.FeatureGroup:
    """Every crossing with a symbol per class; both names in the tooltip."""
    group = folium.FeatureGroup(name=t("crossings", lang))
    for crossing in view.crossings:
        kind = crossing.crossing_class
        colour, radius = CROSSING_STYLE.get(kind, CROSSING_STYLE["secondary"])
        when = f" ({html_text(crossing.status_date)})" if crossing.status_date else ""
        details = (
            f"<h4>{html_text(crossing.pair_name)}</h4>"
            f"<p>{html_text(t('class', lang))}: {html_text(t(kind, lang))}; "
            f"{html_text(t('status', lang))}: {html_text(t(crossing.status, lang))}{when}</p>"
            f"<p>{html_text(t('position', lang))} ({html_text(t('confidence', lang))} "
            f"{html_text(crossing.confidence)}): {html_text(crossing.source_note)}</p>"
        )
        folium.CircleMarker(
            location=(crossing.lat, crossing.lon),
            radius=radius,
            color="#ffffff",
            weight=1.5,
            fill_color=colour,
            fill_opacity=1,
            tooltip=popups.tooltip(f"{html_text(crossing.pair_name)} · {html_text(t(kind, lang))}"),
            popup=popups.popup(details, max_width=360),
        ).add_to(group)
    return group


def meetings_layer(
    view: CooperationView, lang: Lang, units: dict[str, Unit]
) -> folium.FeatureGroup:
    """One dot per venue, listing the events held there, newest first.

    The venues travel as one GeoJSON layer whose features carry their tooltip and popup as
    data: a folium Marker per venue costs about a kilobyte of script each, and the real
    history has venues in well over a hundred towns.
    """
    group = folium.FeatureGroup(name=t("meetings", lang))
    features = [_venue_feature(venue, lang, units) for venue in view.venues]
    if not features:
        return group
    colour, radius = VENUE_STYLE
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="venues",
        marker=folium.CircleMarker(
            radius=radius,
            color="#ffffff",
            weight=1.5,
            fill_color=colour,
            fill_opacity=1,
        ),
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=420),
    ).add_to(group)
    return group


def _venue_feature(venue: Venue, lang: Lang, units: dict[str, Unit]) -> dict:
    """One venue as a GeoJSON point whose tooltip and popup travel as properties."""
    lines = [
        popups.event_line(e, lang, units, detailed=False)  # the provinces' popups have more
        for e in venue.events.newest[: popups.MAX_EVENTS_IN_POPUP]
    ]
    extra = venue.events.count - len(lines)
    more = f"<p>{html_text(t('more', lang, n=extra))}</p>" if extra > 0 else ""
    unit = units.get(venue.unit) if venue.unit is not None else None
    place = popups.unit_name(unit, lang, venue.unit or "")
    heading = f"<h4>{html_text(venue.name)} ({html_text(place)})</h4>"
    count = f"{html_text(venue.name)}: {html_text(count_label(venue.events.count, lang))}"
    return {
        "type": "Feature",
        "properties": {
            "tooltip": map_fragment(count),
            "popup": map_fragment(heading + "<ul>" + "".join(lines) + "</ul>" + more),
        },
        "geometry": {"type": "Point", "coordinates": [venue.point.x, venue.point.y]},
    }


def links_layer(view: CooperationView, lang: Lang, units: dict[str, Unit]) -> folium.FeatureGroup:
    """Lines between provinces that met across the border, wider for more joint events.

    The lines take no clicks: they run from one province's interior to another's, and with a
    real history (dozens of joint events between neighbours) they covered the very points a
    user clicks to open a province. Partners and their counts are in the province's history.
    One GeoJSON layer carries them all (a PolyLine each cost a few hundred bytes of script).
    """
    group = folium.FeatureGroup(name=t("links", lang))
    points = dict(zip(view.units["id"], view.units.geometry.representative_point(), strict=True))
    features = [
        {
            "type": "Feature",
            "properties": {"weight": round(min(MAX_LINK_WEIGHT, 1.5 + math.log2(count)), 1)},
            "geometry": {
                "type": "LineString",
                "coordinates": [[points[u].x, points[u].y] for u in (ours, theirs)],
            },
        }
        for (ours, theirs), count in view.links.items()
    ]
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name="links",
            style_function=lambda f: {
                "color": "#065f46",
                "weight": f["properties"]["weight"],
                "opacity": 0.6,
                "dashArray": "6 4",
                "interactive": False,
            },
            interactive=False,
            pane=LINKS_PANE,
        ).add_to(group)
    return group


def context_layer(countries, lang: Lang) -> folium.FeatureGroup:
    """Thailand and China as a light grey backdrop (no interaction)."""
    group = folium.FeatureGroup(name=t("context", lang))
    folium.GeoJson(
        countries.__geo_interface__,
        style_function=lambda _f: {
            "fillColor": "#e5e7eb",
            "color": "#9ca3af",
            "weight": 0.6,
            "fillOpacity": 0.6,
        },
        interactive=False,
    ).add_to(group)
    return group
