"""Importing a boundary file: geoBoundaries, GADM and generic files matched onto our units, and the
data directory written from them (the download that may fetch such files: ``test_download.py``)."""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from typer.testing import CliRunner

from loaders import boundary_import
from loaders._errors import DataError
from loaders._io import DataSource
from loaders.boundaries import load_units, read_units
from loaders.boundary_import import FieldMap, MissingFieldError, import_files, write_data_dir
from loaders.gazetteer import normalize_name, spelling_key
from loaders.geocode import GeocodeResult, PlaceRef, Status
from mapapp.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "external"
GEOBOUNDARIES = FIXTURES / "geoboundaries-adm1.geojson"
DAY = date(2024, 6, 1)
AFTER_MERGER = date(2025, 8, 1)
SOURCE_UNITS = [u.id for u in read_units() if u.geometry_from == "source"]

runner = CliRunner()


def embedded(unit_id: str, day: date = DAY) -> shapely.Geometry:
    return load_units(day).loc[unit_id, "geometry"]


def simplified(unit_id: str) -> shapely.Geometry:
    """A coarse copy of an embedded unit: a stand-in for another source's drawing."""
    return shapely.simplify(embedded(unit_id), 0.03, preserve_topology=True)


def write_layer(path: Path, rows: list[dict], crs: str = "EPSG:4326", **kwargs) -> Path:
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").to_crs(crs)
    frame.to_file(path, engine="pyogrio", **kwargs)
    return path


def by_name(result: boundary_import.ImportResult) -> dict[str | None, str]:
    return {m.feature.name: m.unit_id for m in result.matched}


# --- geoBoundaries: ISO code first, then names -----------------------------------------------


@pytest.fixture(scope="module")
def geoboundaries() -> boundary_import.ImportResult:
    return import_files([GEOBOUNDARIES], "geoboundaries", use_geocoder=False)


def test_geoboundaries_features_map_by_iso_code_first(geoboundaries) -> None:
    methods = {m.unit_id: m.method for m in geoboundaries.matched}
    assert methods["vn-quang-tri"] == "iso"  # its shapeName "Quảng Trị Province" is not used
    assert methods["la-savannakhet"] == "iso"


def test_a_feature_without_iso_code_maps_by_its_name_with_diacritics(geoboundaries) -> None:
    match = next(m for m in geoboundaries.matched if m.unit_id == "vn-thua-thien-hue")
    assert match.feature.name == "Thừa Thiên–Huế"
    assert match.feature.iso is None  # the empty shapeISO is not a code
    assert match.method == "name"


def test_features_that_fit_no_unit_are_reported_with_their_reason(geoboundaries) -> None:
    reasons = {u.feature.name: u.reason for u in geoboundaries.unmatched}
    assert reasons == {
        "Hoàng Sa": "no unit named Hoàng Sa in VN on 2024-12-31",
        "Ubon Ratchathani": "country THA is not VN, LA or KH",
    }
    assert not geoboundaries.ok
    # Every feature of the file is accounted for: none is dropped silently.
    assert len(geoboundaries.matched) + len(geoboundaries.unmatched) == 5


def test_the_frame_has_the_embedded_schema_in_wgs84(geoboundaries) -> None:
    frame = geoboundaries.frame
    assert list(frame.columns) == ["id", "geometry"]
    assert frame.crs == "EPSG:4326"
    assert sorted(frame["id"]) == ["la-savannakhet", "vn-quang-tri", "vn-thua-thien-hue"]
    assert set(geoboundaries.missing) == set(SOURCE_UNITS) - set(frame["id"])


