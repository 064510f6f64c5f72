"""Interface labels in Vietnamese and English (one switch: ``lang``)."""

from __future__ import annotations

from typing import Literal

from loaders.vocabulary import COUNTRY_NAMES

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

LABELS: dict[str, dict[Lang, str]] = {
    "provinces_of": {"vi": "Tỉnh của {country}", "en": "Provinces of {country}"},
    **{code: {"vi": vi, "en": en} for code, (vi, en) in COUNTRY_NAMES.items()},  # VN, LA, KH
    "borders": {"vi": "Đường biên giới quốc gia", "en": "International borders"},
    "crossings": {"vi": "Cửa khẩu", "en": "Border crossings"},
    "meetings": {"vi": "Địa điểm gặp gỡ", "en": "Meeting venues"},
    "links": {"vi": "Liên kết hợp tác", "en": "Cooperation links"},
    "context": {"vi": "Nước láng giềng", "en": "Neighbouring countries"},
    "no_tiles": {"vi": "Không có nền bản đồ", "en": "No tiles (offline)"},
    "events": {"vi": "sự kiện", "en": "events"},
    "event_count": {"vi": "Số sự kiện hợp tác", "en": "Cooperation events"},
    "none": {"vi": "không có", "en": "none"},
    "history": {"vi": "Lịch sử hợp tác", "en": "Cooperation history"},
    "counterparts": {"vi": "Đối tác bên kia biên giới", "en": "Partners across the border"},
    "agreements": {"vi": "Văn kiện", "en": "Agreements"},
    "more": {"vi": "và {n} sự kiện khác", "en": "and {n} more events"},
    "source": {"vi": "nguồn", "en": "source"},
    "no_events": {"vi": "Chưa có sự kiện trong giai đoạn này", "en": "No events in this period"},
    "joint_events": {"vi": "sự kiện chung", "en": "joint events"},
    "class": {"vi": "Loại", "en": "Class"},
    "status": {"vi": "Tình trạng", "en": "Status"},
    "position": {"vi": "Vị trí", "en": "Position"},
    "confidence": {"vi": "độ tin cậy", "en": "confidence"},
    "province": {"vi": "Tỉnh", "en": "Province"},
    "international": {"vi": "Cửa khẩu quốc tế", "en": "International gate"},
    "main": {"vi": "Cửa khẩu chính", "en": "Main (bilateral) gate"},
    "secondary": {"vi": "Cửa khẩu phụ", "en": "Secondary gate"},
    "opening": {"vi": "Lối mở", "en": "Border opening"},
    "operating": {"vi": "đang hoạt động", "en": "operating"},
    "planned": {"vi": "quy hoạch", "en": "planned"},
    "closed": {"vi": "đã đóng", "en": "closed"},
    "search": {"vi": "Tìm tỉnh hoặc cửa khẩu", "en": "Find a province or crossing"},
    "formerly": {"vi": "trước đây", "en": "formerly"},
    "part_of": {"vi": "nay thuộc", "en": "now part of"},
    "period": {"vi": "Giai đoạn", "en": "Period"},
    "layers": {"vi": "Lớp bản đồ", "en": "Layers"},
    "units_of": {"vi": "Đơn vị hành chính ngày", "en": "Units as of"},
    "with": {"vi": "Với", "en": "With"},
    "year": {"vi": "Năm", "en": "Year"},
    "records": {"vi": "Số mục", "en": "Entries"},
    "venue": {"vi": "Địa điểm", "en": "Venue"},
    "online": {"vi": "trực tuyến", "en": "online"},
    "series": {"vi": "Chuỗi", "en": "Series"},
    "session": {"vi": "lần thứ {n}", "en": "session {n}"},
    "sources": {"vi": "Nguồn", "en": "Sources"},
    "signed_at": {"vi": "ký kết", "en": "signed"},
    "parties": {"vi": "Các bên", "en": "Parties"},
    "relation_signed": {"vi": "ký kết", "en": "signed"},
    "relation_reviewed": {"vi": "đánh giá", "en": "reviewed"},
    "relation_referenced": {"vi": "viện dẫn", "en": "referenced"},
    "relation_planned": {"vi": "dự kiến", "en": "planned"},
    "type_treaty": {"vi": "hiệp ước", "en": "treaty"},
    "type_protocol": {"vi": "nghị định thư", "en": "protocol"},
    "type_agreement": {"vi": "hiệp định, thỏa thuận", "en": "agreement"},
    "type_arrangement": {"vi": "thỏa thuận", "en": "arrangement"},
    "type_memorandum": {"vi": "bản ghi nhớ", "en": "memorandum"},
    "type_minutes": {"vi": "biên bản", "en": "minutes"},
    "type_master_plan": {"vi": "quy hoạch", "en": "master plan"},
    "status_in_force": {"vi": "có hiệu lực", "en": "in force"},
    "status_draft": {"vi": "dự thảo", "en": "draft"},
    "status_planned": {"vi": "dự kiến", "en": "planned"},
    "status_completed": {"vi": "đã hoàn thành", "en": "completed"},
    "status_expired": {"vi": "hết hiệu lực", "en": "expired"},
    "status_unknown": {"vi": "chưa rõ tình trạng", "en": "status unknown"},
    "language_vi": {"vi": "tiếng Việt", "en": "Vietnamese"},
    "language_en": {"vi": "tiếng Anh", "en": "English"},
    "language_fr": {"vi": "tiếng Pháp", "en": "French"},
    "language_es": {"vi": "tiếng Tây Ban Nha", "en": "Spanish"},
    "language_lo": {"vi": "tiếng Lào", "en": "Lao"},
    "language_km": {"vi": "tiếng Khmer", "en": "Khmer"},
    "border_VN-LA": {"vi": "Biên giới Việt Nam – Lào", "en": "Vietnam–Laos border"},
    "border_VN-KH": {"vi": "Biên giới Việt Nam – Campuchia", "en": "Vietnam–Cambodia border"},
    "kind_province": {"vi": "tỉnh", "en": "province"},
    "kind_municipality": {"vi": "thành phố trực thuộc trung ương", "en": "centrally run city"},
    "kind_capital": {"vi": "thủ đô", "en": "capital"},
    "event_kinds": {"vi": "Loại sự kiện", "en": "Event kinds"},
    "all_kinds": {"vi": "Mọi loại sự kiện", "en": "All kinds of event"},
    "years": {"vi": "Giai đoạn (năm)", "en": "Period (years)"},
    "map_tab": {"vi": "Bản đồ", "en": "Map"},
    "list_tab": {"vi": "Danh sách sự kiện", "en": "Event list"},
    "events_n": {"vi": "{n} sự kiện", "en": "{n} events"},
    "events_1": {"vi": "1 sự kiện", "en": "1 event"},
    "search_box": {
        "vi": "Tìm tỉnh, cửa khẩu hoặc sự kiện",
        "en": "Find a province, crossing or event",
    },
    "search_hint": {
        "vi": "Mọi cách viết: Sê Kông, Xekong, Lao Bảo, Densavan ... rồi nhấn Enter",
        "en": "Any spelling: Sê Kông, Xekong, Lao Bao, Densavan ... then press Enter",
    },
    "search_none": {"vi": 'Không tìm thấy "{q}"', "en": 'Nothing found for "{q}"'},
    "search_pick": {"vi": "Kết quả", "en": "Results"},
    "hit_province": {"vi": "tỉnh", "en": "province"},
    "hit_crossing": {"vi": "cửa khẩu", "en": "crossing"},
    "hit_event": {"vi": "sự kiện", "en": "event"},
    "click_prompt": {
        "vi": "Bấm vào một tỉnh trên bản đồ để xem lịch sử hợp tác.",
        "en": "Click a province on the map to read its cooperation history.",
    },
    "deselected_hidden": {
        "vi": "{name} bị ẩn bởi bộ lọc nước nên đã bỏ chọn.",
        "en": "{name} is hidden by the country filter, so it is no longer selected.",
    },
    "deselected_date": {
        "vi": "{name} không tồn tại vào ngày {day}; đã bỏ chọn.",
        "en": "{name} did not exist on {day}, so it is no longer selected.",
    },
    "choose_country": {"vi": "Chọn ít nhất một nước.", "en": "Choose at least one country."},
    "col_date": {"vi": "Ngày", "en": "Date"},
    "col_kind": {"vi": "Loại", "en": "Kind"},
    "col_title": {"vi": "Tiêu đề", "en": "Title"},
    "col_provinces": {"vi": "Các tỉnh", "en": "Provinces"},
    "col_series": {"vi": "Chuỗi", "en": "Series"},
    "col_link": {"vi": "Liên kết", "en": "Link"},
    "col_publishers": {"vi": "Nơi đăng", "en": "Published by"},
    "boundaries_from": {"vi": "Ranh giới", "en": "Boundaries"},
    "filter_list": {
        "vi": "Tìm trong sự kiện (tiêu đề, tóm tắt, người, địa danh; có dấu hay không dấu)",
        "en": "Search the events (titles, summaries, people, places; accents optional)",
    },
    "search_found": {
        "vi": "Kết quả phù hợp nhất trước; chữ khớp nằm trong [ ] ở cột Đoạn khớp.",
        "en": "Best matches first; the Match column shows the matched words in [brackets].",
    },
    "col_match": {"vi": "Đoạn khớp", "en": "Match"},
    "whole_list": {
        "vi": "Mọi sự kiện theo bộ lọc hiện tại, mới nhất trước; bấm tiêu đề cột để sắp xếp.",
        "en": "Every event under the current filters, newest first; click a header to sort.",
    },
    "as_party": {"vi": "{n} sự kiện là một bên", "en": "{n} as a party"},
    "named_only": {
        "vi": "{n} tổ chức tại đây hoặc có nhắc đến",
        "en": "{n} held here or naming it",
    },
    "agreements_n": {"vi": "{n} văn kiện", "en": "{n} agreements"},
    "list_cut": {
        "vi": "Hiện {n} sự kiện mới nhất: thu hẹp giai đoạn hoặc lọc theo chữ; tệp CSV có tất cả.",
        "en": "The newest {n} are shown: narrow the period or filter by text; the CSV has all.",
    },
    "panel_cut": {
        "vi": "{n} mục mới nhất trong {total}; xem tất cả ở thẻ Danh sách sự kiện hoặc tệp CSV.",
        "en": "The newest {n} of {total}; the Event list tab and the CSV hold them all.",
    },
    "downloads": {"vi": "Tải về", "en": "Download"},
    "loading": {"vi": "Đang tải lịch sử ...", "en": "Loading the history ..."},
    "data_error": {
        "vi": "Không đọc được dữ liệu: {error}",
        "en": "The data could not be loaded: {error}",
    },
    "page_title": {
        "vi": "borderatlas · Việt Nam – Lào – Campuchia",
        "en": "borderatlas · Vietnam – Laos – Cambodia",
    },
    # The language picker is read before a language is chosen: its label is in both, and each
    # language is named in itself.
    "language_picker": {"vi": "Ngôn ngữ / Language", "en": "Ngôn ngữ / Language"},
    "language_name": {"vi": "Tiếng Việt", "en": "English"},
    "iso_code": {"vi": "ISO {code}", "en": "ISO {code}"},
    "download_html": {"vi": "⬇ HTML", "en": "⬇ HTML"},
    "download_csv": {"vi": "⬇ CSV", "en": "⬇ CSV"},
    "download_geojson": {"vi": "⬇ GeoJSON", "en": "⬇ GeoJSON"},
    # Notes on URL parameters the app could not use (the names and formats are the URL's own).
    "ignored_values": {"vi": "đã bỏ qua {name}={values}", "en": "ignored {name}={values}"},
    "ignored_date": {
        "vi": "đã bỏ qua {name}={value} (cần dạng YYYY-MM-DD)",
        "en": "ignored {name}={value} (expected YYYY-MM-DD)",
    },
    "ignored_as_of": {
        "vi": "đã bỏ qua as_of={day} (đơn vị hành chính có từ {first} đến hôm nay)",
        "en": "ignored as_of={day} (units are drawn from {first} to today)",
    },
    "ignored_view": {
        "vi": "đã bỏ qua lat/lon/z (cần là số)",
        "en": "ignored lat/lon/z (expected numbers)",
    },
    "ignored_view_range": {
        "vi": "đã bỏ qua lat={lat}, lon={lon}, z={z} (ngoài phạm vi)",
        "en": "ignored lat={lat}, lon={lon}, z={z} (out of range)",
    },
}


def count_label(n: int, lang: Lang) -> str:
    """ "1 event", "5 events" (Vietnamese has one form)."""
    return t("events_1", lang) if n == 1 else t("events_n", lang, n=n)


def t(key: str, lang: Lang, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    return LABELS[key][lang].format(**values)
