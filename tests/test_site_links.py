"""The built site, read as files: internal links resolve, nothing is fetched off-site.

* every relative href/src in every built HTML page points at a file that exists,
  and every #anchor exists in the target page;
* no page loads a script, stylesheet, font, image or frame from another host
  (external *links* the reader may click are fine);
* no stylesheet the site serves pulls fonts or CSS from another host;
* notebook pages carry Binder, Colab and download buttons.
"""

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from site_pages import ROOT, source_of, toc_pages

# (tag, attribute) pairs whose URL the browser fetches when the page loads.
FETCHED = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
}
LINKED = {("a", "href"), ("area", "href")}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.urls = []  # (tag, attr, url, rel)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for attr in ("href", "src", "data"):
            if attrs.get(attr) is not None and (
                (tag, attr) in FETCHED or (tag, attr) in LINKED
            ):
                self.urls.append((tag, attr, attrs[attr], attrs.get("rel") or ""))


def _parse(path, cache={}):
    if path not in cache:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = page
    return cache[path]


def _html_files(html):
    return sorted(
        p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts
    )


def test_no_root_static_folder():
    # JB1 injects every .js/.css under a root _static/ into every page.
    assert not (ROOT / "_static").exists(), (
        "keep site assets out of a root folder named _static/"
    )


def test_internal_links_resolve(built_site):
    broken = []
    for page in _html_files(built_site):
        for tag, attr, url, _ in _parse(page).urls:
            parts = urlsplit(url)
            if (
                parts.scheme
                or parts.netloc
                or url.startswith(("mailto:", "javascript:", "data:"))
            ):
                continue
            if not parts.path and not parts.fragment:
                continue
            target = (
                (page.parent / unquote(parts.path)).resolve() if parts.path else page
            )
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(built_site)}: <{tag} {attr}={url!r}>"
            if not target.exists():
                broken.append(f"{where} -> missing file")
                continue
            if parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in _parse(target).ids:
                    broken.append(f"{where} -> no anchor #{parts.fragment}")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(
        broken[:50]
    )


def test_nothing_fetched_off_site(built_site):
    offsite = []
    for page in _html_files(built_site):
        for tag, attr, url, rel in _parse(page).urls:
            if (tag, attr) in LINKED or (
                tag == "link" and rel in ("canonical", "alternate")
            ):
                continue
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                offsite.append(
                    f"{page.relative_to(built_site)}: <{tag} {attr}={url!r}>"
                )
    assert not offsite, "pages load resources from other hosts:\n" + "\n".join(
        offsite[:50]
    )


def test_stylesheets_stay_on_site(built_site):
    pattern = re.compile(
        r"""(?:url\(\s*['"]?|@import\s+['"])\s*(?:https?:)?//""", re.IGNORECASE
    )
    bad = [
        str(css.relative_to(built_site))
        for css in built_site.rglob("*.css")
        if pattern.search(css.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not bad, f"stylesheets that fetch from other hosts (fonts?): {bad}"


def _notebook_pages():
    pages = []
    for page in toc_pages():
        try:
            if source_of(page).suffix == ".ipynb":
                pages.append(page)
        except FileNotFoundError:
            pages.append(page)  # the build test reports the missing file
    return pages


@pytest.mark.parametrize("page", _notebook_pages())
def test_notebook_page_has_launch_and_download_buttons(built_site, page):
    html = built_site / f"{page}.html"
    assert html.exists(), f"{page}.html was not built"
    urls = [url for _, _, url, _ in _parse(html).urls]
    assert any(
        u.startswith("https://mybinder.org/v2/gh/") and u.endswith(f"{page}.ipynb")
        for u in urls
    ), f"{page}: no Binder launch button"
    assert any(
        u.startswith("https://colab.research.google.com/github/")
        and u.endswith(f"{page}.ipynb")
        for u in urls
    ), f"{page}: no Colab launch button"
    assert any(u.endswith(f"_sources/{page}.ipynb") for u in urls), (
        f"{page}: no .ipynb download button"
    )
