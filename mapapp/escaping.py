"""Where text from data files is made safe for the place it lands: one function per place.

Record text (titles, venues, publishers, names) comes from news articles and contributors'
files, so it is untrusted. It reaches four kinds of output, each with its own dangerous
characters:

- **The map page.** folium pastes tooltip and popup HTML into JavaScript template literals
  (`` `...` ``), where a backtick ends the string and ``${`` runs code; folium escapes neither
  reliably. :func:`html_text` escapes data for HTML *and* writes backtick, ``$`` and backslash as
  HTML character references, which display the same and mean nothing to JavaScript.
  :func:`map_fragment` does the same to an assembled fragment just before folium sees it, so a
  fragment that slipped past :func:`html_text` still cannot run.
- **Streamlit markdown.** :func:`markdown_text` backslash-escapes every ASCII punctuation mark
  (CommonMark allows it for all of them), so ``![](http://host/x)`` shows as text instead of
  making the browser fetch it, and ``:red[...]`` or ``$...$`` stay literal.
- **Spreadsheets.** :func:`csv_cell` prefixes a text cell that a spreadsheet would run as a formula.
- **Terminals.** :func:`terminal_text` drops control characters (ESC sequences repaint a terminal).
"""

from __future__ import annotations

import re
from html import escape

# Characters a JavaScript template literal interprets, as HTML character references.
_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 and C1 controls except tab and newline, and the bidirectional overrides.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def html_text(value: object) -> str:
    """``value`` as HTML text or a quoted attribute value that is also inert in a JS template."""
    return escape(str(value), quote=True).translate(_TEMPLATE_LITERAL)


def map_fragment(html: str) -> str:
    """An assembled HTML fragment made inert for folium's JavaScript template literals."""
    return html.translate(_TEMPLATE_LITERAL)


def markdown_text(value: object) -> str:
    """``value`` as literal text inside Streamlit markdown (no links, images, HTML or math)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", _CONTROLS.sub("", str(value)))


def csv_cell(value: object) -> object:
    """A text cell a spreadsheet will not evaluate: ``'=HYPERLINK(...)``; others unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def terminal_text(value: object) -> str:
    """``value`` without control characters or direction overrides, for printing."""
    return _CONTROLS.sub("", str(value))
