"""Leaflet, plugin and font assets for folium maps, from installed packages instead of CDNs.

Folium 0.20, its plugins and branca ask for their JavaScript and CSS by CDN URL (``Map.default_js``,
each plugin's ``default_js``/``default_css``, branca's colormap adds d3). No CDN is reachable here,
so :data:`ASSETS` maps every such URL to a local copy shipped in an installed package, and
:func:`make_offline` rewrites a map's ``<head>`` to use those copies:

- ``"inline"``: every script and stylesheet is embedded in the page, with the images and fonts that
  the CSS refers to turned into ``data:`` URIs (for ``export --self-contained``);
- ``"served"``: links point under ``static_url`` (Streamlit serves ``<app dir>/static/`` at
  ``/app/static/``); :func:`write_static_files` puts the files there.

A URL with no entry in :data:`ASSETS` raises :class:`OfflineAssetError`: a map never silently falls
back to a CDN.
"""

from __future__ import annotations

import base64
import importlib
import importlib.util
import os
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink, Link
from folium.elements import JSCSSMixin

from loaders._errors import BorderAtlasError

Mode = Literal["inline", "served"]
DEFAULT_STATIC_URL = "/app/static/vendor"

_MIME = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
}
_EMPTY_URL = 'url("data:,")'  # a valid url() that loads nothing and requests nothing
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""")
_SOURCE_MAP = re.compile(r"^\s*(//|/\*)# sourceMappingURL=.*$", re.MULTILINE)
_EXTERNAL_TAG = re.compile(
    r"""<(?:script[^>]*\ssrc|link[^>]*\shref)\s*=\s*['"]?(?:https?:)?//[^'"\s>]+|"""
    r"""url\(\s*['"]?(?:https?:)?//[^'")]+|@import""",
    re.IGNORECASE,
)


class OfflineAssetError(BorderAtlasError, LookupError):
    """A map asks for an asset that has no local copy (or a local copy is broken). A
    :class:`BorderAtlasError`, so the CLI reports it in one line; still a ``LookupError`` for
    code that caught it as one."""


@dataclass(frozen=True)
class PackageFile:
    """A file inside an installed Python package: ``package`` is importable, ``path`` is
    ``/``-separated and relative to the package folder."""

    package: str
    path: str

    def locate(self) -> Path:
        """Return the file's path on disk (whether or not it exists)."""
        spec = importlib.util.find_spec(self.package)
        if spec is None or spec.origin is None:
            raise OfflineAssetError(f"package {self.package!r} is not installed")
        return Path(spec.origin).parent / self.path

    def exists(self) -> bool:
        """True when the package is installed and holds the file."""
        try:
            return self.locate().is_file()
        except OfflineAssetError:
            return False

    def read(self) -> str:
        """Return the file's text (UTF-8)."""
        return self.locate().read_text(encoding="utf-8")


@dataclass(frozen=True)
class OfflineFoliumCopy:
    """A text copy held by folium-offline (MIT) in ``offlinefolium.elements._res``, keyed by the
    CDN URL it replaces. Its CSS already carries most images as ``data:`` URIs."""

    key: str

    def locate(self) -> Path:
        """Return the path of the module that holds the copy."""
        return PackageFile("offlinefolium", "elements.py").locate()

    def exists(self) -> bool:
        """True when folium-offline is installed and its table has ``key`` (checked on the source
        text, so the 3.5 MB module is imported only when a copy is actually read)."""
        try:
            return f"_res[{self.key!r}]" in self.locate().read_text(encoding="utf-8")
        except (OfflineAssetError, OSError):
            return False

    def read(self) -> str:
        """Return the copy's text."""
        table = importlib.import_module("offlinefolium.elements")._res
        if self.key not in table:
            raise OfflineAssetError(f"folium-offline has no copy of {self.key}")
        return table[self.key]


Source = PackageFile | OfflineFoliumCopy


@dataclass(frozen=True)
class Asset:
    """One URL that folium, a plugin or branca requests, and its local replacement.

    ``sources`` are concatenated in order. ``served_path`` (ending in .js or .css) is where the
    file goes under the static folder; files that the CSS refers to keep their relative place
    next to it. ``absent_refs`` lists CSS ``url()`` references that have no local copy anywhere
    (each is replaced by an empty ``data:`` URL; the table says what that costs).
    ``inline_skip`` lists suffixes of referenced files left out when inlining because a better
    format is listed first (fonts). ``default_icons`` maps ``L.Icon.Default`` options to images,
    set as ``data:`` URIs when inlining: Leaflet finds its marker images through the CSS file's
    location, which an inlined stylesheet does not have.
    """

    url: str
    served_path: str
    sources: tuple[Source, ...]
    absent_refs: frozenset[str] = frozenset()
    inline_skip: tuple[str, ...] = ()
    default_icons: tuple[tuple[str, PackageFile], ...] = ()

    @property
    def kind(self) -> Literal["js", "css"]:
        """``"js"`` or ``"css"``, from ``served_path``."""
        return "css" if self.served_path.endswith(".css") else "js"


