"""Write the map as HTML that opens without a network (tiles aside).

Two forms: ``self_contained`` inlines every script, stylesheet, font and image into one file;
otherwise the page links its assets from a ``<name>_files/`` folder written next to it.
"""

from __future__ import annotations

from pathlib import Path

import folium

from loaders._io import write_atomic
from loaders.atlas import AtlasData, Selection
from mapapp.assets import make_offline, write_static_files
from mapapp.build import MapOptions, build_map


def render_html(fmap: folium.Map, *, self_contained: bool, assets_url: str = "") -> str:
    """The map's page as a string: inline assets, or assets linked under ``assets_url``."""
    if self_contained:
        make_offline(fmap, "inline")
    else:
        make_offline(fmap, "served", static_url=assets_url)
    return fmap.get_root().render()


def export_map(
    out: Path,
    selection: Selection,
    options: MapOptions | None = None,
    *,
    self_contained: bool = False,
    overwrite: bool = False,
    data: AtlasData | None = None,
) -> list[Path]:
    """Write the map of ``selection`` to ``out``; return every file written.

    Refuses to replace an existing ``out`` unless ``overwrite`` is set.
    """
    out = Path(out)
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} already exists (pass --overwrite to replace it)")
    fmap = build_map(selection, options, data)
    written: list[Path] = []
    if self_contained:
        html = render_html(fmap, self_contained=True)
    else:
        folder = out.with_name(f"{out.stem}_files")
        written += write_static_files(folder)
        html = render_html(fmap, self_contained=False, assets_url=folder.name)
    write_atomic(out, html, overwrite=True)
    return [out, *written]
