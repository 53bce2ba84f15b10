"""Every page of _toc.yml, opened in a real browser over the built site.

Both editions: the English pages and the Chinese ones under zh/.
Debian's Chromium (/usr/bin/chromium, installed by `make test`) is driven by
Playwright from PyPI -- never `playwright install`.  The site is served on
127.0.0.1 by http.server in a thread.  For each page:

* it loads (HTTP 200) with no JavaScript error (console error or uncaught exception);
* no request leaves 127.0.0.1 (off-site requests are aborted and reported) and
  no request fails (404, aborted...);
* every equation is typeset by MathJax: each math element holds an
  ``mjx-container`` and no raw ``$$``, ``\\[``, ``\\(``, ``\\frac`` or ``$\\cmd`` is left in
  the text (widget labels included);
* every image has loaded (``naturalWidth > 0``);
* every link text is resolved (no ``???`` or ``undefined``);
* embedded widget state is rendered into live widgets.

If Chromium is missing the tests fail with a message saying how to install it.
The ``browser`` and ``site_url`` fixtures live in tests/conftest.py (one Playwright
session shared by every browser test).
"""

import re

import pytest
from site_pages import toc_pages

# Every toc page in both editions, plus Sphinx's search page with a query (theme +
# search JavaScript).
PAGES = [
    *toc_pages(),
    "search.html?q=gradient",
    *(f"zh/{page}" for page in toc_pages()),
    "zh/search.html?q=梯度",
]


# Runs in the page: wait for MathJax and the widgets, then report what is on it.
INSPECT = """
async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  if (document.querySelector('.math')) {
    for (let i = 0; i < 200 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++) {
      await sleep(50);
    }
    if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; }
  }
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
  for (let i = 0; i < 200 && document.querySelectorAll('.widget-subarea').length < views.length; i++) {
    await sleep(50);
  }
  const imgs = Array.from(document.querySelectorAll('img'));
  for (const img of imgs) { img.loading = 'eager'; }
  await Promise.all(imgs.map((img) => img.complete ? null :
      new Promise((r) => { img.addEventListener('load', r); img.addEventListener('error', r); })));
  const main = document.querySelector('main') || document.body;
  const clone = main.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, .highlight, textarea')
       .forEach((n) => n.remove());
  return {
    mathElements: document.querySelectorAll('.math').length,
    untypeset: Array.from(document.querySelectorAll('.math'))
        .filter((m) => !m.querySelector('mjx-container') && m.tagName !== 'MJX-CONTAINER')
        .map((m) => m.textContent.trim().slice(0, 80)),
    mjx: document.querySelectorAll('mjx-container').length,
    text: clone.textContent,
    brokenImages: imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src),
    badLinks: Array.from(document.querySelectorAll('a'))
        .map((a) => a.textContent.trim()).filter((t) => /\\?\\?\\?|\\bundefined\\b/.test(t)),
    widgetViews: views.length,
    widgetsRendered: document.querySelectorAll('.widget-subarea').length,
  };
}
"""

RAW_MATH = ["$$", "\\[", "\\(", "\\frac", "\\begin{"]
RAW_DOLLAR = re.compile(r"\$\\[A-Za-z]")  # "$\gamma" left as text (e.g. a widget label)


@pytest.mark.parametrize("page", PAGES)
def test_page_in_browser(browser, site_url, page):
    context = browser.new_context()
    tab = context.new_page()
    errors, offsite, failed = [], [], []

    def route(r):
        url = r.request.url
        if url.startswith(site_url + "/") or url.startswith(
            ("data:", "blob:", "about:")
        ):
            r.continue_()
        else:
            offsite.append(url)
            r.abort()

    tab.route("**/*", route)
    tab.on(
        "console",
        lambda m: (
            errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None
        ),
    )
    tab.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    tab.on(
        "requestfailed",
        lambda r: (
            failed.append(f"{r.url} ({r.failure})")
            if r.url.startswith(site_url)
            else None
        ),
    )
    tab.on(
        "response",
        lambda r: (
            failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None
        ),
    )
    try:
        url = f"{site_url}/{page}" if ".html" in page else f"{site_url}/{page}.html"
        response = tab.goto(url, wait_until="load")
        assert response is not None and response.status == 200, (
            f"{page}.html: HTTP {response and response.status}"
        )
        tab.wait_for_load_state("networkidle")
        info = tab.evaluate(INSPECT)
        tab.wait_for_load_state("networkidle")
    finally:
        context.close()

    assert not offsite, f"{page}: requests leaving the site: {offsite}"
    assert not failed, f"{page}: failed requests: {failed}"
    assert not errors, f"{page}: JavaScript errors: {errors}"
    if info["mathElements"]:
        assert info["mjx"] > 0, (
            f"{page}: {info['mathElements']} math elements but MathJax typeset none"
        )
    assert not info["untypeset"], (
        f"{page}: math left untypeset: {info['untypeset'][:5]}"
    )
    if "search.html" not in page:  # search snippets are source text, TeX included
        raw = [s for s in RAW_MATH if s in info["text"]] + RAW_DOLLAR.findall(
            info["text"]
        )
        assert not raw, f"{page}: raw TeX in the visible text: {raw}"
    # a glued value shown as a repr ("np.float64(0.86)") instead of a number
    assert "np.float64(" not in info["text"], (
        f"{page}: a glued NumPy scalar shows its repr"
    )
    assert not info["brokenImages"], (
        f"{page}: images that did not load: {info['brokenImages']}"
    )
    assert not info["badLinks"], (
        f"{page}: unresolved cross-references: {info['badLinks']}"
    )
    assert info["widgetsRendered"] >= info["widgetViews"], (
        f"{page}: {info['widgetViews']} embedded widgets, {info['widgetsRendered']} rendered"
    )
