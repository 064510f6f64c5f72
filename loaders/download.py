"""The opt-in download of official boundary files: cache, HTTPS, checksums, licences.

Nothing here runs unless a user asks for it (``borderatlas boundaries-download``), and no test
touches the network. This layer knows where each source keeps a country's file and under which
terms; it knows nothing of units or geometry: what a downloaded file holds is read by
:mod:`loaders.boundary_import`.

- Files come over HTTPS only, and redirects are followed only to public HTTPS hosts
  (:func:`check_redirect`).
- They are written into the cache (``loaders._io.default_cache_dir``) through a temporary file
  and a rename, once their SHA-256 checks out (:func:`fetch_verified` says against what).
- A source whose licence restricts use (GADM) is fetched only with ``accept_licence=True``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import socket
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from loaders import __version__
from loaders._errors import BorderAtlasError, DataError
from loaders._io import default_cache_dir, json_kind, load_json, write_atomic
from loaders.vocabulary import COUNTRIES, COUNTRY_ISO3, parse_country


class DownloadError(BorderAtlasError):
    """A download failed (network, HTTP status, size) or was refused (not HTTPS)."""


class ChecksumMismatch(DownloadError):
    """A file's SHA-256 differs from the pinned or recorded digest."""


class LicenceNotAccepted(BorderAtlasError):
    """The source's licence must be accepted explicitly before downloading."""


@dataclass(frozen=True)
class RemoteSource:
    """An official boundary source: where each country's admin-1 file is and its terms."""

    name: str
    url_template: str  # ``{iso3}`` is replaced by VNM, LAO or KHM
    licence: str
    needs_acceptance: bool


REMOTE_SOURCES: dict[str, RemoteSource] = {
    "geoboundaries": RemoteSource(
        name="geoboundaries",
        # Pinned to the release commit the geoBoundaries API links to, so the files cannot change.
        url_template=(
            "https://github.com/wmgeolab/geoBoundaries/raw/9469f09/releaseData/gbOpen/"
            "{iso3}/ADM1/geoBoundaries-{iso3}-ADM1.geojson"
        ),
        licence=(
            "geoBoundaries gbOpen: CC BY 4.0 (check each file's metadata: a few boundaries are "
            "ODbL). Attribution is required: Runfola, D. et al. (2020) geoBoundaries: A global "
            "database of political administrative boundaries. PLoS ONE 15(4): e0231866."
        ),
        needs_acceptance=False,
    ),
    "gadm": RemoteSource(
        name="gadm",
        # The level-1 GeoJSON, zipped, as linked from gadm.org's country pages; pyogrio reads
        # the .zip as it is.
        url_template="https://geodata.ucdavis.edu/gadm/gadm4.1/json/gadm41_{iso3}_1.json.zip",
        licence=(
            "GADM 4.1: free for academic and other non-commercial use only. Redistribution and "
            "commercial use are not allowed without prior permission (https://gadm.org/license.html)."
            " Do not share a data directory built from GADM."
        ),
        needs_acceptance=True,
    ),
}
# Digests known in advance, by URL. Empty: the files could not be fetched when this was written,
# so the first download's digest is recorded in the cache's checksums.json (see download_source).
PINNED_SHA256: dict[str, str] = {}
CHECKSUMS_FILE = "checksums.json"
CHUNK = 1 << 20
MAX_BYTES = 2 << 30  # no admin-1 file comes near 2 GiB: larger means something is wrong
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


Check = Literal["pinned", "recorded", "first download"]  # what a digest was checked against


@dataclass(frozen=True)
class Downloaded:
    url: str
    path: Path
    sha256: str
    check: Check
    fetched: bool  # False when the cached copy was used
    country: str = ""


def download_source(
    name: Literal["geoboundaries", "gadm"],
    countries: Sequence[str] = COUNTRIES,
    cache_dir: str | Path | None = None,
    *,
    accept_licence: bool = False,
    echo: Callable[[str], None] = print,
    timeout: float = 60.0,
) -> list[Downloaded]:
    """Fetch each country's admin-1 file of source ``name`` into the cache; return the files.

    The licence text is printed first; GADM needs ``accept_licence=True``. Files are streamed to
    a temporary file and renamed into ``<cache_dir>/<name>/`` only once their SHA-256 checks out.

    Digests: a digest pinned in ``PINNED_SHA256`` is enforced when there is one. There is none
    yet (the files could not be fetched when this code was written), so the digest of the FIRST
    download is recorded in ``<cache_dir>/checksums.json`` and printed: later runs verify the
    cached file, and any re-download, against it and fail on a mismatch. This proves the file
    did not change since the first download, not that the first download was genuine: compare
    the printed digest with a trusted copy and pin it in ``PINNED_SHA256``. A file found in the
    cache with no digest pinned or recorded is downloaded again, never recorded as it is.
    """
    remote = REMOTE_SOURCES.get(name)
    if remote is None:
        raise ValueError(f"unknown source {name!r}: expected one of {', '.join(REMOTE_SOURCES)}")
    codes = [parse_country(c) for c in countries]
    echo(f"Licence: {remote.licence}")
    if remote.needs_acceptance and not accept_licence:
        raise LicenceNotAccepted(f"{name}: pass --accept-licence to accept these terms")
    cache = Path(cache_dir) if cache_dir else default_cache_dir()
    results = []
    for country in codes:
        url = remote.url_template.format(iso3=COUNTRY_ISO3[country])
        target = cache / name / Path(urlsplit(url).path).name
        done = replace(fetch_verified(url, target, cache, timeout), country=country)
        results.append(done)
        note = {"pinned": "matches the pinned digest", "recorded": "matches checksums.json"}
        echo(f"{country} {done.path}\n  sha256 {done.sha256} ({note.get(done.check, 'recorded')})")
    if any(d.check == "first download" for d in results):
        echo(f"First download: digests recorded in {cache / CHECKSUMS_FILE}; pin them to be sure.")
    return results


