"""``borderatlas app`` starts warm: the first visit finds the data and the default map ready."""

from __future__ import annotations

import subprocess
import sys

import pytest

from loaders.events import load_agreements, load_events
from mapapp import app
from mapapp.serve import IndexProgress, launch


def test_the_server_runs_streamlit_after_a_warm_start(tmp_path) -> None:
    command = launch(8600, tmp_path)
    assert command[1:4] == ["-m", "mapapp.serve", "run"]
    assert command[4] == str(tmp_path / "borderatlas_app.py")


def test_warm_up_fills_every_cache_the_first_visit_reads(monkeypatch) -> None:
    monkeypatch.delenv("BORDERATLAS_DATA_DIR", raising=False)
    app.warm_up()

    def recomputed(*_args, **_kwargs):
        raise AssertionError("a first visit after the warm start computed this again")

    monkeypatch.setattr(app, "cooperation_view", recomputed)
    monkeypatch.setattr(app, "draw", recomputed)
    monkeypatch.setattr(app, "event_row", recomputed)
    source = app.data_source()
    version = app.records_version(source)
    for lang in ("vi", "en"):
        state = app.AppState(lang=lang)
        fmap = app.cached_folium_map(source, state.selection(), state.options(), version)
        assert fmap.get_name().startswith("map_")
        rows, total = app.cached_event_rows(source, state.selection(), lang, "", version)
        assert total == len(rows) > 100  # the embedded history, every event
    with pytest.raises(AssertionError, match="computed this again"):  # the guard itself works
        app.cached_folium_map(source, state.selection(), state.options(compact=False), version)


def test_importing_the_app_leaves_streamlit_folium_for_the_page_run() -> None:
    # Streamlit registers a component only when it is declared in a page run: imported by the
    # warm start, streamlit-folium's map would answer 404 in the browser.
    code = "import sys, mapapp.app; print('streamlit_folium' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


def test_the_warm_start_reports_the_index_build_of_a_new_data_dir(
    make_data_dir, monkeypatch
) -> None:
    monkeypatch.setenv("BORDERATLAS_DATA_DIR", str(make_data_dir("events", "agreements")))
    heard: list[tuple[int, int]] = []
    app.warm_up(lambda done, total: heard.append((done, total)))
    records = len(load_events()) + len(load_agreements())
    assert heard[-1] == (records, records)  # every record file of the new folder was read


def test_a_long_index_build_is_reported_every_tenth_of_the_way(capsys) -> None:
    progress = IndexProgress()
    for done in range(0, 5_001, 100):
        progress(done, 5_000)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "borderatlas: indexing records 0 of 5,000"
    assert lines[-1] == "borderatlas: indexing records 5,000 of 5,000"
    assert len(lines) == 11
    short = IndexProgress()
    short(300, 300)  # a small folder is read at once: nothing to report
    assert capsys.readouterr().err == ""
