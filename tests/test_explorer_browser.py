"""The static gradient-norm explorer works in a browser with no kernel and no network.

Serves the strictly built site (fixture ``built_site``) with ``python -m
http.server`` on 127.0.0.1, opens the chapter in Debian's Chromium through
Playwright, moves the controls and checks that the plot changes and that the
page never requests anything outside localhost.

Chromium must be installed (``apt-get install -y chromium``); never run
``playwright install``.  A missing browser is a failure, not a skip.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
]
EXPLORER = "div[id^=bptt-explorer]"
TRIANGLE = "div[id^=bptt-delta]"


@pytest.fixture(scope="module")
def server(built_site):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(built_site),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("python -m http.server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# the browser: the session fixture of tests/conftest.py (one Playwright session per run)


def _svg(page, selector):
    return page.locator(f"{selector} svg").first.inner_html()


def _state(page, selector):
    return page.locator(selector).get_attribute("data-explorer-state")


def test_static_explorer_reacts_to_every_control_offline(server, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    requests, errors, failed = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(server + "chapters/vanishing.html", wait_until="load")
    page.wait_for_selector(
        f"{EXPLORER}[data-explorer-state*=sigma1] svg", timeout=20000
    )
    root = page.locator(EXPLORER)

    seen = [_svg(page, EXPLORER)]
    assert '"sigma1":1' in _state(page, EXPLORER)

    def changed(action, expect_in_state):
        action()
        page.wait_for_function(
            "([sel, s]) => document.querySelector(sel).getAttribute('data-explorer-state').includes(s)",
            arg=[EXPLORER, expect_in_state],
            timeout=10000,
        )
        svg = _svg(page, EXPLORER)
        assert svg not in seen, f"plot did not change after setting {expect_in_state}"
        seen.append(svg)

    changed(lambda: root.locator("input[type=range]").fill("1.3"), '"sigma1":1.3')
    changed(lambda: root.locator("input[type=radio][value='200']").check(), '"T":200')
    changed(lambda: root.locator("select").select_option("relu"), '"act":"relu"')
    changed(lambda: root.locator("input[type=checkbox]").check(), '"res":true')
    badge = root.locator("svg").first.text_content()
    assert "σ₁ = 1.30" in badge and "residual update (6.50):" in badge

    # the δ-triangle heat map on the same page
    page.wait_for_selector(
        f"{TRIANGLE}[data-explorer-state*=sigma1] svg", timeout=20000
    )
    before = _svg(page, TRIANGLE)
    page.locator(f"{TRIANGLE} input[type=range]").fill("0.6")
    page.wait_for_function(
        "sel => document.querySelector(sel).getAttribute('data-explorer-state').includes('0.6')",
        arg=TRIANGLE,
        timeout=10000,
    )
    assert _svg(page, TRIANGLE) != before

    off_site = [
        u
        for u in requests
        if not (u.startswith(server) or u.startswith(("data:", "blob:", "about:")))
    ]
    assert off_site == [], f"requests outside localhost: {off_site}"
    assert failed == [], f"failed requests: {failed}"
    assert errors == [], f"page errors: {errors}"
    # the figures carry their own Vega (the bundle's JavaScript fallback): nothing is fetched for them
    assert not [u for u in requests if "vega" in u.rsplit("/", 1)[-1]], requests
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_static_figures_fit_the_column(server, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(server + "chapters/vanishing.html", wait_until="load")
    for selector in (EXPLORER, TRIANGLE):
        page.wait_for_selector(
            f"{selector}[data-explorer-state*=sigma1] svg", timeout=20000
        )
        figure = page.locator(selector)
        figure.scroll_into_view_if_needed()
        column = figure.evaluate(
            "e => e.closest('article, main, .bd-article').getBoundingClientRect().width"
        )
        # the figure's full width (plot, legend, controls) within the text column
        assert figure.evaluate("e => e.scrollWidth") <= column + 1, (
            selector,
            width,
            column,
        )
        if shots := os.environ.get("BPTT_SCREENSHOTS"):
            figure.screenshot(path=f"{shots}/site-{selector[8:14]}-{width}.png")
    page.close()
