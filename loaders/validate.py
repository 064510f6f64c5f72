"""``borderatlas validate``: run every data check and collect every problem, not just the first.

Each data concern contributes a check function ``(DataSource) -> list[Problem]``; a check never
raises for bad data, it reports it. ``Problem`` lives with the other error types in
``loaders._errors``, so the modules that define checks do not import this one (which imports
them).
"""

from __future__ import annotations

from collections.abc import Callable

from loaders._errors import BorderAtlasError, Problem
from loaders._io import DataSource

__all__ = ["Check", "Problem", "all_checks", "validate"]


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
