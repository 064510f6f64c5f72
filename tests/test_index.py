"""The record index: always as fresh as the YAML files, safe to share, rebuilt when broken, and
searchable across spellings and languages."""

from __future__ import annotations

import multiprocessing
import os
import re
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest

from loaders._io import DataSource, embedded
from loaders.events import load_agreements, load_events, read_events
from loaders.gazetteer import ascii_words
from loaders.history import UnknownPlaceError, unit_history, units_for
from loaders.index import RecordIndex

EMBEDDED_EVENTS = Path(str(embedded("events")))
TEMPLATE = "an-giang-kampot-border-trade-conference-2025"


def ids(records) -> list[str]:
    return [record.id for record in records]


@pytest.fixture(scope="module")
def index() -> RecordIndex:
    return RecordIndex(DataSource())


@pytest.fixture
def data_dir(make_data_dir) -> Path:
    return make_data_dir(folders=["events"])


def write_event(data_dir: Path, name: str, title: str, day: str = "2024-05-06") -> Path:
    """A copy of a real event under another id, English title and date."""
    text = (EMBEDDED_EVENTS / f"{TEMPLATE}.yaml").read_text(encoding="utf-8")
    lines = text.replace(TEMPLATE, name, 1).splitlines()
    title_at = lines.index("title:") + 2  # "  en: ..." follows "  vi: ..."
    assert lines[title_at].startswith("  en: ")
    lines[title_at] = f"  en: {title}"
    lines = [f"date: {day}" if line.startswith("date: ") else line for line in lines]
    path = data_dir / "events" / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- the embedded records -------------------------------------------------------------------


def test_it_holds_every_event_and_agreement_that_loads(index: RecordIndex) -> None:
    assert set(ids(index.records(kinds=["agreement"]))) == set(ids(load_agreements()))
    events = index.records(kinds=[kind.value for kind in {e.kind for e in load_events()}])
    assert set(ids(events)) == set(ids(load_events()))
    assert index.problems() == []


@pytest.mark.parametrize("unit", ["vn-da-nang-2025", "la-sekong", "kh-svay-rieng", "vn-nghe-an"])
def test_a_units_records_are_the_history_the_yaml_files_give(index: RecordIndex, unit: str) -> None:
    lineage = units_for(unit, DataSource())
    for start, end in [(None, None), (date(2019, 1, 1), date(2023, 12, 31))]:
        expected = unit_history(unit, start=start, end=end)
        got = index.records(units=lineage, start=start, end=end)
        assert ids(got) == [entry.record.id for entry in expected]
        assert index.count(units=lineage, start=start, end=end) == len(expected)


@pytest.mark.parametrize("query", ["se kong", "Sê Kông", "Xekong", "SEKONG", "Xê Kông"])
def test_every_spelling_of_sekong_finds_the_same_records(index: RecordIndex, query: str) -> None:
    found = {hit.id for hit in index.search("Sekong", limit=1000)}
    assert {hit.id for hit in index.search(query, limit=1000)} == found
    sekong_events = {e.id for e in load_events() if "la-sekong" in e.unit_ids()}
    assert sekong_events <= found


def test_a_spelling_of_a_unit_marks_its_other_spellings_in_the_snippet(index: RecordIndex) -> None:
    """ "Xekong" finds records that write "Sekong" or "Sê Kông", and shows those words matched."""
    spelled = {"sekong", "xekong"}
    hits = index.search("Xekong", limit=50)
    assert any("sekong" in "".join(ascii_words(hit.snippet_text())) for hit in hits)
    for hit in hits:
        for word, flag in hit.snippet:
            if spelled & set(ascii_words(word)):
                assert flag, hit.snippet_text()


def test_search_finds_words_in_either_language_and_shows_them_in_context(
    index: RecordIndex,
) -> None:
    english = index.search("drug trafficking")
    vietnamese = index.search("ma túy")
    assert english and vietnamese
    for hits, words in [(english, {"drug", "trafficking"}), (vietnamese, {"ma", "túy"})]:
        matched = {word.strip(",.()").lower() for word, hit in hits[0].snippet if hit}
        assert matched & words, hits[0].snippet
    assert {h.id for h in index.search("ma tuy", limit=500)} == {
        h.id for h in index.search("ma túy", limit=500)
    }


