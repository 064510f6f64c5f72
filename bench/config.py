"""What one bench run measures, and how much of it: the full run and ``--quick``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

AS_OF = date(2025, 12, 31)  # units of the map and the geocoder: Vietnam's 34 provinces
APP_CLICKS = ("vn-nghe-an", "la-sekong")  # provinces clicked in the app, one per border


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
