"""The map: its layers, the province popups, country and period selections, escaping and size."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hostile import write_hostile_data_dir
from typer.testing import CliRunner

from loaders._io import DataSource
from loaders.atlas import Selection, cooperation_view, load_atlas
from loaders.events import load_events
from mapapp import popups
from mapapp.build import MapOptions, build_map
from mapapp.cli import app
from mapapp.export import export_map


def layer_names(fmap) -> list[str]:
    return [child.layer_name for child in fmap._children.values() if hasattr(child, "layer_name")]


@pytest.fixture(scope="module")
def full_html() -> str:
    return build_map(Selection()).get_root().render()


def test_every_theme_and_country_is_its_own_layer() -> None:
    names = layer_names(build_map(Selection()))
    for expected in [
        "Provinces of Vietnam",
        "Provinces of Laos",
        "Provinces of Cambodia",
        "International borders",
        "Border crossings",
        "Meeting venues",
        "Cooperation links",
        "No tiles (offline)",
        "OpenStreetMap",
    ]:
        assert expected in names


def test_labels_switch_to_vietnamese() -> None:
    names = layer_names(build_map(Selection(), MapOptions(lang="vi")))
    assert "Tỉnh của Lào" in names
    assert "Cửa khẩu" in names


def test_sekong_popup_shows_the_2025_hue_talks(full_html: str) -> None:
    view = cooperation_view(Selection())
    sekong = [e.id for e in view.by_unit["la-sekong"].newest]
    assert sekong[0] == "sekong-border-guard-annual-talks-2025"  # newest first
    # The popup HTML is embedded in the page (as JSON inside the GeoJSON layer).
    assert "2025-12-09" in full_html
    assert "19th annual talks (2025)" in full_html


def test_province_popup_lists_history_partners_and_sources() -> None:
    data = load_atlas()
    view = cooperation_view(Selection(), data)
    from loaders.boundaries import read_units

    units = {u.id: u for u in read_units()}
    html = popups.province_popup(
        units["la-sekong"],
        view.by_unit["la-sekong"],
        view.counterparts("la-sekong"),
        "en",
        units,
        data.agreements,
        ["la-sekong"],
    )
    assert html.index("2025-12-09") < html.index("2024-11-28")  # newest first
    assert "Huế" in html and "Partners across the border" in html
    assert 'href="https://' in html


def test_switching_laos_off_removes_its_provinces_and_crossings(tmp_path: Path) -> None:
    out = tmp_path / "vn-kh.html"
    export_map(out, Selection(countries=("VN", "KH")), self_contained=False)
    html = out.read_text(encoding="utf-8")
    assert "Provinces of Laos" not in html
    assert "Cầu Treo – Nam Phao" not in html  # a VN-LA crossing
    assert "Mộc Bài – Bavet" in html  # a VN-KH crossing
    assert "Provinces of Cambodia" in html


def _naming(unit_ids: set[str], since: date | None = None) -> int:
    """How many recorded events name one of ``unit_ids`` (and start on or after ``since``)."""
    return sum(
        1
        for event in load_events()
        if unit_ids & set(event.unit_ids()) and (since is None or event.date.start >= since)
    )


def test_the_period_filter_changes_the_counts() -> None:
    everything = cooperation_view(Selection())
    recent = cooperation_view(Selection(start=date(2025, 1, 1)))
    assert everything.event_count("la-sekong") == _naming({"la-sekong"})
    assert recent.event_count("la-sekong") == _naming({"la-sekong"}, since=date(2025, 1, 1))
    assert 0 < recent.event_count("la-sekong") < everything.event_count("la-sekong")
    assert recent.total == len(recent.events()) < everything.total == len(everything.events())


def test_history_follows_the_lineage_onto_the_units_of_the_map_date() -> None:
    today = cooperation_view(Selection())
    in_2019 = cooperation_view(Selection(as_of=date(2019, 1, 1)))
    # Today's Đà Nẵng counts the events of Quảng Nam and the old Đà Nẵng it was made from.
    lineage = {"vn-da-nang-2025", "vn-quang-nam", "vn-da-nang"}
    assert today.event_count("vn-da-nang-2025") == _naming(lineage)
    assert in_2019.event_count("vn-quang-nam") == _naming(lineage - {"vn-da-nang"})
    assert "vn-da-nang-2025" not in set(in_2019.units["id"])


def test_an_inverted_period_or_unknown_country_is_refused() -> None:
    with pytest.raises(ValueError, match="after it ends"):
        Selection(start=date(2025, 1, 1), end=date(2024, 1, 1))
    with pytest.raises(ValueError, match="TH"):
        Selection(countries=("VN", "TH"))


def test_javascript_links_are_dropped() -> None:
    assert popups.safe_link("javascript:alert(1)", "x") == "x"
    assert popups.safe_link("JaVaScRiPt:alert(1)", "<b>") == "&lt;b&gt;"
    assert popups.safe_link("https://example.org/a?b=1&c=2", "ok").startswith(
        '<a href="https://example.org/a?b=1&amp;c=2"'
    )


def test_a_javascript_source_url_is_rejected_when_the_record_loads(tmp_path: Path) -> None:
    data_dir = write_hostile_data_dir(tmp_path / "data")
    path = data_dir / "events" / "hostile-event.yaml"
    record = yaml.safe_load(path.read_text("utf-8"))
    record["sources"][0]["url"] = "javascript:alert(1)"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    data = load_atlas(DataSource(data_dir))
    assert not any(e.id == "hostile-event" for e in data.index.events())
    html = build_map(Selection(), data=data).get_root().render()
    assert not re.search(r"href=[\"']?javascript:", html, re.IGNORECASE)


def test_the_full_self_contained_export_stays_under_2_mb(tmp_path: Path) -> None:
    out = tmp_path / "full.html"
    export_map(out, Selection(), self_contained=True)
    html = out.read_text(encoding="utf-8")
    assert out.stat().st_size < 2_000_000
    assert not re.search(r"<script[^>]+src=[\"']https?://", html)
    assert not re.search(r"<link[^>]+href=[\"']https?://", html)


def test_export_command_writes_the_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    runner = CliRunner()
    first = runner.invoke(
        app,
        [
            "export",
            str(out),
            "--countries",
            "VN,LA",
            "--from",
            "2024",
            "--to",
            "2025",
            "--lang",
            "vi",
        ],
    )
    assert first.exit_code == 0, first.output
    assert (tmp_path / "map_files").is_dir()
    html = out.read_text(encoding="utf-8")
    assert "Tỉnh của Lào" in html or json.dumps("Tỉnh của Lào")[1:-1] in html
    second = runner.invoke(app, ["export", str(out)])
    assert second.exit_code == 1
    assert "already exists" in second.output


def test_export_command_rejects_bad_usage(tmp_path: Path) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(app, ["export", str(tmp_path / "a.html"), "--countries", "VN,TH"]).exit_code
        == 2
    )
    assert (
        runner.invoke(app, ["export", str(tmp_path / "b.html"), "--from", "2025-13"]).exit_code == 2
    )


def test_a_venue_named_after_a_town_sits_at_the_town() -> None:
    venues = {v.name: v for v in cooperation_view(Selection()).venues}
    hue = venues["Huế"].point
    assert abs(hue.x - 107.59) < 0.05 and abs(hue.y - 16.46) < 0.05  # Huế city, not the centroid
    assert venues["Huế"].unit == "vn-hue"


def test_export_refuses_no_country_and_a_directory_as_bad_usage(tmp_path: Path) -> None:
    runner = CliRunner()
    no_country = runner.invoke(app, ["export", str(tmp_path / "m.html"), "--countries", ","])
    assert no_country.exit_code == 2 and "at least one" in no_country.output
    folder = runner.invoke(app, ["export", f"{tmp_path}/newdir/"])
    assert folder.exit_code == 2 and "directory" in folder.output
    assert not (tmp_path / "newdir").exists()


def test_a_linked_export_keeps_existing_assets_unless_told_and_never_follows_a_link(
    tmp_path: Path,
) -> None:
    out = tmp_path / "map.html"
    (tmp_path / "map_files").mkdir()
    (tmp_path / "map_files" / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="map_files already exists"):
        export_map(out, Selection())
    assert (tmp_path / "map_files" / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert not out.exists()

    export_map(out, Selection(), overwrite=True)  # replaced whole, through a staging folder
    assert not (tmp_path / "map_files" / "mine.txt").exists()
    assert any((tmp_path / "map_files").rglob("leaflet*.js"))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    linked = tmp_path / "linked.html"
    (tmp_path / "linked_files").symlink_to(elsewhere)
    with pytest.raises(FileExistsError, match="symbolic link"):
        export_map(linked, Selection(), overwrite=True)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("form", [["--self-contained"], []], ids=["self-contained", "linked"])
def test_export_to_a_read_only_folder_is_one_line_and_writes_nothing(
    tmp_path: Path, run_main, read_only, form: list[str]
) -> None:
    folder = tmp_path / "mount"
    folder.mkdir()
    read_only(folder)
    result = run_main("export", folder / "map.html", "--countries", "LA", *form)
    assert result.code == 1
    assert result.one_line() == f"error: {folder / 'map.html'}: Read-only file system"
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("form", [["--self-contained"], []], ids=["self-contained", "linked"])
def test_export_into_a_folder_that_does_not_exist_is_bad_usage(
    tmp_path: Path, run_main, form: list[str]
) -> None:
    out = tmp_path / "no-such-folder" / "map.html"
    result = run_main("export", out, *form)
    assert result.code == 2
    line = result.one_line()
    assert line.startswith(f"error: Invalid value for OUT: folder {out.parent} does not exist")
    assert not out.parent.exists()
