"""Shared fixtures and the skip rules for browser and seed tests.

Browser tests need Debian's Chromium; seed tests need ``../shared/seeds``. Outside CI each skips
with a clear reason when its resource is missing. In CI (``CI=true``) a missing resource is a
failure, never a silent skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO.parent / "shared" / "seeds"
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(marker: str) -> str | None:
    if marker == "browser" and not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium)"
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


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of seed articles (only for tests marked ``seeds``)."""
    return SEEDS_DIR
