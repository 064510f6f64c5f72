"""The benchmark suite behind ``borderatlas bench``: one reproducible run, one table.

Every measured step runs in a fresh Python process (``python -m mapapp.bench STEP PARAMS OUT``),
so loading is cold and each step's peak resident memory is its own: the step reads its high-water
mark (``VmHWM`` in ``/proc/self/status``) when it is done. The parent process only starts steps
and collects their figures; every figure of a report comes from the same run, and every ratio
is ours divided by the baseline measured in that run.

Groups: geocoding throughput (against a plain ``rapidfuzz.process.extractOne``), cold loading of
the data, the full map export (against ``GeoDataFrame.explore()``), article ingestion, the app in
headless Chromium, and the synthetic scale runs of :mod:`loaders.synthetic`. Targets are
reported with ✓/✗, never asserted: tests check correctness, this measures.
"""

from __future__ import annotations

import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

AS_OF = date(2025, 12, 31)  # units of the map and the geocoder: Vietnam's 34 provinces
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
APP_CLICKS = ("vn-nghe-an", "la-sekong")
STEP_TIMEOUT_S = 3600.0
STARTUP_SECONDS = 90.0
DATA_DIR_ENV = "BORDERATLAS_DATA_DIR"
INDEX_DIR_ENV = "BORDERATLAS_INDEX_DIR"  # loaders.index.INDEX_DIR_ENV

Progress = Callable[[str], None]


# --- configuration and results ------------------------------------------------------------------


@dataclass(frozen=True)
class BenchConfig:
    """What one run measures, and how much of it."""

    names: int = 100_000  # names per geocoding workload
    baseline_sample: int = 5_000  # names the extractOne baseline is timed on (then names/s)
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000)  # synthetic event counts
    browser: bool = True
    seeds: Path = Path("seeds")  # seed articles (*.txt), relative to the working directory
    data_dir: Path | None = None  # --data-dir: the data measured instead of the embedded one
    seed: int = 0
    repeat: int = 3  # timed runs of the fast figures (the median is kept)
    page_timeout_s: float = 900.0  # cold page load: the app loads every event file first
    click_timeout_s: float = 120.0


FULL = BenchConfig()
QUICK = BenchConfig(names=10_000, baseline_sample=2_000, sizes=(1_000, 10_000), browser=False)


@dataclass(frozen=True)
class Target:
    """A goal for a figure: on its value, its ratio to the baseline, or its step's peak RSS."""

    op: Literal[">=", "<="]
    limit: float
    on: Literal["value", "ratio", "peak"] = "value"

    def met(self, result: Result) -> bool | None:
        figure = {"value": result.value, "ratio": result.ratio, "peak": result.peak_rss_mib}
        actual = figure[self.on]
        if actual is None:
            return None
        return actual >= self.limit if self.op == ">=" else actual <= self.limit

    def describe(self, unit: str) -> str:
        sign = "≥" if self.op == ">=" else "≤"
        if self.on == "ratio":
            return f"{sign} {self.limit:g}× baseline"
        if self.on == "peak":
            return f"peak {sign} {_number(self.limit, 'MiB')} MiB"
        return f"{sign} {_number(self.limit, unit)} {unit}"


@dataclass
class Result:
    """One figure of the report (``value`` None: skipped or failed, ``note`` says why)."""

    id: str
    label: str
    value: float | None
    unit: str
    baseline: float | None = None
    targets: tuple[Target, ...] = ()
    peak_rss_mib: float | None = None
    note: str = ""
    lower_bound: bool = False  # the value is a timeout: the real figure is larger

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    def checks(self) -> list[tuple[str, bool | None]]:
        return [(t.describe(self.unit), t.met(self)) for t in self.targets]

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "targets": [{"target": text, "met": met} for text, met in self.checks()],
            "peak_rss_mib": self.peak_rss_mib,
            "note": self.note,
            "lower_bound": self.lower_bound,
        }


@dataclass
class Report:
    machine: dict[str, Any]
    config: BenchConfig
    results: list[Result] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # ids of steps that crashed

    def to_dict(self) -> dict[str, Any]:
        config = asdict(self.config) | {"seeds": str(self.config.seeds)}
        config["data_dir"] = str(self.config.data_dir) if self.config.data_dir else None
        return {
            "machine": self.machine,
            "config": config,
            "results": {r.id: r.to_dict() for r in self.results},
            "failed": self.failed,
        }


# --- running steps in fresh processes -----------------------------------------------------------


class Skipped(Exception):
    """A step that cannot run here (a missing browser or package); the message says why."""


@dataclass
class StepRun:
    data: dict[str, Any] | None  # what the step returned, None if skipped or failed
    peak_rss_mib: float | None = None
    skipped: str | None = None
    error: str | None = None

    def note(self) -> str:
        if self.skipped:
            return f"skipped: {self.skipped}"
        return f"failed: {self.error}" if self.error else ""


