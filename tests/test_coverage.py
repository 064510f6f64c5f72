"""The recorded history is a history, not a sample: every border unit has years of it, the
recurring meetings are series with their sessions numbered, and the coverage report says so."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from loaders._io import DataSource
from loaders.boundaries import official_facts
from loaders.coverage import MIN_EVENTS_PER_UNIT, MIN_YEARS_PER_UNIT, Coverage, coverage
from loaders.events import PROVINCIAL_LEVELS, load_events, load_series
from mapapp.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def report() -> Coverage:
    return coverage(DataSource())


@pytest.fixture(scope="module")
def events():
    return {event.id: event for event in load_events(DataSource())}


def test_the_history_holds_at_least_300_events_and_80_agreements(report: Coverage) -> None:
    assert report.events >= 300
    assert report.agreements >= 80


def test_the_report_covers_the_38_official_border_units_of_2024(report: Coverage) -> None:
    listed = {u for b in official_facts().border_units for u in [*b.VN, *b.foreign]}
    assert len(listed) == 38
    assert {unit.unit for unit in report.units_2024} == listed
    assert {"vn-da-nang-2025", "vn-quang-ngai-2025", "vn-tay-ninh-2025", "vn-hue"} <= {
        unit.unit for unit in report.units_today
    }


def test_every_border_unit_of_2024_has_events_over_several_years(report: Coverage) -> None:
    thin = [
        f"{u.unit}: {u.events} events in {len(u.years)} years"
        for u in report.units_2024
        if u.events < MIN_EVENTS_PER_UNIT or len(u.years) < MIN_YEARS_PER_UNIT
    ]
    assert thin == []
    assert report.shortfalls() == []


def test_a_unit_of_today_inherits_the_history_of_the_units_it_was_made_from(
    report: Coverage,
) -> None:
    of_2024 = {unit.unit: unit for unit in report.units_2024}
    today = {unit.unit: unit for unit in report.units_today}
    # Đà Nẵng (2025) = Quảng Nam + Đà Nẵng; Quảng Trị (2025) = Quảng Bình + Quảng Trị.
    assert today["vn-da-nang-2025"].events >= of_2024["vn-quang-nam"].events
    assert today["vn-quang-tri-2025"].events >= (
        max(of_2024["vn-quang-binh"].events, of_2024["vn-quang-tri"].events)
    )
    assert set(of_2024["vn-quang-nam"].years) <= set(today["vn-da-nang-2025"].years)


def test_every_provincial_event_names_its_provinces(events) -> None:
    unnamed = [e.id for e in events.values() if e.level in PROVINCIAL_LEVELS and not e.provinces]
    assert unnamed == []


def test_the_border_delegations_meetings_form_a_numbered_series(events, report) -> None:
    sessions = {
        e.ordinal: e
        for e in events.values()
        if e.series == "vn-la-border-delegations-annual-meeting"
    }
    assert {29, 30, 32} <= set(sessions)
    assert str(sessions[29].date) == "2019-12-26"
    assert str(sessions[30].date) == "2020-11-30"
    assert sessions[30].venue.unit == "la-vientiane-capital"
    assert sessions[32].venue.unit == "la-luang-prabang"
    assert str(sessions[32].date).startswith("2022-12")
    row = next(s for s in report.series if s.series == "vn-la-border-delegations-annual-meeting")
    assert set(row.missing) == set(range(1, max(sessions) + 1)) - set(sessions)


def test_the_vn_kh_border_provinces_conferences_reach_the_13th(events) -> None:
    sessions = {
        e.ordinal: e for e in events.values() if e.series == "vn-kh-border-provinces-conference"
    }
    assert {9, 10, 12, 13} <= set(sessions)
    assert sessions[13].venue.unit == "kh-phnom-penh"
    assert sessions[13].date.start.year == 2025
    assert all(s.border == "VN-KH" for s in sessions.values())


@pytest.mark.parametrize(
    "series_id",
    [
        "vn-la-border-delegations-annual-meeting",
        "vn-kh-border-provinces-conference",
        "vn-la-intergovernmental-committee",
        "vn-kh-joint-border-committee",
        "sekong-border-guard-annual-talks",
        "quang-nam-sekong-annual-talks",
        "quang-tri-savannakhet-annual-border-talks",
        "quang-tri-salavan-annual-border-talks",
    ],
)
def test_the_recurring_meetings_the_users_follow_are_series_with_sessions(
    series_id: str, events
) -> None:
    assert series_id in {series.id for series in load_series(DataSource())}
    assert sum(1 for e in events.values() if e.series == series_id) >= 2


def test_gate_openings_and_upgrades_name_their_crossing(events) -> None:
    gates = [e for e in events.values() if e.kind.value.startswith("border_gate_")]
    assert len(gates) >= 5
    linked = {c for e in gates for c in e.crossings}
    assert {"na-meo--nam-xoi", "la-lay--la-lay", "tan-nam--meun-chey"} <= linked


def test_the_vn_kh_border_treaties_are_agreements() -> None:
    from loaders.events import load_agreements

    treaties = {
        a.signed.start.year
        for a in load_agreements(DataSource())
        if a.type.value == "treaty" and a.parties.countries == ["VN", "KH"] and a.signed
    }
    assert {1983, 1985, 2005, 2019} <= treaties


def test_cli_coverage_prints_the_units_series_years_and_languages() -> None:
    result = runner.invoke(app, ["coverage"])
    assert result.exit_code == 0
    for heading in ("Border units of 2024", "Their units today", "Series:", "Per year:"):
        assert heading in result.stdout
    assert "vn-la-border-delegations-annual-meeting" in result.stdout


def test_cli_coverage_json_has_one_row_per_unit_and_series() -> None:
    result = runner.invoke(app, ["coverage", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["units_2024"]) == 38
    assert all(row["sufficient"] for row in data["units_2024"])
    assert {"vi", "en"} <= set(data["languages"])
    assert len(data["series"]) == len(load_series(DataSource()))
