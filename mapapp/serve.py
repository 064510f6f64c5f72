"""Start the Streamlit app as ``borderatlas app`` does, without importing Streamlit here."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

APP_MODULE = "mapapp.app"


DEFAULT_HOST = "127.0.0.1"  # the app has no login: other machines reach it only on request


def private_run_dir() -> Path:
    """A new directory only this user can enter (mode 0700, unpredictable name).

    The launcher script and the JavaScript assets the browser runs are written there: in a
    predictable shared path another user could plant a symlink or replace them.
    """
    return Path(tempfile.mkdtemp(prefix="borderatlas-app-"))


def launch(port: int, headless: bool, run_dir: Path, host: str = DEFAULT_HOST) -> list[str]:
    """Prepare ``run_dir`` (a launcher script and the offline assets under ``static/``) and
    return the command that runs the app on ``host:port``. Streamlit serves
    ``<script dir>/static`` at ``/app/static``; the installed package may be read-only, so the
    assets go to ``run_dir``, which must be private (:func:`private_run_dir`)."""
    from mapapp.assets import write_static_files  # imports folium: only when the app starts

    write_static_files(run_dir / "static" / "vendor")
    script = run_dir / "borderatlas_app.py"
    script.write_text(f"from {APP_MODULE} import main\n\nmain()\n", encoding="utf-8")
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true" if headless else "false",
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