def run_step(name: str, params: dict[str, Any], work: Path) -> StepRun:
    """Run step ``name`` in a new Python process; its figures and its own peak RSS."""
    out = work / f"step-{name}-{time.monotonic_ns()}.json"
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}  # steps get it explicitly
    command = [sys.executable, "-m", "mapapp.bench", name, json.dumps(params), str(out)]
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return StepRun(None, error=f"{name} ran over {STEP_TIMEOUT_S:.0f} s")
    if done.returncode != 0 or not out.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return StepRun(None, error=f"{name} exited {done.returncode}: {tail[0]}")
    payload = json.loads(out.read_text(encoding="utf-8"))
    return StepRun(payload.get("data"), payload.get("peak_rss_mib"), payload.get("skipped"))


def _child(argv: list[str]) -> None:
    """Entry point of a step process: run it and write its figures as JSON."""
    name, params, out = argv
    try:
        payload: dict[str, Any] = {"data": STEPS[name](json.loads(params))}
    except Skipped as reason:
        payload = {"skipped": str(reason)}
    payload["peak_rss_mib"] = peak_rss_mib()
    Path(out).write_text(json.dumps(payload), encoding="utf-8")


def proc_status(pid: int | str = "self") -> dict[str, float]:
    """The memory lines of ``/proc/<pid>/status`` (VmRSS, VmHWM ...) in MiB; {} if unreadable."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    found = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            found[key] = int(rest.split()[0]) / 1024
    return found


def peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss where /proc is missing)."""
    status = proc_status()
    if "VmHWM" in status:
        return status["VmHWM"]
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def _median_timed(repeat: int, function: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    runs = [_timed(function, *args) for _ in range(max(repeat, 1))]
    return statistics.median(s for s, _ in runs), runs[-1][1]


def _source(params: dict[str, Any]):
    from loaders._io import DataSource

    return DataSource.from_env(params.get("data_dir"))


# --- steps: geocoding ---------------------------------------------------------------------------
# Workloads after the geocoder author's sketch: names drawn from the gazetteer's own spellings.

PREFIXES = ["", "", "tỉnh ", "Tỉnh ", "TP. ", "thành phố ", "Province of ", "khoueng "]
SUFFIXES = ["", "", " Province", " province", " City"]


def exact_names(spellings: list[str], n: int, seed: int, pool: int | None = 2000) -> list[str]:
    """``n`` spellings re-cased, with or without diacritics, prefixes, suffixes or extra spaces;
    drawn from ``pool`` distinct variants (names in records repeat), or all fresh (None)."""
    from unidecode import unidecode

    rng = random.Random(seed)
    if pool is not None:
        variants = exact_names(spellings, pool, seed + 1, pool=None)
        return [rng.choice(variants) for _ in range(n)]
    out = []
    for _ in range(n):
        name = rng.choice(spellings)
        name = unidecode(name) if rng.random() < 0.5 else name
        name = rng.choice([str.lower, str.upper, str.title, str])(name)
        name = rng.choice(PREFIXES) + name + rng.choice(SUFFIXES)
        if rng.random() < 0.2:
            name = "  " + name.replace(" ", "   ") + " "
        out.append(name)
    return out


def typo_names(spellings: list[str], n: int, seed: int) -> list[str]:
    """``n`` spellings of 8+ letters without diacritics, each with one random typo."""
    from unidecode import unidecode

    rng = random.Random(seed)
    long_names = [s for s in spellings if len(s.replace(" ", "")) >= 8]
    out = []
    for _ in range(n):
        name = unidecode(rng.choice(long_names))
        i, letter = rng.randrange(len(name)), rng.choice("abcdeghiklmnoprstuvxy")
        kind = rng.choice(["insert", "delete", "swap", "substitute"])
        if kind == "insert":
            name = name[:i] + letter + name[i:]
        elif kind == "delete":
            name = name[:i] + name[i + 1 :]
        elif kind == "swap" and i < len(name) - 1:
            name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        else:
            name = name[:i] + letter + name[i + 1 :]
        out.append(name)
    return out


def geocode_workloads(spellings: list[str], n: int, seed: int) -> dict[str, list[str]]:
    exact = exact_names(spellings, n, seed)
    typos = typo_names(spellings, n, seed)
    mixed = [name for pair in zip(exact, typos, strict=True) for name in pair][:n]
    return {
        "exact": exact,
        "exact_fresh": exact_names(spellings, n, seed, pool=None),
        "fuzzy": typos,
        "mixed": mixed,
    }


def extract_one_baseline(names: list[str], spellings: list[str]) -> list[Any]:
    """The obvious implementation: best ``fuzz.ratio`` over every spelling, name by name."""
    from rapidfuzz import fuzz, process, utils

    return [
        process.extractOne(name, spellings, scorer=fuzz.ratio, processor=utils.default_process)
        for name in names
    ]


def step_geocode(p: dict[str, Any]) -> dict[str, Any]:
    from loaders.gazetteer import in_lao_or_khmer_script, iter_entries, load_gazetteer
    from loaders.geocode import geocode_many

    source = _source(p)
    load_gazetteer(source)  # loading is measured elsewhere; this measures resolving
    geocode_many(["warm up"], AS_OF, source=source)
    # Latin-script spellings, as Vietnamese and English texts have them: the workloads strip
    # diacritics with unidecode, and unidecode of Lao or Khmer script is no one's spelling.
    names = {entry.name for entry in iter_entries(source)}
    spellings = sorted(name for name in names if not in_lao_or_khmer_script(name))
    found = {}
    for key, names in geocode_workloads(spellings, p["n"], p["seed"]).items():
        seconds, frame = _median_timed(p["repeat"], geocode_many, names, AS_OF, None, source)
        sample = names[: p["sample"]]
        base_seconds, _ = _timed(extract_one_baseline, sample, spellings)
        found[key] = {
            "names": len(names),
            "distinct": len(set(names)),
            "rate": len(names) / seconds,
            "baseline_rate": len(sample) / base_seconds,
            "baseline_names": len(sample),
            "status": frame["status"].value_counts().to_dict(),
            "spellings": len(spellings),
        }
    return found


# --- steps: loading, export, ingest -------------------------------------------------------------


def step_load(p: dict[str, Any]) -> dict[str, Any]:
    """Load one kind of data in this fresh process: the cold time, imports apart."""
    what = p["what"]
    start = time.perf_counter()
    from loaders import boundaries, crossings, events

    imports = time.perf_counter() - start
    source = _source(p)
    if what == "boundaries":
        seconds, found = _timed(boundaries.load_units, AS_OF, source)
    elif what == "crossings":
        seconds, (found, _errors) = _timed(crossings.read_crossings, source)
    else:
        seconds, found = _timed(lambda: events.load_events(source) + events.load_agreements(source))
    return {"seconds": seconds, "imports": imports, "records": len(found)}


def _warm_data(source: Any) -> Any:
    """Load everything a map needs (loading is measured on its own); returns the atlas data."""
    from loaders import boundaries
    from loaders.atlas import load_atlas

    boundaries.all_units(source)
    boundaries.border_lines(source)
    return load_atlas(source)


def step_export(p: dict[str, Any]) -> dict[str, Any]:
    """Build the full map of the data and write it as self-contained and as linked HTML."""
    from loaders._io import write_atomic
    from loaders.atlas import Selection
    from mapapp.build import MapOptions, build_map
    from mapapp.export import export_map, render_html

    source, out = _source(p), Path(p["out"])
    data = _warm_data(source)
    selection = Selection(as_of=AS_OF)
    build, fmap = _timed(build_map, selection, MapOptions(), data)
    html_file = out / "map.html"
    render, _ = _timed(
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
    import geopandas as gpd

    from loaders.atlas import Selection, cooperation_view
    from loaders.crossings import to_frame

    source, out = _source(p), Path(p["out"])
    view = cooperation_view(Selection(as_of=AS_OF), _warm_data(source))
    crossings = to_frame(view.crossings)
    venues = gpd.GeoDataFrame(
        [{"name": v.name, "unit": v.unit, "events": len(v.events)} for v in view.venues],
        geometry=[v.point for v in view.venues],
        crs="EPSG:4326",
    )
    path = out / "explore.html"

    def explore() -> None:
        fmap = view.units.explore()
        crossings.explore(m=fmap, color="#d63e2a")
        venues.explore(m=fmap, color="#065f46")
        fmap.save(str(path))

    seconds, _ = _timed(explore)
    return {"seconds": seconds, "bytes": path.stat().st_size}


def step_ingest(p: dict[str, Any]) -> dict[str, Any]:
    """Draft records from every seed article, ``repeat`` times after a cold first article."""
    try:
        from loaders.ingest import ingest_file
    except ImportError:
        raise Skipped("ingest not available") from None
    source = _source(p)
    files = sorted(Path(p["seeds"]).glob("*.txt"))
    first, _ = _timed(ingest_file, files[0], source=source)
    drafted = 0

    def all_articles() -> None:
        nonlocal drafted
        for _ in range(p["repeat"]):
            drafted = sum(ingest_file(f, source=source).record is not None for f in files)

    seconds, _ = _timed(all_articles)
    return {
        "articles": len(files),
        "rate": p["repeat"] * len(files) / seconds,
        "first": first,
        "drafted": drafted,
    }


# --- steps: synthetic scale ---------------------------------------------------------------------


def step_scale_write(p: dict[str, Any]) -> dict[str, Any]:
    """Generate N valid events and write them as YAML files into a new data dir."""
    from loaders.synthetic import synthetic_events, write_events

    generate, synthetic = _timed(synthetic_events, p["n"], p["seed"])
    write, _ = _timed(write_events, synthetic, Path(p["data_dir"]))
    return {"generate": generate, "write": write}


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


def step_scale_index(p: dict[str, Any]) -> dict[str, Any]:
    """Build the data dir's record index cold; check it with nothing changed; re-index after
    editing, adding and deleting files; time searches as the app makes them."""
    from loaders._io import DataSource
    from loaders.index import RecordIndex

    index = RecordIndex(DataSource(Path(p["data_dir"])))
    cold, built = _timed(index.sync)
    unchanged, _ = _median_timed(3, index.sync)
    _edit_some_files(Path(p["data_dir"]) / "events")
    incremental, changed = _timed(index.sync)
    index.watch()  # as the app queries: changes reported by the OS, no check per query
    index.sync()
    latencies = sorted(_timed(index.search, query)[0] for _ in range(5) for query in SEARCHES)
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
    data = _warm_data(DataSource(Path(p["data_dir"])))
    view_s, view = _timed(cooperation_view, Selection(as_of=AS_OF), data)
    draw_s, fmap = _timed(draw, view, MapOptions(), data)
    render, html = _timed(render_html, fmap, self_contained=True)
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

    seconds, data = _timed(load_atlas, _source(p))
    return {"seconds": seconds, "records": data.index.count()}


# --- steps: the app in headless Chromium --------------------------------------------------------
# Started and driven as tests/browser/test_app_browser.py does (free port, health check, the map
# in the st_folium iframe, a real mouse click inside the province), with one addition: the click
# goes to a point where the province is on top, not a link line or a venue marker.


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def app_server(data_dir: str | None, run_dir: Path) -> Iterator[tuple[str, int]]:
    """``borderatlas app --headless`` on a free port: yields (url, Streamlit's pid)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    env["TMPDIR"] = str(run_dir)
    options = ["--data-dir", data_dir] if data_dir else []
    command = [sys.executable, "-m", "mapapp.cli", *options, "app", "--port", str(port)]
    log = run_dir / "streamlit.log"
    with open(log, "w") as out:  # its own session: stopping it stops Streamlit too
        server = subprocess.Popen(
            [*command, "--headless"],  # as tests/browser start it
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, log)
        # `borderatlas app` becomes Streamlit (exec); were Streamlit its child, measure the child.
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        yield url, int(children[0]) if children else server.pid
    finally:
        _stop(server)


def _wait_healthy(url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the app did not start: {log.read_text()[-500:]}")


def _stop(server: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)  # the group this step started, and nothing else
            server.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def _wait_for_map(page: Any, timeout_s: float) -> None:
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=timeout_s * 1000)


def _inner_points(geometry: Any, count: int = 40) -> list[tuple[float, float]]:
    """(lat, lon) points inside the unit's largest part, farthest from its edges first."""
    import shapely
    from shapely.ops import polylabel

    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    west, south, east, north = largest.bounds
    grid = [
        shapely.Point(
            west + (east - west) * (i + 0.5) / 12, south + (north - south) * (j + 0.5) / 12
        )
        for i in range(12)
        for j in range(12)
    ]
    inside = sorted(
        (p for p in grid if largest.contains(p)), key=lambda p: -largest.exterior.distance(p)
    )
    return [(p.y, p.x) for p in [polylabel(largest, tolerance=0.01), *inside][:count]]


AIM_SCRIPT = """async ([points]) => {
    // Zoom to the unit, then take the first point where the province itself is on top: at
    // scale, link lines and venue markers cover the middle of a busy province. The layers
    // redraw after the zoom, so the hit test waits for two frames and a moment.
    const el = document.querySelector('.leaflet-container');
    const map = window[el.id];
    map.setView(points[0], 8, {animate: false});
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    await new Promise(done => setTimeout(done, 300));
    const box = el.getBoundingClientRect();
    for (const point of points) {
        const p = map.latLngToContainerPoint(point);
        if (p.x < 5 || p.y < 5 || p.x > el.clientWidth - 5 || p.y > el.clientHeight - 5) continue;
        const hit = document.elementFromPoint(p.x + box.left, p.y + box.top);
        // A province is a filled path; link and border lines are not filled.
        if (hit && hit.tagName === 'path' && (hit.getAttribute('fill') || 'none') !== 'none') {
            return [p.x + box.left, p.y + box.top];
        }
    }
    return null;
}"""


def aim_at(page: Any, geometry: Any) -> tuple[float, float] | None:
    """Zoom the map to the unit; page coordinates of a point where a click hits the unit (None
    when lines and markers cover every point tried). The browser tests aim with it too."""
    frame = next(
        f for f in page.frames if "st_folium" in (f.url or "") or f.locator(".folium-map").count()
    )
    points = _inner_points(geometry)
    for _attempt in range(20):  # the layers may still be drawing just after the first path
        found = frame.evaluate(AIM_SCRIPT, [points])
        if found is not None:
            break
        page.wait_for_timeout(500)
    else:
        return None
    box = page.locator(MAP_FRAME).bounding_box()
    return box["x"] + found[0], box["y"] + found[1]


def _block_remote(context: Any) -> None:
    """Nothing leaves the machine: any request off localhost is aborted."""
    from urllib.parse import urlsplit

    def route(route: Any, request: Any) -> None:
        parts = urlsplit(request.url)
        local = parts.scheme in {"file", "data", "blob", "about"} or parts.hostname in {
            "127.0.0.1",
            "localhost",
        }
        route.continue_() if local else route.abort("blockedbyclient")

    context.route("**/*", route)


NO_LINKS = "lang=en&layers=crossings,meetings"  # the view with the links layer switched off


def _open_map(
    context: Any, url: str, timeout_s: float, query: str = "lang=en"
) -> tuple[Any, float]:
    """A new page (a new app session) on the map; the seconds until the map was drawn."""
    page = context.new_page()
    start = time.perf_counter()
    page.goto(f"{url}/?{query}", timeout=timeout_s * 1000)
    _wait_for_map(page, timeout_s)
    return page, time.perf_counter() - start


def _click_to_panel(page: Any, unit: Any, geometry: Any, timeout_s: float) -> dict[str, Any] | None:
    """Click the unit; seconds until its heading, then its history list, are shown (None when
    the timeout ran out first); None when no point of the unit can be clicked. The page is
    fresh, so no earlier panel can be mistaken for this one."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    aim = aim_at(page, geometry)
    if aim is None:
        return None
    x, y = aim
    heading = page.get_by_role("heading", name=f"{unit.name_vi} · {unit.name}")
    table = page.locator(".ba-history").first
    found: dict[str, Any] = {"unit": unit.id, "heading": None, "seconds": None}
    start = time.perf_counter()
    page.mouse.click(x, y)
    try:
        heading.wait_for(timeout=timeout_s * 1000)
        found["heading"] = time.perf_counter() - start
        table.wait_for(timeout=max(timeout_s - found["heading"], 0.001) * 1000)
        found["seconds"] = time.perf_counter() - start
    except PlaywrightTimeout:
        pass
    return found


def step_app(p: dict[str, Any]) -> dict[str, Any]:
    """Page load to map drawn (a first and a second visit) and click to panel (each click on a
    fresh page), with the server's resident memory afterwards."""
    if not CHROMIUM.exists():
        raise Skipped(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise Skipped("playwright is not installed (pip install playwright)") from None
    from loaders import boundaries

    source = _source(p)
    units = {u.id: u for u in boundaries.read_units(source)}
    shapes = boundaries.load_units(None, source)
    found: dict[str, Any] = {"clicks": []}
    with (
        app_server(p.get("data_dir"), Path(p["run_dir"])) as (url, pid),
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        _block_remote(context)
        page, found["first_load"] = _open_map(context, url, p["page_timeout_s"])
        page.close()
        for unit_id in p["clicks"]:
            click = None
            for query in ("lang=en", NO_LINKS):  # links covering the unit: switch them off
                page, loaded = _open_map(context, url, p["page_timeout_s"], query)
                found.setdefault("second_load", loaded)
                geometry = shapes.loc[unit_id].geometry
                click = _click_to_panel(page, units[unit_id], geometry, p["click_timeout_s"])
                page.close()
                if click is not None:
                    click["links_off"] = query == NO_LINKS
                    break
            click = click or {"unit": unit_id, "heading": None, "seconds": None, "covered": True}
            found["clicks"].append(click)
            if click["seconds"] is None:
                break
        memory = proc_status(pid)
        found["server_rss_mib"] = memory.get("VmRSS")
        found["server_peak_rss_mib"] = memory.get("VmHWM")
        browser.close()
    return found


STEPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "geocode": step_geocode,
    "load": step_load,
    "export": step_export,
    "explore": step_explore,
    "ingest": step_ingest,
    "scale_write": step_scale_write,
    "scale_index": step_scale_index,
    "scale_map": step_scale_map,
    "scale_load": step_scale_load,
    "app": step_app,
}


# --- the suite: steps to figures ----------------------------------------------------------------


def run_suite(config: BenchConfig, progress: Progress = lambda _message: None) -> Report:
    """Run every group of ``config`` (steps one after another, never in parallel)."""
    report = Report(machine_info(), config)
    with tempfile.TemporaryDirectory(prefix="borderatlas-bench-") as folder:
        work = Path(folder)
        with _environment(INDEX_DIR_ENV, str(work / "index")):  # never the user's cache
            for group in (_geocoding, _loading, _export, _ingest, _app):
                report.results += group(config, work, progress)
            for n in config.sizes:
                report.results += _scale(config, n, work, progress)
    report.machine["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    report.failed = [r.id for r in report.results if r.note.startswith("failed")]
    return report


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    """``$name`` set to ``value`` for this process and the steps and servers it starts."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _data_dir(config: BenchConfig) -> str | None:
    return str(config.data_dir.resolve()) if config.data_dir else None


Extract = Callable[[dict[str, Any]], Any]


def _figure(
    run: StepRun,
    rid: str,
    label: str,
    unit: str,
    value: Extract,
    note: Extract = lambda _data: "",
    *,
    baseline: tuple[StepRun, Extract] | None = None,
    targets: tuple[Target, ...] = (),
    peak: bool = True,
) -> Result:
    """One figure from a step's data; a skipped or failed step gives no value and says why."""
    result = Result(rid, label, None, unit, targets=targets, note=run.note())
    if peak:
        result.peak_rss_mib = run.peak_rss_mib
    if run.data is None:
        return result
    result.value, result.note = value(run.data), note(run.data)
    if baseline is not None:
        base_run, base_value = baseline
        if base_run.data is None:
            result.note += f"; baseline {base_run.note()}"
        else:
            result.baseline = base_value(base_run.data)
    return result


def _statuses(counts: dict[str, int], total: int) -> str:
    return ", ".join(f"{status} {count / total:.0%}" for status, count in sorted(counts.items()))


GEOCODE_ROWS = {
    "exact": ("geocoding, exact names (2,000 distinct variants)", Target(">=", 200_000)),
    "exact_fresh": ("geocoding, exact names (each a fresh variant)", Target(">=", 200_000)),
    "fuzzy": ("geocoding, one typo per name", Target(">=", 5_000)),
    "mixed": ("geocoding, mixed (exact and typo alternate)", Target(">=", 10, "ratio")),
}


def _geocoding(config: BenchConfig, work: Path, progress: Progress) -> list[Result]:
    progress(f"bench: geocoding {config.names:,} names per workload")
    params = {"n": config.names, "sample": config.baseline_sample, "seed": config.seed}
    params |= {"repeat": config.repeat, "data_dir": _data_dir(config)}
    run = run_step("geocode", params, work)

    def note(found: dict[str, Any]) -> str:
        return (
            f"{found['distinct']:,} distinct of {found['names']:,}; "
            f"{_statuses(found['status'], found['names'])}; baseline: extractOne over "
            f"{found['spellings']:,} spellings, timed on {found['baseline_names']:,} names"
        )

    return [
        _figure(
            run,
            f"geocode.{key}",
            label,
            "names/s",
            lambda d, k=key: d[k]["rate"],
            lambda d, k=key: note(d[k]),
            baseline=(run, lambda d, k=key: d[k]["baseline_rate"]),
            targets=(target,),
        )
        for key, (label, target) in GEOCODE_ROWS.items()
    ]


def _loading(config: BenchConfig, work: Path, progress: Progress) -> list[Result]:
    progress("bench: loading the data, each in a fresh process")
    labels = {
        "boundaries": f"load boundaries of {AS_OF} (cold)",
        "crossings": "load crossings (cold)",
        "events": "load events and agreements (cold)",
    }
    return [
        _figure(
            run_step("load", {"what": what, "data_dir": _data_dir(config)}, work),
            f"load.{what}",
            label,
            "s",
            lambda d: d["seconds"],
            lambda d: (
                f"{d['records']} records; fresh process, imports ({d['imports']:.2f} s) apart"
            ),
        )
        for what, label in labels.items()
    ]


def _export(config: BenchConfig, work: Path, progress: Progress) -> list[Result]:
    progress("bench: exporting the full map, and the explore() baseline")
    out = work / "export"
    out.mkdir()
    params = {"out": str(out), "data_dir": _data_dir(config)}
    ours, base = run_step("export", params, work), run_step("explore", params, work)
    base_peak = f"{base.peak_rss_mib:,.0f} MiB" if base.peak_rss_mib else "–"
    explore_mb = (base, lambda d: d["bytes"] / 1e6)
    return [
        _figure(
            ours,
            "export.build",
            "map build, full map",
            "s",
            lambda d: d["build"],
            lambda _d: "cooperation view and every layer; the data loaded before",
        ),
        _figure(
            ours,
            "export.total",
            "export: build + write self-contained HTML",
            "s",
            lambda d: d["build"] + d["render"],
            lambda _d: (
                "baseline: explore() of the same provinces, crossings and venues, saved "
                f"(its peak RSS {base_peak})"
            ),
            baseline=(base, lambda d: d["seconds"]),
            targets=(Target("<=", 1024, "peak"),),
        ),
        _figure(
            ours,
            "export.size",
            "export: self-contained HTML size",
            "MB",
            lambda d: d["bytes"] / 1e6,
            lambda _d: "explore()'s page loads its scripts from CDNs; ours inlines them",
            baseline=explore_mb,
            targets=(Target("<=", 2), Target("<=", 0.5, "ratio")),
        ),
        _figure(
            ours,
            "export.size_linked",
            "export: HTML size, assets linked (page only)",
            "MB",
            lambda d: d["linked_bytes"] / 1e6,
            lambda d: (
                f"both pages link their scripts; ours has {d['asset_bytes'] / 1e6:.2f} MB "
                "of them in OUT_files/"
            ),
            baseline=explore_mb,
        ),
    ]


def _ingest(config: BenchConfig, work: Path, progress: Progress) -> list[Result]:
    label = "ingest the seed articles"
    seeds = config.seeds.resolve()
    if not seeds.is_dir() or not any(seeds.glob("*.txt")):
        note = f"skipped: no seed articles (*.txt) in {config.seeds} (pass --seeds DIR)"
        return [Result("ingest.seeds", label, None, "articles/s", note=note)]
    progress(f"bench: ingesting the articles in {config.seeds}")
    params = {"seeds": str(seeds), "repeat": config.repeat, "data_dir": _data_dir(config)}
    return [
        _figure(
            run_step("ingest", params, work),
            "ingest.seeds",
            label,
            "articles/s",
            lambda d: d["rate"],
            lambda d: (
                f"{d['articles']} articles × {config.repeat} runs; the first article, "
                f"cold, took {d['first']:.2f} s; {d['drafted']} of {d['articles']} drafted a record"
            ),
        )
    ]


def _app_run(config: BenchConfig, work: Path, data_dir: str | None, tag: str) -> StepRun:
    if not config.browser:
        return StepRun(None, skipped="--quick runs no browser")
    run_dir = work / f"app-{tag}"
    run_dir.mkdir()
    params = {
        "data_dir": data_dir,
        "run_dir": str(run_dir),
        "clicks": list(APP_CLICKS),
        "page_timeout_s": config.page_timeout_s,
        "click_timeout_s": config.click_timeout_s,
    }
    return run_step("app", params, work)


def _click_figure(run: StepRun, rid: str, label: str, config: BenchConfig) -> Result:
    """The median click-to-panel time; a click that timed out makes the figure a lower bound."""

    def value(found: dict[str, Any]) -> float | None:
        if any(c.get("covered") for c in found["clicks"]):
            return None  # nothing could be clicked: no time to report
        times = [c["seconds"] for c in found["clicks"]]
        if None in times:
            return config.click_timeout_s
        return statistics.median(times) if times else None

    def note(found: dict[str, Any]) -> str:
        def one(click: dict[str, Any]) -> str:
            unit = click["unit"]
            if click.get("covered"):
                return f"{unit}: covered by lines and markers, even with links off"
            where = " (links off: their lines covered it)" if click.get("links_off") else ""
            if click["seconds"] is not None:
                return f"{unit}{where} {click['seconds']:.2f} s, heading {click['heading']:.2f} s"
            if click["heading"] is not None:
                return f"{unit}{where}: heading {click['heading']:.2f} s, no history in time"
            return f"{unit}{where}: no panel in time"

        return "until the history list shows: " + ", ".join(map(one, found["clicks"]))

    result = _figure(run, rid, label, "s", value, note, targets=(Target("<=", 1),), peak=False)
    result.lower_bound = result.value is not None and any(
        c["seconds"] is None for c in (run.data or {}).get("clicks", [])
    )
    return result


def _server_figure(run: StepRun, rid: str, label: str, targets: tuple[Target, ...]) -> Result:
    return _figure(
        run,
        rid,
        label,
        "MiB",
        lambda d: d["server_peak_rss_mib"],
        lambda d: f"RSS now {d['server_rss_mib']:,.0f} MiB (the Streamlit process)",
        targets=targets,
        peak=False,
    )


def _app(config: BenchConfig, work: Path, progress: Progress) -> list[Result]:
    if config.browser:
        progress("bench: the app in headless Chromium")
    run = _app_run(config, work, _data_dir(config), "data")
    return [
        _figure(
            run,
            "app.first_load",
            "app: page load → map drawn (first visit)",
            "s",
            lambda d: d["first_load"],
            lambda _d: "the server loads the data and builds the map on this visit",
            peak=False,
        ),
        _figure(
            run,
            "app.second_load",
            "app: page load → map drawn (second visit)",
            "s",
            lambda d: d["second_load"],
            peak=False,
        ),
        _click_figure(run, "app.click", "app: click a province → panel updated", config),
        _server_figure(run, "app.server_rss", "app: server peak RSS", ()),
    ]


def _scale(config: BenchConfig, n: int, work: Path, progress: Progress) -> list[Result]:
    progress(f"bench: {n:,} synthetic events")
    data_dir = work / f"data-{n}"
    params = {"n": n, "seed": config.seed, "data_dir": str(data_dir)}
    written = run_step("scale_write", params, work)
    failed = StepRun(None, error="the events could not be generated")
    indexed = made = loaded = app = failed
    if written.data:
        progress(f"bench: {n:,} synthetic events: the record index")
        indexed = run_step("scale_index", params, work)
        made = run_step("scale_map", params | {"out": str(work / f"map-{n}.html")}, work)
        loaded = run_step("scale_load", {"data_dir": str(data_dir)}, work)
        if config.browser:
            progress(f"bench: {n:,} synthetic events: the app")
        app = _app_run(config, work, str(data_dir), str(n))
    tag, label = f"scale.{n}", f"{n:,} events:"
    return [
        _figure(
            written,
            f"{tag}.generate",
            f"{label} generate",
            "s",
            lambda m: m["generate"],
            lambda m: f"{n / m['generate']:,.0f} events/s, each validated by the Event model",
        ),
        _figure(
            written,
            f"{tag}.write",
            f"{label} write as YAML files",
            "s",
            lambda m: m["write"],
            lambda _m: f"{n:,} files in a temporary data dir's events/",
        ),
        *_index_figures(indexed, tag, label),
        _figure(
            loaded,
            f"{tag}.load",
            f"{label} load the data dir (index present)",
            "s",
            lambda d: d["seconds"],
            lambda d: f"load_atlas in a fresh process: {d['records']:,} records checked fresh",
            targets=(Target("<=", 2),),
        ),
        _figure(
            made,
            f"{tag}.build",
            f"{label} map build",
            "s",
            lambda m: m["build"],
            _build_note,
            targets=(Target("<=", 3), Target("<=", 1024, "peak")),
        ),
        _figure(
            made,
            f"{tag}.html",
            f"{label} self-contained HTML",
            "MB",
            lambda m: m["bytes"] / 1e6,
            lambda m: f"render + write {m['render']:.2f} s",
            targets=(Target("<=", 5),),
        ),
        _figure(
            app,
            f"{tag}.page_load",
            f"{label} app page load → map drawn",
            "s",
            lambda a: a["first_load"],
            lambda a: f"first visit, index present; second visit {a['second_load']:.2f} s",
            targets=(Target("<=", 5),),
            peak=False,
        ),
        _click_figure(app, f"{tag}.click", f"{label} app click → panel updated", config),
        _server_figure(
            app, f"{tag}.server_rss", f"{label} app server peak RSS", (Target("<=", 600),)
        ),
    ]


def _build_note(m: dict[str, Any]) -> str:
    from mapapp.popups import MAX_EVENTS_IN_POPUP

    return (
        f"view {m['view']:.2f} s + layers {m['draw']:.2f} s, from the record index; "
        f"{m['venues']} venue markers, {m['links']} links; busiest province "
        f"{m['busiest']:,} events, its popup lists {MAX_EVENTS_IN_POPUP}"
    )


def _index_figures(run: StepRun, tag: str, label: str) -> list[Result]:
    return [
        _figure(
            run,
            f"{tag}.index_build",
            f"{label} record index, cold build",
            "s",
            lambda d: d["cold"],
            lambda d: f"{d['files']:,} files parsed and indexed; {d['bytes'] / 1e6:,.1f} MB",
            targets=(Target("<=", 60),),
        ),
        _figure(
            run,
            f"{tag}.index_check",
            f"{label} record index, freshness check",
            "s",
            lambda d: d["unchanged"],
            lambda _d: "what every query pays first when no file changed (a stat per file)",
        ),
        _figure(
            run,
            f"{tag}.index_update",
            f"{label} record index, incremental update",
            "s",
            lambda d: d["incremental"],
            lambda d: f"{EDITED_FILES} files edited, 1 added, 1 deleted: {d['changed']} re-read",
        ),
        _figure(
            run,
            f"{tag}.search",
            f"{label} search, p95",
            "ms",
            lambda d: d["search_p95"] * 1000,
            lambda d: (
                f"p50 {d['search_p50'] * 1000:,.0f} ms over {len(SEARCHES)} queries × 5, "
                "the index watching its folders as the app does (no check per query)"
            ),
            targets=(Target("<=", 200),),
            peak=False,
        ),
    ]


# --- the machine, the table, JSON -------------------------------------------------------------


PACKAGES = ("folium", "streamlit", "streamlit-folium", "rapidfuzz", "geopandas", "shapely")
PACKAGES += ("pydantic", "PyYAML", "playwright")


def machine_info() -> dict[str, Any]:
    """What the figures were measured on: CPUs, CPU model, RAM, Python and library versions."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        cpuinfo = []
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    ram = proc_meminfo_gib()
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {
        "commit": source_commit(),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "ram_gib": ram,
        "system": platform.platform(),
        "python": platform.python_version(),
        "started": datetime.now().isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "versions": versions,
    }


def source_commit() -> str | None:
    """The git commit of the code measured (``-dirty`` with local changes), when it runs from a
    git checkout; None for an installed copy."""
    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def proc_meminfo_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


COLUMNS = ["measurement", "value", "baseline", "ratio", "target", "peak RSS", "note"]


def _number(value: float, unit: str) -> str:
    if unit in ("names/s", "events/s"):
        return f"{value:,.0f}"
    if unit == "s":
        return f"{value:.3f}" if value < 1 else f"{value:,.2f}"
    if unit == "MB":
        return f"{value:,.2f}"
    if unit == "MiB":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _shown(value: float | None, unit: str, lower_bound: bool = False) -> str:
    if value is None:
        return "–"
    return f"{'> ' if lower_bound else ''}{_number(value, unit)} {unit}"


def table_rows(results: list[Result]) -> list[dict[str, str]]:
    """One row of text per figure, for :data:`COLUMNS`."""
    rows = []
    for r in results:
        marks = {True: "✓", False: "✗", None: "?"}
        rows.append(
            {
                "measurement": r.label,
                "value": _shown(r.value, r.unit, r.lower_bound),
                "baseline": _shown(r.baseline, r.unit),
                "ratio": f"×{r.ratio:.2f}" if r.ratio is not None else "",
                "target": "; ".join(f"{text} {marks[met]}" for text, met in r.checks()),
                "peak RSS": f"{r.peak_rss_mib:,.0f} MiB" if r.peak_rss_mib else "",
                "note": r.note,
            }
        )
    return rows


def describe_machine(machine: dict[str, Any]) -> str:
    before = " ".join(str(x) for x in machine["load_average_before"])
    commit = f"; code at {machine['commit']}" if machine.get("commit") else ""
    return (
        f"{machine['cpus']} CPUs ({machine['cpu_model']}), {machine['ram_gib']} GiB RAM, "
        f"{machine['system']}, Python {machine['python']}; load average before the run "
        f"{before}, after {' '.join(str(x) for x in machine.get('load_average_after', []))}"
        f"{commit}"
    )


def markdown_report(report: Report, command: str = "borderatlas bench") -> str:
    """The table as Markdown, under the machine it was measured on."""
    cells = [[row[c].replace("|", "\\|") for c in COLUMNS] for row in table_rows(report.results)]
    lines = [
        f"`{command}`, {report.machine['started']}",
        "",
        f"Machine: {describe_machine(report.machine)}.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
        *("| " + " | ".join(row) + " |" for row in cells),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    _child(sys.argv[1:])
