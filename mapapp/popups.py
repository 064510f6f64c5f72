"""HTML for tooltips and popups, and the only constructors of folium tooltips and popups.

Every string from data is escaped with :func:`mapapp.escaping.html_text` and every fragment
passes :func:`mapapp.escaping.map_fragment` before folium sees it; only http(s) links survive.
Event text comes from news articles and is untrusted.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import folium

from loaders.boundaries import Unit
from loaders.events import Agreement, Event
from mapapp.escaping import html_text, map_fragment
from mapapp.i18n import Lang, t

MAX_EVENTS_IN_POPUP = 12  # a popup stays readable (and the page small) at any event count

KIND_VI = {
    "annual_meeting": "họp thường niên",
    "talks": "hội đàm",
    "conference": "hội nghị",
    "online_meeting": "họp trực tuyến",
    "ministerial_talks": "hội đàm cấp bộ trưởng",
    "political_consultation": "tham vấn chính trị",
    "intergovernmental_committee": "kỳ họp Ủy ban liên Chính phủ",
    "high_level_meeting": "gặp cấp cao",
    "working_group_meeting": "họp nhóm công tác",
    "joint_patrol": "tuần tra song phương",
    "signing": "ký kết",
    "border_gate_inauguration": "khai trương cửa khẩu",
    "diplomatic_relations": "thiết lập quan hệ ngoại giao",
    "other": "khác",
}


def tooltip(html: str, **options: object) -> folium.Tooltip:
    """A folium tooltip for an escaped HTML fragment (folium pastes it into a JS template)."""
    return folium.Tooltip(map_fragment(html), **options)


def popup(html: str, max_width: int) -> folium.Popup:
    """A folium popup for an escaped HTML fragment (folium pastes it into a JS template)."""
    return folium.Popup(map_fragment(html), max_width=max_width)


def unit_name(unit: Unit | None, lang: Lang, fallback: str = "") -> str:
    """A unit's name in the interface language (not escaped)."""
    if unit is None:
        return fallback
    return unit.name_vi if lang == "vi" else unit.name


def kind_label(kind: str, lang: Lang) -> str:
    return KIND_VI.get(kind, kind) if lang == "vi" else kind.replace("_", " ")


def safe_link(url: object, text: str) -> str:
    """An escaped ``<a>`` for an http(s) URL; anything else (``javascript:``...) is dropped."""
    href = str(url or "")
    if urlsplit(href).scheme.lower() not in ("http", "https"):
        return html_text(text)
    return f'<a href="{html_text(href)}" target="_blank" rel="noopener">{html_text(text)}</a>'


def event_line(
    event: Event,
    lang: Lang,
    units: dict[str, Unit],
    agreements: dict[str, Agreement],
    exclude: set[str] = frozenset(),
) -> str:
    """One event as a list item: date, kind, title, other parties, agreements, sources."""
    parties = [
        unit_name(units.get(u), lang, u)
        for ids in event.provinces.values()
        for u in ids
        if u not in exclude
    ]
    named = [
        agreements[ref.id].short_names[0]
        if agreements.get(ref.id) and agreements[ref.id].short_names
        else ref.id
        for ref in event.agreements
    ]
    parts = [
        f"<b>{html_text(str(event.date))}</b> · {html_text(kind_label(event.kind.value, lang))}",
        html_text(getattr(event.title, lang)),
    ]
    if parties:
        parts.append("↔ " + html_text(", ".join(parties)))
    if named:
        parts.append(f"<i>{html_text(t('agreements', lang))}:</i> " + html_text("; ".join(named)))
    links = [safe_link(s.url, s.publisher or t("source", lang)) for s in event.sources]
    parts.append(" · ".join(links))
    return "<li>" + "<br>".join(parts) + "</li>"


def province_popup(
    unit: Unit,
    events: list[Event],
    counterparts: list[tuple[str, int]],
    lang: Lang,
    units: dict[str, Unit],
    agreements: dict[str, Agreement],
    lineage: list[str],
) -> str:
    """A province's cooperation history (newest first, capped), partners and agreements."""
    title = f"{html_text(unit.name_vi)} · {html_text(unit.name)}"
    html = [f'<div class="ba-popup"><h4>{title}</h4>']
    former = [unit_name(units.get(u), lang, u) for u in lineage if u != unit.id]
    if former:
        html.append(
            f"<p><i>{html_text(t('formerly', lang))}: {html_text(', '.join(former))}</i></p>"
        )
    html.append(f"<p><b>{html_text(t('history', lang))}</b> ({len(events)})</p>")
    if events:
        lines = [
            event_line(e, lang, units, agreements, exclude=set(lineage))
            for e in events[:MAX_EVENTS_IN_POPUP]
        ]
        html.append("<ul>" + "".join(lines) + "</ul>")
        if len(events) > MAX_EVENTS_IN_POPUP:
            html.append(f"<p>{html_text(t('more', lang, n=len(events) - MAX_EVENTS_IN_POPUP))}</p>")
    else:
        html.append(f"<p>{html_text(t('no_events', lang))}</p>")
    if counterparts:
        partners = ", ".join(
            f"{unit_name(units.get(u), lang, u)} ({n})" for u, n in counterparts[:8]
        )
        html.append(f"<p><b>{html_text(t('counterparts', lang))}</b>: {html_text(partners)}</p>")
    referenced = dict.fromkeys(ref.id for e in events for ref in e.agreements)
    if referenced:
        titles = [getattr(agreements[a].title, lang) for a in referenced if a in agreements]
        items = "".join(f"<li>{html_text(x)}</li>" for x in titles[:8])
        html.append(f"<p><b>{html_text(t('agreements', lang))}</b></p><ul>{items}</ul>")
    html.append("</div>")
    return map_fragment("".join(html))


def province_tooltip(unit: Unit, count: int, lang: Lang) -> str:
    names = f"{html_text(unit.name_vi)} / {html_text(unit.name)}"
    return map_fragment(f"{names}<br>{count} {html_text(t('events', lang))}")
