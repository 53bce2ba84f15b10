"""The explorer figures work in JupyterLab, whichever renderer it picks, with no network.

Starts the test environment's JupyterLab on 127.0.0.1 (no token, a free port)
in a temporary root holding copies of two chapters, so running cells never
touches the repository; the kernel imports this checkout's ``bptt``.  Debian's
Chromium (through Playwright) then

* opens ``chapters/vanishing.ipynb``, clears its outputs, runs all cells, moves
  the σ₁ slider of the static explorer and of the δ-triangle and checks that
  each plot changed, that the figures sit in their cells' output areas, that
  they fit a 390 px window, and that no error text and no request outside
  localhost appeared;
* opens ``chapters/bptt.ipynb`` as stored, without running it: the outputs are not
  trusted, and JupyterLab draws the δ-triangle with its own Vega-Lite renderer,
  whose slider works without a kernel.

Outputs of the running session may be trusted, and then JupyterLab runs the
bundle's JavaScript fallback instead (its JavaScript renderer has rank 0, ahead
of Vega-Lite's 57); the first test accepts either renderer and says which it saw.

Chromium must be installed (``apt-get install -y chromium``); never run
``playwright install``.  A missing browser is a failure, not a skip.
Screenshots go to ``$BPTT_SCREENSHOTS`` when that is set.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
]
NATIVE = ".jp-RenderedVegaLite"  # JupyterLab's own Vega-Lite renderer
FALLBACK = ".jp-RenderedJavaScript .bptt-vega"  # the bundle's JavaScript fallback, inside its output
FIGURE = ".jp-OutputArea-output:has(svg.marks)"  # an output holding a drawn Vega view, either way
ERROR_TEXT = ("Traceback", "Error:", "Interactive figure failed", "Javascript Error")
START_TIMEOUT_S = 90
RUN_ALL_TIMEOUT_MS = 240_000


# the browser: the session fixture of tests/conftest.py (one Playwright session per run)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """Base URL of a JupyterLab serving copies of the two chapters; stopped by PID afterwards."""
    root = tmp_path_factory.mktemp("lab")
    (root / "chapters").mkdir()
    for name in ("vanishing", "bptt"):
        shutil.copy2(
            ROOT / "chapters" / f"{name}.ipynb", root / "chapters" / f"{name}.ipynb"
        )
    port = _free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    # settings, workspaces and runtime files of this run only
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
    ):
        env[var] = str(tmp_path_factory.mktemp(sub))
    settings = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab"
    for plugin, value in (
        # render every cell, not only those scrolled into view, so the test can find both figures;
        # start the notebook's own kernel without asking
        (
            "notebook-extension/tracker",
            '{"windowingMode": "none", "autoStartDefaultKernel": true}',
        ),
        (
            "apputils-extension/notification",
            '{"fetchNews": "false"}',
        ),  # no news prompt, no news request
    ):
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.token=",
        "--ServerApp.password=",
        "--LabApp.news_url=None",
        # no update check, no news, no extension manager asking PyPI: nothing leaves the machine
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if (
        os.geteuid() == 0
    ):  # CI containers run as root; JupyterLab refuses that without this flag
        cmd.append("--allow-root")
    log = open(root / "jupyterlab.log", "w")  # noqa: SIM115 -- closed in the finally below, after the server
    proc = subprocess.Popen(
        cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                urllib.request.urlopen(base + "api/status", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"JupyterLab did not start:\n{(root / 'jupyterlab.log').read_text()[-3000:]}"
                    )
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _open(browser, base, path, width=1280, close_sidebar=False):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.off_site, page.errors = [], []
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((base, "data:", "blob:", "about:", "ws://127.0.0.1"))
            else page.off_site.append(r.url)
        ),
    )
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    # a workspace of its own: a fresh layout, not the one a previous page left behind
    workspace = Path(path).stem
    page.goto(
        f"{base}lab/workspaces/{workspace}/tree/{path}", wait_until="domcontentloaded"
    )
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    if close_sidebar:  # the notebook gets the window's width
        _menu(page, "View", "File Browser")
    return page


def _shot(page, name):
    folder = os.environ.get("BPTT_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=False)


def _svg(figure):
    return figure.locator("svg.marks").inner_html()


def _menu(page, menu, item):
    page.locator(".lm-MenuBar-itemLabel").get_by_text(menu, exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def _run_all(page):
    """Clear the stored outputs, run every cell, wait until the last one has run."""
    page.wait_for_selector(
        ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
    )
    _menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(
        "() => !document.querySelector('.jp-OutputArea-output')", timeout=10_000
    )
    _menu(page, "Run", "Run All Cells")
    # every code cell has run when no prompt shows [*] and the last code cell has a number
    page.wait_for_function(
        """() => {
          const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
          return prompts.length > 0 && !prompts.some(t => t.includes('*'))
            && /\\[\\d+\\]/.test(prompts[prompts.length - 1]);
        }""",
        timeout=RUN_ALL_TIMEOUT_MS,
    )


def _wait_for_text(figure, text):
    figure.page.wait_for_function(
        "([el, text]) => el.querySelector('svg.marks').textContent.includes(text)",
        arg=[figure.element_handle(), text],
        timeout=10_000,
    )


def _move_slider(figure, value):
    """Set the figure's range input and wait until its SVG is redrawn differently."""
    before = _svg(figure)
    figure.locator("input[type=range]").fill(value)
    figure.page.wait_for_function(
        "([el, old]) => el.querySelector('svg.marks').innerHTML !== old",
        arg=[figure.element_handle(), before],
        timeout=10_000,
    )
    assert _svg(figure) != before


