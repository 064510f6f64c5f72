"""HTML for tooltips and popups, and the only constructors of folium tooltips and popups.

Every string from data is escaped with :func:`mapapp.escaping.html_text` and every fragment
passes :func:`mapapp.escaping.map_fragment` before folium sees it; only http(s) links survive.
Event text comes from news articles and is untrusted.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from urllib.parse import urlsplit

import folium

from loaders.atlas import EventGroup
from loaders.boundaries import Unit
from loaders.events import Agreement, Event, Series, Source
from loaders.vocabulary import KIND_LABELS, EventKind
from mapapp.escaping import html_text, map_fragment
from mapapp.i18n import Lang, count_label, t

# A popup is a summary: the newest events of a province or venue. The app's panel and the CSV
# download hold the whole history; with the real history, 12 per popup pushed the
# self-contained export past 2 MB.
MAX_EVENTS_IN_POPUP = 6


def tooltip(html: str) -> folium.Tooltip:
    """A folium tooltip for an escaped HTML fragment (folium pastes it into a JS template)."""
    return folium.Tooltip(map_fragment(html))


def popup(html: str, max_width: int) -> folium.Popup:
    """A folium popup for an escaped HTML fragment (folium pastes it into a JS template)."""
    return folium.Popup(map_fragment(html), max_width=max_width)


def unit_name(unit: Unit | None, lang: Lang, fallback: str = "") -> str:
    """A unit's name in the interface language (not escaped)."""
    if unit is None:
        return fallback
    return unit.name_vi if lang == "vi" else unit.name


def kind_label(kind: str, lang: Lang) -> str:
    """An event kind (``"talks"``) as the interface names it, from the one table of labels."""
    vi, en = KIND_LABELS[EventKind(kind)]
    return vi if lang == "vi" else en


def safe_link(url: object, text: str) -> str:
    """An escaped ``<a>`` for an http(s) URL; anything else (``javascript:``...) is dropped."""
    href = str(url or "")
    if urlsplit(href).scheme.lower() not in ("http", "https"):
        return html_text(text)
    return f'<a href="{html_text(href)}" target="_blank" rel="noopener">{html_text(text)}</a>'


def partner_names(
    event: Event, lang: Lang, units: dict[str, Unit], exclude: AbstractSet[str] = frozenset()
) -> list[str]:
    """The names of the event's provinces other than ``exclude`` (the province being shown)."""
    return [
        unit_name(units.get(u), lang, u)
        for ids in event.provinces.values()
        for u in ids
        if u not in exclude
    ]


def event_line(
    event: Event,
    lang: Lang,
    units: dict[str, Unit],
    exclude: AbstractSet[str] = frozenset(),
    *,
    detailed: bool = True,
) -> str:
    """One event as a list item: date, kind and title; when ``detailed``, also the parties
    (other than ``exclude``) and every source as a link named by its publisher."""
    parts = [
        f"<b>{html_text(str(event.date))}</b> · {html_text(kind_label(event.kind.value, lang))}",
        html_text(getattr(event.title, lang)),
    ]
    if detailed:
        parties = partner_names(event, lang, units, exclude)
        if parties:
            parts.append("↔ " + html_text(", ".join(parties)))
        links = [safe_link(s.url, s.publisher or t("source", lang)) for s in event.sources]
        parts.append(" · ".join(links))
    return "<li>" + "<br>".join(parts) + "</li>"