def fetch_verified(url: str, target: Path, cache: Path, timeout: float = 60.0) -> Downloaded:
    """``target`` checked against the pinned or recorded digest, downloaded first if absent.

    Raises ``ChecksumMismatch`` (and keeps no unverified download) when the digest differs. A
    cached file with no digest to check (none pinned, none in ``checksums.json``) did not come
    from a download this code recorded: it is downloaded again, and only that download's digest
    is recorded. Offline, that is a ``DownloadError`` saying the cached copy is not used.
    """
    key = target.relative_to(cache).as_posix()
    recorded = _read_checksums(cache)
    expected = PINNED_SHA256.get(url) or recorded.get(key, {}).get("sha256")
    check: Check = (
        "pinned" if url in PINNED_SHA256 else "recorded" if expected else "first download"
    )
    fetched = expected is None or not target.exists()
    if fetched:
        digest = _download(url, target, expected, timeout)
    else:
        digest = _sha256_file(target)
        if expected and digest != expected:
            raise ChecksumMismatch(
                f"{target}: sha256 {digest} differs from the {check} digest {expected}; "
                "delete the file to download it again"
            )
    if expected is None:
        recorded[key] = {"url": url, "sha256": digest}
        text = json.dumps(recorded, indent=2, sort_keys=True) + "\n"
        write_atomic(cache / CHECKSUMS_FILE, text, overwrite=True)
    return Downloaded(url, target, digest, check, fetched)


def _download(url: str, target: Path, expected: str | None, timeout: float) -> str:
    """``_stream``, saying why an unverified cached copy was not used when it fails."""
    unverified = expected is None and target.exists()
    try:
        return _stream(url, target, expected, timeout)
    except DownloadError as error:
        if not unverified:
            raise
        raise type(error)(
            f"{error}; the cached {target} has no recorded digest, so it is not used "
            "(download it again when online, or delete it)"
        ) from None


def _stream(url: str, target: Path, expected: str | None, timeout: float) -> str:
    """Download ``url`` to a temporary file beside ``target``; rename it only if it checks out."""
    _require_https(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, _open(url, timeout) as response:
            size = 0
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise DownloadError(f"{url}: larger than {MAX_BYTES} bytes, stopped")
                digest.update(chunk)
                out.write(chunk)
        if expected and digest.hexdigest() != expected:
            raise ChecksumMismatch(
                f"{url}: sha256 {digest.hexdigest()} differs from the expected {expected}"
            )
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return digest.hexdigest()


def _open(url: str, timeout: float) -> Any:
    opener = urllib.request.build_opener(_HttpsOnlyRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": f"borderatlas/{__version__}"})
    try:
        return opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        raise DownloadError(f"{url}: HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, TimeoutError) as error:
        raise DownloadError(f"{url}: {getattr(error, 'reason', error)}") from None


def _require_https(url: str) -> None:
    """Only HTTPS leaves this machine; plain HTTP is allowed to the loopback (tests)."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise DownloadError(f"{url}: refusing a non-HTTPS download")


def check_redirect(url: str) -> None:
    """A redirect may lead only to HTTPS on a public host: never to this machine or a private
    network (a server must not be able to point the download at an internal service).

    Judged on the URL: ``localhost`` and ``*.localhost``, and IP literals that are not global
    (loopback, private, link-local, shared, reserved, multicast), in any spelling the resolver
    accepts (``127.1``, ``2130706433``, ``[::ffff:127.0.0.1]``). A public name is not resolved.
    """
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise DownloadError(f"{url}: refusing a redirect off HTTPS")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        raise DownloadError(f"{url}: refusing a redirect to {host or 'no host'}")
    address = _ip_literal(host)
    if address is not None and (not address.is_global or address.is_multicast):
        raise DownloadError(f"{url}: refusing a redirect to the non-public address {address}")


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``host`` as an IP address if it is one in any form the resolver reads as one."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:  # inet_aton reads the old forms too: "127.1", "0x7f.1", "2130706433"
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects (GitHub sends LFS files to another host), but only to public HTTPS."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        check_redirect(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _read_checksums(cache: Path) -> dict[str, dict[str, str]]:
    """The recorded digests, ``{file: {"url": ..., "sha256": ...}}``; DataError naming the file
    when it is anything else (trusting a damaged record would accept any download)."""
    path = cache / CHECKSUMS_FILE
    if not path.exists():
        return {}
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(path, "not UTF-8 text: repair or delete it") from None
    recorded = load_json(text, path)
    if not isinstance(recorded, dict):
        kind = json_kind(recorded)
        raise DataError(path, f"expected an object of file: {{url, sha256}}, not a JSON {kind}")
    for key, entry in recorded.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise DataError(path, f"entry {key!r} has no sha256 digest: repair or delete it")
    return recorded
