"""Page weight of the built site: requests per page and bytes a reader downloads.

Each page of _toc.yml is opened in Chromium (Debian's /usr/bin/chromium, driven by
Playwright, as in the browser tests) from a local server, with a fresh cache, and every
response it loads is recorded (HTML, CSS, JavaScript, fonts, images, MathJax components
loaded on demand).  For each response the body is gzip-compressed (level 6, what a
static host such as GitHub Pages sends for text), so ``gzip_bytes`` is what crosses the
network; fonts and PNGs barely shrink.  Every page is measured alone (cold cache).

    PYTHONPATH=$PWD python bench/page_weight.py path/to/_build/html

Returns / prints, per page: requests, raw bytes, gzip bytes; then the heaviest page.
"""

import functools
import gzip
import http.server
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(html):
    handler = functools.partial(_Quiet, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def page_weights(html, pages=None):
    """{page: {"requests": n, "raw_bytes": b, "gzip_bytes": g, "largest": [(gzip, url), ...]}}."""
    from playwright.sync_api import Error, sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from site_pages import toc_pages

    pages = pages or toc_pages()
    server, base = _serve(html)
    results = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-quic"],
            )
            for page in pages:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                tab = context.new_page()
                responses = []
                tab.on("response", lambda r, seen=responses: seen.append(r))
                tab.goto(f"{base}/{page}.html", wait_until="load")
                tab.wait_for_load_state("networkidle")
                sizes = []
                for r in responses:
                    try:
                        body = r.body()
                    except Error:  # redirects and aborted requests have no body
                        continue
                    sizes.append(
                        (
                            len(gzip.compress(body, 6)),
                            len(body),
                            r.url.removeprefix(base),
                        )
                    )
                context.close()
                results[page] = {
                    "requests": len(responses),
                    "raw_bytes": sum(s[1] for s in sizes),
                    "gzip_bytes": sum(s[0] for s in sizes),
                    "largest": sorted(((g, u) for g, _, u in sizes), reverse=True)[:5],
                }
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return results


def report(results, out=sys.stdout):
    """Print the table; return (heaviest page, its gzip bytes, its requests)."""
    print(f"{'page':30} {'requests':>8} {'raw kB':>8} {'gzip kB':>8}", file=out)
    for page, r in results.items():
        print(
            f"{page:30} {r['requests']:8d} {r['raw_bytes'] / 1e3:8.0f} {r['gzip_bytes'] / 1e3:8.0f}",
            file=out,
        )
    heaviest = max(results, key=lambda p: results[p]["gzip_bytes"])
    r = results[heaviest]
    print(
        f"heaviest page: {heaviest}, {r['gzip_bytes'] / 1e3:.0f} kB gzip in {r['requests']} requests; largest:",
        ", ".join(f"{u} {g / 1e3:.0f} kB" for g, u in r["largest"]),
        file=out,
    )
    return heaviest, r["gzip_bytes"], r["requests"]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    report(page_weights(Path(sys.argv[1])))
