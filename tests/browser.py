"""Headless Debian chromium through playwright, for the tests that read pages in a real
browser (the HTML reports, the workshop).

Skipped when chromium or playwright is missing, unless ``CCSIM_REQUIRE_BROWSER=1`` (CI), then
failed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def unavailable(reason: str) -> None:
    """Skip, or fail where a browser is required."""
    if os.environ.get("CCSIM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"CCSIM_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def chromium_browser() -> Iterator[Any]:
    """A launched chromium for a module's ``browser`` fixture (``yield from`` it)."""
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        unavailable("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
