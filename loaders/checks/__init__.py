"""``borderatlas validate``: run every data check and collect every problem, not just the first.

One module per kind of data contributes a check ``(DataSource) -> list[Problem]``; a check never
raises for bad data, it reports it. The data modules (``loaders.boundaries``, ``crossings``,
``events``, ``gazetteer``) hold the models and readers and never import this package: checks
import the data they check, not the other way round.
"""

from __future__ import annotations

from collections.abc import Callable

from loaders._errors import BorderAtlasError, Problem
from loaders._io import DataSource
from loaders.checks.boundaries import check_boundaries
from loaders.checks.crossings import check_crossings
from loaders.checks.events import check_events
from loaders.checks.gazetteer import check_gazetteer

__all__ = ["CHECKS", "Check", "validate"]

Check = Callable[[DataSource], list[Problem]]

# Every check by name, in the order they run (and report).
CHECKS: tuple[tuple[str, Check], ...] = (
    ("boundaries", check_boundaries),
    ("crossings", check_crossings),
    ("events", check_events),
    ("gazetteer", check_gazetteer),
)


def validate(source: DataSource) -> list[Problem]:
    """Run every check on ``source``; an empty list means the data is sound."""
    problems: list[Problem] = []
    for name, check in CHECKS:
        try:
            problems.extend(check(source))
        except BorderAtlasError as error:  # a file too broken for the check to run
            problems.append(_broken_file(name, error))
        except Exception as error:  # a check that crashes is itself a problem to report
            problems.append(Problem(check=name, file="-", message=f"check crashed: {error!r}"))
    return problems


def _broken_file(check: str, error: BorderAtlasError) -> Problem:
    """The one problem a check that could not run reports: the error's file (and line)."""
    path, line = getattr(error, "path", "-"), getattr(error, "line", None)
    where = f"{path}:{line}" if line else path
    return Problem(check=check, file=where, message=getattr(error, "detail", str(error)))