def _xstatic(name: str, path: str) -> PackageFile:
    """A file of an XStatic package (its files live in ``xstatic/pkg/<name>/data/``)."""
    return PackageFile(f"xstatic.pkg.{name}", f"data/{path}")


def _xs(url: str, served_path: str, name: str, *paths: str, **extra) -> Asset:
    """A row whose copy comes from XStatic package ``name`` (``paths`` are concatenated)."""
    return Asset(url, served_path, tuple(_xstatic(name, p) for p in paths), **extra)


def _ff(url: str, served_path: str, **extra) -> Asset:
    """A row whose copy is folium-offline's copy of the same URL."""
    return Asset(url, served_path, (OfflineFoliumCopy(url),), **extra)


_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
_JSDELIVR = "https://cdn.jsdelivr.net/"
_LEAFLET = _JSDELIVR + "npm/leaflet@1.9.3/dist/"
_CLUSTER = _CDNJS + "leaflet.markercluster/1.1.0/"
_AWESOME = _CDNJS + "Leaflet.awesome-markers/2.0.2/"
_FOLIUM = _JSDELIVR + "gh/python-visualization/folium/folium/templates/"
_MINIMAP = _CDNJS + "leaflet-minimap/3.6.1/"
_SEARCH = _JSDELIVR + "npm/leaflet-search@2.9.7/dist/"
_FULLSCREEN = _JSDELIVR + "npm/leaflet.fullscreen@3.0.0/"
_GROUPED = _CDNJS + "leaflet-groupedlayercontrol/0.6.1/"
_MEASURE = _JSDELIVR + "gh/ljagis/leaflet-measure@2.1.7/dist/"
_BOOTSTRAP = _JSDELIVR + "npm/bootstrap@5.2.2/dist/"
_GLYPHICONS = "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css"
_FONTAWESOME = _JSDELIVR + "npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"
_HEAT = _JSDELIVR + "gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js"
_MARKER_IMAGES = (
    ("iconUrl", _xstatic("leaflet", "images/marker-icon.png")),
    ("iconRetinaUrl", _xstatic("leaflet", "images/marker-icon-2x.png")),
    ("shadowUrl", _xstatic("leaflet", "images/marker-shadow.png")),
)

