"""A unit's cooperation history through its lineage, and its partners across the border."""

from __future__ import annotations

from datetime import date

import pytest

from loaders._io import DataSource
from loaders.events import EventKind, load_events
from loaders.history import (
    UnknownUnitError,
    counterparts,
    lineage_of,
    unit_history,
)
from loaders.index import RecordIndex


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
    via = {entry.record.id: entry.via for entry in history}
    assert via["sekong-border-guard-annual-talks-2025"] == "vn-da-nang-2025"
    assert via["sekong-border-guard-annual-talks-2024"] == "vn-quang-nam"
    assert set(via.values()) <= {"vn-da-nang-2025", "vn-quang-nam", "vn-da-nang"}
    starts = [entry.date.start for entry in history]
    assert starts == sorted(starts, reverse=True)
    renamed = unit_history("vn-hue", include_agreements=False)
    assert {entry.via for entry in renamed} == {"vn-hue", "vn-thua-thien-hue"}


def test_history_of_an_old_unit_does_not_include_its_successor() -> None:
    ids = _ids(unit_history("vn-quang-nam"))
    assert "sekong-border-guard-annual-talks-2024" in ids
    assert "sekong-border-guard-annual-talks-2025" not in ids


def test_history_filters_by_period_kind_and_country() -> None:
    everything = unit_history("vn-hanoi")
    first, last = date(2020, 1, 1), date(2021, 12, 31)
    period = unit_history("vn-hanoi", start=first, end=last)
    assert {
        "vn-la-border-work-online-preparatory-meeting-2021",
        "vn-kh-border-gate-working-group-meeting-1",
        "vn-kh-border-gate-working-group-minutes-2020",
    } <= set(_ids(period))
    assert _ids(period) == [
        e.record.id for e in everything if e.date and e.date.overlaps(first, last)
    ]
    talks = unit_history("vn-hanoi", kinds=[EventKind.intergovernmental_committee])
    assert talks and {entry.record.kind for entry in talks} == {
        EventKind.intergovernmental_committee
    }
    cambodia = unit_history("vn-hanoi", country="KH")
    assert {
        "vn-kh-border-gate-working-group-meeting-1",
        "vn-kh-border-gate-working-group-minutes-2020",
    } <= set(_ids(cambodia))
    assert not {i for i in _ids(cambodia) if i.startswith("vn-la-")}
    # An undated record cannot be placed in a period, so a period leaves it out.
    assert "nghe-an-bolikhamxay-migration-memorandum" not in _ids(
        unit_history("vn-nghe-an", start=date(2000, 1, 1))
    )


def test_a_domestic_meeting_about_the_lao_border_counts_for_laos() -> None:
    ids = _ids(unit_history("vn-nghe-an", country="LA"))
    assert "vn-la-border-work-online-preparatory-meeting-2021" in ids  # countries: VN only


def test_the_events_of_a_period_over_all_units() -> None:
    first, last = date(2024, 9, 1), date(2024, 12, 31)
    events = load_events()
    found = RecordIndex(DataSource()).events(start=first, end=last)
    assert "sekong-border-guard-annual-talks-2024" in [event.id for event in found]
    assert {e.id for e in found} == {e.id for e in events if e.date.overlaps(first, last)}
    starts = [event.date.start for event in found]
    assert starts == sorted(starts, reverse=True)


def test_counterparts_across_the_border_with_event_counts() -> None:
    partners = {c.unit: c for c in counterparts("vn-da-nang-2025")}
    joint = {
        e.id
        for e in load_events()
        if "la-sekong" in e.provinces.get("LA", [])
        and {"vn-da-nang-2025", "vn-quang-nam", "vn-da-nang"} & set(e.provinces.get("VN", []))
    }
    assert set(partners["la-sekong"].event_ids) == joint
    assert "sekong-border-guard-annual-talks-2024" in joint
    ranked = [c.events for c in counterparts("la-sekong")]
    assert ranked == sorted(ranked, reverse=True)
    today = {c.unit for c in counterparts("la-sekong", current=True)}
    assert {"vn-hue", "vn-da-nang-2025", "vn-quang-ngai-2025"} <= today
    assert not today & {"vn-quang-nam", "vn-thua-thien-hue", "vn-kon-tum"}  # units of the past


def test_a_unit_without_joint_events_has_no_counterparts() -> None:
    assert counterparts("vn-ca-mau") == []  # far from both borders: no cross-border events


def test_unknown_unit_raises() -> None:
    with pytest.raises(UnknownUnitError, match="vn-atlantis"):
        unit_history("vn-atlantis", DataSource())
