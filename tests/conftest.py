"""Shared pytest fixtures.

``built_site``: the book built strictly in both editions (``python -m
tools.build_book --out <tmp>``, exactly like ``make book``: English in html/,
Chinese in html/zh/) into a temporary directory, once per test session; returns
the path of the html folder.  Any build failure fails the
fixture (and every test that uses it) with the end of the build log and the
execution reports of notebooks that raised; nothing is skipped.  The build
needs the vendored site assets (``make install`` or ``npm ci && python -m
tools.vendor_assets``).

``site_url`` serves that build on 127.0.0.1; ``browser`` is Debian's Chromium driven by
Playwright.  Both are session-wide: one server and one Playwright session for every
browser test (tests/test_site_*.py); two sync Playwright sessions cannot coexist.
"""

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tail(text, lines=60):
    return "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Path of ``_build/html`` of a fresh strict build of the book."""
    mathjax = ROOT / "vendor" / "mathjax" / "tex-mml-chtml.js"
    if not mathjax.exists():
        pytest.fail(
            f"{mathjax.relative_to(ROOT)} is missing: the site serves its own JavaScript from vendor/, "
            "which `make install` creates (npm ci && python -m tools.vendor_assets)",
            pytrace=False,
        )
    out = tmp_path_factory.mktemp("book")
    env = dict(os.environ)
    # Notebook kernels must import this checkout's `bptt`, not another install.
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    cmd = [sys.executable, "-m", "tools.build_book", "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    html = out / "_build" / "html"
    if proc.returncode != 0 or not (html / "index.html").exists():
        reports = sorted(out.glob("**/reports/**/*.err.log"))
        details = "\n".join(f"--- {r.name}\n{_tail(r.read_text())}" for r in reports)
        pytest.fail(
            f"strict book build failed (exit {proc.returncode}): {' '.join(cmd)}\n"
            f"--- stdout (end) ---\n{_tail(proc.stdout)}\n--- stderr (end) ---\n{_tail(proc.stderr)}\n{details}",
            pytrace=False,
        )
    return html


CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
]


@pytest.fixture(scope="session")
def site_url(built_site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's Chromium. Install it with "
            "`apt-get update && apt-get install -y chromium` (`make test` does this); "
            "do not use `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        yield browser
        browser.close()
