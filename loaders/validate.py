"""``borderatlas validate``: run every data check and collect every problem, not just the first.

Each data concern contributes a check function ``(DataSource) -> list[Problem]``; a check never
raises for bad data, it reports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from loaders._errors import BorderAtlasError
from loaders._io import DataSource


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where it is, which field, what is wrong."""

    check: str  # which check found it, e.g. "boundaries.counts"
    file: str  # the file as the user knows it (their copy or geodata/...)
    message: str
    field: str | None = None
    record: str | None = None  # the id or line of the offending record, when there is one

    def __str__(self) -> str:
        where = self.file + (f" [{self.record}]" if self.record else "")
        field = f" field '{self.field}':" if self.field else ""
        return f"{where}:{field} {self.message} ({self.check})"

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


Check = Callable[[DataSource], list[Problem]]


def all_checks() -> list[tuple[str, Check]]:
    """Every registered check, in the order they run (imported lazily to keep startup light)."""
    from loaders import boundaries, crossings, events, gazetteer

    return [
        ("boundaries", boundaries.check_boundaries),
        ("crossings", crossings.check_crossings),
        ("events", events.check_events),
        ("gazetteer", gazetteer.check_gazetteer),
    ]


def validate(source: DataSource) -> list[Problem]:
    """Run every check on ``source``; an empty list means the data is sound."""
    problems: list[Problem] = []
    for name, check in all_checks():
        try:
            problems.extend(check(source))
        except BorderAtlasError as error:  # a file too broken for the check to run
            where = getattr(error, "path", "-")
            message = getattr(error, "detail", str(error))
            if getattr(error, "line", None):
                where = f"{where}:{error.line}"
            problems.append(Problem(check=name, file=where, message=message))
        except Exception as error:  # a check that crashes is itself a problem to report
            problems.append(Problem(check=name, file="-", message=f"check crashed: {error!r}"))
    return problems
