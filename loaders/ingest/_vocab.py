"""The vocabulary the rules read: titles, meeting kinds, levels, document types.

Every pattern is written for folded text (lower case, no diacritics, see ``text.fold``), so one
rule serves ``Hội đàm`` and ``hoi dam``. Tables are ordered: the first matching entry wins.
"""

from __future__ import annotations

import re

from loaders.events import AgreementType, EventKind, Level
from loaders.vocabulary import Country


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- countries --------------------------------------------------------------------------------

COUNTRY_WORDS: dict[str, Country] = {
    "viet nam": "VN",
    "vietnam": "VN",
    "vietnamese": "VN",
    "lao": "LA",
    "laos": "LA",
    "lao pdr": "LA",
    "campuchia": "KH",
    "cambodia": "KH",
    "cambodian": "KH",
}
COUNTRY_ALTERNATION = "|".join(sorted(COUNTRY_WORDS, key=len, reverse=True))

# --- meetings ---------------------------------------------------------------------------------

# (kind, cue), in priority order: "họp trực tuyến chuẩn bị hội nghị" is an online meeting.
KIND_CUES: list[tuple[EventKind, re.Pattern[str]]] = [
    (
        EventKind.online_meeting,
        re.compile(r"\b(?:truc tuyen|online|videoconference|video conference|virtual meeting)\b"),
    ),
    (
        EventKind.political_consultation,
        re.compile(r"\b(?:tham van chinh tri|political consultation)"),
    ),
    (
        EventKind.intergovernmental_committee,
        re.compile(r"\b(?:uy ban lien chinh phu|inter-?governmental committee)"),
    ),
    (EventKind.working_group_meeting, re.compile(r"\b(?:nhom cong tac|working group)\b")),
    (EventKind.annual_meeting, re.compile(r"\b(?:hop thuong nien|annual meeting)\b")),
    (EventKind.talks, re.compile(r"\b(?:hoi dam|talks)\b")),
    (EventKind.conference, re.compile(r"\b(?:hoi nghi|conference)\b")),
    (  # before the inauguration cue: "khai trương cửa khẩu quốc tế ... sau khi nâng cấp"
        EventKind.border_gate_upgrade,
        re.compile(
            r"\b(?:nang cap|upgrad\w*|elevat\w*)\b[^.;]{0,60}(?:cua khau|border gate|gate)"
            r"|\b(?:cua khau|border gate|gate)\b[^.;]{0,60}\b(?:nang cap|upgrad\w*)\b"
        ),
    ),
    (
        EventKind.border_gate_inauguration,
        re.compile(
            r"\b(?:khanh thanh|khai truong|cong bo mo|inaugurat\w*)\b[^.;]{0,40}(?:cua khau|gate)"
        ),
    ),
    (EventKind.joint_patrol, re.compile(r"\b(?:tuan tra song phuong|tuan tra chung|joint patrol)")),
    (
        EventKind.high_level_meeting,
        re.compile(r"\b(?:bo chinh tri|politburo|tong bi thu|general secretary)"),
    ),
    (
        EventKind.diplomatic_relations,
        re.compile(r"\b(?:thiet lap quan he ngoai giao|establish\w* (?:of )?diplomatic relations)"),
    ),
    (EventKind.signing, re.compile(r"\b(?:le ky|ky ket|signing ceremony|signed)\b")),
]

# (level, cue) in priority order: a border-guard meeting chaired by a minister is still theirs.
LEVEL_CUES: list[tuple[Level, re.Pattern[str]]] = [
    (
        Level.border_guard,
        re.compile(
            r"\b(?:bo doi bien phong|bdbp|bien phong|border guards?|border defen[cs]e|bo chqs|"
            r"chqs|bo chi huy quan su|military command|don bien phong|border post)\b"
        ),
    ),
    (
        Level.central,
        re.compile(
            r"\b(?:(?<!pho )thu tuong|(?<!deputy )prime ministers?|bo chinh tri|politburos?|"
            r"tong bi thu|chu tich nuoc|uy ban lien chinh phu|inter-?governmental)\b"
        ),
    ),
    (
        Level.ministry,
        re.compile(
            r"\b(?:bo ngoai giao|bo noi vu|bo quoc phong|bo cong an|ministry|ministries|"
            r"minister|bo truong|thu truong|uy ban bien gioi quoc gia|national (?:border|boundary)"
            r" commi\w+|quoc vu khanh|secretary of state|doan dai bieu bien gioi|"
            r"border delegations?)\b"
        ),
    ),
    (
        Level.province,
        re.compile(
            r"\b(?:ubnd|uy ban nhan dan|so ngoai vu|so ngoai giao|people's committee|"
            r"department of foreign affairs|tinh uy|provincial|cac tinh|provinces)\b"
        ),
    ),
]

# --- people -----------------------------------------------------------------------------------

