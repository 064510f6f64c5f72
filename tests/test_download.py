"""The opt-in download of boundary files, against a local HTTP server only: no test touches the
network. What a downloaded file holds is tested in ``test_boundary_import.py``."""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import threading
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loaders import download
from loaders._io import default_cache_dir
from loaders.download import ChecksumMismatch, DownloadError, LicenceNotAccepted, download_source
from mapapp.cli import app

GEOBOUNDARIES = Path(__file__).parent / "fixtures" / "external" / "geoboundaries-adm1.geojson"
FIXTURE_SHA256 = hashlib.sha256(GEOBOUNDARIES.read_bytes()).hexdigest()

runner = CliRunner()


class Server:
    """A local HTTP server on 127.0.0.1 serving a folder, counting requests."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requests: list[str] = []
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                server.requests.append(self.path)

        handler = functools.partial(Handler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        # Bounded: whatever happens to the test, the server stops by itself after 30 s.
        self.deadline = threading.Timer(30, self.httpd.shutdown)
        self.deadline.daemon = True

    def __enter__(self) -> Server:
        self.thread.start()
        self.deadline.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.deadline.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """Both sources pointed at a local server holding geoBoundaries-shaped fixture files."""
    folder = tmp_path / "www"
    folder.mkdir()
    for iso3 in ("VNM", "LAO"):
        shutil.copy(GEOBOUNDARIES, folder / f"geoBoundaries-{iso3}-ADM1.geojson")
    with Server(folder) as server:
        base = f"http://127.0.0.1:{server.port}"
        for name, template in [
            ("geoboundaries", "/geoBoundaries-{iso3}-ADM1.geojson"),
            ("gadm", "/gadm41_{iso3}_1.json.zip"),
        ]:
            remote = replace(download.REMOTE_SOURCES[name], url_template=base + template)
            monkeypatch.setitem(download.REMOTE_SOURCES, name, remote)
        yield server


def test_first_download_records_and_prints_the_digest(served: Server, tmp_path: Path) -> None:
    printed: list[str] = []
    cache = tmp_path / "cache"
    [found] = download_source("geoboundaries", ["VN"], cache, echo=printed.append)
    assert found.path == cache / "geoboundaries" / "geoBoundaries-VNM-ADM1.geojson"
    assert found.path.read_bytes() == GEOBOUNDARIES.read_bytes()
    assert (found.sha256, found.check, found.fetched) == (FIXTURE_SHA256, "first download", True)
    recorded = json.loads((cache / "checksums.json").read_text(encoding="utf-8"))
    assert recorded["geoboundaries/geoBoundaries-VNM-ADM1.geojson"]["sha256"] == FIXTURE_SHA256
    text = "\n".join(printed)
    assert "CC BY 4.0" in text and "Runfola" in text
    assert FIXTURE_SHA256 in text
    assert [p.name for p in found.path.parent.iterdir()] == [found.path.name]  # no temp files
    assert served.requests == ["/geoBoundaries-VNM-ADM1.geojson"]


def test_later_use_verifies_the_cache_without_the_network(served: Server, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    download_source("geoboundaries", ["VN", "LA"], cache, echo=lambda _: None)
    [again] = download_source("geoboundaries", ["LA"], cache, echo=lambda _: None)
    assert (again.check, again.fetched) == ("recorded", False)
    assert len(served.requests) == 2  # the second call asked nothing
    again.path.write_bytes(again.path.read_bytes() + b" ")
    with pytest.raises(ChecksumMismatch, match=FIXTURE_SHA256):
        download_source("geoboundaries", ["LA"], cache, echo=lambda _: None)


def test_a_download_that_differs_from_the_recorded_digest_is_rejected(
    served: Server, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    [first] = download_source("geoboundaries", ["VN"], cache, echo=lambda _: None)
    first.path.unlink()
    served_file = served.folder / first.path.name
    served_file.write_bytes(b'{"type":"FeatureCollection","features":[]}')
    with pytest.raises(ChecksumMismatch, match="differs from the expected"):
        download_source("geoboundaries", ["VN"], cache, echo=lambda _: None)
    assert list(first.path.parent.iterdir()) == []  # neither the file nor a temp file is kept


def test_a_pinned_digest_is_enforced(
    served: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = download.REMOTE_SOURCES["geoboundaries"].url_template.format(iso3="VNM")
    monkeypatch.setitem(download.PINNED_SHA256, url, "0" * 64)
    cache = tmp_path / "cache"
    with pytest.raises(ChecksumMismatch, match="0" * 64):
        download_source("geoboundaries", ["VN"], cache, echo=lambda _: None)
    assert not (cache / "checksums.json").exists()
    monkeypatch.setitem(download.PINNED_SHA256, url, FIXTURE_SHA256)
    [found] = download_source("geoboundaries", ["VN"], cache, echo=lambda _: None)
    assert found.check == "pinned"


def test_gadm_needs_the_licence_accepted(served: Server, tmp_path: Path) -> None:
    printed: list[str] = []
    with pytest.raises(LicenceNotAccepted):
        download_source("gadm", ["VN"], tmp_path, echo=printed.append)
    assert "non-commercial" in printed[0] and "Redistribution" in printed[0]
    assert served.requests == []


def test_gadm_is_fetched_once_its_licence_is_accepted(served: Server, tmp_path: Path) -> None:
    archive = served.folder / "gadm41_VNM_1.json.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(GEOBOUNDARIES, "gadm41_VNM_1.json")
    printed: list[str] = []
    [found] = download_source(
        "gadm", ["VN"], tmp_path / "cache", accept_licence=True, echo=printed.append
    )
    assert "non-commercial" in printed[0]
    assert found.path == tmp_path / "cache" / "gadm" / archive.name  # kept zipped, as served
    assert found.path.read_bytes() == archive.read_bytes()


def test_http_errors_and_plain_http_are_reported(
    served: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(DownloadError, match="HTTP 404"):  # the server has no GADM file
        download_source("gadm", ["KH"], tmp_path, accept_licence=True, echo=lambda _: None)
    remote = replace(
        download.REMOTE_SOURCES["geoboundaries"], url_template="http://example.invalid/{iso3}"
    )
    monkeypatch.setitem(download.REMOTE_SOURCES, "geoboundaries", remote)
    with pytest.raises(DownloadError, match="refusing a non-HTTPS download"):
        download_source("geoboundaries", ["VN"], tmp_path, echo=lambda _: None)
    assert list((tmp_path / "gadm").iterdir()) == []


def test_the_cache_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "borderatlas"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "borderatlas"


def test_the_official_urls_are_https_and_per_country() -> None:
    for remote in download.REMOTE_SOURCES.values():
        url = remote.url_template.format(iso3="LAO")
        assert url.startswith("https://") and "LAO" in url


def test_download_command_prints_json_and_the_next_step(served: Server, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ["boundaries-download", "geoboundaries", "--country", "VN", "--cache-dir", str(cache)]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    [found] = json.loads(result.stdout)
    assert found["sha256"] == FIXTURE_SHA256
    assert found["path"] == str(cache / "geoboundaries" / "geoBoundaries-VNM-ADM1.geojson")
    assert "CC BY 4.0" in result.stderr  # with --json the licence goes to stderr
    plain = runner.invoke(app, args)
    assert plain.exit_code == 0, plain.output
    assert plain.stdout.splitlines()[-1] == (
        f"next: borderatlas boundaries-import {found['path']} --format geoboundaries --out DIR"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gadm", "--country", "VN"], "--accept-licence"),
        (["geoboundaries", "--country", "TH"], "unknown country"),
        (["osm"], "osm"),
    ],
)
def test_download_command_bad_usage_exits_2(
    served: Server, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["boundaries-download", *args, "--cache-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output
    assert served.requests == []


# --- a damaged cache, an unverified file, redirects: decided without the network -------------

VN_URL = download.REMOTE_SOURCES["geoboundaries"].url_template.format(iso3="VNM")
VN_KEY = "geoboundaries/geoBoundaries-VNM-ADM1.geojson"


def no_network(*args: object) -> str:
    raise AssertionError("the network was asked")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (
            b'[{"sha256": "00"}]',
            "checksums.json: expected an object of file: {url, sha256}, not a JSON list",
        ),
        (b'{"a": ', "checksums.json:1: not valid JSON: Expecting value"),
        (b'{"x": "00"}', "checksums.json: entry 'x' has no sha256 digest: repair or delete it"),
        (b"\xff\xfe{}", "checksums.json: not UTF-8 text: repair or delete it"),
    ],
    ids=["a-list", "invalid-json", "no-digest", "not-utf-8"],
)
def test_a_damaged_checksums_json_is_one_line_naming_the_file(
    tmp_path: Path, run_main, monkeypatch: pytest.MonkeyPatch, content: bytes, says: str
) -> None:
    monkeypatch.setattr(download, "_stream", no_network)
    (tmp_path / "checksums.json").write_bytes(content)
    result = run_main(
        "boundaries-download", "geoboundaries", "--country", "VN", "--cache-dir", tmp_path
    )
    assert result.code == 1
    assert (
        result.one_line()
        == f"error: {tmp_path / 'checksums.json'}{says.removeprefix('checksums.json')}"
    )
    assert (tmp_path / "checksums.json").read_bytes() == content  # never rewritten


def planted(cache: Path) -> Path:
    """A file in the cache that no recorded download vouches for."""
    target = cache / VN_KEY
    target.parent.mkdir(parents=True)
    target.write_bytes(b'{"type":"FeatureCollection","features":[]}')
    return target


def test_a_cached_file_without_a_recorded_digest_is_downloaded_again_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = planted(tmp_path)
    asked: list[str] = []

    def stream(url: str, to: Path, expected: str | None, timeout: float) -> str:
        asked.append(url)
        shutil.copy(GEOBOUNDARIES, to)
        return FIXTURE_SHA256

    monkeypatch.setattr(download, "_stream", stream)
    found = download.fetch_verified(VN_URL, target, tmp_path)
    assert asked == [VN_URL]
    assert (found.fetched, found.check, found.sha256) == (True, "first download", FIXTURE_SHA256)
    recorded = json.loads((tmp_path / "checksums.json").read_text(encoding="utf-8"))
    assert recorded[VN_KEY]["sha256"] == FIXTURE_SHA256  # the download's, not the planted file's


def test_offline_a_cached_file_without_a_digest_is_refused_in_one_line(
    tmp_path: Path, run_main, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = planted(tmp_path)

    def offline(url: str, *args: object) -> str:
        raise DownloadError(f"{url}: [Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(download, "_stream", offline)
    result = run_main(
        "boundaries-download", "geoboundaries", "--country", "VN", "--cache-dir", tmp_path
    )
    assert result.code == 1
    line = result.one_line()
    assert line.startswith(f"error: {VN_URL}: [Errno -3] Temporary failure in name resolution; ")
    assert line.endswith(
        f"the cached {target} has no recorded digest, so it is not used "
        "(download it again when online, or delete it)"
    )
    assert not (tmp_path / "checksums.json").exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://objects.githubusercontent.com/x",  # off HTTPS
        "https://localhost/x",
        "https://LocalHost./x",
        "https://tiles.localhost/x",
        "https://127.0.0.1/x",
        "https://127.1/x",  # the resolver's short form of 127.0.0.1
        "https://2130706433/x",  # 127.0.0.1 as one number
        "https://0x7f.0.0.1/x",
        "https://[::1]/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://0.0.0.0/x",
        "https://10.1.2.3/x",
        "https://172.16.0.1/x",
        "https://192.168.1.1/x",
        "https://100.64.0.1/x",  # carrier-grade NAT
        "https://169.254.169.254/latest/meta-data",  # the cloud metadata service
        "https://[fe80::1]/x",
        "https://[fd00::1]/x",
        "https://224.0.0.1/x",
        "https:///x",
    ],
)
def test_a_redirect_to_this_machine_or_a_private_network_is_refused(url: str) -> None:
    with pytest.raises(DownloadError, match="refusing a redirect"):
        download.check_redirect(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://objects.githubusercontent.com/github-production-release-asset/x",
        "https://raw.githubusercontent.com/wmgeolab/geoBoundaries/9469f09/x.geojson",
        "https://140.82.112.3/x",
        "https://[2606:4700:4700::1111]/x",
    ],
)
def test_a_redirect_to_public_https_is_followed(url: str) -> None:
    download.check_redirect(url)
    request = urllib.request.Request("https://github.com/wmgeolab/geoBoundaries/raw/x")
    handler = download._HttpsOnlyRedirects()
    followed = handler.redirect_request(request, None, 302, "Found", {}, url)
    assert followed is not None and followed.full_url == url


def test_the_redirect_handler_refuses_before_any_request_is_made() -> None:
    request = urllib.request.Request("https://github.com/wmgeolab/geoBoundaries/raw/x")
    handler = download._HttpsOnlyRedirects()
    with pytest.raises(DownloadError, match=r"non-public address 169\.254\.169\.254"):
        handler.redirect_request(request, None, 302, "Found", {}, "https://169.254.169.254/")
