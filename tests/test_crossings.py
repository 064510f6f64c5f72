"""Border crossings: the embedded list, its loader, its checks against the boundaries, the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

import pytest
from typer.testing import CliRunner
from unidecode import unidecode

from loaders._errors import DataError, DataWarning
from loaders._io import DataSource
from loaders.checks.crossings import check_crossings
from loaders.crossings import (
    CROSSINGS_FILE,
    load_crossing_records,
    load_crossings,
    read_crossings,
)
from mapapp.cli import app

EMBEDDED = DataSource()

# The pairs the project must always carry: (Vietnamese-side name, foreign-side name).
REQUIRED_PAIRS = [
    ("Tây Trang", "Sop Hun"),
    ("Na Mèo", "Nam Xoi"),
    ("Nậm Cắn", "Nam Khan"),
    ("Cầu Treo", "Nam Phao"),
    ("Cha Lo", "Na Phao"),
    ("Lao Bảo", "Densavan"),
    ("La Lay", "La Lay"),
    ("Nam Giang", "Dak Ta Ook"),
    ("Bờ Y", "Phou Keua"),
    ("Lệ Thanh", "O Yadav"),
    ("Hoa Lư", "Trapeang Sre"),
    ("Xa Mát", "Trapeang Phlong"),
    ("Mộc Bài", "Bavet"),
    ("Tân Nam", "Meun Chey"),
    ("Tịnh Biên", "Phnom Den"),
    ("Vĩnh Xương", "Kaam Samnor"),
    ("Hà Tiên", "Prek Chak"),
    ("Dinh Bà", "Bontia Chakrey"),
    ("Bu Prăng", "Dak Dam"),
]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", unidecode(name).lower()).strip("-")


def _embedded_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(EMBEDDED.read_text(CROSSINGS_FILE))))


def _data_dir_with(make_data_dir, edit: Callable[[list[dict[str, str]]], None]) -> DataSource:
    """A user data dir whose crossings.csv is the embedded one after ``edit``."""
    rows = _embedded_rows()
    edit(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data_dir = make_data_dir()
    (data_dir / CROSSINGS_FILE).write_text(out.getvalue(), encoding="utf-8")
    return DataSource(data_dir)


def _set(crossing_id: str, **values: str) -> Callable[[list[dict[str, str]]], None]:
    def edit(rows: list[dict[str, str]]) -> None:
        matches = [row for row in rows if row["id"] == crossing_id]
        assert len(matches) == 1, crossing_id
        matches[0].update(values)

    return edit


def _line_of(crossing_id: str) -> int:
    """The file line of a crossing's row (every embedded row fits on one line)."""
    ids = [row["id"] for row in _embedded_rows()]
    return ids.index(crossing_id) + 2


def _km(message: str) -> float:
    found = re.search(r"(\d+(?:\.\d+)?) km", message)
    assert found, message
    return float(found.group(1))


# --- the embedded data ----------------------------------------------------------------------


def test_every_embedded_crossing_passes_the_checks() -> None:
    problems = check_crossings(EMBEDDED)
    assert problems == [], "\n".join(str(p) for p in problems)


def test_loads_as_points_in_wgs84() -> None:
    frame = load_crossings()
    assert frame.crs.to_epsg() == 4326
    assert set(frame.geometry.geom_type) == {"Point"}
    assert len(frame) >= 30
    assert set(frame["border"]) == {"VN-LA", "VN-KH"}


@pytest.mark.parametrize(("vn_name", "foreign_name"), REQUIRED_PAIRS)
def test_required_pair_is_present_with_both_names(vn_name: str, foreign_name: str) -> None:
    frame = load_crossings()
    found = frame[(frame["name_vi"] == vn_name) & (frame["foreign_name"] == foreign_name)]
    assert len(found) == 1, f"{vn_name} – {foreign_name} missing"
    pair = found.iloc[0]["pair_name"]
    assert vn_name in pair and foreign_name in pair


def test_ha_tien_carries_its_other_name_xa_xia() -> None:
    frame = load_crossings()
    assert "Xà Xía" in frame.loc["ha-tien--prek-chak", "pair_name"]


def test_ids_are_unique_and_made_from_both_names() -> None:
    rows = _embedded_rows()
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert row["id"] == f"{_slug(row['name_vi'])}--{_slug(row['foreign_name'])}"


def test_class_and_province_fields_are_filled() -> None:
    frame = load_crossings()
    for column in ("class", "status", "province_2024", "province_today", "foreign_province"):
        assert frame[column].notna().all() and (frame[column] != "").all(), column
    assert set(frame["class"]) <= {"international", "main", "secondary", "opening"}
    assert {"international", "main"} <= set(frame["class"])


