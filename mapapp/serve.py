"""Start the Streamlit app as ``borderatlas app`` does, without importing Streamlit here.

The server runs as ``python -m mapapp.serve run SCRIPT [options]`` (:func:`main`): Streamlit's
own command line, in a process that first loads the data and draws the default map. A first
visit then finds them in the app's caches instead of waiting for them (at 100,000 events that
was two thirds of a 10 s first visit).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APP_MODULE = "mapapp.app"


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


# Streamlit warns on every cached call made outside a page run; the warm start makes them on
# purpose, before any page runs.
_BARE_MODE_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


def warm_start() -> float:
    """Load the data and draw the default views into the app's caches (they live in this
    process, so the server started next shares them); the seconds it took."""
    start = time.perf_counter()
    logger = logging.getLogger(_BARE_MODE_LOGGER)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        from mapapp import app

        app.warm_up()
    finally:
        logger.setLevel(level)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    """Warm the caches, then run Streamlit's command line (``argv``: ``run SCRIPT ...``) here."""
    print("borderatlas: loading the data and drawing the map…", file=sys.stderr, flush=True)
    seconds = warm_start()
    print(f"borderatlas: ready in {seconds:.1f} s", file=sys.stderr, flush=True)
    from streamlit.web.cli import main as streamlit_main

    streamlit_main(args=argv, prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
