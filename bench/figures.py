"""The groups of a run: which steps each runs, and the figures (labels, values, notes) it makes
of their results. Targets come from :mod:`bench.targets`, by figure id."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.config import APP_CLICKS, AS_OF, BenchConfig
from bench.measure import NO_PROC
from bench.process import StepRun, run_step
from bench.report import Result
from bench.steps.scale import EDITED_FILES, SEARCHES
from bench.targets import targets_for

Progress = Callable[[str], None]
Extract = Callable[[dict[str, Any]], Any]
Group = Callable[[BenchConfig, Path, Progress], list[Result]]


def figure(
    run: StepRun,
    rid: str,
    label: str,
    unit: str,
    value: Extract,
    note: Extract = lambda _data: "",
    *,
    baseline: tuple[StepRun, Extract] | None = None,
    peak: bool = True,
) -> Result:
    """Figure ``rid`` from a step's data, with its targets; a skipped or failed step gives no
    value and says why. ``peak``: report the step's peak RSS (not for a browser's figures)."""
    targets = targets_for(rid)
    for target in targets:
        if target.on == "value" and target.unit != unit:
            raise ValueError(f"target of {rid} is in {target.unit}, the figure in {unit}")
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


def _data_dir(config: BenchConfig) -> str | None:
    return str(config.data_dir.resolve()) if config.data_dir else None


# --- geocoding, loading, export, ingestion of the data in use --------------------------------

GEOCODE_LABELS = {
    "exact": "geocoding, exact names (2,000 distinct variants)",
    "exact_fresh": "geocoding, exact names (each a fresh variant)",
    "fuzzy": "geocoding, one typo per name",
    "mixed": "geocoding, mixed (exact and typo alternate)",
}


def _statuses(counts: dict[str, int], total: int) -> str:
    return ", ".join(f"{status} {count / total:.0%}" for status, count in sorted(counts.items()))


def geocoding(config: BenchConfig, work: Path, progress: Progress) -> list[Result]:
    progress(f"bench: geocoding {config.names:,} names per workload")
    params: dict[str, Any] = {"n": config.names, "sample": config.baseline_sample}
    params |= {"seed": config.seed, "repeat": config.repeat, "data_dir": _data_dir(config)}
    run = run_step("geocode", params, work)

    def note(found: dict[str, Any]) -> str:
        return (
            f"{found['distinct']:,} distinct of {found['names']:,}; "
            f"{_statuses(found['status'], found['names'])}; baseline: extractOne over "
            f"{found['spellings']:,} spellings, timed on {found['baseline_names']:,} names"
        )

    def workload(key: str, label: str) -> Result:
        return figure(
            run,
            f"geocode.{key}",
            label,
            "names/s",
            lambda d: d[key]["rate"],
            lambda d: note(d[key]),
            baseline=(run, lambda d: d[key]["baseline_rate"]),
        )

    return [workload(key, label) for key, label in GEOCODE_LABELS.items()]


def loading(config: BenchConfig, work: Path, progress: Progress) -> list[Result]:
    progress("bench: loading the data, each in a fresh process")
    labels = {
        "boundaries": f"load boundaries of {AS_OF} (cold)",
        "crossings": "load crossings (cold)",
        "events": "load events and agreements (cold)",
    }
    return [
        figure(
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


def export(config: BenchConfig, work: Path, progress: Progress) -> list[Result]:
    progress("bench: exporting the full map, and the explore() baseline")
    out = work / "export"
    out.mkdir()
    params = {"out": str(out), "data_dir": _data_dir(config)}
    ours, base = run_step("export", params, work), run_step("explore", params, work)
    base_peak = f"{base.peak_rss_mib:,.0f} MiB" if base.peak_rss_mib else "–"
    explore_mb = (base, lambda d: d["bytes"] / 1e6)
    return [
        figure(
            ours,
            "export.build",
            "map build, full map",
            "s",
            lambda d: d["build"],
            lambda _d: "cooperation view and every layer; the data loaded before",
        ),
        figure(
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
        ),
        figure(
            ours,
            "export.size",
            "export: self-contained HTML size",
            "MB",
            lambda d: d["bytes"] / 1e6,
            lambda _d: "explore()'s page loads its scripts from CDNs; ours inlines them",
            baseline=explore_mb,
        ),
        figure(
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


def ingest(config: BenchConfig, work: Path, progress: Progress) -> list[Result]:
    label = "ingest the seed articles"
    seeds = config.seeds.resolve()
    if not seeds.is_dir() or not any(seeds.glob("*.txt")):
        note = f"skipped: no seed articles (*.txt) in {config.seeds} (pass --seeds DIR)"
        return [Result("ingest.seeds", label, None, "articles/s", note=note)]
    progress(f"bench: ingesting the articles in {config.seeds}")
    params = {"seeds": str(seeds), "repeat": config.repeat, "data_dir": _data_dir(config)}
    return [
        figure(
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


# --- the app in headless Chromium -------------------------------------------------------------


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


def _click_note(found: dict[str, Any]) -> str:
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


def _click_figure(run: StepRun, rid: str, label: str, config: BenchConfig) -> Result:
    """The median click-to-panel time; a click that timed out makes the figure a lower bound."""

    def value(found: dict[str, Any]) -> float | None:
        if any(c.get("covered") for c in found["clicks"]):
            return None  # nothing could be clicked: no time to report
        times = [c["seconds"] for c in found["clicks"]]
        if None in times:
            return config.click_timeout_s
        return statistics.median(times) if times else None

    result = figure(run, rid, label, "s", value, _click_note, peak=False)
    result.lower_bound = result.value is not None and any(
        c["seconds"] is None for c in (run.data or {}).get("clicks", [])
    )
    return result


def _server_note(found: dict[str, Any]) -> str:
    if found["server_rss_mib"] is None:
        return NO_PROC
    return f"RSS now {found['server_rss_mib']:,.0f} MiB (the Streamlit process)"


def _first_visit_note(found: dict[str, Any]) -> str:
    """What the server did before the first visit: it loads the data and draws the default map
    while it starts (the warm start), so a first visit costs about what a second one does."""
    return (
        f"second visit {found['second_load']:.2f} s; the server started (warm start included) "
        f"in {found['server_start']:.2f} s"
    )


def _server_figure(run: StepRun, rid: str, label: str) -> Result:
    return figure(
        run, rid, label, "MiB", lambda d: d["server_peak_rss_mib"], _server_note, peak=False
    )


def app(config: BenchConfig, work: Path, progress: Progress) -> list[Result]:
    if config.browser:
        progress("bench: the app in headless Chromium")
    run = _app_run(config, work, _data_dir(config), "data")
    return [
        figure(
            run,
            "app.first_load",
            "app: page load → map drawn (first visit)",
            "s",
            lambda d: d["first_load"],
            _first_visit_note,
            peak=False,
        ),
        figure(
            run,
            "app.second_load",
            "app: page load → map drawn (second visit)",
            "s",
            lambda d: d["second_load"],
            peak=False,
        ),
        _click_figure(run, "app.click", "app: click a province → panel updated", config),
        _server_figure(run, "app.server_rss", "app: server peak RSS"),
    ]


# --- synthetic scale ----------------------------------------------------------------------------


def scale(config: BenchConfig, n: int, work: Path, progress: Progress) -> list[Result]:
    """The scale figures of ``n`` synthetic events (written, indexed, mapped, loaded, served)."""
    progress(f"bench: {n:,} synthetic events")
    data_dir = work / f"data-{n}"
    params = {"n": n, "seed": config.seed, "data_dir": str(data_dir)}
    written = run_step("scale_write", params, work)
    failed = StepRun(None, error="the events could not be generated")
    indexed = made = loaded = served = failed
    if written.data:
        progress(f"bench: {n:,} synthetic events: the record index")
        indexed = run_step("scale_index", params, work)
        made = run_step("scale_map", params | {"out": str(work / f"map-{n}.html")}, work)
        loaded = run_step("scale_load", {"data_dir": str(data_dir)}, work)
        if config.browser:
            progress(f"bench: {n:,} synthetic events: the app")
        served = _app_run(config, work, str(data_dir), str(n))
    tag, label = f"scale.{n}", f"{n:,} events:"
    return [
        *_written_figures(written, tag, label, n),
        *_index_figures(indexed, tag, label),
        figure(
            loaded,
            f"{tag}.load",
            f"{label} load the data dir (index present)",
            "s",
            lambda d: d["seconds"],
            lambda d: f"load_atlas in a fresh process: {d['records']:,} records checked fresh",
        ),
        *_map_figures(made, tag, label),
        *_served_figures(served, tag, label, config),
    ]


def _written_figures(run: StepRun, tag: str, label: str, n: int) -> list[Result]:
    return [
        figure(
            run,
            f"{tag}.generate",
            f"{label} generate",
            "s",
            lambda m: m["generate"],
            lambda m: f"{n / m['generate']:,.0f} events/s, each validated by the Event model",
        ),
        figure(
            run,
            f"{tag}.write",
            f"{label} write as YAML files",
            "s",
            lambda m: m["write"],
            lambda _m: f"{n:,} files in a temporary data dir's events/",
        ),
    ]


def _index_figures(run: StepRun, tag: str, label: str) -> list[Result]:
    return [
        figure(
            run,
            f"{tag}.index_build",
            f"{label} record index, cold build",
            "s",
            lambda d: d["cold"],
            lambda d: f"{d['files']:,} files parsed and indexed; {d['bytes'] / 1e6:,.1f} MB",
        ),
        figure(
            run,
            f"{tag}.index_check",
            f"{label} record index, freshness check",
            "s",
            lambda d: d["unchanged"],
            lambda _d: "what every query pays first when no file changed (a stat per file)",
        ),
        figure(
            run,
            f"{tag}.index_update",
            f"{label} record index, incremental update",
            "s",
            lambda d: d["incremental"],
            lambda d: f"{EDITED_FILES} files edited, 1 added, 1 deleted: {d['changed']} re-read",
        ),
        figure(
            run,
            f"{tag}.search",
            f"{label} search, p95",
            "ms",
            lambda d: d["search_p95"] * 1000,
            lambda d: (
                f"p50 {d['search_p50'] * 1000:,.0f} ms over {len(SEARCHES)} queries × 5, "
                "the index watching its folders as the app does (no check per query)"
            ),
            peak=False,
        ),
    ]


def _build_note(m: dict[str, Any]) -> str:
    from mapapp.popups import MAX_EVENTS_IN_POPUP

    return (
        f"view {m['view']:.2f} s + layers {m['draw']:.2f} s, from the record index; "
        f"{m['venues']} venue markers, {m['links']} links; busiest province "
        f"{m['busiest']:,} events, its popup lists {MAX_EVENTS_IN_POPUP}"
    )


def _map_figures(run: StepRun, tag: str, label: str) -> list[Result]:
    return [
        figure(run, f"{tag}.build", f"{label} map build", "s", lambda m: m["build"], _build_note),
        figure(
            run,
            f"{tag}.html",
            f"{label} self-contained HTML",
            "MB",
            lambda m: m["bytes"] / 1e6,
            lambda m: f"render + write {m['render']:.2f} s",
        ),
    ]


def _served_figures(run: StepRun, tag: str, label: str, config: BenchConfig) -> list[Result]:
    return [
        figure(
            run,
            f"{tag}.page_load",
            f"{label} app page load → map drawn",
            "s",
            lambda a: a["first_load"],
            lambda a: f"first visit, index present; {_first_visit_note(a)}",
            peak=False,
        ),
        _click_figure(run, f"{tag}.click", f"{label} app click → panel updated", config),
        _server_figure(run, f"{tag}.server_rss", f"{label} app server peak RSS"),
    ]