def test_provinces_follow_the_2025_merger() -> None:
    frame = load_crossings()
    # Quảng Bình and Quảng Trị became one province; Thừa Thiên Huế became the city of Huế.
    assert frame.loc["cha-lo--na-phao", "province_2024"] == "vn-quang-binh"
    assert frame.loc["cha-lo--na-phao", "province_today"] == "vn-quang-tri-2025"
    assert frame.loc["a-dot--ta-vang", "province_today"] == "vn-hue"
    assert frame.loc["ha-tien--prek-chak", "province_today"] == "vn-an-giang-2025"


def test_every_position_names_its_source() -> None:
    for crossing in read_crossings(EMBEDDED)[0]:
        assert len(crossing.source_note) > 20, crossing.id


# --- broken copies: the checks must catch them ----------------------------------------------


def test_a_point_moved_into_thailand_is_reported_with_its_distance(make_data_dir) -> None:
    # Nong Khai, on the Thai bank of the Mekong.
    source = _data_dir_with(make_data_dir, _set("cau-treo--nam-phao", lon="102.74", lat="17.87"))
    problems = [p for p in check_crossings(source) if p.record == "cau-treo--nam-phao"]
    border = [p for p in problems if p.check == "crossings.border"]
    assert len(border) == 1 and _km(border[0].message) > 100
    assert border[0].file == str(source.user_dir / CROSSINGS_FILE)
    assert any(p.check == "crossings.side" and "outside" in p.message for p in problems)


def test_a_point_50_km_from_the_border_is_reported(make_data_dir) -> None:
    # Mộc Bài moved half a degree east, into Bình Dương.
    source = _data_dir_with(make_data_dir, _set("moc-bai--bavet", lon="106.675"))
    problems = check_crossings(source)
    border = [p for p in problems if p.check == "crossings.border"]
    assert [p.record for p in border] == ["moc-bai--bavet"]
    assert 40 < _km(border[0].message) < 60
    assert "VN-KH" in border[0].message


def test_a_point_deep_inside_the_foreign_country_is_reported(make_data_dir) -> None:
    # Lao Bảo moved 30 km west along the road to Savannakhet.
    source = _data_dir_with(make_data_dir, _set("lao-bao--densavan", lon="106.31"))
    problems = [p for p in check_crossings(source) if p.record == "lao-bao--densavan"]
    side = [p for p in problems if p.check == "crossings.side"]
    assert len(side) == 1 and "inside Laos" in side[0].message and _km(side[0].message) > 20


def test_low_confidence_widens_the_border_tolerance_and_nothing_else(make_data_dir) -> None:
    # Cầu Treo moved ~9 km east into Hà Tĩnh, 7 km from the line: too far for a published
    # coordinate, not for an estimate.
    moved = {"lon": "105.25"}
    strict = check_crossings(_data_dir_with(make_data_dir, _set("cau-treo--nam-phao", **moved)))
    assert [(p.record, p.check) for p in strict] == [("cau-treo--nam-phao", "crossings.border")]
    assert 6 < _km(strict[0].message) < 9
    loose = _set("cau-treo--nam-phao", confidence="low", **moved)
    assert check_crossings(_data_dir_with(make_data_dir, loose)) == []


def test_the_wrong_province_is_reported(make_data_dir) -> None:
    source = _data_dir_with(
        make_data_dir, _set("bo-y--phou-keua", province_today="vn-gia-lai-2025")
    )
    problems = check_crossings(source)
    assert [(p.record, p.field) for p in problems] == [("bo-y--phou-keua", "province_today")]
    assert "vn-gia-lai-2025" in problems[0].message and _km(problems[0].message) > 10


def test_the_wrong_foreign_province_is_reported(make_data_dir) -> None:
    source = _data_dir_with(make_data_dir, _set("moc-bai--bavet", foreign_province="kh-takeo"))
    problems = check_crossings(source)
    assert [(p.record, p.field) for p in problems] == [("moc-bai--bavet", "foreign_province")]
    assert "kh-svay-rieng" in problems[0].message


