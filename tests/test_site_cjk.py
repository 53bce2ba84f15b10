"""Chinese text renders with real glyphs, from the reader's fonts (no CJK webfont).

The glossary gives every term in Chinese.  Without a CJK font in the page's font stack,
Chromium on Linux may draw each character as the same empty box ("tofu").  In the
glossary page, in the font of its text, this test draws characters on a canvas:

* two different CJK characters must give different pixels (boxes are all alike), and
  differ from an unassigned code point (U+0378, always drawn as the missing-glyph box);
* the page's font stack names a CJK font that the machine has (assets/course.css lists
  common ones after the Latin fonts; `make test` installs Debian's fonts-noto-cjk).

A screenshot of the glossary at 1280 px is saved next to the test's temporary files.
"""

DRAW = """
(sample) => {
  const p = Array.from(document.querySelectorAll('main p, main dd, main td'))
                 .find((el) => /[\\u4e00-\\u9fff]/.test(el.textContent));
  const family = getComputedStyle(p || document.body).fontFamily;
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const pixels = (ch) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = `48px ${family}`;
    ctx.fillStyle = '#000';
    ctx.fillText(ch, 4, 52);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
  };
  const [a, b] = Array.from(sample);
  return {family, found: Boolean(p), a: pixels(a), b: pixels(b), box: pixels('\\u0378'),
          inked: pixels(a).split(',').some((v, i) => i % 4 === 3 && v !== '0')};
}
"""


def test_chinese_glyphs_render_on_the_glossary(browser, site_url, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(f"{site_url}/glossary.html", wait_until="load")
        tab.wait_for_load_state("networkidle")
        tab.evaluate("() => document.fonts.ready")
        info = tab.evaluate(DRAW, "梯度")
        tab.screenshot(path=str(tmp_path / "glossary-1280.png"), full_page=False)
    finally:
        context.close()
    assert info["found"], "no Chinese text found on the glossary page"
    assert "Noto Sans CJK SC" in info["family"], (
        f"no CJK font in the page's font stack: {info['family']}"
    )
    assert info["inked"], "the CJK character drew nothing"
    assert info["a"] != info["b"], (
        "two different CJK characters look alike: missing glyphs (tofu)"
    )
    assert info["a"] != info["box"], "a CJK character looks like the missing-glyph box"
