"""The command line's global contract: version, help, data directory and exit codes."""

from __future__ import annotations

from typer.testing import CliRunner

from loaders import __version__
from mapapp.cli import app

runner = CliRunner()


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"borderatlas {__version__}"


def test_help_lists_the_data_dir_option() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "--data-dir" in result.stdout
