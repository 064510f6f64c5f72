"""Start the Streamlit app as ``borderatlas app`` does, without importing Streamlit here."""

from __future__ import annotations

import sys
from pathlib import Path

from mapapp.assets import write_static_files

APP_MODULE = "mapapp.app"


def launch(port: int, headless: bool, run_dir: Path) -> list[str]:
    """Prepare ``run_dir`` (a launcher script and the offline assets under ``static/``) and
    return the command that runs the app. Streamlit serves ``<script dir>/static`` at
    ``/app/static``; the installed package may be read-only, so the assets go to ``run_dir``."""
    run_dir.mkdir(parents=True, exist_ok=True)
    write_static_files(run_dir / "static" / "vendor")
    script = run_dir / "borderatlas_app.py"
    script.write_text(f"from {APP_MODULE} import main\n\nmain()\n", encoding="utf-8")
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
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