def test_short_words_match_whole_words_only(index: RecordIndex) -> None:
    """'mìn' (mine) must not find 'Minister' as a prefix would."""
    for hit in index.search("mìn", limit=500):
        assert any(word.strip(",.()").lower() in {"mìn", "min"} for word, hit_ in hit.snippet)


def test_search_filters_by_period_province_and_kind(index: RecordIndex) -> None:
    units = units_for("Điện Biên", DataSource())
    hits = index.search("ma tuy", units=units, start=date(2020, 1, 1), kinds=["talks"])
    assert hits
    for hit in hits:
        assert hit.record.kind.value == "talks"
        assert hit.record.date.end >= date(2020, 1, 1)
        assert set(hit.record.unit_ids()) & set(units)


def test_query_text_is_never_read_as_search_syntax(index: RecordIndex) -> None:
    for query in ['x" OR *', "NEAR(a b)", "title:border", "-", "()", "'"]:
        index.search(query)  # no sqlite3.OperationalError
    assert index.search("   ") == []


def test_a_province_filter_takes_ids_and_names_of_any_date() -> None:
    source = DataSource()
    assert units_for("vn-da-nang-2025", source)[:1] == ["vn-da-nang-2025"]
    assert "vn-quang-nam" in units_for("vn-da-nang-2025", source)
    assert "vn-quang-nam" in units_for("Quảng Nam", source)
    assert "la-bolikhamxay" in units_for("Borikhamxay", source)
    with pytest.raises(UnknownPlaceError, match="Atlantis"):
        units_for("Atlantis", source)


# --- freshness ------------------------------------------------------------------------------