#: Every CDN URL that folium's Map, the plugins borderatlas uses (MarkerCluster, Fullscreen,
#: MiniMap, Search, GroupedLayerControl, MeasureControl, HeatMap) and branca's colormap legend
#: request, with its local copy. Versions match the request except where noted.
# fmt: off
ASSETS: tuple[Asset, ...] = (
    # --- folium.Map
    _xs(_LEAFLET + "leaflet.js", "leaflet/leaflet.js", "leaflet", "leaflet.js",
        default_icons=_MARKER_IMAGES),
    _xs(_LEAFLET + "leaflet.css", "leaflet/leaflet.css", "leaflet", "leaflet.css"),
    _xs("https://code.jquery.com/jquery-3.7.1.min.js", "jquery/jquery.min.js",
        "jquery", "jquery.min.js"),
    # Bootstrap 5.2.2: xstatic-bootstrap does not build, so folium-offline's copies.
    _ff(_BOOTSTRAP + "js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    _ff(_BOOTSTRAP + "css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    # Glyphicons (folium.Icon's default prefix): the WOFF and TrueType fonts are embedded; only
    # the EOT (old IE) and SVG (old iOS) fallbacks are missing, and no current browser uses them.
    _ff(_GLYPHICONS, "bootstrap/bootstrap-glyphicons.css", absent_refs=frozenset({
        "../fonts/glyphicons-halflings-regular.eot?#iefix",
        "../fonts/glyphicons-halflings-regular.svg#glyphicons-halflingsregular",
    })),
    # Font Awesome 6.2.1 (folium asks for 6.2.0): the core plus the solid and regular styles,
    # one @font-face each. all.min.css repeats each font in three @font-face rules (v4/v5
    # aliases), which would triple the inlined size. Brand icons (fa-brands) are left out.
    # TrueType fallbacks are not inlined: every browser that runs Leaflet 1.9 reads WOFF2.
    _xs(_FONTAWESOME, "font-awesome/css/all.min.css", "font_awesome",
        "css/fontawesome.min.css", "css/solid.min.css", "css/regular.min.css",
        inline_skip=(".ttf",)),
    _ff(_AWESOME + "leaflet.awesome-markers.js", "awesome-markers/leaflet.awesome-markers.js"),
    _ff(_AWESOME + "leaflet.awesome-markers.css", "awesome-markers/leaflet.awesome-markers.css"),
    _ff(_FOLIUM + "leaflet.awesome.rotate.min.css", "awesome-markers/awesome.rotate.min.css"),
    # --- plugins.MarkerCluster: 1.4.1 (folium asks for 1.1.0; same API, made for Leaflet 1.x)
    _xs(_CLUSTER + "leaflet.markercluster.js", "markercluster/leaflet.markercluster.js",
        "leaflet_markercluster", "leaflet.markercluster.js"),
    _xs(_CLUSTER + "MarkerCluster.css", "markercluster/MarkerCluster.css",
        "leaflet_markercluster", "MarkerCluster.css"),
    _xs(_CLUSTER + "MarkerCluster.Default.css", "markercluster/MarkerCluster.Default.css",
        "leaflet_markercluster", "MarkerCluster.Default.css"),
    # --- plugins.Fullscreen
    _ff(_FULLSCREEN + "Control.FullScreen.min.js", "fullscreen/Control.FullScreen.min.js"),
    _ff(_FULLSCREEN + "Control.FullScreen.css", "fullscreen/Control.FullScreen.css"),
    # --- plugins.MiniMap. Its toggle image is missing: with toggle_display=True (off by
    # default) the button works but shows no arrow.
    _ff(_MINIMAP + "Control.MiniMap.js", "minimap/Control.MiniMap.js"),
    _ff(_MINIMAP + "Control.MiniMap.css", "minimap/Control.MiniMap.css",
        absent_refs=frozenset({"images/toggle.svg", "images/toggle.png"})),
    # --- plugins.Search. Its spinner is missing; it only shows while a search by URL loads,
    # and borderatlas searches layers in the page.
    _ff(_SEARCH + "leaflet-search.min.js", "search/leaflet-search.min.js"),
    _ff(_SEARCH + "leaflet-search.min.css", "search/leaflet-search.min.css",
        absent_refs=frozenset({"../images/loader.gif"})),
    # --- plugins.GroupedLayerControl
    _ff(_GROUPED + "leaflet.groupedlayercontrol.min.js", "grouped/groupedlayercontrol.min.js"),
    _ff(_GROUPED + "leaflet.groupedlayercontrol.min.css", "grouped/groupedlayercontrol.min.css"),
    # --- plugins.MeasureControl
    _ff(_MEASURE + "leaflet-measure.min.js", "measure/leaflet-measure.min.js"),
    _ff(_MEASURE + "leaflet-measure.min.css", "measure/leaflet-measure.min.css"),
    # --- plugins.HeatMap: folium ships this file itself.
    Asset(_HEAT, "heat/leaflet_heat.min.js",
          (PackageFile("folium", "templates/leaflet_heat.min.js"),)),
    # --- branca colormap legends draw with d3 v3.
    _ff(_CDNJS + "d3/3.5.5/d3.min.js", "d3/d3.min.js"),
)
# fmt: on

_BY_URL: dict[str, Asset] = {asset.url: asset for asset in ASSETS}


def asset_for(url: str, name: str = "") -> Asset:
    """Return the table entry for a requested CDN URL; raise :class:`OfflineAssetError` naming
    the asset (``name`` is folium's key for it, e.g. ``"leaflet_css"``) when there is none."""
    if url in _BY_URL:
        return _BY_URL[url]
    label = f"{name!r} " if name else ""
    raise OfflineAssetError(
        f"folium asks for asset {label}at {url} and borderatlas has no local copy of it: "
        "add a row to mapapp.assets.ASSETS (from an installed package) or do not use the "
        "element that needs it"
    )


def is_external(url: str) -> bool:
    """True for a URL that leaves the machine (``http(s)://`` or protocol-relative ``//``)."""
    return re.match(r"^(?:https?:)?//", url.strip(), re.IGNORECASE) is not None


# --- turning a table row into text ------------------------------------------------------------


def _source_dir(source: Source) -> str | None:
    return str(source.locate().parent) if isinstance(source, PackageFile) else None


def _rewrite_refs(
    asset: Asset, source: Source, text: str, on_file: Callable[[Path, str], str]
) -> str:
    """Rewrite each ``url()`` in ``text`` (CSS from ``source``). A reference to a local file is
    replaced by ``on_file(path, ref)``; absent ones by an empty URL; anything else raises."""
    base = _source_dir(source)

    def replace(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if not ref or ref.startswith(("data:", "#")):
            return match.group(0)
        if ref in asset.absent_refs:
            return _EMPTY_URL
        if is_external(ref) or re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.IGNORECASE):
            raise OfflineAssetError(f"{asset.url}: its CSS refers to {ref}, which is not local")
        path = Path(base, re.split(r"[?#]", ref)[0]) if base else None
        if path is None or not path.is_file():
            raise OfflineAssetError(
                f"{asset.url}: its CSS refers to {ref!r}, which has no local copy; list it in "
                "absent_refs if the asset works without it"
            )
        return on_file(path, ref)

    return _CSS_URL.sub(replace, text)


@cache
def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _served_dependencies(asset: Asset) -> list[tuple[Path, str]]:
    """Files an asset needs beside it in the static folder, with their served paths: the images
    and fonts its CSS refers to, and Leaflet's default marker images (Leaflet looks for them in
    ``images/`` next to leaflet.css, which is served from the same folder as leaflet.js)."""
    found: list[tuple[Path, str]] = []
    served_dir = posixpath.dirname(asset.served_path)

    def place(path: Path, ref: str) -> str:
        target = posixpath.normpath(posixpath.join(served_dir, re.split(r"[?#]", ref)[0]))
        if target.startswith(".."):
            raise OfflineAssetError(f"{asset.url}: {ref!r} would land outside the static folder")
        found.append((path, target))
        return f'url("{ref}")'

    if asset.kind == "css":
        for source in asset.sources:
            _rewrite_refs(asset, source, source.read(), place)
    base = asset.sources[0].locate().parent
    for _option, image in asset.default_icons:
        place(image.locate(), image.locate().relative_to(base).as_posix())
    return found


@cache
def asset_text(url: str, mode: Mode) -> str:
    """Return the file text for one table URL, as embedded (``inline``: referenced images and
    fonts become ``data:`` URIs) or as written to the static folder (``served``)."""
    asset = asset_for(url)
    parts = []
    for source in asset.sources:
        text = source.read()
        if asset.kind == "css":
            text = _rewrite_refs(asset, source, text, _ref_writer(asset, mode))
        parts.append(_SOURCE_MAP.sub("", text))
    if mode == "inline" and asset.default_icons:
        options = ",".join(f'{key}:"{_data_uri(f.locate())}"' for key, f in asset.default_icons)
        parts.append(f'L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions({{{options}}});')
    return "\n".join(parts)


def _ref_writer(asset: Asset, mode: Mode) -> Callable[[Path, str], str]:
    def write(path: Path, ref: str) -> str:
        if mode == "served":
            return f'url("{ref}")'
        if path.suffix.lower() in asset.inline_skip:
            return _EMPTY_URL
        return f'url("{_data_uri(path)}")'

    return write


# --- the static folder ------------------------------------------------------------------------


def write_static_files(dest_dir: Path | str) -> list[Path]:
    """Write every asset of the table (and the images/fonts its CSS uses) under ``dest_dir``,
    at each row's ``served_path``; return the files, sorted. Unchanged files are not rewritten,
    so a running Streamlit app does not see spurious changes."""
    dest = Path(dest_dir)
    written: set[Path] = set()
    for asset in ASSETS:
        target = dest / asset.served_path
        _write_if_changed(target, asset_text(asset.url, "served").encode())
        written.add(target)
        for source_path, served in _served_dependencies(asset):
            _write_if_changed(dest / served, source_path.read_bytes())
            written.add(dest / served)
    return sorted(written)


def _write_if_changed(target: Path, data: bytes) -> None:
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)  # atomic: a reader never sees half a file


