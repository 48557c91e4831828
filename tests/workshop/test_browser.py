"""``ccsim workshop`` in a real browser: the command serves a small centre and a lever on a free
port of 127.0.0.1, and headless Debian chromium (through playwright) moves its controls.

The page must load with no console error and no request outside 127.0.0.1; moving a control
changes the figures; the figures are ``ccsim compare``'s on the same settings and seeds; a
setting asked again comes from the cache without simulating; an invalid setting shows the
CLI's message next to its control and nothing runs; the export writes the session's files.
Skipped when chromium is missing, unless ``CCSIM_REQUIRE_BROWSER=1`` (CI), then failed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.cli.workshop import free_port
from tests.browser import chromium_browser
from tests.text import says
from tests.workshop.small import small_files

TRY = "#lever_lever__value_self_service_voice_try_share"
#: every question runs exactly this many replications (the precision is never reached)
REPLICATIONS = 3
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The command running on a free port with the small centre and its lever."""
    folder = tmp_path_factory.mktemp("workshop")
    base, lever = small_files(folder)
    port = free_port("127.0.0.1")
    out = folder / "out"
    command = [sys.executable, "-m", "simulator", "workshop", str(base), str(lever),
               "--port", str(port), "--no-browser", "--out", str(out), "--precision", "0.0001",
               "--min-replications", "2", "--max-replications", str(REPLICATIONS),
               "--budget-seconds", "120",
               "--workers", "2"]
    log = folder / "workshop.log"
    with log.open("w", encoding="utf-8") as said:  # the command's stderr, read at the end
        server = subprocess.Popen(command, stderr=said, text=True,
                                  env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        import urllib.request

        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"the workshop ended: {log.read_text()}")
                time.sleep(0.1)
        yield {"url": f"http://127.0.0.1:{port}/", "base": base, "lever": lever,
               "folder": folder, "out": out, "server": server}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    text = log.read_text(encoding="utf-8")
    assert "binds to 127.0.0.1 only" in text, text
    assert "Traceback" not in text, text
    assert "ccsim workshop: ended" in text, text


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_browser()


def _question(page: Any) -> int:
    state = page.locator("#answer-state")
    return int(state.get_attribute("data-question")) if state.count() else 0


def _final_after(page: Any, before: int) -> dict[str, str]:
    """Wait for the final answer of a question newer than ``before``; its state."""
    page.wait_for_function(
        "(n) => { const s = document.querySelector('#answer-state');"
        " return s && +s.dataset.question > n && s.dataset.final === '1'; }",
        arg=before, timeout=WAIT_MS)
    state = page.locator("#answer-state")
    return {"text": state.inner_text(), "replications": state.get_attribute("data-replications"),
            "simulated": state.get_attribute("data-simulated"),
            "count": page.inner_text("#simulated-count")}


def _value(page: Any, ident: str) -> float:
    return float(page.get_attribute(f"#{ident}", "data-value"))


def _set(page: Any, selector: str, value: str) -> None:
    page.fill(selector, value)
    page.press(selector, "Tab")  # the control sends its value when it loses the focus


def _compare(base: Path, lever_text: str, folder: Path) -> dict[str, Any]:
    setting = folder / "setting-as-file.toml"
    setting.write_text(lever_text, encoding="utf-8")
    done = CliRunner().invoke(app, ["compare", str(base), str(setting), "--replications",
                                    str(REPLICATIONS), "--workers", "1", "--format", "json"])
    assert done.exit_code == 0, done.output
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def test_the_page_answers_like_ccsim_compare_and_from_its_cache(served: dict[str, Any],
                                                               browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    warnings: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else
            warnings.append(m.text) if m.type == "warning" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(served["url"], wait_until="load")
        first = _final_after(page, 0)
        assert first["replications"] == str(REPLICATIONS)
        base_cpc, diff = _value(page, "baseline-cpc"), _value(page, "lever_lever-difference")
        assert "voice.service_level 70 %: met in" in page.inner_text("#baseline_cards")
        # the same figures as ccsim compare on the lever file as it stands
        theirs = _compare(served["base"], served["lever"].read_text(), served["folder"])
        assert base_cpc == theirs["baseline"]["cost"]["per_contact"]["mean"]
        assert diff == theirs["scenarios"][0]["difference"]["cost"]["per_contact"]["mean"]

        # moving a control changes the figures, and they are compare's on that setting
        asked = _question(page)
        _set(page, TRY, "0.45")
        moved = _final_after(page, asked)
        assert int(moved["count"]) == int(first["count"]) + REPLICATIONS  # the lever only
        moved_diff = _value(page, "lever_lever-difference")
        assert moved_diff != diff
        theirs = _compare(served["base"], served["lever"].read_text().replace(
            "try_share = 0.3", "try_share = 0.45"), served["folder"])
        assert moved_diff == theirs["scenarios"][0]["difference"]["cost"]["per_contact"]["mean"]
        assert _value(page, "baseline-cpc") == base_cpc  # the baseline came from the cache

        # back to the first setting: from the cache, nothing simulated, the same figures
        asked = _question(page)
        _set(page, TRY, "0.3")
        back = _final_after(page, asked)
        assert back["simulated"] == "0"
        assert "from cache" in back["text"]
        assert back["count"] == moved["count"]
        assert _value(page, "lever_lever-difference") == diff
        assert page.locator("#session-list tr").count() == 3  # a header and two settings
    finally:
        page.close()
    assert errors == [], errors
    # Shiny bundles bootstrap-datepicker, whose locale files warn of deprecated names
    assert all("DEPRECATED" in w for w in warnings), warnings
    outside = [url for url in requests if not url.startswith(served["url"])
               and not url.startswith("data:")]
    assert outside == [], outside
    assert len(requests) > 5  # the page and its bundled scripts and styles


def test_an_invalid_setting_shows_the_clis_message_and_the_export_writes(
        served: dict[str, Any], browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(served["url"], wait_until="load")
        _final_after(page, 0)
        count = page.inner_text("#simulated-count")
        _set(page, TRY, "1.5")
        problem = page.locator(f"{TRY[1:].join(['#', ''])}__problem .problem")
        problem.wait_for(timeout=WAIT_MS)
        shown = problem.inner_text()
        done = CliRunner().invoke(app, ["check", str(served["lever"]), "--set",
                                        "self_service.voice.try_share=1.5"])
        assert done.exit_code == 2
        assert says(done.output, shown)
        assert shown.count("\n") == 0  # one problem, on its control
        assert "nothing is simulated" in page.inner_text("#status-line")
        assert page.inner_text("#simulated-count") == count
        _set(page, TRY, "0.3")
        page.wait_for_selector("#answer-state[data-final='1']", timeout=WAIT_MS)
        with page.expect_download() as download:
            page.click("#download_session")
        assert download.value.suggested_filename == "session.csv"
        assert download.value.path().read_text().startswith("number,lever,setting")
        page.click("#export")
        page.locator("#exported-files").wait_for(timeout=WAIT_MS)
        assert "wrote" in page.inner_text("#exported-files")
    finally:
        page.close()
    assert errors == [], errors
    folder = served["out"] / "export-01"
    assert (folder / "setting-01.toml").is_file()
    assert (folder / "session.csv").is_file()
    assert (folder / "workshop.html").is_file()