@pytest.mark.parametrize(
    ("crossing_id", "values", "field", "wording"),
    [
        ("na-meo--nam-xoi", {"class": "gateway"}, "class", "unknown value"),
        ("bo-y--phou-keua", {"lon": "14.70532", "lat": "107.562192"}, "lon", "longitude"),
        ("moc-bai--bavet", {"lat": "eleven"}, "lat", "number"),
        ("lao-bao--densavan", {"province_today": "vn-quang-tri-2026"}, "province_today", "unknown"),
        (
            "lao-bao--densavan",
            {"province_today": "vn-quang-tri"},
            "province_today",
            "did not exist",
        ),
        ("tan-nam--meun-chey", {"foreign_province": "la-attapeu"}, "foreign_province", "Laos"),
        ("la-lay--la-lay", {"status_date": "25/06/2014"}, "status_date", "YYYY"),
    ],
)
def test_a_bad_row_is_left_out_with_a_warning_naming_file_line_and_field(
    make_data_dir, crossing_id: str, values: dict[str, str], field: str, wording: str
) -> None:
    source = _data_dir_with(make_data_dir, _set(crossing_id, **values))
    line = _line_of(crossing_id)
    with pytest.warns(DataWarning) as warned:
        frame = load_crossings(source)
    assert crossing_id not in frame.index
    assert len(frame) == len(_embedded_rows()) - 1  # every other row still loads
    [message] = [str(w.message) for w in warned]
    assert message.startswith(f"{source.user_dir / CROSSINGS_FILE}:{line}: field '{field}': ")
    assert wording in message
    # The check reports it too, at the same place.
    problems = check_crossings(source)
    assert [(p.field, p.record) for p in problems] == [(field, f"line {line}")]


def test_a_duplicate_id_is_left_out_naming_both_lines(make_data_dir) -> None:
    def duplicate(rows: list[dict[str, str]]) -> None:
        rows.append(dict(rows[0]))

    source = _data_dir_with(make_data_dir, duplicate)
    with pytest.warns(DataWarning) as warned:
        crossings = load_crossing_records(source)
    assert len(crossings) == len(_embedded_rows())  # the first of the two is kept
    [message] = [str(w.message) for w in warned]
    second = len(_embedded_rows()) + 2
    assert message.startswith(f"{source.user_dir / CROSSINGS_FILE}:{second}: field 'id': ")
    assert "first on line 2" in message


def test_a_file_that_cannot_be_read_raises(make_data_dir) -> None:
    data_dir = make_data_dir()
    (data_dir / CROSSINGS_FILE).write_bytes(b"id,border\n\xff\xfe,VN-LA\n")
    with pytest.raises(DataError) as raised:
        load_crossings(DataSource(data_dir))
    assert raised.value.path == str(data_dir / CROSSINGS_FILE) and raised.value.line == 2


# --- the command line -----------------------------------------------------------------------

runner = CliRunner()


def test_cli_json_is_a_geojson_feature_collection() -> None:
    result = runner.invoke(app, ["crossings", "--json"])
    assert result.exit_code == 0, result.output
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(_embedded_rows())
    feature = next(f for f in collection["features"] if f["id"] == "cau-treo--nam-phao")
    assert feature["geometry"] == {"type": "Point", "coordinates": [105.160144, 18.390175]}
    assert feature["properties"]["class"] == "international"
    assert feature["properties"]["pair_name"] == "Cầu Treo – Nam Phao"


def test_cli_filters_by_border_and_prints_a_table() -> None:
    result = runner.invoke(app, ["crossings", "--border", "VN-KH"])
    assert result.exit_code == 0, result.output
    assert "moc-bai--bavet" in result.stdout and "cau-treo--nam-phao" not in result.stdout
    expected = sum(row["border"] == "VN-KH" for row in _embedded_rows())
    assert result.stdout.strip().endswith(f"{expected} crossings")


def test_cli_rejects_an_unknown_border() -> None:
    assert runner.invoke(app, ["crossings", "--border", "VN-CN"]).exit_code == 2


def test_cli_lists_the_sound_rows_and_warns_of_a_bad_one(make_data_dir) -> None:
    source = _data_dir_with(make_data_dir, _set("na-meo--nam-xoi", **{"class": "gateway"}))
    result = runner.invoke(app, ["--data-dir", str(source.user_dir), "crossings"])
    assert result.exit_code == 0
    assert "na-meo--nam-xoi" not in result.stdout and "cau-treo--nam-phao" in result.stdout
    assert result.stdout.strip().endswith(f"{len(_embedded_rows()) - 1} crossings")
    assert "1 problem(s)" in result.stderr and "borderatlas validate" in result.stderr
    checked = runner.invoke(app, ["--data-dir", str(source.user_dir), "validate"])
    assert checked.exit_code == 1
    line = _line_of("na-meo--nam-xoi")
    assert f"crossings.csv [line {line}]: field 'class': unknown value" in checked.stdout
