"""Every target the bench checks, in one table: the figure, the bound and its unit.

A target bounds a figure's value (in the figure's own unit), its ratio to the baseline measured
in the same run, or the peak resident memory of the step that measured it. A scale figure's
target holds at every size: ``scale.build`` is checked on ``scale.1000.build``,
``scale.10000.build`` and so on. Targets are reported with ✓/✗, never asserted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RATIO = "× baseline"
MIB = "MiB"


@dataclass(frozen=True)
class Target:
    """A bound on one figure: ``op limit unit``, on its value, its ratio or its step's peak."""

    op: Literal[">=", "<="]
    limit: float
    unit: str  # the figure's unit for a value; RATIO for a ratio; MIB for a peak
    on: Literal["value", "ratio", "peak"] = "value"

    def met(self, actual: float | None) -> bool | None:
        """Whether ``actual`` (the bounded figure) is within bounds; None when not measured."""
        if actual is None:
            return None
        return actual >= self.limit if self.op == ">=" else actual <= self.limit


TARGETS: dict[str, tuple[Target, ...]] = {
    "geocode.exact": (Target(">=", 200_000, "names/s"),),
    "geocode.exact_fresh": (Target(">=", 200_000, "names/s"),),
    "geocode.fuzzy": (Target(">=", 5_000, "names/s"),),
    "geocode.mixed": (Target(">=", 10, RATIO, on="ratio"),),
    "export.total": (Target("<=", 1024, MIB, on="peak"),),
    "export.size": (Target("<=", 2, "MB"), Target("<=", 0.5, RATIO, on="ratio")),
    "app.click": (Target("<=", 1, "s"),),
    "scale.index_build": (Target("<=", 60, "s"),),
    "scale.search": (Target("<=", 200, "ms"),),
    "scale.load": (Target("<=", 2, "s"),),
    "scale.build": (Target("<=", 3, "s"), Target("<=", 1024, MIB, on="peak")),
    "scale.html": (Target("<=", 5, "MB"),),
    "scale.page_load": (Target("<=", 5, "s"),),
    "scale.click": (Target("<=", 1.5, "s"),),  # at scale: 1.5 s (on the embedded data, 1 s)
    "scale.server_rss": (Target("<=", 600, MIB),),
}


def targets_for(figure_id: str) -> tuple[Target, ...]:
    """The targets of a figure (none for most); ``scale.<n>.<name>`` has ``scale.<name>``'s."""
    group, *rest = figure_id.split(".")
    if group == "scale" and len(rest) == 2:
        figure_id = f"scale.{rest[1]}"
    return TARGETS.get(figure_id, ())
