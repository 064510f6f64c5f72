"""Documents an article names, matched to the agreement records by their titles and short names.

A mention starts at a document word (Hiệp định, Nghị định thư, Biên bản, Agreement, Minutes ...)
and runs to the next one or the end of the clause; in English the capitalised words before it
belong to it too ("the 2016 Border Regulation Agreement"). It matches the agreement whose name's
distinctive words it covers best, if the numbers (years, ordinals), the countries and the
provinces fit. What the sentence says was done with it gives the relation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders._io import DataSource
from loaders.boundaries import units_today
from loaders.events import Agreement, AgreementRelation, AgreementType, Precision
from loaders.ingest import _vocab as vocab
from loaders.ingest.cues import ORDINAL, ordinal_value
from loaders.ingest.dates import DateMention, DateRole
from loaders.ingest.text import Evidence, Language, Sentence, Span, fold, sentence_at, words

_BOUNDARY = re.compile(r"[;:.!?()\n\"“”]")
_BOUNDARY_EN = re.compile(r"[;:.!?()\n\"“”,]")
_DOCUMENT_WORDS = frozenset(
    re.findall(
        r"\w+",
        "nghi dinh thu hiep uoc thoa thuan bien ban ghi nho quy hoach agreement treaty treatie "
        "protocol arrangement memorandum memoranda understanding minute minutes master plan",
    )
)
MIN_COVERAGE = 0.7  # share of a name's distinctive words the mention must contain


@dataclass(frozen=True)
class _Name:
    """One title or short name of an agreement, reduced to what identifies it."""

    words: frozenset[str]
    numbers: frozenset[int]


@dataclass(frozen=True)
class _Known:
    agreement: Agreement
    names: tuple[_Name, ...]
    numbers: frozenset[int]  # every number in its names, and its signing year
    provinces: frozenset[str]  # its parties' units and the units they are part of today


@dataclass(frozen=True)
class DocumentMention:
    """A document the text names; ``agreement`` is the matching record's id, if any."""

    type: AgreementType
    evidence: Evidence
    agreement: str | None
    relation: AgreementRelation
    score: float


def _content(folded: str) -> frozenset[str]:
    found = set()
    for token in re.findall(r"[a-z0-9]+", folded):
        if not token.isalpha():
            continue  # numbers are compared on their own, and "18th" is not a word
        if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]  # English plural: "marriages" names what "marriage" names
        if token not in vocab.STOPWORDS and token not in _DOCUMENT_WORDS:
            found.add(token)
    return frozenset(found)


def _numbers(folded: str) -> frozenset[int]:
    found = {int(n) for n in re.findall(r"\d+", folded)}
    found |= {v for m in ORDINAL.finditer(folded) if (v := ordinal_value(m))}
    return frozenset(found)


