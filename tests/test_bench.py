"""The synthetic event generator and the benchmark suite (its shape, not its figures)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench import measure
from bench.figures import _server_figure, figure
from bench.process import StepRun
from bench.report import Result, table_rows
from bench.steps.data import venue_frame
from bench.synthetic import synthetic_events, write_events
from bench.targets import TARGETS, targets_for
from loaders import boundaries
from loaders._io import DataSource
from loaders.atlas import Selection, cooperation_view
from loaders.checks.events import check_events
from loaders.events import load_agreements, load_events


@pytest.fixture(scope="module")
def events():
    return synthetic_events(2000, seed=3)


def test_the_same_seed_gives_the_same_events(events) -> None:
    assert synthetic_events(300, seed=3) == events[:300]
    other = synthetic_events(300, seed=4)
    assert [e.provinces for e in other] != [e.provinces for e in events[:300]]


def test_events_name_only_units_that_existed_on_their_date(events) -> None:
    units = {unit.id: unit for unit in boundaries.read_units()}
    for event in events:
        for field, unit in event.places():
            assert units[unit].valid_on(event.date.start), (event.id, field, unit, event.date)
        for side, ids in event.provinces.items():
            assert side in event.countries and all(u[:2].upper() == side for u in ids)


def test_events_spread_over_provinces_dates_and_real_references(events) -> None:
    named = Counter(u for e in events for ids in e.provinces.values() for u in ids)
    assert len(named) >= 100  # of 132 units, over all dates
    assert {"vn-quang-nam", "vn-hue", "kh-kampong-cham", "kh-tboung-khmum"} <= set(named)
    assert sum(named[u] for u in named if u.endswith("-2025")) > 20  # after the 2025 merger
    # No province takes the lion's share. Houaphanh faces 4 of the 15 Lao gates, so events at a
    # crossing favour it; its share stays near a tenth, which varies with the seed.
    assert max(named.values()) < 0.15 * len(events)
    years = {e.date.start.year for e in events}
    assert len(years) >= 20
    assert sum(bool(e.crossings) for e in events) > 300
    assert sum(bool(e.agreements) for e in events) > 200
    assert sum(bool(e.venue and e.venue.online) for e in events) > 20


def test_written_events_load_back_and_pass_validation(tmp_path: Path) -> None:
    events = synthetic_events(300, seed=8)
    write_events(events, tmp_path)
    source = DataSource(tmp_path)
    loaded = [e for e in load_events(source) if e.id.startswith("synthetic-")]
    assert sorted(loaded, key=lambda e: e.id) == events
    problems = check_events(source)
    # Real agreements do not list synthetic events among their related events; nothing else.
    others = [
        p for p in problems if not p.message.endswith("does not list this event in related_events")
    ]
    assert others == []
    assert problems  # the back-references were checked, so the references exist
    with pytest.raises(FileExistsError):
        write_events(events[:1], tmp_path)  # never into an existing events/ folder


def test_a_timed_out_click_shows_as_a_missed_lower_bound() -> None:
    targets = targets_for("app.click")
    result = Result("app.click", "click", 120.0, "s", targets=targets, lower_bound=True)
    row = table_rows([result])[0]
    assert row["value"] == "> 120.00 s"
    assert row["target"] == "≤ 1.00 s ✗"
    size = Result("size", "size", 1.8, "MB", baseline=0.5, targets=targets_for("export.size"))
    assert table_rows([size])[0]["ratio"] == "×3.60"
    assert size.checks() == [("≤ 2.00 MB", True), ("≤ 0.5× baseline", False)]


def test_a_scale_target_holds_at_every_size_and_in_the_figures_unit() -> None:
    assert targets_for("scale.1000.build") == targets_for("scale.100000.build")
    assert [t.limit for t in targets_for("scale.10.build")] == [3, 1024]
    assert targets_for("scale.10.write") == () == targets_for("load.events")
    run = StepRun({"seconds": 2.5}, peak_rss_mib=300)
    made = figure(run, "scale.10.load", "load", "s", lambda d: d["seconds"])
    assert made.checks() == [("≤ 2.00 s", False)]
    with pytest.raises(ValueError, match=r"target of scale\.10\.load is in s, the figure in ms"):
        figure(run, "scale.10.load", "load", "ms", lambda d: d["seconds"] * 1000)


def test_without_proc_memory_figures_say_why_they_are_empty(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(measure, "PROC", tmp_path / "no-proc")
    assert measure.process_memory() == {}
    assert measure.peak_rss_mib() > 10  # getrusage's figure instead of VmHWM
    assert measure.total_ram_gib() is None
    served = StepRun({"server_rss_mib": None, "server_peak_rss_mib": None})
    result = _server_figure(served, "scale.10.server_rss", "server")
    assert (result.value, result.note) == (None, measure.NO_PROC)
    assert result.checks() == [("≤ 600 MiB", None)]


def test_a_run_with_the_browser_refuses_to_start_without_playwright(monkeypatch, run_main) -> None:
    monkeypatch.setitem(sys.modules, "playwright", None)  # import playwright now fails
    done = run_main("bench")
    assert done.code == 1
    assert "pip install 'borderatlas[bench]'" in done.one_line()


def test_the_explore_baseline_draws_every_venue_with_its_event_count() -> None:
    venues = cooperation_view(Selection()).venues
    frame = venue_frame(venues)
    assert list(frame["name"]) == [v.name for v in venues]
    assert list(frame["events"]) == [v.events.count for v in venues]
    assert frame["events"].min() >= 1 and frame["events"].sum() > len(venues)
    assert list(frame.geometry) == [v.point for v in venues]


def test_quick_bench_reports_every_figure_as_json(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "mapapp.cli", "bench", "--quick", "--json"]
    command += ["--names", "200", "--sizes", "20", "--seeds", str(tmp_path / "no-seeds")]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert {"cpus", "cpu_model", "ram_gib", "load_average_before"} <= set(report["machine"])
    results = report["results"]
    geocode = [f"geocode.{k}" for k in ("exact", "exact_fresh", "fuzzy", "mixed")]
    load = [f"load.{k}" for k in ("boundaries", "crossings", "events")]
    export = [f"export.{k}" for k in ("build", "total", "size", "size_linked")]
    app = [f"app.{k}" for k in ("first_load", "second_load", "click", "server_rss")]
    scale = [
        f"scale.20.{k}"
        for k in (
            *("generate", "write", "index_build", "index_check", "index_update", "search"),
            *("load", "build", "html", "page_load", "click", "server_rss"),
        )
    ]
    assert list(results) == [*geocode, *load, *export, "ingest.seeds", *app, *scale]
    assert set(TARGETS) <= {figure_id.replace(".20.", ".") for figure_id in results}
    assert report["failed"] == []
    for key in [*geocode, *load, *export, *scale[:5]]:
        assert results[key]["value"] > 0, key
        assert results[key]["peak_rss_mib"] > 50, key
    mixed = results["geocode.mixed"]
    assert mixed["ratio"] == pytest.approx(mixed["value"] / mixed["baseline"])
    assert results["export.size"]["targets"][0] == {"target": "≤ 2.00 MB", "met": True}
    if importlib.util.find_spec("matplotlib") and importlib.util.find_spec("mapclassify"):
        assert results["export.size"]["baseline"] > 0.1
    total = len(load_events()) + len(load_agreements()) + 20  # one added, one deleted since
    assert f"{total:,} records" in results["scale.20.load"]["note"]
    assert results["ingest.seeds"]["note"].startswith("skipped: no seed articles")
    assert all(results[key]["note"] == "skipped: --quick runs no browser" for key in app)
