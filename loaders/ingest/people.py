"""People an article names with a title, and their side and role.

Vietnamese writes the titles, the institution and then the name ("Thứ trưởng Bộ Ngoại giao, Chủ
nhiệm Ủy ban Biên giới quốc gia Lê Hoài Trung"); English texts by Vietnamese sites also write the
name first ("Comrade Nguyen Minh Vu - Deputy Minister ..."). Titles come out in English.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from loaders._io import DataSource
from loaders.events import Participant, Role
from loaders.gazetteer import load_gazetteer
from loaders.ingest import _vocab as vocab
from loaders.ingest.text import (
    Evidence,
    Language,
    Sentence,
    Word,
    compact_key,
    fold,
    sentence_at,
    words,
)
from loaders.vocabulary import Country

_ROLE_ORDER = [Role.head_of_delegation, Role.co_chair, Role.chair, Role.delegate]
_DELEGATION = re.compile(
    rf"\b(?:doan dai bieu|doan|delegation of|phia|side of)\s+(?P<c>{vocab.COUNTRY_ALTERNATION})\b"
    rf"|\b(?P<c2>{vocab.COUNTRY_ALTERNATION})\s+(?:delegation|side)\b"
)
# The name starts and ends with a non-space, so no run of spaces can be split two ways between
# the quantifiers around it (the earlier form took minutes on "Mr" and a few thousand spaces).
_HONORIFIC = re.compile(
    r"(?:comrade|mr|mrs|ms|madam)\.?\s+"
    r"(?P<name>[^\s,;()-](?:[^,;()\n-]*[^\s,;()-])?)[ \t]*[-,][ \t]*[^.;()\n]{0,80}?$"
)


@dataclass(frozen=True)
class ParticipantMention:
    participant: Participant
    evidence: tuple[Evidence, ...]  # the titles and the name

    @property
    def key(self) -> str:
        return compact_key(self.participant.name)


@dataclass(frozen=True)
class _Person:
    start: int
    end: int
    country: Country | None  # from a country word qualifying the office: "... Lào Thongsavanh"


def _name_run(text: str, tokens: list[Word], index: int, places: frozenset[str]) -> _Person | None:
    """A person's name starting at ``tokens[index]`` (two to five capitalised words, not an
    institution's), without the country or place words that may lead it ("Lào Thongsavanh
    Phomvihane", "UBND tỉnh Quảng Trị Võ Văn Hưng"); ``places`` are gazetteer keys."""
    if not tokens[index].text[0].isupper():
        return None
    last = index
    while (
        last + 1 < len(tokens)
        and last - index < 6
        and tokens[last + 1].text[0].isupper()
        and re.fullmatch(r"[ \t]+", text[tokens[last].end : tokens[last + 1].start])
    ):
        last += 1
    first, country = index, None
    while first <= last:
        pair = fold(text[tokens[first].start : tokens[min(first + 1, last)].end])
        single = fold(tokens[first].text)
        if first < last and pair in vocab.COUNTRY_WORDS:
            country, first = country or vocab.COUNTRY_WORDS[pair], first + 2
        elif single in vocab.COUNTRY_WORDS:
            country, first = country or vocab.COUNTRY_WORDS[single], first + 1
        else:
            break
    for size in range(min(4, last - first), 0, -1):  # keep at least two words for the name
        if compact_key(text[tokens[first].start : tokens[first + size - 1].end]) in places:
            first += size
            break
    if not 2 <= last - first + 1 <= 5 or fold(tokens[first].text) in vocab.NOT_A_NAME_START:
        return None
    if compact_key(text[tokens[first].start : tokens[last].end]) in places:
        return None
    return _Person(tokens[first].start, tokens[last].end, country)


def find_participants(
    text: str, sentences: list[Sentence], language: Language, source: DataSource
) -> list[ParticipantMention]:
    """People named with a title: Vietnamese "Thứ trưởng Bộ Ngoại giao Lê Hoài Trung", English
    "Comrade Nguyen Minh Vu - Deputy Minister ..." or "Deputy Minister Nguyen Minh Vu"; each
    person once, with their English title(s), side and role."""
    gazetteer = load_gazetteer(source)
    places = frozenset(gazetteer.entries) | frozenset(gazetteer.not_units)
    folded = fold(text)
    tokens = words(text)
    titles = list(vocab.TITLE.finditer(folded))
    found: dict[str, ParticipantMention] = {}
    used_until = 0
    for title in titles:
        sentence = sentence_at(sentences, title.start())
        if title.start() < used_until or sentence is None:
            continue
        if language == "en":
            person = _before_title(text, folded, title, sentence) or _after_title(
                text, folded, tokens, title, sentence, 0, places
            )
        else:
            person = _after_title(text, folded, tokens, title, sentence, 14, places)
        if person is None:
            continue
        # titles before the name ("Thứ trưởng ... Lê Hoài Trung") and after it, in apposition
        # ("Nguyen Minh Vu - Deputy Minister ..., Chairman of ...", "Trần Văn Bình, Chỉ huy trưởng")
        end = _chain_end(folded, person.end, sentence.end)
        chain = [t for t in titles if title.start() <= t.start() < person.start]
        chain += [t for t in titles if person.end <= t.start() < end]
        used_until = max(person.end, *(t.end() for t in chain))
        mention = _participant(text, folded, sentence, chain, person)
        known = found.get(mention.key)
        found[mention.key] = mention if known is None else _merge(known, mention)
    return sorted(found.values(), key=lambda m: m.evidence[0].start)


