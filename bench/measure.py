"""Clocks, memory and the machine: what every figure of a run is measured with and on.

Memory comes from ``/proc`` (Linux): a step's own peak (``VmHWM``) and the app server's. Where
there is no ``/proc``, a step's peak falls back to ``getrusage`` and another process's memory
cannot be read: those figures stay empty and say so (:data:`NO_PROC`).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

PROC = Path("/proc")
NO_PROC = f"not measured: no {PROC} here to read another process's memory from"
PACKAGES: tuple[str, ...] = ("folium", "streamlit", "streamlit-folium", "rapidfuzz", "geopandas")
PACKAGES += ("shapely", "pydantic", "PyYAML", "playwright")


def timed(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """Seconds ``function(*args, **kwargs)`` took, and what it returned."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def median_timed(repeat: int, function: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """The median seconds of ``repeat`` calls (at least one), and the last call's result."""
    runs = [timed(function, *args) for _ in range(max(repeat, 1))]
    return statistics.median(s for s, _ in runs), runs[-1][1]


def process_memory(pid: int | str = "self") -> dict[str, float]:
    """The memory lines of ``/proc/<pid>/status`` (VmRSS, VmHWM ...) in MiB; {} if unreadable
    (no such process, or no ``/proc``)."""
    try:
        text = (PROC / str(pid) / "status").read_text()
    except OSError:
        return {}
    found = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            found[key] = int(rest.split()[0]) / 1024
    return found


def peak_rss_mib() -> float | None:
    """This process's peak resident memory: ``VmHWM``, else ``ru_maxrss`` (KiB on Linux, bytes
    on macOS), else None (Windows)."""
    status = process_memory()
    if "VmHWM" in status:
        return status["VmHWM"]
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024**2 if sys.platform == "darwin" else peak / 1024


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else []


def machine_info() -> dict[str, Any]:
    """What the figures were measured on: CPUs, CPU model, RAM, Python and library versions."""
    return {
        "commit": source_commit(),
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "ram_gib": total_ram_gib(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "started": datetime.now().isoformat(timespec="seconds"),
        "load_average_before": load_average(),
        "versions": package_versions(),
    }


def cpu_model() -> str:
    try:
        cpuinfo = (PROC / "cpuinfo").read_text().splitlines()
    except OSError:
        cpuinfo = []
    return next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
        platform.processor() or "unknown",
    )


def total_ram_gib() -> float | None:
    try:
        for line in (PROC / "meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def package_versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for package in PACKAGES:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return versions


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