def _identifying(folded: str) -> frozenset[int]:
    """Years and ordinals: the numbers that tell the 28th meeting's minutes from the 29th's."""
    years = {int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", folded)}
    ordinals = {v for m in ORDINAL.finditer(folded) if (v := ordinal_value(m))}
    return frozenset(years | ordinals)


def _known(agreements: list[Agreement], source: DataSource) -> list[_Known]:
    known = []
    for agreement in agreements:
        texts = [agreement.title.vi, agreement.title.en, *agreement.short_names]
        names = tuple(_Name(_content(fold(t)), _numbers(fold(t))) for t in texts)
        numbers = frozenset().union(*(n.numbers for n in names))
        if agreement.signed is not None:
            numbers |= {agreement.signed.start.year}
        provinces = frozenset(
            u for p in agreement.parties.provinces for u in (p, *units_today(p, source))
        )
        known.append(_Known(agreement, names, numbers, provinces))
    return known


def _document_type(match: re.Match[str]) -> AgreementType:
    index = next(int(name[1:]) for name, value in match.groupdict().items() if value)
    return vocab.DOCUMENT_TYPES[index][1]


def _mention_span(
    text: str, folded: str, match: re.Match[str], next_start: int, language: Language
) -> Span:
    """From the document word to the next one or a clause boundary (at most 30 words); in
    English also the capitalised words before it ("the 2016 Border Regulation Agreement")."""
    start, end = match.start(), match.end()
    limit = min(next_start, len(text))
    # English names run "Agreement on X and Y"; a comma ends them ("... Agreement, the Minutes")
    boundary = (_BOUNDARY_EN if language == "en" else _BOUNDARY).search(folded, end, limit)
    stop = boundary.start() if boundary else limit
    tail = words(text, end, stop)[:30]
    end = tail[-1].end if tail else end
    if language == "en":
        before = words(text, max(0, start - 80), start)
        while (
            before and before[-1].capitalized and re.fullmatch(r"\s+", text[before[-1].end : start])
        ):
            start = before.pop().start
    return start, end


def _compatible(mention: AgreementType, record: AgreementType, language: Language) -> bool:
    loose = {
        AgreementType.agreement,
        AgreementType.arrangement,
    }  # English says "agreement" for both
    return mention == record or (language == "en" and {mention, record} <= loose)


def _match_agreement(
    span_words: frozenset[str],
    sentence_words: frozenset[str],
    numbers: frozenset[int],
    identifying: frozenset[int],
    kind: AgreementType,
    known: list[_Known],
    language: Language,
    countries: set[str],
    units: set[str],
) -> tuple[str | None, float]:
    """The agreement whose name the mention covers best (words of the rest of the sentence
    count half: "the leaders of Nghệ An and Bolikhamxay signed a memorandum ...")."""
    best: tuple[float, int, str | None] = (0.0, 0, None)
    for item in known:
        if not _compatible(kind, item.agreement.type, language) or not identifying <= item.numbers:
            continue
        if not set(item.agreement.parties.countries) <= countries | {"VN"}:
            continue  # a Vietnam–Cambodia agreement in an article that never names Cambodia
        if item.provinces and not item.provinces & units:
            continue  # one province's minutes are not another's "minutes of the 2024 talks"
        for name in item.names:
            if len(name.words) < 2 or not name.numbers <= numbers:
                continue
            inside = len(name.words & span_words)
            nearby = len(name.words & (sentence_words - span_words))
            coverage = (inside + 0.5 * nearby) / len(name.words)
            if inside and (coverage, len(name.words)) > best[:2]:
                best = (coverage, len(name.words), item.agreement.id)
    return (best[2], best[0]) if best[0] >= MIN_COVERAGE else (None, best[0])


def find_documents(
    text: str,
    sentences: list[Sentence],
    agreements: list[Agreement],
    dates: list[DateMention],
    language: Language,
    countries: set[str],
    units: set[str],
    source: DataSource,
) -> list[DocumentMention]:
    """Every document the text names (matched to an agreement record when one fits), with what
    the sentence says was done with it; plus the records that "documents signed on <date>"
    points to by their signing date. An agreement of a country not in ``countries`` (those the
    article names), or of provinces none of which is in ``units`` (the units it names, with
    their units of today), never matches."""
    folded = fold(text)
    known = _known(agreements, source)
    matches = list(vocab.DOCUMENT.finditer(folded))
    found: list[DocumentMention] = []
    sentence_words: dict[int, frozenset[str]] = {}
    for position, match in enumerate(matches):
        sentence = sentence_at(sentences, match.start())
        if sentence is None:
            continue
        following = matches[position + 1].start() if position + 1 < len(matches) else sentence.end
        limit = min(following, sentence.end, match.end() + 400)
        start, end = _mention_span(text, folded, match, limit, language)
        if sentence.index not in sentence_words:
            sentence_words[sentence.index] = _content(folded[sentence.start : sentence.end])
        piece = folded[start:end]
        kind = _document_type(match)
        agreement, score = _match_agreement(
            _content(piece),
            sentence_words[sentence.index],
            _numbers(piece),
            _identifying(piece),
            kind,
            known,
            language,
            countries,
            units,
        )
        relation = _relation(folded, sentence, start, end, dates)
        found.append(
            DocumentMention(kind, Evidence.of(text, start, end), agreement, relation, score)
        )
    return found + _signed_on(text, folded, sentences, agreements, dates)


def _relation(
    folded: str, sentence: Sentence, start: int, end: int, dates: list[DateMention]
) -> AgreementRelation:
    """signed / planned / reviewed / referenced, from the words of the sentence before it."""
    before = folded[max(sentence.start, start - 300) : start]
    clause = re.split(r"[,;]", before)[-1]
    past_signing = any(
        d.role is DateRole.signing and start <= d.evidence.start <= end + 40 for d in dates
    )
    head = " ".join(folded[start:end].split()[:8])  # "Thỏa thuận ... giai đoạn tiếp theo"
    if vocab.PLAN.search(clause) or vocab.PLAN.search(head):
        return AgreementRelation.planned
    anniversary = re.search(r"\b(?:ky niem|anniversary|celebrat\w*)", before)
    if vocab.SIGN.search(clause) and not past_signing and not anniversary:
        return AgreementRelation.signed
    if vocab.REVIEW.search(before):
        return AgreementRelation.reviewed
    return AgreementRelation.referenced


def _signed_on(
    text: str,
    folded: str,
    sentences: list[Sentence],
    agreements: list[Agreement],
    dates: list[DateMention],
) -> list[DocumentMention]:
    """ "the two border legal documents signed on March 16, 2016": the records signed that day."""
    found = []
    for mention in dates:
        if mention.role is not DateRole.signing or mention.precision is not Precision.day:
            continue
        sentence = sentence_at(sentences, mention.evidence.start)
        first = max(sentence.start if sentence else 0, mention.evidence.start - 80)
        generics = list(vocab.GENERIC_DOCUMENTS.finditer(folded, first, mention.evidence.start))
        if not generics or mention.year is None:
            continue
        generic = generics[-1]  # the nearest before the date
        day = mention.on_year(mention.year)
        evidence = Evidence.of(text, generic.start(), mention.evidence.end)
        for agreement in agreements:
            if agreement.signed is not None and day is not None and agreement.signed == day:
                found.append(
                    DocumentMention(
                        agreement.type, evidence, agreement.id, AgreementRelation.referenced, 0.5
                    )
                )
    return found
