"""Start the Streamlit app as ``borderatlas app`` does, without importing Streamlit here.

The server runs as ``python -m mapapp.serve run SCRIPT [options]`` (:func:`main`): Streamlit's
own command line, in a process that first loads the data and draws the default map. A first
visit then finds them in the app's caches instead of waiting for them (at 100,000 events that
was two thirds of a 10 s first visit).

:func:`app_server` runs ``borderatlas app`` in the background on a free port, for the browser
tests and ``borderatlas bench``.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from loaders._errors import BorderAtlasError
from loaders._io import DATA_DIR_ENV

APP_MODULE = "mapapp.app"
STARTUP_SECONDS = 90.0  # the warm start included: the server answers once the data is loaded


DEFAULT_HOST = "127.0.0.1"  # the app has no login: other machines reach it only on request


def private_run_dir() -> Path:
    """A new directory only this user can enter (mode 0700, unpredictable name).

    The launcher script and the JavaScript assets the browser runs are written there: in a
    predictable shared path another user could plant a symlink or replace them.
    """
    return Path(tempfile.mkdtemp(prefix="borderatlas-app-"))


def launch(port: int, run_dir: Path, host: str = DEFAULT_HOST) -> list[str]:
    """Prepare ``run_dir`` (a launcher script and the offline assets under ``static/``) and
    return the command that runs the app on ``host:port``.

    Streamlit always runs headless: otherwise, in a fresh home directory, it stops at an
    "Email:" prompt, and with no terminal (a service, a container) it exits with status 255.
    :func:`open_browser_when_ready` opens the page instead. Streamlit serves
    ``<script dir>/static`` at ``/app/static``; the installed package may be read-only, so the
    assets go to ``run_dir``, which must be private (:func:`private_run_dir`)."""
    from mapapp.assets import write_static_files  # imports folium: only when the app starts

    write_static_files(run_dir / "static" / "vendor")
    script = run_dir / "borderatlas_app.py"
    script.write_text(f"from {APP_MODULE} import main\n\nmain()\n", encoding="utf-8")
    return [
        sys.executable,
        "-m",
        __name__,  # mapapp.serve: Streamlit's command line after a warm start (main)
        "run",
        str(script),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.enableStaticServing",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--theme.base",
        "light",
        "--client.toolbarMode",
        "minimal",
    ]


def has_display() -> bool:
    """Whether a browser window can be opened here (a desktop session, not a server)."""
    desktop = sys.platform in ("darwin", "win32")
    return desktop or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# Run in a detached Python: wait (up to a minute) until the server answers, then open the page.
_OPENER = """
import socket, sys, time, webbrowser
host, port, url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for _ in range(240):
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        time.sleep(0.25)
    else:
        webbrowser.open(url)
        break
"""


def open_browser_when_ready(host: str, port: int, url: str) -> None:
    """Open ``url`` in the user's browser once the app listens, from a detached process (the
    command itself becomes the server)."""
    subprocess.Popen(  # our own interpreter and fixed code; no shell
        [sys.executable, "-c", _OPENER, host, str(port), url],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# Streamlit warns of every cached function defined or called outside a page run; the warm start
# does that on purpose, before any page runs.
_BARE_MODE_LOGGERS = (
    "streamlit.runtime.scriptrunner_utils.script_run_context",
    "streamlit.runtime.caching.cache_data_api",
)


class IndexProgress:
    """Tells stderr how far a long index build is, every tenth of the way (a data directory of
    100,000 records takes most of a minute the first time)."""

    def __init__(self) -> None:
        from loaders.index import PROGRESS_FROM  # here: this module is imported by every command

        self.report_from = PROGRESS_FROM
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        tenth = done * 10 // total if total >= self.report_from else -1
        if tenth > self.shown:
            self.shown = tenth
            print(
                f"borderatlas: indexing records {done:,} of {total:,}", file=sys.stderr, flush=True
            )


def warm_start() -> float:
    """Load the data and draw the default views into the app's caches (they live in this
    process, so the server started next shares them); the seconds it took."""
    start = time.perf_counter()
    import streamlit  # noqa: F401  (creates its loggers and sets their levels: set ours after)

    loggers = [logging.getLogger(name) for name in _BARE_MODE_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        from mapapp import app

        app.warm_up(IndexProgress())
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    """Warm the caches, then run Streamlit's command line (``argv``: ``run SCRIPT ...``) here."""
    print("borderatlas: loading the data and drawing the map…", file=sys.stderr, flush=True)
    seconds = warm_start()
    print(f"borderatlas: ready in {seconds:.1f} s", file=sys.stderr, flush=True)
    from streamlit.web.cli import main as streamlit_main

    streamlit_main(args=argv, prog_name="streamlit")


class AppStartError(BorderAtlasError):
    """The app started in the background did not answer; the message ends with its log."""


class RunningApp(NamedTuple):
    url: str
    pid: int  # the server's own: `borderatlas app` execs it, so no child holds the memory


def free_port() -> int:
    """A localhost port free right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((DEFAULT_HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def app_server(data_dir: str | Path | None, run_dir: Path) -> Iterator[RunningApp]:
    """``borderatlas [--data-dir DIR] app --headless`` on a free localhost port, until the
    ``with`` block ends; ready (its health check answers) when yielded.

    It runs in a session of its own, so stopping it stops everything it started and nothing
    else. ``run_dir`` holds its log and, as its ``TMPDIR``, its private run directory."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}  # only an explicit one
    env["TMPDIR"] = str(run_dir)
    options = ["--data-dir", str(data_dir)] if data_dir else []
    command = [sys.executable, "-m", "mapapp.cli", *options, "app", "--port", str(port)]
    log = run_dir / "streamlit.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [*command, "--headless"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://{DEFAULT_HOST}:{port}"
    try:
        _wait_healthy(url, server, log)
        yield RunningApp(url, server.pid)
    finally:
        _stop(server)


def _wait_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    state = "did not answer" if server.poll() is None else f"exited {server.returncode}"
    raise AppStartError(f"the app {state}: {log.read_text()[-500:]}")


def _stop(server: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)  # the session it started in, and nothing else
            server.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


if __name__ == "__main__":
    main(sys.argv[1:])