# --- rewriting a map --------------------------------------------------------------------------


class _Inline(Element):
    """A header element holding literal HTML (not a Jinja template: scripts contain ``{{``)."""

    def __init__(self, html: str):
        super().__init__()
        self._name = "OfflineInline"
        self.html = html

    def render(self, **kwargs) -> str:
        return self.html


def _inline_element(asset: Asset) -> _Inline:
    return _Inline(_inline_html(asset.url))


@cache
def _inline_html(url: str) -> str:
    """The ``<script>`` or ``<style>`` block that embeds one table URL."""
    asset = asset_for(url)
    tag = "script" if asset.kind == "js" else "style"
    # "</script" inside the code would end the block early; "<\/" means the same in JS and CSS.
    body = re.sub(rf"</({tag})", r"<\\/\1", asset_text(url, "inline"), flags=re.IGNORECASE)
    return f"<{tag}>{body}</{tag}>"


def _served_url(asset: Asset, static_url: str) -> str:
    return f"{static_url.rstrip('/')}/{asset.served_path}"


class _OfflineHeader(Element):
    """A figure header that swaps every CDN link for its local copy when rendered.

    Plugins add their links to the header while the figure renders, just before the header
    itself renders, so this is the one place that sees all of them (branca's d3 link included).
    """

    def __init__(self, original: Element, mode: Mode, static_url: str):
        super().__init__()
        self._name = "OfflineHeader"
        self._children = original._children
        self._parent = original._parent
        self.mode: Mode = mode
        self.static_url = static_url

    def render(self, **kwargs) -> str:
        for name, child in list(self._children.items()):
            if isinstance(child, Link) and is_external(child.url):
                self._children[name] = self._localise(name, child)
        if self.mode == "served" and isinstance(self._parent, Figure):
            _point_elements_at(self._parent, self.static_url)
        for name, child in self._children.items():
            if not isinstance(child, _Inline) and _EXTERNAL_TAG.search(child.render(**kwargs)):
                raise OfflineAssetError(f"header element {name!r} still loads from the network")
        return super().render(**kwargs)

    def _localise(self, name: str, link: Link) -> Element:
        asset = asset_for(link.url, name)
        if self.mode == "inline":
            return _inline_element(asset)
        url = _served_url(asset, self.static_url)
        return CssLink(url) if isinstance(link, CssLink) else JavascriptLink(url)


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