def test_an_added_edited_and_deleted_file_is_seen_on_the_next_query(data_dir: Path) -> None:
    index = RecordIndex(DataSource(data_dir), data_dir / "index.sqlite")
    assert index.search("zanzibar") == []
    path = write_event(data_dir, "test-added-event", "Zanzibar talks")
    assert [hit.id for hit in index.search("zanzibar")] == ["test-added-event"]
    # An edit of the same size and timestamp (a coarse clock): only the racy-clean rule sees it.
    before = path.stat()
    path.write_text(path.read_text().replace("Zanzibar", "Zanzibor"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert index.search("zanzibar") == []
    assert [hit.id for hit in index.search("zanzibor")] == ["test-added-event"]
    path.unlink()
    assert index.search("zanzibor") == []
    assert index.count() == len(load_events()) + len(load_agreements())


def test_a_watched_index_sees_changes_without_checking_every_file(data_dir: Path) -> None:
    index = RecordIndex(DataSource(data_dir), data_dir / "index.sqlite")
    assert index.watch()
    assert index.search("zanzibar") == []
    write_event(data_dir, "test-watched-event", "Zanzibar talks")
    found = _eventually(lambda: [hit.id for hit in index.search("zanzibar")])
    assert found == ["test-watched-event"]

    def no_check_made() -> bool:  # the write's trailing events may still cause one check
        checked = index._checked_at
        index.search("zanzibar")
        return index._checked_at == checked

    assert _eventually(no_check_made)  # once nothing changes, queries check no file


def _eventually(probe, seconds: float = 10.0):
    """``probe()`` once it is truthy (a file event reaches the watcher within milliseconds, but
    a loaded machine may take longer), else its last value."""
    deadline = time.monotonic() + seconds
    while not (found := probe()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return found


def test_a_broken_file_is_listed_not_indexed_and_indexed_once_fixed(data_dir: Path) -> None:
    index = RecordIndex(DataSource(data_dir), data_dir / "index.sqlite")
    path = write_event(data_dir, "test-broken-event", "Zanzibar talks")
    good = path.read_text()
    path.write_text(good.replace("kind: ", "kind: not-a-kind-"), encoding="utf-8")
    assert index.search("zanzibar") == []
    [(label, message)] = index.problems()
    assert label == str(path) and "kind" in message
    path.write_text(good, encoding="utf-8")
    assert [hit.id for hit in index.search("zanzibar")] == ["test-broken-event"]
    assert index.problems() == []


def test_of_two_files_with_one_id_it_serves_the_one_the_loader_keeps(data_dir: Path) -> None:
    index = RecordIndex(DataSource(data_dir), data_dir / "index.sqlite")
    write_event(data_dir, "test-twin", "Zanzibar talks")
    twin = data_dir / "events" / "a-misnamed-copy.yaml"
    original = (data_dir / "events" / "test-twin.yaml").read_text(encoding="utf-8")
    twin.write_text(original.replace("Zanzibar", "Pemba"), encoding="utf-8")
    kept = {e.id: e for e in read_events(DataSource(data_dir))[0]}["test-twin"]
    [hit] = index.search("zanzibar")
    assert hit.record == kept
    assert index.search("pemba") == []


# --- damage and concurrency -----------------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other-schema"])
def test_a_damaged_index_is_rebuilt(data_dir: Path, damage: str) -> None:
    path = data_dir / "index.sqlite"
    index = RecordIndex(DataSource(data_dir), path)
    write_event(data_dir, "test-kept-event", "Zanzibar talks")
    expected = index.count()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if damage == "garbage":
        path.write_bytes(b"not a database at all " * 500)
    elif damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    assert index.count() == expected
    assert [hit.id for hit in index.search("zanzibar")] == ["test-kept-event"]


def _build(data_dir: str, path: str, start: multiprocessing.synchronize.Barrier) -> int:
    start.wait()
    return RecordIndex(DataSource(Path(data_dir)), Path(path)).sync()


def test_worker_processes_build_the_same_index_as_one_process(
    make_data_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = make_data_dir("events")
    serial = RecordIndex(DataSource(data_dir), data_dir / "serial.sqlite")
    serial.sync()
    monkeypatch.setattr("loaders.index.PARALLEL_FROM", 10)
    monkeypatch.setattr("loaders.index.BATCH_FILES", 100)  # several transactions, in order
    parallel = RecordIndex(DataSource(data_dir), data_dir / "parallel.sqlite")
    progress: list[tuple[int, int]] = []
    parallel.sync(lambda done, total: progress.append((done, total)))
    total = len(list((data_dir / "events").iterdir())) + len(load_agreements())
    assert progress[-1] == (total, total) and len(progress) == -(-total // 100)
    assert ids(parallel.records()) == ids(serial.records())
    assert parallel.unit_rows() == serial.unit_rows()
    assert [h.id for h in parallel.search("Sê Kông", limit=500)] == [
        h.id for h in serial.search("Sê Kông", limit=500)
    ]


def test_concurrent_builders_leave_one_consistent_index(make_data_dir) -> None:
    data_dir = make_data_dir("events", "agreements")
    path = data_dir / "index.sqlite"
    builders = 3
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager:
        start = manager.Barrier(builders)
        with context.Pool(builders) as pool:
            indexed = pool.starmap(_build, [(str(data_dir), str(path), start)] * builders)
    files = len(list((data_dir / "events").iterdir())) + len(
        list((data_dir / "agreements").iterdir())
    )
    assert sum(indexed) == files  # each file was indexed by exactly one builder
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM records").fetchone() == (files,)
        assert db.execute("SELECT COUNT(*) FROM record_text").fetchone() == (files,)
    assert RecordIndex(DataSource(data_dir), path).sync() == 0


# --- the command ----------------------------------------------------------------------------


def test_search_command_lists_records_with_matched_words(run_main) -> None:
    result = run_main("search", "Sê Kông", "--kind", "agreement", "--limit", "3")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[-1] == "3 result(s) (the best 3)"
    assert " agreement " in lines[0]
    assert re.search(r"\[(Sê|Kông|[^\]]*Sekong)\]", result.out), result.out  # in context


def test_search_command_json_filters_by_province_name_and_period(run_main) -> None:
    import json

    result = run_main("search", "ma tuy", "--province", "Điện Biên", "--from", "2024", "--json")
    assert result.code == 0, result.err
    hits = json.loads(result.out)
    assert hits and all(hit["date"] >= "2024" for hit in hits)
    assert all("ma" in [w.lower() for w in hit["matched"]] for hit in hits)


def test_search_command_refuses_an_unknown_province_or_kind(run_main) -> None:
    assert (
        "no province or unit is called 'Atlantis'"
        in run_main("search", "talks", "--province", "Atlantis").one_line()
    )
    refused = run_main("search", "talks", "--kind", "picnic")
    assert refused.code == 2 and "'picnic' is not one of" in refused.one_line()