def test_vanishing_figures_work_after_run_all(jupyterlab, browser):
    page = _open(browser, jupyterlab, "chapters/vanishing.ipynb", close_sidebar=True)
    t0 = time.monotonic()
    _run_all(page)
    print(f"Run All Cells: {time.monotonic() - t0:.0f} s")
    figures = page.locator(FIGURE)
    try:
        page.wait_for_function(
            f"() => document.querySelectorAll('{FIGURE}').length >= 2", timeout=30_000
        )
    finally:
        _shot(page, "jupyterlab-after-run-all.png")
    assert figures.count() == 2, (
        "expected the explorer and the δ-triangle in their cells' output areas"
    )
    assert (
        page.locator("body > .bptt-vega").count() == 0
    )  # nothing was appended outside the notebook
    renderers = page.locator(f"{NATIVE}, {FALLBACK}").count()
    assert renderers == 2, (
        "each figure is drawn by the Vega-Lite renderer or the fallback"
    )
    print(
        f"after Run All: {page.locator(NATIVE).count()} native, {page.locator(FALLBACK).count()} fallback"
    )
    explorer = figures.filter(has_text="k (state index)")
    triangle = figures.filter(has_text="triangle")
    assert explorer.count() == 1 and triangle.count() == 1

    explorer.scroll_into_view_if_needed()
    assert "σ₁ = 1.00" in explorer.locator("svg.marks").text_content()
    _move_slider(explorer, "1.3")
    _wait_for_text(explorer, "σ₁ = 1.30")
    explorer.locator("select").select_option("identity")
    _wait_for_text(explorer, "exact: ‖∂L_T/∂h_k‖ = σ₁^(T−k), the bound")
    _shot(page, "jupyterlab-explorer-1280.png")

    triangle.scroll_into_view_if_needed()
    _move_slider(triangle, "0.6")
    _shot(page, "jupyterlab-triangle-1280.png")

    outputs = page.locator(".jp-OutputArea-output").all_text_contents()
    errors = [t[:200] for t in outputs if any(e in t for e in ERROR_TEXT)]
    assert errors == [], f"error text in outputs: {errors}"
    assert page.errors == [], f"page errors: {page.errors}"
    assert page.off_site == [], f"requests outside localhost: {page.off_site}"

    # A phone-wide window.  The fallback's view follows its output area (width: "container");
    # JupyterLab's own renderer keeps the embed element inline-block, so there the view keeps
    # Vega-Lite's default width (300 px plot) and the output area scrolls instead.
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1000)  # vega re-measures its container on window resize
    explorer.scroll_into_view_if_needed()
    _shot(page, "jupyterlab-explorer-390.png")
    area, box = explorer.bounding_box(), explorer.locator("svg.marks").bounding_box()
    if page.locator(FALLBACK).count():
        assert box["width"] <= area["width"] + 1, (box, area)
    else:
        assert (
            box["width"] <= 360
            and explorer.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        ), box
    page.close()


def test_stored_output_renders_without_running(
    jupyterlab, browser, name="bptt", expected="native"
):
    page = _open(browser, jupyterlab, f"chapters/{name}.ipynb")
    triangle = page.locator(FIGURE).filter(has_text="triangle")
    try:
        triangle.wait_for(timeout=30_000)
    finally:
        _shot(page, f"jupyterlab-{name}-stored.png")
    drawn_by = (
        "native"
        if "jp-RenderedVegaLite" in (triangle.get_attribute("class") or "")
        else "fallback"
    )
    assert drawn_by == expected
    _move_slider(triangle, "1.3")  # vega-embed's controls work without a kernel
    _shot(page, f"jupyterlab-{name}-stored.png")
    assert page.errors == [] and page.off_site == [], (page.errors, page.off_site)
    page.close()