_CDN_LISTS = "_borderatlas_cdn_links"  # where an element keeps the lists folium gave it


def _point_elements_at(figure: Figure, static_url: str) -> None:
    """Give every plugin its own ``default_js``/``default_css`` pointing at the static folder.

    streamlit-folium does not use the header's links: it reads these lists from each element
    and loads them itself. Instance attributes leave folium's class-level lists untouched; the
    original lists are kept so that the map can later be made inline (an export from the app).
    """
    for element in _walk(figure):
        if not isinstance(element, JSCSSMixin):
            continue
        js, css = element.__dict__.setdefault(
            _CDN_LISTS, (list(element.default_js), list(element.default_css))
        )
        element.default_js = _served_links(js, static_url)
        element.default_css = _served_links(css, static_url)


def _served_links(links: list[tuple[str, str]], static_url: str) -> list[tuple[str, str]]:
    return [
        (name, _served_url(asset_for(url, name), static_url) if is_external(url) else url)
        for name, url in links
    ]


def _restore_elements(figure: Figure) -> None:
    """Undo :func:`_point_elements_at`: elements ask for folium's URLs again."""
    for element in _walk(figure):
        if isinstance(element, JSCSSMixin) and _CDN_LISTS in element.__dict__:
            element.default_js, element.default_css = element.__dict__.pop(_CDN_LISTS)


def _check_elements(figure: Figure) -> None:
    """Raise now, not at render time, for any element that asks for an unknown asset."""
    for element in _walk(figure):
        for name, url in [
            *getattr(element, "default_js", []),
            *getattr(element, "default_css", []),
        ]:
            if is_external(url):
                asset_for(url, name)


def make_offline(
    m: folium.Map, mode: Mode = "inline", static_url: str = DEFAULT_STATIC_URL
) -> folium.Map:
    """Make map ``m`` load no asset from the network; return ``m`` (changed in place).

    ``mode="inline"`` embeds every script and stylesheet in the page (standalone HTML files);
    ``mode="served"`` links them under ``static_url``, where :func:`write_static_files` put them
    (the Streamlit app; streamlit-folium needs this mode). Elements added after this call are
    covered too: the rewrite happens when the page renders. Raises :class:`OfflineAssetError`
    for an asset with no local copy. Tile layers are not assets and are left alone.
    """
    if mode not in ("inline", "served"):
        raise ValueError(f"mode must be 'inline' or 'served', not {mode!r}")
    figure = m.get_root()
    if not isinstance(figure, Figure):
        raise TypeError("the map must belong to a branca Figure (folium.Map always does)")
    _check_elements(figure)
    if isinstance(figure.header, _OfflineHeader):
        figure.header.mode, figure.header.static_url = mode, static_url
    else:
        figure.header = _OfflineHeader(figure.header, mode, static_url)
    if mode == "served":
        _point_elements_at(figure, static_url)
    else:
        _restore_elements(figure)
    return m
