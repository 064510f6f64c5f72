"""The whole run: every group of figures, one step after another (never in parallel, so no
step slows another), in a temporary folder that also holds every record index it builds."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import figures
from bench.config import BenchConfig
from bench.figures import Progress
from bench.measure import load_average, machine_info
from bench.report import Report
from loaders._errors import BorderAtlasError
from loaders.index import INDEX_DIR_ENV

GROUPS: tuple[figures.Group, ...] = (
    figures.geocoding,
    figures.loading,
    figures.export,
    figures.ingest,
    figures.app,
)


class BenchUnavailable(BorderAtlasError):
    """What the run needs is not installed; the message says what to install."""


def check_tools(config: BenchConfig) -> None:
    """Refuse a run with the browser when Playwright is missing, before any step runs (it would
    otherwise end, long after, with every app figure skipped)."""
    if config.browser and importlib.util.find_spec("playwright") is None:
        raise BenchUnavailable(
            "the bench drives the app with Playwright, which is not installed: "
            "pip install 'borderatlas[bench]' (or run --quick, which needs no browser)"
        )


def run_suite(config: BenchConfig, progress: Progress = lambda _message: None) -> Report:
    """Run every group of ``config`` (steps one after another, never in parallel)."""
    report = Report(machine_info(), config)
    with tempfile.TemporaryDirectory(prefix="borderatlas-bench-") as folder:
        work = Path(folder)
        with _environment(INDEX_DIR_ENV, str(work / "index")):  # never the user's cache
            for group in GROUPS:
                report.results += group(config, work, progress)
            for n in config.sizes:
                report.results += figures.scale(config, n, work, progress)
    report.machine["load_average_after"] = load_average()
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