def _after_title(
    text: str,
    folded: str,
    tokens: list[Word],
    title: re.Match[str],
    sentence: Sentence,
    gap: int,
    places: frozenset[str],
) -> _Person | None:
    """The first name after a title, at most ``gap`` words later (Vietnamese puts the
    institution between: "Bộ trưởng Bộ Ngoại giao Lào Thongsavanh Phomvihane")."""
    first = bisect_left(tokens, title.end(), key=lambda token: token.start)
    following = [t for t in tokens[first : first + gap + 6] if t.start < sentence.end]
    for index, token in enumerate(following[: gap + 1]):
        if re.search(r"[;:.()]", text[title.end() : token.start]):
            return None
        person = _name_run(text, following, index, places)
        if person is not None:
            if re.search(r"-\s*$", folded[title.end() : token.start]):
                # "Ban Biên giới Lào - Việt Nam Saleumxay ...": the countries name the office
                person = _Person(person.start, person.end, None)
            return person
    return None


def _before_title(
    text: str, folded: str, title: re.Match[str], sentence: Sentence
) -> _Person | None:
    """English "Comrade Nguyen Minh Vu - Deputy Minister ...": the name before a dash."""
    head = _HONORIFIC.search(folded, sentence.start, title.start())
    if head is None:
        return None
    group = words(text, head.start("name"), head.end("name"))
    if len(group) < 2 or not all(w.capitalized for w in group):
        return None
    return _Person(group[0].start, group[-1].end, None)


def _chain_end(folded: str, name_end: int, limit: int) -> int:
    """Titles written after the name, up to the clause's verb: "Nguyen Minh Vu - Alternate
    member ..., Deputy Minister of Foreign Affairs, Chairman of ..." (English order)."""
    after = folded[name_end : min(limit, name_end + 300)]
    if not re.match(r"\s*[-,]", after):
        return name_end
    stop = re.search(
        r"[.;()]|\b(?:chaired|spoke|said|and the|presided|led|lam|chu tri|dan dau|phat bieu|"
        r"cho biet|tiep|hoi dam)\b",
        after,
    )
    return name_end + (stop.start() if stop else len(after))


def _participant(
    text: str,
    folded: str,
    sentence: Sentence,
    chain: list[re.Match[str]],
    person: _Person,
) -> ParticipantMention:
    titles = list(dict.fromkeys(vocab.TITLE_EN[m.group()] for m in chain))
    # "Deputy Minister" next to "Deputy Minister of Foreign Affairs" adds nothing
    titles = [t for t in titles if not any(t != o and o.startswith(t) for o in titles)]
    side = _side(folded, sentence, chain, person)
    role = _role(folded, sentence, chain, person)
    name = re.sub(r"\s+", " ", text[person.start : person.end])
    evidence = [Evidence.of(text, m.start(), m.end()) for m in chain]
    evidence.append(Evidence.of(text, person.start, person.end))
    evidence.sort(key=lambda e: e.start)
    return ParticipantMention(
        Participant(name=name, title="; ".join(titles), side=side, role=role), tuple(evidence)
    )


def _side(folded: str, sentence: Sentence, chain: list[re.Match[str]], person: _Person) -> Country:
    """The delegation the person belongs to: "Đoàn đại biểu Lào do ..." first, then a country
    word qualifying their office, then titles only one country uses; Vietnamese by default."""
    first = min([person.start, *(m.start() for m in chain)])
    clause = re.split(r"[;.]", folded[max(sentence.start, first - 300) : first])[-1]
    delegations = list(_DELEGATION.finditer(clause))
    if delegations:  # the nearest before the name
        delegation = delegations[-1]
        return vocab.COUNTRY_WORDS[delegation.group("c") or delegation.group("c2")]
    if person.country:
        return person.country
    for match in chain:
        if match.group() in vocab.TITLE_SIDE:
            return vocab.TITLE_SIDE[match.group()]
    return "VN"


def _role(folded: str, sentence: Sentence, chain: list[re.Match[str]], person: _Person) -> Role:
    first = min([person.start, *(m.start() for m in chain)])
    last = max([person.end, *(m.end() for m in chain)])
    before = re.split(r"[;.]", folded[max(sentence.start, first - 300) : first])[-1][-60:]
    after = re.split(r"[;.]", folded[last : min(sentence.end, last + 300)])[0][:60]
    if vocab.HEAD_OF_DELEGATION.search(after) or re.search(
        r"truong doan[^,]*\bla\s*$|delegation (?:was )?(?:led )?by\s*$", before
    ):
        return Role.head_of_delegation
    if vocab.TALKS_WITH.match(after.strip()) or vocab.TALKS_WITH.search(before[-20:]):
        return Role.head_of_delegation
    chair = vocab.CHAIR.search(after) or vocab.CHAIR.search(before)
    if chair is not None:
        return Role.chair if chair.group("chair") else Role.co_chair
    return Role.delegate


def _merge(one: ParticipantMention, other: ParticipantMention) -> ParticipantMention:
    a, b = one.participant, other.participant
    role = min(a.role, b.role, key=_ROLE_ORDER.index)
    title = a.title if len(a.title) >= len(b.title) else b.title
    merged = a.model_copy(update={"role": role, "title": title})
    return ParticipantMention(merged, one.evidence + other.evidence)
