"""Measure, in a real browser, what a page cuts or scrolls sideways at a given width.

Used by tests/test_site_widths.py, and on its own to count overflowing blocks:

    python tests/site_widths.py path/to/_build/html [page ...]

A block *overflows* when its content is wider than its box (scrollWidth > clientWidth + 1):
a display equation (Sphinx's ``div.math``, MathJax's ``mjx-container[display]``), a code cell or
an output (every ``pre``).  An equation number overlaps when the box of ``.eqno`` intersects
the typeset equation.

Exempt: the interactive explorer figures (``.bptt-vega``, the Vega-Lite views of
bptt/explorer*.py), which another change makes fit at 390 px.  Deferred (reported as
``deferred``, not as overflow): the code cells of chapters/bptt that drive or check the
explorer and the δ-triangle (their source names ``explorer``, ``LiveExplorer`` or
``delta_triangle``); they belong to the explorer's rewrite, which wraps them.  Drop
OWNED_ELSEWHERE once it has.  (chapters/vanishing's such cells fit and are measured.)
"""

EXEMPT = ".bptt-vega"
OWNED_ELSEWHERE = {
    "pages": ["chapters/bptt"],
    "pattern": "explorer|LiveExplorer|delta_triangle",
}

MEASURE = """
async ([exempt, owned]) => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  if (document.querySelector('.math')) {
    for (let i = 0; i < 200 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++) {
      await sleep(50);
    }
    if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; }
  }
  await document.fonts.ready;
  const main = document.querySelector('main') || document.body;
  const visible = (el) => el.offsetParent !== null && !el.closest(exempt);
  const describe = (el, kind) => ({
    kind, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
    text: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 90),
  });
  const blocks = [];
  for (const el of main.querySelectorAll('div.math, mjx-container[display="true"]')) {
    if (visible(el)) { blocks.push([el, 'equation']); }
  }
  for (const el of main.querySelectorAll('pre')) {
    if (visible(el)) { blocks.push([el, el.closest('.cell_output, .output') ? 'output' : 'code']); }
  }
  const ownedElsewhere = (el) => {
    if (!owned) { return false; }
    const cell = el.closest('div.cell');
    const source = cell && cell.querySelector('.cell_input pre');
    return Boolean(source && new RegExp(owned).test(source.textContent));
  };
  const wide = blocks.filter(([el]) => el.scrollWidth > el.clientWidth + 1);
  const overflow = wide.filter(([el]) => !ownedElsewhere(el)).map(([el, kind]) => describe(el, kind));
  const deferred = wide.filter(([el]) => ownedElsewhere(el)).map(([el, kind]) => describe(el, kind));
  const overlaps = [];
  for (const num of main.querySelectorAll('div.math .eqno')) {
    const box = num.closest('div.math');
    const math = box && box.querySelector('mjx-math');
    if (!math || !visible(box)) { continue; }
    // the part of the formula that is visible: its box clipped to its scrolling container
    const a = num.getBoundingClientRect(), m = math.getBoundingClientRect();
    const c = (math.closest('mjx-container') || box).getBoundingClientRect();
    const b = {left: Math.max(m.left, c.left), right: Math.min(m.right, c.right),
               top: Math.max(m.top, c.top), bottom: Math.min(m.bottom, c.bottom)};
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
      overlaps.push(describe(box, 'equation number'));
    }
  }
  const page = document.scrollingElement;
  return {
    counts: {
      equation: blocks.filter(([, k]) => k === 'equation').length,
      code: blocks.filter(([, k]) => k === 'code').length,
      output: blocks.filter(([, k]) => k === 'output').length,
    },
    overflow, overlaps, deferred,
    pageOverflow: page.scrollWidth > page.clientWidth + 1 ? [page.scrollWidth, page.clientWidth] : null,
  };
}
"""


def measure(browser, url, width, height=900, page=None):
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    try:
        tab.goto(url, wait_until="load")
        tab.wait_for_load_state("networkidle")
        owned = OWNED_ELSEWHERE["pattern"] if page in OWNED_ELSEWHERE["pages"] else None
        return tab.evaluate(MEASURE, [EXEMPT, owned])
    finally:
        context.close()


if __name__ == "__main__":  # a report: overflowing blocks per page and width
    import functools
    import http.server
    import sys
    import threading
    from collections import Counter

    from playwright.sync_api import sync_playwright
    from site_pages import toc_pages

    html = sys.argv[1]
    pages = sys.argv[2:] or toc_pages()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=html)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu"],
            headless=True,
        )
        for width in (390, 768, 1280, 1920):
            total = Counter()
            for page in pages:
                info = measure(browser, f"{base}/{page}.html", width, page=page)
                kinds = Counter(b["kind"] for b in info["overflow"])
                total.update(kinds)
                total["overlap"] += len(info["overlaps"])
                total["deferred"] += len(info["deferred"])
                if kinds or info["overlaps"]:
                    print(
                        f"{width:5} {page:28} "
                        + " ".join(
                            f"{k} {v}/{info['counts'][k]}" for k, v in kinds.items()
                        )
                        + (
                            f" overlaps {len(info['overlaps'])}"
                            if info["overlaps"]
                            else ""
                        )
                    )
                    for b in info["overflow"] + info["overlaps"]:
                        print(
                            f"        {b['kind']:8} {b['scrollWidth']}>{b['clientWidth']}  {b['text'][:70]}"
                        )
            print(f"{width:5} TOTAL {dict(total)}", flush=True)
        browser.close()