# (folded title, English title), longest first. Vietnamese titles precede the name.
TITLES: list[tuple[str, str]] = [
    ("pho thu tuong", "Deputy Prime Minister"),
    ("thu tuong", "Prime Minister"),
    ("thu truong bo ngoai giao", "Deputy Minister of Foreign Affairs"),
    ("bo truong bo ngoai giao", "Minister of Foreign Affairs"),
    ("bo truong bo noi vu", "Minister of Interior"),
    ("bo truong bo quoc phong", "Minister of National Defence"),
    ("thu truong", "Deputy Minister"),
    ("bo truong", "Minister"),
    ("quoc vu khanh bo noi vu", "Secretary of State, Ministry of Interior"),
    ("quoc vu khanh", "Secretary of State"),
    ("chu nhiem uy ban bien gioi quoc gia", "Chairman of the National Boundary Commission"),
    ("truong ban ban bien gioi", "Head of the Border Commission"),
    ("giam doc so ngoai vu", "Director of the Department of Foreign Affairs"),
    ("giam doc so ngoai giao", "Director of the Department of Foreign Affairs"),
    ("pho chu tich ubnd tinh", "Vice Chairman of the Provincial People's Committee"),
    ("chu tich ubnd tinh", "Chairman of the Provincial People's Committee"),
    ("pho chu tich uy ban nhan dan tinh", "Vice Chairman of the Provincial People's Committee"),
    ("chu tich uy ban nhan dan tinh", "Chairman of the Provincial People's Committee"),
    ("bi thu tinh uy", "Provincial Party Secretary"),
    ("tong bi thu", "General Secretary"),
    ("chu tich nuoc", "President"),
    ("pho chi huy truong", "Deputy Commander"),
    ("chi huy truong", "Commander"),
    ("chinh uy", "Political Commissar"),
    ("tham muu truong", "Chief of Staff"),
    ("thuong tuong", "Colonel General"),
    ("trung tuong", "Lieutenant General"),
    ("thieu tuong", "Major General"),
    ("dai ta", "Colonel"),
    ("thuong ta", "Senior Lieutenant Colonel"),
    ("trung ta", "Lieutenant Colonel"),
    # English titles (as written by Vietnamese sites in English)
    ("deputy prime minister", "Deputy Prime Minister"),
    ("prime minister", "Prime Minister"),
    ("deputy minister of foreign affairs", "Deputy Minister of Foreign Affairs"),
    ("deputy foreign minister", "Deputy Minister of Foreign Affairs"),
    ("minister of foreign affairs", "Minister of Foreign Affairs"),
    ("foreign minister", "Minister of Foreign Affairs"),
    ("chairman of the national border committee", "Chairman of the National Boundary Commission"),
    (
        "chairman of the national boundary commission",
        "Chairman of the National Boundary Commission",
    ),
    (
        "director of the department of foreign affairs",
        "Director of the Department of Foreign Affairs",
    ),
    ("secretary of state", "Secretary of State"),
    ("deputy minister", "Deputy Minister"),
    ("minister", "Minister"),
    ("major general", "Major General"),
    ("colonel", "Colonel"),
]
TITLE = re.compile(r"\b(?:" + "|".join(re.escape(t) for t, _en in TITLES) + r")\b")
TITLE_EN = dict(TITLES)
# Titles only one country's officials bear.
TITLE_SIDE: dict[str, Country] = {"quoc vu khanh": "KH", "secretary of state": "KH"}
# Words that start an institution's name, never a person's.
NOT_A_NAME_START = _words(
    """bo uy ban so cuc tong dang quan ubnd bdbp chqs trung chinh nha quoc doan hoi tinh thanh
    huyen xa phong vien van cong the ministry department committee party central national
    people government border province provinces comrade deputy minister foreign affairs director
    chairman alternate member secretary photo anh nguon source"""
)
HEAD_OF_DELEGATION = re.compile(
    r"\b(?:lam truong doan|dan dau|truong doan|head(?:ed)? (?:of )?the delegation|led by|"
    r"leads?)\b"
)
CHAIR = re.compile(r"\b(?:dong chu tri|co-?chair\w*)\b|\b(?P<chair>chu tri|chair\w*|presid\w*)\b")
TALKS_WITH = re.compile(r"\b(?:hoi dam voi|held talks with|talks with)\b")

# --- documents --------------------------------------------------------------------------------

DOCUMENT_TYPES: list[tuple[str, AgreementType]] = [
    ("nghi dinh thu", AgreementType.protocol),
    ("hiep dinh", AgreementType.agreement),
    ("hiep uoc", AgreementType.treaty),
    ("thoa thuan", AgreementType.arrangement),
    ("bien ban ghi nho", AgreementType.memorandum),
    ("ban ghi nho", AgreementType.memorandum),
    ("bien ban", AgreementType.minutes),
    ("quy hoach", AgreementType.master_plan),
    ("agreements?", AgreementType.agreement),
    ("treat(?:y|ies)", AgreementType.treaty),
    ("protocols?", AgreementType.protocol),
    ("arrangements?", AgreementType.arrangement),
    ("memorand(?:um|a)(?: of understanding)?", AgreementType.memorandum),
    ("minutes", AgreementType.minutes),
    ("master plan", AgreementType.master_plan),
]
DOCUMENT = re.compile(
    r"\b(?:" + "|".join(f"(?P<t{i}>{p})" for i, (p, _t) in enumerate(DOCUMENT_TYPES)) + r")\b"
)
GENERIC_DOCUMENTS = re.compile(r"\b(?:van kien|van ban|legal documents|documents|instruments)\b")
# Words that carry no identity in a document's name. Not "cua": folded, "cửa" (gate) is "của" (of).
STOPWORDS = _words(
    """ve va giua cac nhung voi cho hai nuoc tai tren trong nam lan thu la ma de o
    the of on and between in for to a by with from at as its their two both
    viet vietnam lao laos campuchia cambodia cong hoa xa chu nghia nhan dan dan chu
    socialist republic democratic people s government governments chinh phu bo ngoai giao
    ministry ministries foreign affairs"""
)
SIGN = re.compile(r"\b(?:ky ket|ky|signed|signing|sign)\b")
PLAN = re.compile(
    r"\b(?:soan thao|du thao|xay dung|dam phan|tiep theo|drafts?|drafting|negotiat\w*|"
    r"will sign|next)\b"
)
REVIEW = re.compile(
    r"\b(?:kiem diem|danh gia|tong ket|so ket|ra soat|tren co so thuc hien|evaluat\w*|review\w*|"
    r"assess\w*|implementation of)\b"
)
