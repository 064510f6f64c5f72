"""Interface labels in Vietnamese and English (one switch: ``lang``)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

LABELS: dict[str, dict[Lang, str]] = {
    "provinces_of": {"vi": "Tỉnh của {country}", "en": "Provinces of {country}"},
    "VN": {"vi": "Việt Nam", "en": "Vietnam"},
    "LA": {"vi": "Lào", "en": "Laos"},
    "KH": {"vi": "Campuchia", "en": "Cambodia"},
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
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    return LABELS[key][lang].format(**values)
