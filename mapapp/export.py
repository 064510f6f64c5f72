"""Write the map as HTML that opens without a network (tiles aside).

Two forms: ``self_contained`` inlines every script, stylesheet, font and image into one file;
otherwise the page links its assets from a ``<name>_files/`` folder written next to it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
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

    Refuses to replace an existing ``out`` (or, for a linked export, its ``<name>_files/``
    folder) unless ``overwrite`` is set, a directory as ``out``, and a symlinked assets folder.
    A linked export's assets are written to a temporary sibling and renamed into place, so a
    failure (a full disk) leaves no half-written folder behind.
    """
    out = Path(out)
    if out.is_dir():
        raise IsADirectoryError(f"{out} is a directory: give the HTML file to write")
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} already exists (pass --overwrite to replace it)")
    folder = out.with_name(f"{out.stem}_files")
    if not self_contained:
        _check_assets_folder(folder, overwrite)
    fmap = build_map(selection, options, data)
    if self_contained:
        write_atomic(out, render_html(fmap, self_contained=True), overwrite=True)
        return [out]
    html = render_html(fmap, self_contained=False, assets_url=folder.name)
    written = _replace_folder(folder)
    write_atomic(out, html, overwrite=True)
    return [out, *written]


def _check_assets_folder(folder: Path, overwrite: bool) -> None:
    if folder.is_symlink():
        raise FileExistsError(f"{folder} is a symbolic link; refusing to write through it")
    if folder.exists() and not overwrite:
        raise FileExistsError(f"{folder} already exists (pass --overwrite to replace it)")


def _replace_folder(folder: Path) -> list[Path]:
    """Write the assets into a new sibling folder, then swap it in for ``folder``."""
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        files = write_static_files(staging)
        old = None
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
            os.replace(folder, old)
        os.replace(staging, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / path.relative_to(staging) for path in files]
