"""The command line's global contract: version, help, data directory and exit codes."""

from __future__ import annotations

import pytest
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


def test_app_refuses_a_port_out_of_range_as_bad_usage() -> None:
    result = runner.invoke(app, ["app", "--port", "99999"])
    assert result.exit_code == 2


def test_app_serves_this_machine_only_unless_told_otherwise(tmp_path) -> None:
    from mapapp.serve import launch

    command = launch(8600, tmp_path)
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    # never headless=false: Streamlit would stop at its "Email:" prompt in a fresh home
    assert command[command.index("--server.headless") + 1] == "true"
    exposed = launch(8600, tmp_path, host="0.0.0.0")
    assert exposed[exposed.index("--server.address") + 1] == "0.0.0.0"


def test_app_launch_directory_is_new_and_private_to_the_user() -> None:
    import stat

    from mapapp.serve import private_run_dir

    first, second = private_run_dir(), private_run_dir()
    try:
        assert first != second  # never a predictable, reusable path another user could plant
        assert stat.S_IMODE(first.stat().st_mode) == 0o700
        assert first.stat().st_uid == second.stat().st_uid
    finally:
        first.rmdir()
        second.rmdir()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "units.csv: the file is empty"),
        (b"id,iso_3166_2\n", "units.csv: has a header but no units"),
        (b"id\nvn-a\n\xff\xfe\n", "units.csv:3: not UTF-8 text (byte 0xff at offset 8)"),
    ],
    ids=["empty", "header-only", "not-utf-8"],
)
def test_a_broken_units_table_is_one_line_naming_the_file(
    make_data_dir, run_main, content: bytes, says: str
) -> None:
    from loaders import boundaries

    data_dir = make_data_dir(folders=["boundaries"])
    (data_dir / "boundaries" / "units.csv").write_bytes(content)
    boundaries.read_units.cache_clear()
    result = run_main("--data-dir", data_dir, "provinces")
    assert result.code == 1
    assert says in result.one_line()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["provinces", "--as-of", "9/12/2025"], "error: Invalid value for '--as-of': "),
        (["no-such-command"], "error: No such command 'no-such-command'."),
        (["export"], "error: Missing argument 'out'."),
        (["geocode", "--country", "TH", "Huế"], "error: Invalid value for '--country': "),
    ],
    ids=["malformed-date", "unknown-command", "missing-argument", "unknown-choice"],
)
def test_bad_usage_is_one_line_naming_the_option_and_exits_2(
    run_main, args: list[str], says: str
) -> None:
    result = run_main(*args)
    assert result.code == 2
    line = result.one_line()
    assert line.startswith(says)
    command = "borderatlas" if args[0] == "no-such-command" else f"borderatlas {args[0]}"
    assert line.endswith(f"(see '{command} --help')")


def test_no_arguments_print_the_help(run_main) -> None:
    result = run_main()
    assert result.code == 2
    assert "Usage" in result.out and "boundaries-import" in result.out
