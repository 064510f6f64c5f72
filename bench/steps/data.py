"""The data in use (embedded, or ``--data-dir``): cold loading, the full map export against
``GeoDataFrame.explore()``, and ingestion of the seed articles."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.config import AS_OF
from bench.measure import timed
from bench.steps.common import Skipped, data_source, warm_data

if TYPE_CHECKING:
    import geopandas as gpd

    from loaders.atlas import Venue


def step_load(p: dict[str, Any]) -> dict[str, Any]:
    """Load one kind of data in this fresh process: the cold time, imports apart."""
    what = p["what"]
    start = time.perf_counter()
    from loaders import boundaries, crossings, events

    imports = time.perf_counter() - start
    source = data_source(p)
    if what == "boundaries":
        seconds, found = timed(boundaries.load_units, AS_OF, source)
    elif what == "crossings":
        seconds, (found, _errors) = timed(crossings.read_crossings, source)
    else:
        seconds, found = timed(lambda: events.load_events(source) + events.load_agreements(source))
    return {"seconds": seconds, "imports": imports, "records": len(found)}


def step_export(p: dict[str, Any]) -> dict[str, Any]:
    """Build the full map of the data and write it as self-contained and as linked HTML."""
    from loaders._io import write_atomic
    from loaders.atlas import Selection
    from mapapp.build import MapOptions, build_map
    from mapapp.export import export_map, render_html

    source, out = data_source(p), Path(p["out"])
    data = warm_data(source)
    selection = Selection(as_of=AS_OF)
    build, fmap = timed(build_map, selection, MapOptions(), data)
    html_file = out / "map.html"
    render, _ = timed(
        lambda: write_atomic(html_file, render_html(fmap, self_contained=True), overwrite=True)
    )
    linked = export_map(out / "linked.html", selection, MapOptions(), data=data, overwrite=True)
    return {
        "build": build,
        "render": render,
        "bytes": html_file.stat().st_size,
        "linked_bytes": linked[0].stat().st_size,
        "asset_bytes": sum(f.stat().st_size for f in linked[1:] if f.is_file()),
    }


def step_explore(p: dict[str, Any]) -> dict[str, Any]:
    """The baseline: ``GeoDataFrame.explore()`` of the same provinces, crossings and venues."""
    try:
        import mapclassify  # noqa: F401  explore() needs both; imported before the clock starts
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise Skipped(
            f"explore() needs matplotlib and mapclassify ({error.name} missing)"
        ) from None
    from loaders.atlas import Selection, cooperation_view
    from loaders.crossings import to_frame

    source, out = data_source(p), Path(p["out"])
    view = cooperation_view(Selection(as_of=AS_OF), warm_data(source))
    crossings = to_frame(view.crossings)
    venues = venue_frame(view.venues)
    path = out / "explore.html"

    def explore() -> None:
        fmap = view.units.explore()
        crossings.explore(m=fmap, color="#d63e2a")
        venues.explore(m=fmap, color="#065f46")
        fmap.save(str(path))

    seconds, _ = timed(explore)
    return {"seconds": seconds, "bytes": path.stat().st_size}


def venue_frame(venues: Sequence[Venue]) -> gpd.GeoDataFrame:
    """The venues as the GeoDataFrame ``explore()`` draws: name, unit and number of events."""
    import geopandas as gpd

    return gpd.GeoDataFrame(
        [{"name": v.name, "unit": v.unit, "events": v.events.count} for v in venues],
        geometry=[v.point for v in venues],
        crs="EPSG:4326",
    )


def step_ingest(p: dict[str, Any]) -> dict[str, Any]:
    """Draft records from every seed article, ``repeat`` times after a cold first article."""
    try:
        from loaders.ingest import ingest_file
    except ImportError:
        raise Skipped("ingest not available") from None
    source = data_source(p)
    files = sorted(Path(p["seeds"]).glob("*.txt"))
    first, _ = timed(ingest_file, files[0], source=source)
    drafted = 0

    def all_articles() -> None:
        nonlocal drafted
        for _ in range(p["repeat"]):
            drafted = sum(ingest_file(f, source=source).record is not None for f in files)

    seconds, _ = timed(all_articles)
    return {
        "articles": len(files),
        "rate": p["repeat"] * len(files) / seconds,
        "first": first,
        "drafted": drafted,
    }
