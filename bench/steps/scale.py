"""The scale runs: N synthetic events (:mod:`bench.synthetic`) written into a data folder,
then its record index, its full map and the app's cold load of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.config import AS_OF
from bench.measure import median_timed, timed
from bench.steps.common import data_source, warm_data

SEARCHES = (
    "drug trafficking",
    "ma túy",
    "Sê Kông",
    "Xekong",
    "unexploded ordnance",
    "hội đàm",
    "Lao Bảo",
    "border guard",
    "Bolikhamxay",
    "kỳ họp thường niên",
)
EDITED_FILES = 10


def step_scale_write(p: dict[str, Any]) -> dict[str, Any]:
    """Generate N valid events and write them as YAML files into a new data dir."""
    from bench.synthetic import synthetic_events, write_events

    generate, synthetic = timed(synthetic_events, p["n"], p["seed"])
    write, _ = timed(write_events, synthetic, Path(p["data_dir"]))
    return {"generate": generate, "write": write}


def step_scale_index(p: dict[str, Any]) -> dict[str, Any]:
    """Build the data dir's record index cold; check it with nothing changed; re-index after
    editing, adding and deleting files; time searches as the app makes them."""
    from loaders._io import DataSource
    from loaders.index import RecordIndex

    index = RecordIndex(DataSource(Path(p["data_dir"])))
    cold, built = timed(index.sync)
    unchanged, _ = median_timed(3, index.sync)
    _edit_some_files(Path(p["data_dir"]) / "events")
    incremental, changed = timed(index.sync)
    index.watch()  # as the app queries: changes reported by the OS, no check per query
    index.sync()
    latencies = sorted(timed(index.search, query)[0] for _ in range(5) for query in SEARCHES)
    return {
        "cold": cold,
        "files": built,
        "unchanged": unchanged,
        "incremental": incremental,
        "changed": changed,
        "search_p50": latencies[len(latencies) // 2],
        "search_p95": latencies[int(len(latencies) * 0.95)],
        "bytes": index.path.stat().st_size,
    }


def _edit_some_files(folder: Path) -> None:
    """Edit a few record files, add one and delete one, as a user's day of work would."""
    names = sorted(folder.iterdir())
    for path in names[:EDITED_FILES]:
        path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    first = names[0].read_text(encoding="utf-8")
    record_id = names[0].stem
    copy = folder / f"{record_id}-copy.yaml"
    copy.write_text(first.replace(f"id: {record_id}", f"id: {record_id}-copy", 1), encoding="utf-8")
    names[-1].unlink()


def step_scale_map(p: dict[str, Any]) -> dict[str, Any]:
    """Build and write the full map of the data dir, reading its records from the index."""
    from loaders._io import DataSource, write_atomic
    from loaders.atlas import Selection, cooperation_view
    from mapapp.build import MapOptions, draw
    from mapapp.export import render_html

    out = Path(p["out"])
    data = warm_data(DataSource(Path(p["data_dir"])))
    view_s, view = timed(cooperation_view, Selection(as_of=AS_OF), data)
    draw_s, fmap = timed(draw, view, MapOptions(), data)
    render, html = timed(render_html, fmap, self_contained=True)
    write_atomic(out, html, overwrite=True)
    return {
        "build": view_s + draw_s,
        "view": view_s,
        "draw": draw_s,
        "render": render,
        "bytes": out.stat().st_size,
        "venues": len(view.venues),
        "links": len(view.links),
        "busiest": max((group.count for group in view.by_unit.values()), default=0),
    }


def step_scale_load(p: dict[str, Any]) -> dict[str, Any]:
    """Cold start of what the app loads first, with the record index present."""
    from loaders.atlas import load_atlas

    seconds, data = timed(load_atlas, data_source(p))
    return {"seconds": seconds, "records": data.index.count()}
