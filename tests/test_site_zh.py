"""The Chinese edition of the built site (html/zh/), read as files and in Chromium.

* every page of _toc.yml exists in Chinese, is marked ``lang="zh-CN"`` and shows
  no paragraph, heading, list item or table cell left in English (outside code,
  math, outputs and the bibliography; the English names of the glossary and the
  English statements of NNDL's exercises, marked 英文原题, are meant to be there);
* every page of both editions links to the same page in the other, both ways;
* equation references read 式 (n), the toc captions are Chinese, exercise boxes
  are titled 习题;
* full-text search finds Chinese words (jieba segments the body text).

JavaScript errors, math typesetting, images and requests of the zh pages are
checked with the English ones in tests/test_site_browser.py.
"""

import json
import re
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from site_pages import toc_pages

PAGES = toc_pages()
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
TEXT_BLOCKS = ["p", "li", "h1", "h2", "h3", "h4", "td", "th", "dd", "figcaption"]
# Not prose of the page: code, math, notebook outputs, bibliography, glossary terms.
SKIP = (
    "pre, code, script, style, .math, .cell_output, .output, .citation, "
    "#bibliography, .bibliography, dl.glossary > dt, .bptt-language-switcher, nav"
)


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def english_blocks(html):
    """The text blocks of a page's article that have Latin words and no Chinese."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one("article") or soup.select_one("main") or soup
    for node in main.select(SKIP):
        node.decompose()
    found = []
    for block in main.find_all(TEXT_BLOCKS):
        if block.find(TEXT_BLOCKS):  # judged by its own inner blocks
            continue
        text = " ".join(block.get_text(" ").split())
        if text.startswith("英文") or CJK.search(text):
            continue
        if len(LATIN_WORD.findall(text)) >= 4:
            found.append(text[:120])
    return found


@pytest.mark.parametrize("page", PAGES)
def test_page_is_in_chinese(built_site, page):
    path = built_site / "zh" / f"{page}.html"
    assert path.exists(), f"zh/{page}.html was not built"
    html = path.read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in html
    left = english_blocks(html)
    assert not left, f"zh/{page}: {len(left)} blocks still in English: {left[:5]}"


def test_the_heuristic_sees_an_english_paragraph():
    html = "<article><p>This sentence was never translated at all.</p><p>中文 ok</p></article>"
    assert english_blocks(html) == ["This sentence was never translated at all."]
    assert english_blocks("<article><pre>def f(): return x</pre></article>") == []


def _switcher(path):
    link = _soup(path).select_one("a.bptt-language-switcher")
    assert link is not None, f"{path.name}: no language switcher"
    return (path.parent / unquote(link["href"])).resolve()


@pytest.mark.parametrize("page", PAGES)
def test_switcher_links_both_ways(built_site, page):
    english, chinese = built_site / f"{page}.html", built_site / "zh" / f"{page}.html"
    assert _switcher(english) == chinese.resolve()
    assert _switcher(chinese) == english.resolve()


def test_equation_references_and_captions_are_chinese(built_site):
    bptt = _soup(built_site / "zh" / "chapters" / "bptt.html")
    refs = [a.get_text() for a in bptt.select("a.reference") if "(" in a.get_text()]
    assert any(r.startswith("式 (") for r in refs), refs[:5]
    assert not any(r.startswith("Eq.") for r in refs)
    captions = [c.get_text().strip() for c in bptt.select("p.caption, .caption-text")]
    assert captions and all(CJK.search(c) for c in captions), captions
    # NNDL's and the course's exercises are 习题 (sphinx-exercise: 练习 (…)); the
    # page's own numbered questions stay 练习 n
    boxes = [t.get_text().strip() for t in bptt.select(".exercise .admonition-title")]
    assert boxes[0].startswith("习题 6-1P") and boxes[1:] == ["练习 1"], boxes


def test_search_index_has_chinese_words(built_site):
    text = (built_site / "zh" / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text[text.index("(") + 1 : text.rindex(")")])["terms"]
    # jieba splits 梯度消失 / 随时间反向传播 into words; without it Sphinx only
    # indexes whole runs of Chinese characters.
    for word in ("梯度", "反向传播", "误差项"):
        assert word in terms, f"{word} is not a search term"


def test_search_finds_a_chinese_word(browser, site_url):
    tab = browser.new_page()
    try:
        tab.goto(f"{site_url}/zh/search.html?q=误差项", wait_until="load")
        tab.wait_for_selector("#search-results li", timeout=15000)
        hits = tab.locator("#search-results li").count()
    finally:
        tab.close()
    assert hits >= 3, f"search for 误差项 found {hits} pages"