def test_an_iso_code_of_another_date_is_not_matched_by_name_instead() -> None:
    result = import_files([GEOBOUNDARIES], "geoboundaries", as_of=AFTER_MERGER, use_geocoder=False)
    reasons = {u.feature.name: u.reason for u in result.unmatched}
    assert reasons["Quảng Trị Province"] == (
        "ISO code VN-25 is vn-quang-tri (… to 2025-06-30): none valid on 2025-08-01"
    )
    assert reasons["Thừa Thiên–Huế"] == "no unit named Thừa Thiên–Huế in VN on 2025-08-01"
    assert by_name(result) == {"Savannakhét": "la-savannakhet"}


def test_two_features_for_one_unit_are_duplicates_and_neither_is_used(tmp_path: Path) -> None:
    rows = [
        {"shapeName": name, "shapeISO": "", "shapeID": f"x{i}", "shapeGroup": "VNM",
         "shapeType": "ADM1", "geometry": simplified("vn-nghe-an")}
        for i, name in enumerate(["Nghệ An", "Nghe An Province"])
    ]  # fmt: skip
    path = write_layer(tmp_path / "twice.geojson", rows)
    result = import_files([path], "geoboundaries", use_geocoder=False)
    assert [d.unit_id for d in result.duplicates] == ["vn-nghe-an"]
    assert [m.feature.feature_id for m in result.duplicates[0].features] == ["x0", "x1"]
    assert result.matched == []
    assert "vn-nghe-an" in result.missing
    assert not result.ok


def test_a_feature_of_a_merged_unit_is_reported_as_derived(tmp_path: Path) -> None:
    rows = [{"NAME": "Quảng Trị", "geometry": simplified("vn-quang-tri")}]
    path = write_layer(tmp_path / "merged.geojson", rows)
    fields = FieldMap(names=("NAME",), country_code="VN")
    result = import_files([path], "generic", fields=fields, as_of=AFTER_MERGER, use_geocoder=False)
    assert [m.unit_id for m in result.derived] == ["vn-quang-tri-2025"]
    assert result.frame.empty  # the loader dissolves it from its parts: its drawing is not used
    assert result.ok


def test_spelling_keys_ignore_case_accents_and_spaces_and_keep_kind_words() -> None:
    assert spelling_key("ThừaThiênHuế") == spelling_key("Thua Thien - Hue") == "thuathienhue"
    assert spelling_key("Đắk Lắk") == "daklak"
    assert spelling_key("Vientiane Province") == "vientianeprovince"  # the kind word is kept
    assert normalize_name("Thành phố Hồ Chí Minh").compact == spelling_key("HồChíMinh")
    assert normalize_name("Vientiane Province").compact == "vientiane"
    assert spelling_key("Quảng Nam") != spelling_key("Quảng Ninh")


def test_names_match_through_the_gazetteers_prefixes_and_kind_hints(tmp_path: Path) -> None:
    named = {
        "Province of Savannakhet": "la-savannakhet",
        "Krong Kep": "kh-kep",
        "Thủ đô Phnôm Pênh": "kh-phnom-penh",
        # Both Vientianes reduce to "vientiane": the kind word decides between them.
        "Vientiane Prefecture": "la-vientiane-capital",
        "Tỉnh Viêng Chăn": "la-vientiane-province-2013",
    }
    rows = [{"NAME": name, "geometry": simplified(unit)} for name, unit in named.items()]
    path = write_layer(tmp_path / "prefixed.geojson", rows)
    fields = FieldMap(names=("NAME",))
    result = import_files([path], "generic", fields=fields, as_of=DAY, use_geocoder=False)
    assert by_name(result) == named
    assert {m.method for m in result.matched} == {"name"}


def test_a_name_two_units_share_without_a_kind_word_is_reported(tmp_path: Path) -> None:
    rows = [{"NAME": "Vientiane", "geometry": simplified("la-vientiane-capital")}]
    path = write_layer(tmp_path / "vientiane.geojson", rows)
    fields = FieldMap(names=("NAME",), country_code="LA")
    result = import_files([path], "generic", fields=fields, as_of=DAY, use_geocoder=False)
    [unmatched] = result.unmatched
    assert unmatched.reason == (
        "name fits several units: la-vientiane-capital, la-vientiane-province-2013"
    )


