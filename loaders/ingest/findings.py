"""What the pipeline reports besides the record: every field's finding with its evidence, what
the article mentions but is not the event's own, and a stage's notes that carry both.

A stage of :mod:`.fields` returns its value together with :class:`Notes`; :mod:`.extract` adds
the notes up in the order the stages run, and the sum becomes the draft's findings, mentions,
warnings and problems and the record's ``inferred`` list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from loaders.events import Inference
from loaders.ingest.text import Evidence
from loaders.vocabulary import Confidence

__all__ = ["Finding", "Mention", "Notes"]


class Finding(BaseModel):
    """One field of the draft record: its value, where the text says so, how sure we are."""

    field: str  # the Event field, e.g. "date", "venue", "provinces.LA", "agreements"
    value: Any
    evidence: list[Evidence]
    confidence: Confidence
    note: str | None = None


class Mention(BaseModel):
    """Something the article names that is not the event's own: an anniversary, a plan, a
    place outside the lead, a document with no record."""

    what: str  # "date", "place", "document"
    value: Any
    role: str  # "anniversary", "planned", "period", "earlier", "signing", "mentioned" ...
    evidence: list[Evidence]


@dataclass(frozen=True)
class Notes:
    """What one or more stages report beside their values; ``+`` joins them in order."""

    findings: tuple[Finding, ...] = ()
    mentions: tuple[Mention, ...] = ()
    inferred: tuple[Inference, ...] = ()  # fields inferred rather than stated, and why
    warnings: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # why no record could be made

    @classmethod
    def finding(
        cls,
        field: str,
        value: Any,
        evidence: Iterable[Evidence],
        confidence: Confidence,
        note: str | None = None,
        *,
        inferred: bool = False,
    ) -> Notes:
        """One finding; ``inferred`` when the text does not state the value (``note`` says
        what it was inferred from, and the record lists the field as inferred)."""
        found = Finding(
            field=field, value=value, evidence=list(evidence), confidence=confidence, note=note
        )
        reasons = (Inference(field=field, reason=note),) if inferred and note else ()
        return cls(findings=(found,), inferred=reasons)

    def __add__(self, later: Notes) -> Notes:
        return Notes(
            self.findings + later.findings,
            self.mentions + later.mentions,
            self.inferred + later.inferred,
            self.warnings + later.warnings,
            self.problems + later.problems,
        )

    def without(self, *fields: str) -> Notes:
        """These notes less their findings for ``fields`` (a later stage decided them again)."""
        kept = tuple(f for f in self.findings if f.field not in fields)
        return Notes(kept, self.mentions, self.inferred, self.warnings, self.problems)
