"""The measured steps, by name: each takes its parameters (JSON) and returns its figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.steps.app import step_app
from bench.steps.common import Skipped
from bench.steps.data import step_explore, step_export, step_ingest, step_load
from bench.steps.geocode import step_geocode
from bench.steps.scale import step_scale_index, step_scale_load, step_scale_map, step_scale_write

__all__ = ["STEPS", "Skipped"]

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