def province_popup(
    unit: Unit,
    events: EventGroup,
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
    html.append(f"<p><b>{html_text(t('history', lang))}</b> ({events.count})</p>")
    shown = events.newest[:MAX_EVENTS_IN_POPUP]
    if shown:
        lines = [event_line(e, lang, units, exclude=set(lineage)) for e in shown]
        html.append("<ul>" + "".join(lines) + "</ul>")
        if events.count > len(shown):
            html.append(f"<p>{html_text(t('more', lang, n=events.count - len(shown)))}</p>")
    else:
        html.append(f"<p>{html_text(t('no_events', lang))}</p>")
    if counterparts:
        partners = ", ".join(
            f"{unit_name(units.get(u), lang, u)} ({n})" for u, n in counterparts[:8]
        )
        html.append(f"<p><b>{html_text(t('counterparts', lang))}</b>: {html_text(partners)}</p>")
    referenced = dict.fromkeys(ref.id for e in events.newest for ref in e.agreements)
    if referenced:
        titles = [getattr(agreements[a].title, lang) for a in referenced if a in agreements]
        items = "".join(f"<li>{html_text(x)}</li>" for x in titles[:8])
        html.append(f"<p><b>{html_text(t('agreements', lang))}</b></p><ul>{items}</ul>")
    html.append("</div>")
    return map_fragment("".join(html))


def province_tooltip(unit: Unit, count: int, lang: Lang) -> str:
    names = f"{html_text(unit.name_vi)} / {html_text(unit.name)}"
    return map_fragment(f"{names}<br>{html_text(count_label(count, lang))}")


# --- the app's history panel ---------------------------------------------------------------

HISTORY_CSS = (
    "<style>.ba-history{font:14px/1.45 sans-serif;user-select:text}"
    ".ba-entry{border-left:3px solid #fc8d59;padding:4px 0 6px 10px;margin:0 0 10px}"
    ".ba-entry.ba-agreement{border-left-color:#225ea8}"
    ".ba-when{color:#555;font-size:12.5px}.ba-title{font-weight:600;margin:1px 0}"
    ".ba-meta{font-size:13px;color:#333}.ba-meta a{margin-right:6px}</style>"
)


def history_html(
    records: list[Event | Agreement],
    lang: Lang,
    units: dict[str, Unit],
    agreements: dict[str, Agreement],
    series: dict[str, Series],
    lineage: AbstractSet[str] = frozenset(),
) -> str:
    """A province's history as readable entries: full titles, partners across the border (not
    the province itself: ``lineage``), series, every source named by its publisher and language
    (selectable text; data escaped)."""
    items = [
        _agreement_entry(record, lang, units, lineage)
        if isinstance(record, Agreement)
        else _event_entry(record, lang, units, agreements, series, lineage)
        for record in records
    ]
    return f'<div class="ba-history">{HISTORY_CSS}{"".join(items)}</div>'


def _event_entry(
    event: Event,
    lang: Lang,
    units: dict[str, Unit],
    agreements: dict[str, Agreement],
    series: dict[str, Series],
    lineage: AbstractSet[str],
) -> str:
    when = str(event.date) + (f" – {event.end_date}" if event.end_date else "")
    head = [html_text(when), html_text(kind_label(event.kind.value, lang))]
    lines = [f'<div class="ba-when">{" · ".join(head)}</div>']
    lines.append(f'<div class="ba-title">{html_text(getattr(event.title, lang))}</div>')
    meta = []
    if event.series in series:
        name = getattr(series[event.series].title, lang)
        session = f" ({t('session', lang, n=event.ordinal)})" if event.ordinal else ""
        meta.append(f"{html_text(t('series', lang))}: {html_text(name + session)}")
    partners = partner_names(event, lang, units, lineage)
    if partners:
        meta.append(f"{html_text(t('with', lang))}: {html_text(', '.join(partners))}")
    if event.venue is not None:
        place = event.venue.name or t("online", lang)
        meta.append(f"{html_text(t('venue', lang))}: {html_text(place)}")
    documents = [
        f"{getattr(agreements[ref.id].title, lang)} ({t('relation_' + ref.relation.value, lang)})"
        for ref in event.agreements
        if ref.id in agreements
    ]
    if documents:
        meta.append(f"{html_text(t('agreements', lang))}: {html_text('; '.join(documents))}")
    meta.append(_sources(event.sources, lang))
    lines += [f'<div class="ba-meta">{line}</div>' for line in meta]
    return '<div class="ba-entry">' + "".join(lines) + "</div>"


def _agreement_entry(
    agreement: Agreement, lang: Lang, units: dict[str, Unit], lineage: AbstractSet[str]
) -> str:
    head = [
        html_text(str(agreement.signed) if agreement.signed else "—"),
        html_text(t(f"type_{agreement.type.value}", lang)),
        html_text(t(f"status_{agreement.status.value}", lang)),
    ]
    lines = [f'<div class="ba-when">{" · ".join(head)}</div>']
    lines.append(f'<div class="ba-title">{html_text(getattr(agreement.title, lang))}</div>')
    parties = [
        unit_name(units.get(u), lang, u) for u in agreement.parties.provinces if u not in lineage
    ]
    parties = parties or [t(country, lang) for country in agreement.parties.countries]
    meta = [f"{html_text(t('parties', lang))}: {html_text(', '.join(parties))}"]
    meta.append(_sources(agreement.sources, lang))
    lines += [f'<div class="ba-meta">{line}</div>' for line in meta]
    return '<div class="ba-entry ba-agreement">' + "".join(lines) + "</div>"


def _sources(sources: list[Source], lang: Lang) -> str:
    """Every source as a link named by its publisher and language (plain text without a URL)."""
    named = []
    for source in sources:
        label = source.publisher or urlsplit(str(source.url or "")).hostname or t("source", lang)
        label += f" ({t('language_' + source.language, lang)}"
        label += f", {source.published})" if source.published else ")"
        named.append(safe_link(source.url, label) if source.url else html_text(label))
    return f"{html_text(t('sources', lang))}: " + " ".join(named)
