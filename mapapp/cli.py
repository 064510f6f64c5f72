"""The ``borderatlas`` command line: the public contract of ``../shared/DESIGN.md``.

Every command prints readable text by default and JSON with ``--json``; exit codes are 0 on
success, 1 on validation failure or a required match not found, 2 on bad usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from loaders import __version__
from loaders._io import DATA_DIR_ENV, DataSource

app = typer.Typer(
    name="borderatlas",
    help="Vietnam's land borders with Laos and Cambodia: provinces, crossings, cooperation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class State:
    """Options shared by every command (set by the top-level callback)."""

    source: DataSource = DataSource()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"borderatlas {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar=DATA_DIR_ENV,
            help="A folder laid out like geodata/ whose files replace the embedded ones.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    try:
        State.source = DataSource.from_env(data_dir)
    except NotADirectoryError as error:
        raise typer.BadParameter(str(error), param_hint="--data-dir") from error


def main() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":
    main()
