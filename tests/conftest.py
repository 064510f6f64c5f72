"""Shared fixtures and the skip rules for browser and seed tests.

Browser tests need a Chromium (``mapapp.browser.find_chromium``, as the bench finds it); seed
tests need ``../shared/seeds``. Outside CI each skips with a clear reason when its resource is
missing. In CI (``CI=true``) a missing resource is a failure, never a silent skip.
"""

from __future__ import annotations

import errno
import itertools
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
GEODATA = REPO / "geodata"  # the embedded data
SEEDS_DIR = REPO.parent / "shared" / "seeds"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(marker: str) -> str | None:
    if marker == "browser":
        from mapapp.browser import BrowserNotFound, find_chromium

        try:
            find_chromium()
        except BrowserNotFound as error:
            return str(error)
    if marker == "seeds" and not SEEDS_DIR.is_dir():
        return f"seed articles not found at {SEEDS_DIR}"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("browser", "seeds"):
        if marker not in item.keywords:
            continue
        reason = _missing(marker)
        if reason and IN_CI:
            pytest.fail(f"CI must not skip {marker} tests: {reason}", pytrace=False)
        if reason:
            pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Record indexes go to a temporary folder, never to the user's cache (servers the tests
    start inherit it)."""
    from loaders.index import INDEX_DIR_ENV

    folder = tmp_path_factory.mktemp("index")
    before = os.environ.get(INDEX_DIR_ENV)
    os.environ[INDEX_DIR_ENV] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(INDEX_DIR_ENV, None)
    else:
        os.environ[INDEX_DIR_ENV] = before


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of seed articles (only for tests marked ``seeds``)."""
    return SEEDS_DIR


@dataclass(frozen=True)
class MainResult:
    """What a user of the console script sees: the exit code, stdout and stderr."""

    code: int
    out: str
    err: str

    def one_line(self, prefix: str = "error: ") -> str:
        """stderr, checked to be exactly one line starting with ``prefix``, no traceback."""
        lines = self.err.strip().splitlines()
        assert "Traceback" not in self.err, self.err
        assert len(lines) == 1 and lines[0].startswith(prefix), self.err
        return lines[0]


@pytest.fixture
def run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., MainResult]:
    """Run ``borderatlas ARGS...`` through the console script's entry point, ``main()``: the
    layer that turns errors into one line (CliRunner calls the Typer app below it)."""
    from mapapp.cli import main

    def run(*args: object) -> MainResult:
        capsys.readouterr()
        monkeypatch.setattr("sys.argv", ["borderatlas", *map(str, args)])
        with pytest.raises(SystemExit) as stopped:
            main()
        captured = capsys.readouterr()
        return MainResult(stopped.value.code, captured.out, captured.err)

    return run


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make a folder behave as on a read-only mount: creating a file or folder in it fails with
    EROFS. (Modes cannot show it: tests may run as root, whom a read-only mode does not stop.)"""

    def make_read_only(folder: Path) -> None:
        for name in ("mkdir", "open"):
            real = getattr(os, name)

            def refuse(path: Any, *args: Any, _real: Callable = real, **kwargs: Any) -> Any:
                if isinstance(path, str | Path) and Path(path).is_relative_to(folder):
                    raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
                return _real(path, *args, **kwargs)

            monkeypatch.setattr(os, name, refuse)

    return make_read_only


MakeDataDir = Callable[..., Path]


@pytest.fixture
def make_data_dir(tmp_path: Path) -> MakeDataDir:
    """A factory of user data directories, each new under the test's ``tmp_path``:
    ``make_data_dir("boundaries/units.csv", "events", folders=["agreements"])`` copies those
    embedded files and folders (to edit them) and creates the empty ``folders``. What it leaves
    out falls back to the embedded data, except a folder of records: an empty ``events/`` means
    the user has no events."""
    numbers = itertools.count()

    def make(*copied: str, folders: Iterable[str] = ()) -> Path:
        root = tmp_path / f"data-{next(numbers)}"
        root.mkdir()
        for folder in folders:
            (root / folder).mkdir(parents=True, exist_ok=True)
        for relative in copied:
            source, target = GEODATA / relative, root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copyfile(source, target)
        return root

    return make