# --- GADM: run-together names and VARNAME_1 alternatives --------------------------------------


def gadm_row(gid: str, name: str, varname: str, unit_id: str, country: str = "VNM") -> dict:
    return {
        "GID_0": country,
        "COUNTRY": {"VNM": "Vietnam", "LAO": "Laos", "KHM": "Cambodia"}[country],
        "GID_1": gid,
        "NAME_1": name,
        "VARNAME_1": varname,
        "NL_NAME_1": "NA",
        "TYPE_1": "Tỉnh",
        "ENGTYPE_1": "Province",
        "HASC_1": "NA",
        "ISO_1": "NA",
        "geometry": simplified(unit_id),
    }


@pytest.fixture(scope="module")
def gadm_gpkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A GADM 4.1-style GeoPackage: a country layer and the level-1 layer."""
    path = tmp_path_factory.mktemp("gadm") / "gadm41_sample.gpkg"
    rows = [
        gadm_row("VNM.58_1", "ThừaThiênHuế", "Thua Thien - Hue", "vn-thua-thien-hue"),
        gadm_row("VNM.25_1", "HồChíMinh", "NA", "vn-ho-chi-minh-city"),
        gadm_row("VNM.33_1", "ĐắkLắk", "Dac Lac|Daklak", "vn-dak-lak"),
        gadm_row("LAO.13_1", "Xékong", "Sekong|Xekong", "la-sekong", "LAO"),
        gadm_row("LAO.1_1", "Attapu", "Attapeu|Samakhixay", "la-attapeu", "LAO"),
        gadm_row("KHM.4_1", "KâmpóngCham", "Kampong Cham", "kh-kampong-cham-2013", "KHM"),
    ]
    country = [{"GID_0": "VNM", "COUNTRY": "Vietnam", "geometry": embedded("vn-nghe-an")}]
    write_layer(path, country, layer="ADM_ADM_0", driver="GPKG")
    write_layer(path, rows, layer="ADM_ADM_1", driver="GPKG", append=True)
    return path


def test_gadm_run_together_names_and_varname_alternatives_map_to_units(gadm_gpkg) -> None:
    result = import_files([gadm_gpkg], "gadm", as_of=date(2022, 7, 1), use_geocoder=False)
    assert by_name(result) == {
        "ThừaThiênHuế": "vn-thua-thien-hue",
        "HồChíMinh": "vn-ho-chi-minh-city",
        "ĐắkLắk": "vn-dak-lak",
        "Xékong": "la-sekong",  # our Vietnamese name Xê Kông
        "Attapu": "la-attapeu",  # through VARNAME_1 "Attapeu"
        "KâmpóngCham": "kh-kampong-cham-2013",  # the unit of 2022, not the pre-2013 one
    }
    assert {m.method for m in result.matched} == {"name"}
    assert {m.feature.feature_id for m in result.matched} >= {"VNM.58_1", "LAO.13_1"}
    assert result.ok


def test_a_file_lacking_the_formats_name_field_is_a_usage_error(gadm_gpkg) -> None:
    with pytest.raises(MissingFieldError, match="shapeName"):
        import_files([gadm_gpkg], "geoboundaries", layer="ADM_ADM_1")


def test_a_zipped_gadm_file_imports_as_it_is_downloaded(tmp_path: Path) -> None:
    rows = [
        gadm_row("VNM.58_1", "ThừaThiênHuế", "NA", "vn-thua-thien-hue"),
        gadm_row("VNM.44_1", "QuảngTrị", "Quang Tri", "vn-quang-tri"),
    ]
    layer = write_layer(tmp_path / "gadm41_VNM_1.json", rows, driver="GeoJSON")
    archive = tmp_path / "gadm41_VNM_1.json.zip"  # the name and form gadm.org serves
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(layer, layer.name)
    result = import_files([archive], "gadm", use_geocoder=False)
    assert by_name(result) == {"ThừaThiênHuế": "vn-thua-thien-hue", "QuảngTrị": "vn-quang-tri"}


def test_a_gadm_file_without_iso_or_variant_fields_still_imports(tmp_path: Path) -> None:
    row = gadm_row("VNM.44_1", "QuảngTrị", "NA", "vn-quang-tri")
    for absent in ("ISO_1", "VARNAME_1", "NL_NAME_1"):  # older GADM releases lack some
        del row[absent]
    path = write_layer(tmp_path / "gadm36_VNM_1.geojson", [row])
    result = import_files([path], "gadm", use_geocoder=False)
    assert by_name(result) == {"QuảngTrị": "vn-quang-tri"}


def test_a_multi_layer_file_of_another_format_needs_a_layer(gadm_gpkg) -> None:
    fields = FieldMap(names=("NAME_1",))
    with pytest.raises(DataError, match="several layers"):
        import_files([gadm_gpkg], "generic", fields=fields)


# --- generic mode: a projected shapefile, a user's field mapping ------------------------------


@pytest.fixture
def utm_shapefile(tmp_path: Path) -> Path:
    """A shapefile in UTM zone 48N (metres) with its own field names."""
    rows = [
        {"PROV_CODE": "VN-22", "PROV_EN": "Nghe An", "geometry": simplified("vn-nghe-an")},
        {"PROV_CODE": "", "PROV_EN": "Hà Tĩnh", "geometry": simplified("vn-ha-tinh")},
        {"PROV_CODE": "", "PROV_EN": "Bolikhamsai", "geometry": simplified("la-bolikhamxay")},
    ]
    return write_layer(tmp_path / "provinces_utm48n.shp", rows, crs="EPSG:32648")


def test_generic_mode_reprojects_a_projected_shapefile_to_wgs84(utm_shapefile: Path) -> None:
    assert gpd.read_file(utm_shapefile).crs.to_epsg() == 32648
    fields = FieldMap(iso="PROV_CODE", names=("PROV_EN",), country_code="VN")
    result = import_files([utm_shapefile], "generic", fields=fields, as_of=DAY, use_geocoder=False)
    assert by_name(result) == {"Nghe An": "vn-nghe-an", "Hà Tĩnh": "vn-ha-tinh"}
    assert [u.feature.name for u in result.unmatched] == ["Bolikhamsai"]  # not in VN
    assert result.frame.crs == "EPSG:4326"
    for unit_id, geometry in zip(result.frame["id"], result.frame.geometry, strict=True):
        assert -180 < geometry.bounds[0] < 180
        assert embedded(unit_id).contains(geometry.representative_point())


def test_a_country_field_may_hold_a_code_or_a_name(tmp_path: Path) -> None:
    rows = [
        {"NAME": "Kampot", "LAND": "KHM", "geometry": simplified("kh-kampot")},
        {"NAME": "Hà Tĩnh", "LAND": "Viet Nam", "geometry": simplified("vn-ha-tinh")},
        {"NAME": "Savannakhet", "LAND": "Lao PDR", "geometry": simplified("la-savannakhet")},
        {"NAME": "Salavan", "LAND": "Cambodia", "geometry": simplified("la-salavan")},
        {"NAME": "Nan", "LAND": "Thailand", "geometry": simplified("la-xayaboury")},
    ]
    path = write_layer(tmp_path / "countries.geojson", rows)
    fields = FieldMap(names=("NAME",), country="LAND")
    result = import_files([path], "generic", fields=fields, as_of=DAY, use_geocoder=False)
    assert by_name(result) == {
        "Kampot": "kh-kampot",
        "Hà Tĩnh": "vn-ha-tinh",
        "Savannakhet": "la-savannakhet",
    }
    assert [u.reason for u in result.unmatched] == [
        "no unit named Salavan in KH on 2024-06-01",  # the file's country is believed
        "country THAILAND is not VN, LA or KH",
    ]


def test_generic_mode_accepts_our_unit_ids(tmp_path: Path) -> None:
    rows = [
        {"uid": "kh-tboung-khmum", "geometry": simplified("kh-tboung-khmum")},
        {"uid": "kh-nowhere", "geometry": simplified("kh-kratie")},
        {"uid": "kh-kampong-cham", "geometry": simplified("kh-kampong-cham-2013")},
    ]
    path = write_layer(tmp_path / "ids.geojson", rows)
    result = import_files([path], "generic", fields=FieldMap(unit_id="uid"), as_of=DAY)
    assert [(m.unit_id, m.method) for m in result.matched] == [("kh-tboung-khmum", "id")]
    assert [u.reason for u in result.unmatched] == [
        "unknown unit id 'kh-nowhere'",
        "unit kh-kampong-cham (… to 2013-12-30), not on 2024-06-01",
    ]


def test_the_geocoder_is_asked_only_when_no_exact_name_fits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple] = []

    pakse = PlaceRef(id="pakse", name="Pakse", name_vi=None, kind="city", lat=15.12, lon=105.8)
    answers: dict[str, tuple[Status, str | None, PlaceRef | None]] = {
        "VientianePrefecture": ("matched", "la-vientiane-capital", None),
        "Vientiane Old": ("matched", "la-vientiane-province", None),
        "Pakse": ("matched", "la-champasak", pakse),
        "Attapeu Sekong": ("ambiguous", None, None),
    }

    def geocode(name: str, as_of: date, country: str | None) -> GeocodeResult:
        asked.append((name, as_of, country))
        status, unit_id, place = answers.get(name, ("unmatched", None, None))
        return GeocodeResult(query=name, as_of=as_of, status=status, id=unit_id, place=place)

    monkeypatch.setattr(boundary_import, "geocode", geocode)
    names = ("VientianePrefecture", "Vientiane Old", "Pakse", "Attapeu Sekong", "Savannakhet")
    rows = [{"NAME": name, "geometry": simplified("la-vientiane-capital")} for name in names]
    path = write_layer(tmp_path / "lao.geojson", rows)
    fields = FieldMap(names=("NAME",), country_code="LA")
    result = import_files([path], "generic", fields=fields, as_of=DAY)
    assert [(m.unit_id, m.method) for m in result.matched] == [
        ("la-vientiane-capital", "geocoder"),
        ("la-savannakhet", "name"),
    ]
    # Not accepted: a unit that did not exist on the date, a town's name, an ambiguous answer.
    assert [u.feature.name for u in result.unmatched] == [
        "Vientiane Old",
        "Pakse",
        "Attapeu Sekong",
    ]
    assert ("Savannakhet", DAY, "LA") not in asked
    assert ("Pakse", DAY, "LA") in asked


# --- the data directory writer ---------------------------------------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, geoboundaries) -> boundary_import.Written:
    return write_data_dir(geoboundaries, tmp_path_factory.mktemp("data"))


def test_the_writer_uses_the_embedded_format(written: boundary_import.Written) -> None:
    lines = written.path.read_text(encoding="utf-8").splitlines()
    assert written.path.name == "admin1.geojson" and written.path.parent.name == "boundaries"
    assert lines[0].startswith('{"type":"FeatureCollection","features":[{"type":"Feature"')
    assert lines[-1].endswith("}]}")
    features = json.loads("\n".join(lines))["features"]
    assert len(lines) == len(features) == len(SOURCE_UNITS)  # one feature per line
    assert [f["properties"] for f in features] == [{"id": uid} for uid in SOURCE_UNITS]
    assert sorted(written.imported) == ["la-savannakhet", "vn-quang-tri", "vn-thua-thien-hue"]
    assert len(written.filled) == len(SOURCE_UNITS) - 3


def test_the_written_directory_loads_with_imported_and_filled_units(
    written: boundary_import.Written, geoboundaries
) -> None:
    source = DataSource(written.path.parent.parent)
    units = load_units(DAY, source=source)
    assert len(units) == len(load_units(DAY))
    imported = geoboundaries.frame.set_index("id").geometry
    quang_tri = units.loc["vn-quang-tri", "geometry"]
    assert quang_tri.normalize().equals_exact(imported["vn-quang-tri"].normalize(), 1e-6)
    assert not quang_tri.normalize().equals_exact(embedded("vn-quang-tri").normalize(), 1e-6)
    assert units.loc["vn-nghe-an", "geometry"].equals(embedded("vn-nghe-an"))
    # Merged units are dissolved from the imported and the filled parts.
    merged = load_units(AFTER_MERGER, source=source).loc["vn-quang-tri-2025", "geometry"]
    parts = shapely.union_all([quang_tri, embedded("vn-quang-binh")])
    assert shapely.symmetric_difference(merged, parts).area < 1e-9


def test_the_writer_refuses_to_overwrite_unless_asked(tmp_path: Path, geoboundaries) -> None:
    first = write_data_dir(geoboundaries, tmp_path)
    before = first.path.read_text(encoding="utf-8")
    first.path.write_text(before.replace("vn-quang-tri", "vn-changed"), encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_data_dir(geoboundaries, tmp_path)
    assert "vn-changed" in first.path.read_text(encoding="utf-8")
    write_data_dir(geoboundaries, tmp_path, overwrite=True)
    assert first.path.read_text(encoding="utf-8") == before


def test_without_filling_a_gap_is_an_error(tmp_path: Path, geoboundaries) -> None:
    with pytest.raises(DataError, match="no geometry for units"):
        write_data_dir(geoboundaries, tmp_path, fill=False)
    assert not (tmp_path / "boundaries" / "admin1.geojson").exists()


# --- the command line: boundaries-import -----------------------------------------------------


def clean_geoboundaries(tmp_path: Path) -> Path:
    """The fixture without its two unmatched features."""
    frame = gpd.read_file(GEOBOUNDARIES)
    path = tmp_path / "clean.geojson"
    frame[frame["shapeGroup"].isin(["VNM", "LAO"]) & (frame["shapeName"] != "Hoàng Sa")].to_file(
        path, engine="pyogrio"
    )
    return path


def test_import_command_exits_1_and_lists_unmatched_features(tmp_path: Path) -> None:
    args = ["boundaries-import", str(GEOBOUNDARIES), "--format", "geoboundaries"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    unmatched = {u["feature"]["name"]: u["reason"] for u in report["unmatched"]}
    assert unmatched["Ubon Ratchathani"] == "country THA is not VN, LA or KH"
    assert {m["unit_id"] for m in report["matched"]} >= {"vn-quang-tri", "la-savannakhet"}
    assert report["written"] == str(tmp_path / "boundaries" / "admin1.geojson")


def test_import_command_writes_a_data_dir_and_refuses_to_overwrite(tmp_path: Path) -> None:
    source, out = clean_geoboundaries(tmp_path), tmp_path / "out"
    args = ["boundaries-import", str(source), "--format", "geoboundaries", "--out", str(out)]
    result = runner.invoke(app, [*args, "--as-of", "2024-06-01"])
    assert result.exit_code == 0, result.output
    assert "vn-thua-thien-hue" in result.stdout
    assert len(load_units(DAY, source=DataSource(out))) == len(load_units(DAY))
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "--overwrite" in again.stderr
    assert runner.invoke(app, [*args, "--overwrite"]).exit_code == 0


def test_import_command_generic_mode_takes_a_field_mapping(
    tmp_path: Path, utm_shapefile: Path
) -> None:
    args = ["boundaries-import", str(utm_shapefile), "--format", "generic", "--out", str(tmp_path)]
    mapped = [*args, "--field", "iso=PROV_CODE", "--field", "name=PROV_EN", "--country", "VN"]
    result = runner.invoke(app, [*mapped, "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    names = {m["feature"]["name"]: m["unit_id"] for m in report["matched"]}
    assert names == {"Nghe An": "vn-nghe-an", "Hà Tĩnh": "vn-ha-tinh"}
    [unmatched] = report["unmatched"]
    assert unmatched["reason"] == "no unit named Bolikhamsai in VN on 2024-12-31"


def test_import_command_names_an_unreadable_file(tmp_path: Path) -> None:
    junk = tmp_path / "provinces.geojson"
    junk.write_text("not a map", encoding="utf-8")
    args = ["boundaries-import", str(junk), "--format", "gadm", "--out", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert f"{junk}: not readable as a vector file" in result.stderr


@pytest.mark.parametrize(
    "extra",
    [
        ["--format", "generic"],  # no field mapping
        ["--format", "generic", "--field", "colour=PROV_EN"],  # unknown key
        ["--format", "gadm"],  # the file has no GADM fields
        ["--format", "geoboundaries", "--field", "name=PROV_EN"],  # mapping needs generic
        ["--format", "shapefile"],
        ["--format", "generic", "--field", "name=PROV_EN", "--as-of", "2024-13-01"],
    ],
)
def test_import_command_bad_usage_exits_2(tmp_path: Path, utm_shapefile: Path, extra) -> None:
    args = ["boundaries-import", str(utm_shapefile), "--out", str(tmp_path), *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "boundaries").exists()


# --- hostile input files and options: one line, the right exit code --------------------------

GB_PROPERTIES = {"shapeName": "Nghệ An", "shapeISO": "VN-22", "shapeGroup": "VNM", "shapeID": "x1"}


def geojson_text(geometry: dict) -> str:
    """A geoBoundaries-shaped file of one feature (Nghệ An) drawn as ``geometry``."""
    feature = {"type": "Feature", "properties": GB_PROPERTIES, "geometry": geometry}
    return json.dumps({"type": "FeatureCollection", "features": [feature]})


@pytest.mark.parametrize(
    "ring",
    [
        [[104.5, 19.0], [105.5, 19.0], [105.5, 19.5], [104.5, 19.5]],  # never back to its start
        [[104.5, 19.0], [105.5, 19.0]],  # two points are no ring
    ],
    ids=["unclosed", "two-points"],
)
def test_an_unreadable_ring_is_one_line_naming_the_file_and_feature(
    tmp_path: Path, run_main, ring: list
) -> None:
    path = tmp_path / "adm1.geojson"
    path.write_text(geojson_text({"type": "Polygon", "coordinates": [ring]}), encoding="utf-8")
    out = tmp_path / "out"
    result = run_main("boundaries-import", path, "--format", "geoboundaries", "--out", out)
    assert result.code == 1
    assert result.one_line() == (
        f"error: {path}: feature 1: geometry not readable: "
        "Points of LinearRing do not form a closed linestring"
    )
    assert not out.exists()


def test_a_layer_the_file_lacks_is_bad_usage_listing_its_layers(
    tmp_path: Path, run_main, gadm_gpkg: Path
) -> None:
    out = tmp_path / "out"
    args = ["boundaries-import", gadm_gpkg, "--format", "gadm", "--out", out]
    result = run_main(*args, "--layer", "ADM_ADM_2")
    assert result.code == 2
    assert result.one_line() == (
        f"error: {gadm_gpkg}: no layer 'ADM_ADM_2'; its layers: ADM_ADM_0, ADM_ADM_1"
    )
    assert not out.exists()


def test_an_out_that_is_a_file_is_bad_usage_and_left_alone(tmp_path: Path, run_main) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("mine", encoding="utf-8")
    result = run_main("boundaries-import", GEOBOUNDARIES, "--format", "geoboundaries", "--out", out)
    assert result.code == 2
    line = result.one_line()
    assert f"Invalid value for --out: {out} is a file: give the data directory to write" in line
    assert out.read_text(encoding="utf-8") == "mine"


def test_an_out_in_a_read_only_folder_is_one_line_and_writes_nothing(
    tmp_path: Path, run_main, read_only
) -> None:
    source, out = clean_geoboundaries(tmp_path), tmp_path / "mount"
    out.mkdir()
    read_only(out)
    result = run_main("boundaries-import", source, "--format", "geoboundaries", "--out", out)
    assert result.code == 1
    target = out / "boundaries" / "admin1.geojson"
    assert result.one_line() == f"error: {target}: Read-only file system"
    assert list(out.iterdir()) == []


def moved_fixture(tmp_path: Path, name: str, to_crs: str | None, say: str | None) -> Path:
    """The geoBoundaries fixture with its coordinates moved into ``to_crs`` (if given), then
    written claiming CRS ``say`` (None: a GeoJSON with no CRS member, which GDAL reads as
    EPSG:4326 as RFC 7946 says), as GeoJSON or, for a ``.shp`` name, a shapefile."""
    frame = gpd.read_file(GEOBOUNDARIES)
    frame = frame.to_crs(to_crs) if to_crs else frame
    frame = frame.set_crs(say, allow_override=True)
    path = tmp_path / name
    with warnings.catch_warnings():  # "'crs' was not provided": that is the point here
        warnings.simplefilter("ignore", UserWarning)
        frame.to_file(path, engine="pyogrio")
    return path


@pytest.mark.parametrize(
    ("name", "to_crs", "say", "says"),
    [
        ("utm.geojson", "EPSG:32648", None, r"not degrees \(CRS: EPSG:4326\); is the CRS missing"),
        ("utm.shp", "EPSG:32648", "EPSG:4326", r"not degrees \(CRS: EPSG:4326\); is the CRS"),
        ("utm.shp", "EPSG:32648", None, r"not degrees \(CRS: none given\); is the CRS missing"),
        (
            "degrees.shp",
            None,
            "EPSG:3857",
            r"read with CRS EPSG:3857, the features lie at lon 0\.0",
        ),
        ("utm-as-3857.shp", "EPSG:32648", "EPSG:3857", r"read with CRS EPSG:3857, .* lon 4\.\d"),
    ],
    ids=[
        "metres-defaulted-4326",
        "metres-said-4326",
        "metres-no-crs",
        "degrees-said-3857",
        "utm-said-3857",
    ],
)
def test_coordinates_that_do_not_fit_their_crs_are_refused_in_one_line(
    tmp_path: Path, run_main, name: str, to_crs: str | None, say: str | None, says: str
) -> None:
    path = moved_fixture(tmp_path, name, to_crs, say)
    out = tmp_path / "out"
    result = run_main("boundaries-import", path, "--format", "geoboundaries", "--out", out)
    assert result.code == 1
    line = result.one_line()
    assert line.startswith(f"error: {path}: ")
    assert re.search(says, line), line
    if "not degrees" in says:  # the largest coordinate, in metres, is named
        assert re.search(r"coordinates up to \d{1,3}(,\d{3}){2} are not degrees", line), line
    else:
        assert "not around Vietnam, Laos and Cambodia (lon 97..110.5, lat 8..23.5)" in line
    assert not out.exists()


def test_coordinates_that_fit_their_crs_are_imported(tmp_path: Path) -> None:
    path = moved_fixture(tmp_path, "utm.shp", "EPSG:32648", "EPSG:32648")
    result = import_files([path], "geoboundaries", use_geocoder=False)
    assert "vn-quang-tri" in {m.unit_id for m in result.matched}
    assert result.frame.total_bounds[0] > 100  # back in degrees
