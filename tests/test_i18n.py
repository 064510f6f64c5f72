"""Every interface string comes from mapapp.i18n, in both languages."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path
from typing import get_args

import pytest

import mapapp
from loaders.boundaries import Unit
from loaders.crossings import Crossing
from loaders.events import AgreementRelation, AgreementStatus, AgreementType, Source
from loaders.lookup import HitKind
from mapapp.i18n import LABELS, LANGS, t

MAPAPP = Path(mapapp.__file__).parent
LETTER = re.compile(r"[^\W\d_]")
# Arguments of a Streamlit call that show text to the user (others are keys, formats, sizes).
TEXT_ARGUMENTS = {"label", "placeholder", "help", "format_func", "page_title", "x_label", "y_label"}
ESCAPES = {"markdown_text"}  # functions that show their argument, escaped
NOT_SHOWN = {"context", "session_state", "query_params"}  # what st reads rather than shows


def t_calls() -> list[tuple[str, ast.Call]]:
    """Every ``t(...)`` call in mapapp, with the file it is in."""
    return [
        (path.name, node)
        for path in sorted(MAPAPP.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
    ]


def test_every_label_has_both_languages_with_the_same_placeholders() -> None:
    for key, words in LABELS.items():
        assert set(words) == set(LANGS), key
        fields = [
            {f for _, f, _, _ in string.Formatter().parse(words[lang]) if f} for lang in LANGS
        ]
        assert fields[0] == fields[1], key


def test_every_key_the_code_names_is_a_label() -> None:
    named = {
        (file, call.args[0].value)
        for file, call in t_calls()
        if isinstance(call.args[0], ast.Constant)
    }
    assert len(named) > 50
    assert [(file, key) for file, key in named if key not in LABELS] == []


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("kind_", get_args(Unit.model_fields["kind"].annotation)),
        ("type_", [v.value for v in AgreementType]),
        ("status_", [v.value for v in AgreementStatus]),
        ("relation_", [v.value for v in AgreementRelation]),
        ("language_", get_args(Source.model_fields["language"].annotation)),
        ("hit_", get_args(HitKind)),
        ("border_", get_args(Crossing.model_fields["border"].annotation)),
        ("", get_args(Unit.model_fields["country"].annotation)),
        ("", get_args(Crossing.model_fields["crossing_class"].annotation)),
        ("", get_args(Crossing.model_fields["status"].annotation)),
    ],
)
def test_every_key_made_from_data_is_a_label(prefix: str, values: tuple[str, ...]) -> None:
    """Keys built at run time (``t(f"kind_{unit.kind}", lang)``, ``t(crossing.status, lang)``)
    exist for every value the data may hold."""
    assert values
    assert [value for value in values if prefix + value not in LABELS] == []


def text_in(node: ast.expr) -> list[str]:
    """The literal text of an argument: its strings, and those of the parts of it that reach
    the page; not what a call makes (``t(key, lang)``, a name from data)."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    return [text for part in shown_parts(node) for text in text_in(part)]


def shown_parts(node: ast.expr) -> list[ast.expr]:
    """The parts of an expression whose literal text reaches the page."""
    match node:
        case ast.JoinedStr(values=parts) | ast.List(elts=parts) | ast.Tuple(elts=parts):
            return parts
        case ast.Dict(values=parts):
            return [part for part in parts if part is not None]
        case ast.BinOp(left=left, right=right) | ast.IfExp(body=left, orelse=right):
            return [left, right]
        case ast.FormattedValue(value=part) | ast.Subscript(value=part) | ast.Lambda(body=part):
            return [part]
        case ast.Call(func=ast.Name(id=name), args=parts) if name in ESCAPES:
            return parts
    return []


def streamlit_names(tree: ast.Module) -> set[str]:
    """``st`` and the names bound to a part of it (``sidebar = st.sidebar``)."""
    names = {"st"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and is_streamlit(node.value, {"st"}):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return names


def is_streamlit(node: ast.expr, names: set[str]) -> bool:
    """``st.x``, ``st.sidebar.x``, ``st.column_config.X``: not a read of the session, the URL
    or the request (``st.context.headers``)."""
    path = []
    while isinstance(node, ast.Attribute):
        node, path = node.value, [node.attr, *path]
    return isinstance(node, ast.Name) and node.id in names and not NOT_SHOWN & set(path)


def inline_text(source: str) -> list[str]:
    """Text with letters written into a Streamlit call instead of taken from a label."""
    tree = ast.parse(source)
    names = streamlit_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and is_streamlit(node.func, names):
            shown = [*node.args, *(k.value for k in node.keywords if k.arg in TEXT_ARGUMENTS)]
            found += [text for arg in shown for text in text_in(arg) if LETTER.search(text)]
    return found


def test_the_app_writes_no_interface_text_of_its_own() -> None:
    assert inline_text((MAPAPP / "app.py").read_text(encoding="utf-8")) == []


def test_the_inline_text_check_finds_what_it_must() -> None:
    """The check above fails on the shapes inline text takes (and passes labels and markup)."""
    found = inline_text(
        "st.warning('Choose a country')\n"
        "st.sidebar.radio('Ngôn ngữ', LANGS, key='lang')\n"
        "st.markdown(f'**Found** {n}' + ', '.join(names))\n"
        "st.tabs([t('map_tab', lang), 'Events'])\n"
        "st.text_input(label='Search', key='query')\n"
        "st.column_config.TextColumn('Date', width='small')\n"
        "st.markdown(f\"**{t('history', lang)}:** \" + counts)\n"
        "st.bar_chart({'year': years}, x='year', y='count', x_label=t('year', lang))\n"
        "st.context.headers.get('User-Agent')\n"
        "sidebar = st.sidebar\n"
        "sidebar.download_button('Get HTML', make, file_name='borderatlas.html')\n"
        "st.caption(markdown_text(f'{country} · ISO {code}'))\n"
        "st.radio(t('x', l), LANGS, format_func=lambda x: {'vi': 'Việt', 'en': 'English'}[x])\n"
    )
    assert found == [
        *("Choose a country", "Ngôn ngữ", "**Found** ", "Events", "Search", "Date"),
        *("Get HTML", " · ISO ", "Việt", "English"),
    ]


def test_a_label_is_filled_in_the_language_asked() -> None:
    assert t("events_n", "vi", n=3) == "3 sự kiện"
    assert t("events_n", "en", n=3) == "3 events"
