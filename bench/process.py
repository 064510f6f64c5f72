"""One step in a fresh Python process: the parent's :func:`run_step` and the child's
:func:`run_child` (``python -m bench STEP PARAMS OUT``), which agree on the JSON between them.

A fresh process makes loading cold and gives each step a peak resident memory of its own. The
step's data folder is passed in its parameters, never through ``$BORDERATLAS_DATA_DIR``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STEP_TIMEOUT_S = 3600.0


@dataclass
class StepRun:
    """What a step returned (``data`` None: skipped or failed) and its own peak RSS."""

    data: dict[str, Any] | None
    peak_rss_mib: float | None = None
    skipped: str | None = None
    error: str | None = None

    def note(self) -> str:
        if self.skipped:
            return f"skipped: {self.skipped}"
        return f"failed: {self.error}" if self.error else ""


def run_step(name: str, params: dict[str, Any], work: Path) -> StepRun:
    """Run step ``name`` in a new Python process; its figures and its own peak RSS."""
    from loaders._io import DATA_DIR_ENV  # here: a step process imports only what it measures

    out = work / f"step-{name}-{time.monotonic_ns()}.json"
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    command = [sys.executable, "-m", "bench", name, json.dumps(params), str(out)]
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


def run_child(argv: list[str]) -> None:
    """Entry point of a step process: run the step and write its figures as JSON."""
    from bench.measure import peak_rss_mib
    from bench.steps import STEPS, Skipped

    name, params, out = argv
    try:
        payload: dict[str, Any] = {"data": STEPS[name](json.loads(params))}
    except Skipped as reason:
        payload = {"skipped": str(reason)}
    payload["peak_rss_mib"] = peak_rss_mib()
    Path(out).write_text(json.dumps(payload), encoding="utf-8")
