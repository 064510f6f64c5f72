"""A unit's cooperation history through its lineage, and its partners across the border."""

from __future__ import annotations

from datetime import date

import pytest

from loaders._io import DataSource
from loaders.events import EventKind, load_events
from loaders.history import (
    UnknownUnitError,
    counterparts,
    filter_events,
    lineage_of,
    unit_history,
)


def _ids(entries) -> list[str]:
    return [entry.record.id for entry in entries]


def test_lineage_of_a_merged_unit_lists_its_parts() -> None:
    assert set(lineage_of("vn-da-nang-2025")) == {"vn-da-nang-2025", "vn-quang-nam", "vn-da-nang"}
    assert lineage_of("vn-hue") == ["vn-hue", "vn-thua-thien-hue"]
    assert lineage_of("la-sekong") == ["la-sekong"]


def test_history_of_nghe_an_includes_the_bolikhamxay_memorandum() -> None:
    history = unit_history("vn-nghe-an")
    assert "nghe-an-bolikhamxay-migration-memorandum" in _ids(history)
    assert "vn-la-border-work-online-preparatory-meeting-2021" in _ids(history)
    assert history[-1].date is None  # the undated memorandum comes after every dated record


def test_history_of_sekong_includes_the_2025_talks_newest_first() -> None:
    ids = _ids(unit_history("la-sekong"))
    assert ids.index("sekong-border-guard-annual-talks-2025") < ids.index(
        "sekong-border-guard-annual-talks-2024"
    )


def test_history_of_a_merged_unit_includes_its_predecessors() -> None:
    history = unit_history("vn-da-nang-2025", include_agreements=False)
    assert [(entry.record.id, entry.via) for entry in history] == [
        ("sekong-border-guard-annual-talks-2025", "vn-da-nang-2025"),
        ("sekong-border-guard-annual-talks-2024", "vn-quang-nam"),
    ]
    renamed = unit_history("vn-hue", include_agreements=False)
    assert {entry.via for entry in renamed} == {"vn-hue", "vn-thua-thien-hue"}


def test_history_of_an_old_unit_does_not_include_its_successor() -> None:
    ids = _ids(unit_history("vn-quang-nam"))
    assert "sekong-border-guard-annual-talks-2024" in ids
    assert "sekong-border-guard-annual-talks-2025" not in ids


def test_history_filters_by_period_kind_and_country() -> None:
    hanoi = unit_history("vn-hanoi", start=date(2020, 1, 1), end=date(2021, 12, 31))
    assert _ids(hanoi) == [
        "vn-la-border-work-online-preparatory-meeting-2021",
        "vn-kh-border-gate-working-group-meeting-1",
        "vn-kh-border-gate-working-group-minutes-2020",
    ]
    talks = unit_history("vn-hanoi", kinds=[EventKind.ministerial_talks])
    assert _ids(talks) == ["vn-la-foreign-ministers-talks-2025"]
    cambodia = unit_history("vn-hanoi", country="KH")
    assert set(_ids(cambodia)) == {
        "vn-kh-border-gate-working-group-meeting-1",
        "vn-kh-border-gate-working-group-minutes-2020",
    }
    # An undated record cannot be placed in a period, so a period leaves it out.
    assert "nghe-an-bolikhamxay-migration-memorandum" not in _ids(
        unit_history("vn-nghe-an", start=date(2000, 1, 1))
    )


def test_a_domestic_meeting_about_the_lao_border_counts_for_laos() -> None:
    ids = _ids(unit_history("vn-nghe-an", country="LA"))
    assert "vn-la-border-work-online-preparatory-meeting-2021" in ids  # countries: VN only


def test_filter_events_over_all_units() -> None:
    found = filter_events(load_events(), start=date(2024, 9, 1), end=date(2024, 12, 31))
    assert [event.id for event in found] == [
        "vn-la-foreign-ministers-political-consultation-2024",
        "sekong-border-guard-annual-talks-2024",
        "vn-la-politburos-meeting-2024",
    ]


def test_counterparts_across_the_border_with_event_counts() -> None:
    assert [(c.unit, c.events) for c in counterparts("vn-da-nang-2025")] == [("la-sekong", 2)]
    as_recorded = {c.unit: c.events for c in counterparts("la-sekong")}
    assert as_recorded == dict.fromkeys(
        [
            "vn-hue",
            "vn-da-nang-2025",
            "vn-quang-ngai-2025",
            "vn-quang-nam",
            "vn-thua-thien-hue",
            "vn-kon-tum",
        ],
        1,
    )
    today = {c.unit: c.events for c in counterparts("la-sekong", current=True)}
    assert today == {"vn-hue": 2, "vn-da-nang-2025": 2, "vn-quang-ngai-2025": 2}


def test_a_unit_without_joint_events_has_no_counterparts() -> None:
    assert counterparts("vn-nghe-an") == []  # its only event had no Lao province on the other side


def test_unknown_unit_raises() -> None:
    with pytest.raises(UnknownUnitError, match="vn-atlantis"):
        unit_history("vn-atlantis", DataSource())
