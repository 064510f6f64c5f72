"""The figures of a run and how they are shown: a text table, Markdown, JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from bench.config import BenchConfig
from bench.targets import MIB, Target

COLUMNS = ["measurement", "value", "baseline", "ratio", "target", "peak RSS", "note"]


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
        """Each target described, and whether it is met (None: not measured)."""
        figures = {"value": self.value, "ratio": self.ratio, "peak": self.peak_rss_mib}
        return [(describe_target(t), t.met(figures[t.on])) for t in self.targets]

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


def number(value: float, unit: str) -> str:
    """``value`` with the precision its unit deserves (no unit added)."""
    if unit in ("names/s", "events/s"):
        return f"{value:,.0f}"
    if unit == "s":
        return f"{value:.3f}" if value < 1 else f"{value:,.2f}"
    if unit == "MB":
        return f"{value:,.2f}"
    if unit == MIB:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def describe_target(target: Target) -> str:
    """``≤ 2.00 MB``, ``≥ 10× baseline``, ``peak ≤ 1,024 MiB``."""
    sign = "≥" if target.op == ">=" else "≤"
    if target.on == "ratio":
        return f"{sign} {target.limit:g}{target.unit}"
    if target.on == "peak":
        return f"peak {sign} {number(target.limit, target.unit)} {target.unit}"
    return f"{sign} {number(target.limit, target.unit)} {target.unit}"


def _shown(value: float | None, unit: str, lower_bound: bool = False) -> str:
    if value is None:
        return "–"
    return f"{'> ' if lower_bound else ''}{number(value, unit)} {unit}"


def table_rows(results: list[Result]) -> list[dict[str, str]]:
    """One row of text per figure, for :data:`COLUMNS`."""
    marks = {True: "✓", False: "✗", None: "?"}
    return [
        {
            "measurement": r.label,
            "value": _shown(r.value, r.unit, r.lower_bound),
            "baseline": _shown(r.baseline, r.unit),
            "ratio": f"×{r.ratio:.2f}" if r.ratio is not None else "",
            "target": "; ".join(f"{text} {marks[met]}" for text, met in r.checks()),
            "peak RSS": f"{r.peak_rss_mib:,.0f} MiB" if r.peak_rss_mib else "",
            "note": r.note,
        }
        for r in results
    ]


def describe_machine(machine: dict[str, Any]) -> str:
    """One sentence: the CPUs, RAM, system, Python, load before and after, and the commit."""
    before = " ".join(str(x) for x in machine["load_average_before"])
    after = " ".join(str(x) for x in machine.get("load_average_after", []))
    ram = f"{machine['ram_gib']} GiB RAM" if machine["ram_gib"] is not None else "RAM unknown"
    commit = f"; code at {machine['commit']}" if machine.get("commit") else ""
    return (
        f"{machine['cpus']} CPUs ({machine['cpu_model']}), {ram}, "
        f"{machine['system']}, Python {machine['python']}; load average before the run "
        f"{before}, after {after}{commit}"
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
