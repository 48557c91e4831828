"""Each kind of HTML report in a real browser: headless Debian chromium through playwright.

The page must load from file:// with no console error or warning, no failed request and no
request to anything but file: or data:; every chart must render with a real size and not be
blank. Skipped when chromium is missing, unless ``CCSIM_REQUIRE_BROWSER=1`` (CI), then failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib import image

from tests.browser import chromium_browser
from tests.report.test_html_report import KINDS, report


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_browser()


def non_background_share(png: Path) -> float:
    """Share of the pixels that differ clearly from the chart's white background."""
    pixels = np.asarray(image.imread(str(png)), dtype=np.float64)[..., :3]
    return float((np.abs(pixels - 1.0).max(axis=2) > 0.1).mean())


@pytest.mark.parametrize("kind", KINDS)
def test_report_renders_cleanly_in_chromium(browser: Any, kind: str, tmp_path: Path) -> None:
    html, charts = report(kind)
    page_file = tmp_path / f"{kind}.html"
    page_file.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    console: list[str] = []
    errors: list[str] = []
    failed: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        figures = page.locator("figure.chart svg")
        assert figures.count() == charts
        for i in range(charts):
            svg = figures.nth(i)
            box = svg.bounding_box()
            assert box is not None, (kind, i)
            assert box["width"] > 600, (kind, i, box)
            assert box["height"] > 200, (kind, i, box)
            shot = tmp_path / f"{kind}-chart{i}.png"
            svg.screenshot(path=str(shot))
            share = non_background_share(shot)
            assert 0.03 < share < 0.9, (kind, i, share)  # drawn on, not blank, not a blob
        assert page.title().endswith("· ccsim")
    finally:
        page.close()
    assert console == [], console
    assert errors == [], errors
    assert failed == [], failed
    assert requests, "the page itself was requested"
    outside = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert outside == [], outside
