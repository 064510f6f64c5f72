"""Text from data files cannot run, fetch or format anything, wherever it is shown.

The same data directory (every text field carrying :data:`hostile.PAYLOADS`) goes through the
map page, the escaping functions, the CSV download and the app's panel. The browser version of
the map check (dialogs, injected elements, requests) is in ``browser/test_hostile_browser.py``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hostile import FOREIGN_HOST, PAYLOAD, write_hostile_data_dir

from loaders._io import DataSource
from loaders.atlas import Selection, load_atlas
from mapapp.build import MapOptions, build_map
from mapapp.escaping import csv_cell, html_text, map_fragment, markdown_text, terminal_text
from mapapp.export import render_html


@pytest.fixture(scope="module")
def hostile_source(tmp_path_factory) -> DataSource:
    return DataSource(write_hostile_data_dir(tmp_path_factory.mktemp("hostile")))


@pytest.fixture(scope="module")
def hostile_page(hostile_source) -> str:
    fmap = build_map(Selection(), MapOptions(lang="en"), load_atlas(hostile_source))
    return render_html(fmap, self_contained=False, assets_url="atlas_files")


def test_the_hostile_records_load_so_the_payloads_reach_the_page(hostile_source) -> None:
    atlas = load_atlas(hostile_source)
    assert [e.id for e in atlas.index.events() if e.id == "hostile-event"] == ["hostile-event"]
    assert "hostile-agreement" in atlas.agreements
    assert all(PAYLOAD in c.pair_name for c in atlas.crossings)


def test_no_payload_survives_as_code_in_the_map_page(hostile_page: str) -> None:
    assert "pixel.png" in hostile_page  # the payload text is there, shown as text
    assert "${alert" not in hostile_page
    assert "`;alert" not in hostile_page
    assert "<img src=x" not in hostile_page
    assert "<svg onload" not in hostile_page
    assert "</script><script>alert" not in hostile_page
    assert not re.search(r"<a [^>]*href=\"javascript:", hostile_page)


def test_every_template_literal_in_the_page_is_free_of_data_backticks(hostile_page: str) -> None:
    """folium's templates open a literal with `$(`` or ``bindTooltip(`; no data may close it."""
    for literal in re.findall(r"(?:\$\(|bindTooltip\(\s*)`(.*?)`", hostile_page, flags=re.S):
        assert "${" not in literal
        assert "alert(" not in literal or "&#36;" in literal or "&#96;" in literal


def test_html_text_is_inert_in_html_and_in_a_javascript_template() -> None:
    assert html_text("<b>${x}`\\") == "&lt;b&gt;&#36;{x}&#96;&#92;"
    assert html_text("\"'") == "&quot;&#x27;"
    assert map_fragment('<a href="u">${x}</a>') == '<a href="u">&#36;{x}</a>'


def test_markdown_text_shows_links_images_directives_and_math_as_text() -> None:
    shown = markdown_text(f"![p](http://{FOREIGN_HOST}/p.png) :red[x] $y$ *z*")
    assert "![" not in shown and "](" not in shown
    assert shown.startswith(r"\!\[p\]\(http\:")
    assert r"\:red\[x\]" in shown and r"\$y\$" in shown and r"\*z\*" in shown
    assert markdown_text("a\u202eb\x1b[31m") == r"ab\[31m"


@pytest.mark.parametrize("formula", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_a_spreadsheet_would_evaluate_are_quoted(formula: str) -> None:
    assert csv_cell(formula) == "'" + formula


def test_csv_cells_of_plain_text_and_numbers_are_unchanged() -> None:
    assert csv_cell("Nghệ An – Bolikhamxay") == "Nghệ An – Bolikhamxay"
    assert csv_cell(-3) == -3
    assert terminal_text("ti\x1b[2Jtle\u202e") == "ti[2Jtle"


def test_the_app_csv_download_has_no_formula_cells(hostile_source) -> None:
    from mapapp import app

    csv_text, _geojson = app.cached_event_files.__wrapped__(hostile_source, Selection(), "v")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    cells = [cell for row in rows for cell in row.values() if cell]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]
    hostile = next(row for row in rows if row["id"] == "hostile-event")
    assert hostile["title_en"].startswith("'=HYPERLINK(")


def test_export_of_hostile_data_writes_a_page(tmp_path: Path, hostile_source) -> None:
    from mapapp.export import export_map

    out = tmp_path / "atlas.html"
    export_map(out, Selection(), self_contained=True, data=load_atlas(hostile_source))
    page = out.read_text(encoding="utf-8")
    assert "${alert" not in page and "pixel.png" in page
