"""Events and agreements: the schema, the embedded records, the checks and the CLI commands."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loaders import events as ev
from loaders._errors import DataWarning
from loaders._io import DataSource
from loaders.checks import events as checks
from loaders.checks.events import check_events, unit_index
from loaders.events import (
    Event,
    PartialDate,
    load_agreements,
    load_events,
    parse_partial_date,
    read_events,
)
from mapapp.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "events"
SEED_FILES = [
    "000_b157f37d6fc5277e.txt",
    "001_583a356941329951.txt",
    "002_d57b6e4de3399ce6.txt",
    "003_e09a1e6ea1454227.txt",
    "004_aa86cdbd66803e73.txt",
]
runner = CliRunner()


@pytest.fixture(scope="module")
def embedded() -> dict[str, Event]:
    return {event.id: event for event in load_events(DataSource())}


@pytest.fixture(scope="module")
def broken_problems() -> list:
    return check_events(DataSource(FIXTURES.resolve()))


# --- partial dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2025-12-09", date(2025, 12, 9), date(2025, 12, 9), "day"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2020-Q2", date(2020, 4, 1), date(2020, 6, 30), "quarter"),
        ("2019", date(2019, 1, 1), date(2019, 12, 31), "year"),
    ],
)
def test_partial_dates_keep_their_precision(text, start, end, precision) -> None:
    parsed = parse_partial_date(text)
    assert (parsed.start, parsed.end, parsed.precision.value) == (start, end, precision)
    assert parsed.model_dump(mode="json") == text  # written back in the form it was read


@pytest.mark.parametrize(
    "text", ["2019-13", "2025-02-30", "12/9/2025", "2020-Q5", "19", "٢٠٢٤-٠١-٠١", "２０２４"]
)
def test_malformed_partial_dates_are_rejected(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_partial_date(text)


def test_overlap_of_a_month_with_a_period() -> None:
    november = PartialDate.model_validate("2024-11")
    assert november.overlaps(date(2024, 11, 30), None)
    assert not november.overlaps(date(2024, 12, 1), None)
    assert not november.overlaps(None, date(2024, 10, 31))


# --- the embedded records -------------------------------------------------------------------


def test_embedded_records_have_no_problems() -> None:
    assert [str(problem) for problem in check_events(DataSource())] == []


def test_every_seed_yields_an_event_whose_places_resolve_at_its_date(embedded) -> None:
    units = unit_index(DataSource())
    for seed in SEED_FILES:
        cited = [e for e in embedded.values() if seed in {s.seed for s in e.sources}]
        placed = [e for e in cited if e.unit_ids()]
        assert placed, f"no event from {seed} names a place"
        for event in placed:
            for unit in event.unit_ids():
                assert units[unit].overlaps(event.date), (event.id, unit)


def test_the_2025_hue_talks_involve_the_post_merger_units(embedded) -> None:
    talks = embedded["sekong-border-guard-annual-talks-2025"]
    assert talks.date == parse_partial_date("2025-12-09")
    assert set(talks.provinces["VN"]) == {"vn-hue", "vn-da-nang-2025", "vn-quang-ngai-2025"}
    assert talks.provinces["LA"] == ["la-sekong"]
    assert talks.venue is not None and talks.venue.unit == "vn-hue"


def test_the_2024_talks_involve_the_pre_merger_units(embedded) -> None:
    talks = embedded["sekong-border-guard-annual-talks-2024"]
    assert set(talks.provinces["VN"]) == {"vn-quang-nam", "vn-thua-thien-hue", "vn-kon-tum"}


def test_every_agreement_the_seeds_reference_exists_and_is_linked(embedded) -> None:
    agreements = {agreement.id: agreement for agreement in load_agreements(DataSource())}
    online_2021 = "vn-la-border-work-online-preparatory-meeting-2021"
    expected = {
        "vn-la-friendship-cooperation-treaty-1977": "vn-la-treaties-signing-1977",
        "vn-la-border-delimitation-treaty-1977": "vn-la-treaties-signing-1977",
        "vn-la-border-protocol-2016": "vn-la-border-documents-signing-2016",
        "vn-la-border-regulation-agreement-2016": "vn-la-border-documents-signing-2016",
        "vn-la-migration-marriage-arrangement-2013": "vn-la-border-delegations-annual-meeting-29",
        "nghe-an-bolikhamxay-migration-memorandum": online_2021,
        "vn-la-border-gate-master-plan-2021-2030": "vn-la-border-delegations-annual-meeting-29",
        "vn-la-border-delegations-minutes-28": "vn-la-border-delegations-annual-meeting-29",
        "vn-la-border-delegations-minutes-30": online_2021,
        "vn-la-foreign-ministries-cooperation-2021-2025": "vn-la-foreign-ministers-talks-2025",
        "vn-kh-border-gate-agreement": "vn-kh-border-gate-working-group-meeting-1",
        "sekong-border-guard-talks-minutes-2024": "sekong-border-guard-annual-talks-2025",
    }
    for agreement_id, event_id in expected.items():
        assert event_id in agreements[agreement_id].related_events
        assert agreement_id in {ref.id for ref in embedded[event_id].agreements}
    assert agreements["vn-kh-border-gate-agreement"].status.value == "planned"
    assert str(agreements["vn-la-border-regulation-agreement-2016"].signed) == "2016-03-16"


def test_dates_no_source_gives_are_left_empty() -> None:
    memorandum = {a.id: a for a in load_agreements(DataSource())}[
        "nghe-an-bolikhamxay-migration-memorandum"
    ]
    assert memorandum.signed is None
    assert set(memorandum.parties.provinces) == {"vn-nghe-an", "la-bolikhamxay"}


def test_imprecise_dates_stay_imprecise(embedded) -> None:
    assert str(embedded["vn-la-politburos-meeting-2024"].date) == "2024-09"
    assert str(embedded["vn-kh-border-provinces-conference-6"].date) == "2010-08"
    assert str(embedded["thanh-hoa-houaphanh-na-meo-nam-xoi-international-2004"].date) == "2004"


def test_inferred_fields_say_what_they_were_inferred_from(embedded) -> None:
    meeting = embedded["vn-la-border-delegations-annual-meeting-29"]
    reasons = {inference.field: inference.reason for inference in meeting.inferred}
    assert "VietnamPlus" in reasons["date"]
    assert any("VietnamPlus" in (source.publisher or "") for source in meeting.sources)


@pytest.mark.seeds
def test_seed_file_names_exist(seeds_dir: Path, embedded) -> None:
    cited = {s.seed for record in [*embedded.values(), *load_agreements()] for s in record.sources}
    cited.discard(None)
    assert cited == set(SEED_FILES)
    assert all((seeds_dir / name).is_file() for name in cited)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.mark.seeds
def test_summaries_are_not_copied_from_the_seeds(seeds_dir: Path, embedded) -> None:
    """No run of eight words of a summary appears in its seed article, except inside the name
    of a document or event (names are facts, not prose)."""
    names = [a.title.vi for a in load_agreements()] + [e.title.vi for e in embedded.values()]
    names_text = " | ".join(" ".join(_words(name)) for name in names)
    for event in embedded.values():
        for source in event.sources:
            if source.seed is None:
                continue
            seed = " ".join(_words((seeds_dir / source.seed).read_text(encoding="utf-8")))
            for summary in (event.summary.vi, event.summary.en):
                words = _words(summary)
                for i in range(len(words) - 7):
                    run = " ".join(words[i : i + 8])
                    assert run not in seed or run in names_text, (event.id, run)


# --- broken records -------------------------------------------------------------------------


def _fields(problems, file_name: str) -> set[str | None]:
    return {p.field for p in problems if p.file.endswith(file_name)}


@pytest.mark.parametrize(
    ("file_name", "field", "words"),
    [
        ("events/unit-not-yet-created.yaml", "provinces.VN[0]", "did not exist on 2019-06-01"),
        ("events/malformed-date.yaml", "date", "month must be in 1..12"),
        ("events/future-date.yaml", "date", "out of range"),
        ("events/unknown-references.yaml", "provinces.LA[0]", "unknown unit id 'la-nowhere'"),
        ("events/unknown-references.yaml", "crossings[0]", "unknown crossing"),
        ("events/unknown-references.yaml", "agreements[0].id", "unknown agreement"),
        ("events/unknown-references.yaml", "related_events[0]", "unknown event"),
        ("events/no-sources.yaml", "sources", "at least 1 item"),
        ("events/wrong-side.yaml", "provinces.LA[0]", "not a LA unit"),
        ("events/wrong-side.yaml", "provinces.LA", "not in countries"),
        ("events/copy-of-an-embedded-id.yaml", "id", "duplicate id"),
        ("events/not-yaml.yaml", None, "not valid YAML"),
        ("events/alias-bomb.yaml", None, "alias *a is not allowed"),
        ("events/duplicate-key.yaml", None, "key 'date' given twice (first on line 4)"),
        ("events/province-level-without-provinces.yaml", "provinces", "names its provinces"),
        ("events/unknown-series.yaml", "series", "unknown series id 'no-such-series'"),
        ("events/numbered-session-without-ordinal.yaml", "ordinal", "is numbered"),
        ("events/second-record-of-a-session.yaml", "ordinal", "session 29 of"),
        ("agreements/bad-agreement.yaml", "type", "'pact'"),
        ("agreements/dangling-links.yaml", "parties.provinces[0]", "did not exist on 2025-08"),
        ("agreements/dangling-links.yaml", "related_events[1]", "does not reference"),
    ],
)
def test_a_broken_record_is_reported_with_file_and_field(
    broken_problems, file_name: str, field: str | None, words: str
) -> None:
    matching = [p for p in broken_problems if p.file.endswith(file_name) and p.field == field]
    assert matching, f"no problem for {file_name} field {field}: {broken_problems}"
    assert any(words in p.message for p in matching)


def test_broken_records_do_not_affect_the_others(broken_problems) -> None:
    assert [str(p) for p in broken_problems if "fixtures" not in p.file] == []
    assert _fields(broken_problems, "unit-not-yet-created.yaml") == {"provinces.VN[0]"}
    events, _problems = read_events(DataSource(FIXTURES.resolve()))
    ids = {event.id for event in events}
    assert {e.id for e in load_events(DataSource())} <= ids  # every embedded event still loads
    assert {"unit-not-yet-created", "unknown-references"} <= ids  # and so do readable bad ones


@pytest.mark.parametrize(
    ("load", "read"),
    [(load_events, read_events), (load_agreements, ev.read_agreements)],
    ids=["events", "agreements"],
)
def test_loading_leaves_a_bad_record_out_with_a_warning_naming_file_and_field(load, read) -> None:
    source = DataSource(FIXTURES.resolve())
    with pytest.warns(DataWarning) as warned:
        records = load(source)
    readable, problems = read(source)
    assert [str(w.message) for w in warned] == [str(p) for p in problems]  # each one, never silent
    assert {r.id for r in records} == {r.id for r in readable}
    if load is load_events:
        future = FIXTURES.resolve() / "events" / "future-date.yaml"
        assert f"{future}: field 'date': date out of range (1900-01-01 to today)" in {
            str(w.message).split(" (value")[0] for w in warned
        }
        assert "future-date" not in {r.id for r in records}


def test_a_known_crossing_passes_and_a_missing_crossing_list_checks_nothing(
    broken_problems, monkeypatch
) -> None:
    assert "crossings[0]" not in _fields(broken_problems, "unit-not-yet-created.yaml")
    monkeypatch.setattr(checks, "crossing_ids", lambda source: None)
    problems = check_events(DataSource(FIXTURES.resolve()))
    assert not [p for p in problems if p.check == "events.crossings"]


# --- the command line -----------------------------------------------------------------------


def _json(args: list[str]) -> list[dict]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_events_of_a_province_follow_its_lineage() -> None:
    records = _json(["events", "--province", "vn-da-nang-2025", "--json"])
    ids = [r["id"] for r in records]
    assert "sekong-border-guard-annual-talks-2025" in ids
    assert "sekong-border-guard-annual-talks-2024" in ids  # via vn-quang-nam
    lineage = {"vn-da-nang-2025", "vn-quang-nam", "vn-da-nang"}
    for record in records:
        named = {u for side in record["provinces"].values() for u in side}
        named |= {(record.get("venue") or {}).get("unit")}
        assert named & lineage, record["id"]
    talks = records[ids.index("sekong-border-guard-annual-talks-2025")]
    assert talks["date"] == "2025-12-09"
    assert talks["provinces"]["LA"] == ["la-sekong"]


def test_cli_events_filters_by_period_and_kind() -> None:
    records = _json(["events", "--from", "2019-12", "--to", "2020", "--json"])
    assert {
        "vn-la-border-delegations-annual-meeting-29",
        "vn-kh-border-gate-working-group-meeting-1",
    } <= {r["id"] for r in records}
    for record in records:  # a partial date ("2019") overlaps the period too
        when = ev.parse_partial_date(record["date"])
        assert when.overlaps(date(2019, 12, 1), date(2020, 12, 31)), record["id"]
    records = _json(["events", "--kind", "signing", "--json"])
    assert records and {r["kind"] for r in records} == {"signing"}
    starts = [ev.parse_partial_date(r["date"]).start for r in _json(["events", "--json"])]
    assert starts == sorted(starts, reverse=True)


def test_cli_events_readable_table_names_the_lineage_unit() -> None:
    result = runner.invoke(app, ["events", "--province", "vn-hue"])
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if "annual-talks-2024" in x)
    assert "vn-thua-thien-hue" in line
    count = len(_json(["events", "--province", "vn-hue", "--json"]))
    assert result.stdout.strip().endswith(f"{count} events")


def test_cli_events_unknown_province_exits_1() -> None:
    result = runner.invoke(app, ["events", "--province", "vn-atlantis"])
    assert result.exit_code == 1
    assert "vn-atlantis" in result.stderr


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_cli_events_malformed_date_exits_2(option: str) -> None:
    result = runner.invoke(app, ["events", option, "2019-13-01"])
    assert result.exit_code == 2


def test_cli_agreements_json_lists_every_agreement() -> None:
    records = _json(["agreements", "--json"])
    by_id = {r["id"]: r for r in records}
    assert len(by_id) == len(load_agreements(DataSource()))
    assert by_id["nghe-an-bolikhamxay-migration-memorandum"]["signed"] is None
    assert by_id["vn-la-border-protocol-2016"]["signed"] == "2016-03-16"


def test_cli_with_a_data_dir_of_broken_records_warns_and_lists_the_rest() -> None:
    result = runner.invoke(app, ["--data-dir", str(FIXTURES), "events", "--json"])
    assert result.exit_code == 0
    assert "problem(s)" in result.stderr
    ids = {r["id"] for r in json.loads(result.stdout)}
    assert "sekong-border-guard-annual-talks-2025" in ids and "unknown-references" in ids


def test_an_inference_may_name_one_item_of_a_list_field(embedded) -> None:
    event = embedded["vn-la-border-delegations-annual-meeting-29"]
    for field, accepted in (("participants[0].role", True), ("particpants[0].role", False)):
        inference = ev.Inference(field=field, reason="the report says only that he attended")
        changed = event.model_copy(update={"inferred": [inference]})
        problems = checks.check_event(changed, "label", None, None, {}, {})
        flagged = [p for p in problems if p.field == "inferred[0].field"]
        assert (not flagged) is accepted


def test_links_in_events_that_cannot_be_read_are_reported_not_skipped(make_data_dir) -> None:
    from loaders._io import DataSource

    data_dir = make_data_dir(folders=["events"])
    (data_dir / "events" / "dangling.yaml").symlink_to(data_dir / "nowhere.yaml")
    (data_dir / "events" / "zero.yaml").symlink_to("/dev/zero")  # would be read forever
    _, problems = ev.read_events(DataSource(data_dir))
    messages = {Path(p.file).name: p.message for p in problems}
    assert "does not exist" in messages["dangling.yaml"]
    assert "not a regular file" in messages["zero.yaml"]


def test_a_deeply_nested_alias_bomb_is_refused_before_it_expands() -> None:
    import time

    levels = ["a: &a0 [" + ", ".join(['"lol"'] * 9) + "]"]
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    text = "\n".join(levels).replace("a: &a0", "a0: &a0") + "\nid: bomb\n"
    started = time.perf_counter()
    record, errors = ev.parse_record(text, Event)
    assert record is None
    assert "alias *a0 is not allowed" in errors[0][1] and "line 2" in errors[0][1]
    assert time.perf_counter() - started < 5  # expanded, it took ~50 s and 3 GB
