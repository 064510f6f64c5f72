"""Writers that never lose data: parallel `ingest --append` and `--add-source` into one data
directory each land exactly once.

Without the data-directory lock, 10 processes adding sources to one record left 2–5 of 10
URLs, and parallel appends reported files holding another process's event. Races show up now
and then, not every time, so each test runs ``ROUNDS`` times on a fresh data directory.
"""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import pytest

from loaders._io import DataSource
from loaders.events import Event, Source, read_events
from loaders.ingest import ingest_file
from loaders.ingest.append import append_draft

TALKS = Path(__file__).parent / "fixtures" / "ingest" / "quang-tri-savannakhet-talks-vi.txt"
WRITERS = 20
ROUNDS = 10


@lru_cache(maxsize=1)
def _draft() -> Event:
    """The talks as ingest drafts them; made once, before the writers fork."""
    return ingest_file(TALKS).record


def _append_on_day(data_dir: str, days_earlier: int) -> str:
    """Append the talks moved ``days_earlier``: a distinct event (no two share a day)."""
    draft = _draft()
    day = draft.date.model_copy(update={"start": draft.date.start - timedelta(days=days_earlier)})
    return append_draft(draft.model_copy(update={"date": day}), DataSource(Path(data_dir))).action


def _add_source(data_dir: str, number: int) -> str:
    """Report the same talks again, from another (invented) URL: a source to add."""
    draft = _draft()
    source = Source(
        publisher="borderatlas test",
        title=f"Report {number}",
        url=f"https://example.org/report-{number}",
        language="vi",
    )
    outcome = append_draft(
        draft.model_copy(update={"sources": [source]}), DataSource(Path(data_dir)), add_source=True
    )
    return outcome.action


def _run(function, data_dir: Path, count: int) -> list[str]:
    with multiprocessing.get_context("fork").Pool(count) as pool:
        return pool.starmap(function, [(str(data_dir), n) for n in range(count)])


@pytest.fixture(scope="module", autouse=True)
def _parsed_once() -> None:
    """Parse the embedded records before the writers fork, so each starts with them parsed and
    spends its turn under the lock on the data directory's files."""
    read_events(DataSource())
    _draft()


@pytest.fixture(params=range(ROUNDS), ids=lambda n: f"round-{n}")
def data_dir(request: pytest.FixtureRequest, make_data_dir) -> Path:
    return make_data_dir(folders=["events"])


def test_parallel_appends_of_distinct_events_all_land_once(data_dir: Path) -> None:
    actions = _run(_append_on_day, data_dir, WRITERS)
    assert actions == ["written"] * WRITERS
    written = [p for p in (data_dir / "events").glob("*.yaml")]
    assert len(written) == WRITERS
    events, problems = read_events(DataSource(data_dir))
    mine = [e for e in events if e.id.startswith(_draft().id)]
    assert problems == []
    assert len({str(e.date) for e in mine}) == WRITERS  # each file holds its own event
    assert not list(data_dir.glob("events/.*.tmp"))  # no temporary file left behind


def test_parallel_add_source_into_one_record_keeps_every_source(data_dir: Path) -> None:
    assert append_draft(_draft(), DataSource(data_dir)).action == "written"
    actions = _run(_add_source, data_dir, WRITERS)
    assert actions == ["source_added"] * WRITERS
    [record] = [e for e in read_events(DataSource(data_dir))[0] if e.id == _draft().id]
    urls = [str(s.url) for s in record.sources if s.url and "example.org/report-" in str(s.url)]
    assert sorted(urls) == sorted(f"https://example.org/report-{n}" for n in range(WRITERS))
