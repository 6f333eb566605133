"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright, against `polevents serve`.

The database holds the bundled samples, coded by the real coder, plus a hostile article (markup in its
title, evidence, actor and place names, and a javascript: link). Skipped, with the reason, where
Chromium or Playwright is absent; never downloads a browser.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from polevents.documents import Document, read_inputs
from polevents.store.coding import code_batch
from polevents.store.db import Store
from test_web_helpers import EVIL_PLACE, IMG, SCRIPT, TITLE, documents

CHROMIUM = os.environ.get("POLEVENTS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SAMPLES = Path(__file__).resolve().parents[1] / "samples"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra: pip install -e '.[dev]'")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(base: str, path: str, **params) -> dict:
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=10) as response:  # noqa: S310 - loopback only
        return json.load(response)


@pytest.fixture(scope="module")
def database(tmp_path_factory, coder) -> Path:
    path = tmp_path_factory.mktemp("browser") / "samples.duckdb"
    samples = [item for item in read_inputs([SAMPLES]) if isinstance(item, Document)]
    assert samples, "the bundled samples are missing"
    hostile = [c for c in documents() if c.document.doc_id == "hostile"]
    with Store(path) as store:
        store.write_batch(code_batch(coder, samples))
        store.write_batch(hostile)
    return path


@pytest.fixture(scope="module")
def server(database):
    """`polevents serve` on a free loopback port, stopped after the module."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "polevents.cli", "serve", "--db", str(database),
                                "--port", str(port), "--log-level", "warning"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            get_json(base, "/api/summary")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
                pytest.fail(f"polevents serve did not start: {output}")
            time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def open_page(browser, problems: list[str], **context_options):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" else None)
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    # nothing may leave the machine: any request to another host fails the test
    page.on("request", lambda request: problems.append(f"request off the server: {request.url}")
            if not request.url.startswith(("http://127.0.0.1", "data:")) else None)
    return page


def wait_ready(page) -> None:
    page.wait_for_selector("body[data-ready='1']")


def test_dashboard_dyad_timeline_table_and_evidence(browser, server, tmp_path):
    problems: list[str] = []
    page = open_page(browser, problems)
    page.goto(server + "/")
    wait_ready(page)
    everything = get_json(server, "/api/events", limit=1)
    assert page.get_attribute("#events", "data-total") == str(everything["total"])
    assert page.locator("#timeline svg rect.bar").count() > 0  # all events over time before a dyad is set
    assert page.locator("#map circle.place").count() > 0 and page.locator("#map path.country").count() > 170
    assert page.locator("#network circle.node").count() > 0

    # set the busiest dyad in the filter bar, as a person would
    top = get_json(server, "/api/summary")["top_dyads"][0]
    a, b = top["a"], top["b"]
    page.fill("input[name=a]", a.lower())
    page.fill("input[name=b]", b)
    page.click("button[type=submit]")
    page.wait_for_selector(f"body[data-ready='1'] #timeline[data-dyad='{a}-{b}'] svg")

    series = get_json(server, "/api/dyad", a=a, b=b)
    assert page.get_attribute("#timeline", "data-total") == str(series["total"]) and series["total"] > 0
    keys = page.locator("#timeline g.series").evaluate_all("nodes => nodes.map(n => n.dataset.key)")
    assert keys == [f"{a}->{b}", f"{b}->{a}"]
    assert page.locator("#timeline rect.bar").count() > 0
    assert f"{a} ⇄ {b}" in page.inner_text("#timeline-title")

    expected = get_json(server, "/api/events", source=a, target=b, both_directions="true")
    assert page.get_attribute("#events", "data-total") == str(expected["total"])
    assert 0 < expected["total"] < everything["total"]
    rows = page.locator("#events tr.row")
    assert rows.count() == len(expected["items"]) > 0
    for k in range(rows.count()):
        codes = rows.nth(k).locator(".code").all_inner_texts()
        assert {codes[0], codes[-1]} <= {a, b}, codes

    # open the first event's evidence: the sentence with trigger, source and target marked
    first = expected["items"][0]
    rows.first.click()
    detail = page.locator("#events tr.detail")
    detail.wait_for()
    assert detail.locator("p.evidence").inner_text() == first["evidence"]
    marks = {m["role"]: first["evidence"][m["start"]:m["end"]] for m in first["highlights"]}
    assert "trigger" in marks
    assert detail.locator("mark.hl-trigger").inner_text() == marks["trigger"]
    if "source" in marks:
        assert detail.locator("mark.hl-source").inner_text() == marks["source"]
    assert rows.first.get_attribute("aria-expanded") == "true"
    screenshot = tmp_path / "dashboard.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 20_000
    if os.environ.get("POLEVENTS_SCREENSHOT"):  # keep a copy (docs/dashboard.png is made this way)
        shutil.copy(screenshot, os.environ["POLEVENTS_SCREENSHOT"])

    # every event of that article, in a dialog
    detail.locator("button.doc-button").click()
    page.wait_for_selector("dialog#document[open]")
    doc = get_json(server, f"/api/documents/{urllib.parse.quote(first['doc_id'], safe='')}")
    assert page.locator("#doc-events > li").count() == len(doc["events"])
    assert page.inner_text("#doc-title") == (doc["title"] or doc["doc_id"])
    page.keyboard.press("Escape")

    # a bad value in the filter bar: the API's message is shown, nothing breaks
    page.fill("input[name=country]", "XX")
    page.click("button[type=submit]")
    page.wait_for_selector("#error:not([hidden])")
    assert "country" in page.inner_text("#error")
    problems = [p for p in problems if "422" not in p]  # the browser logs the refused request itself
    assert problems == []
    page.context.close()


def test_markup_in_articles_shows_as_text_and_never_runs(browser, server):
    problems: list[str] = []
    # Without the Content-Security-Policy, so the test shows that the page's own escaping is what protects it
    page = open_page(browser, problems, bypass_csp=True)
    page.goto(server + "/#q=condemned&a=RUS&b=UKR")
    wait_ready(page)
    rows = page.locator("#events tr.row")
    assert rows.count() >= 1
    hostile = rows.filter(has_text="<img src=x")
    assert hostile.count() == 1  # the actor's name, as text
    hostile.click()
    detail = page.locator("#events tr.detail")
    detail.wait_for()
    text = detail.inner_text()
    assert SCRIPT in text and IMG in text and TITLE in text
    assert detail.locator("a").count() == 0  # the javascript: address is not a link
    detail.locator("button.doc-button").click()
    page.wait_for_selector("dialog#document[open]")
    assert page.inner_text("#doc-title") == TITLE
    assert page.locator("#map text", has_text=EVIL_PLACE).count() == 1
    page.mouse.move(10, 10)
    page.wait_for_timeout(300)

    assert page.evaluate("() => window.__pwned === undefined")
    assert page.evaluate("() => document.querySelectorAll('script').length") == 1  # app.js only
    assert page.evaluate("() => document.querySelectorAll('img, [onerror], [onload], [onmouseover]').length") == 0
    assert page.evaluate("() => document.querySelectorAll('a[href^=\"javascript\" i]').length") == 0
    assert problems == []
    page.context.close()
