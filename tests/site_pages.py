"""Helpers shared by the site tests: the pages listed in _toc.yml."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE_SUFFIXES = (".md", ".ipynb")


def _files(entry):
    if isinstance(entry, dict):
        if "file" in entry:
            yield entry["file"]
        for key in ("parts", "chapters", "sections"):
            for child in entry.get(key, []) or []:
                yield from _files(child)
    elif isinstance(entry, list):
        for child in entry:
            yield from _files(child)


def toc_pages(root=ROOT):
    """Every document of _toc.yml, root first, without suffix (e.g. 'chapters/bptt')."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]] + list(_files(toc))
    out = []
    for page in pages:
        page = str(page)
        for suffix in SOURCE_SUFFIXES:
            page = page.removesuffix(suffix)
        if page not in out:
            out.append(page)
    return out


def source_of(page, root=ROOT):
    """The source file (.md or .ipynb) of a toc page."""
    for suffix in SOURCE_SUFFIXES:
        path = Path(root) / f"{page}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(
        f"_toc.yml lists {page!r} but neither {page}.md nor {page}.ipynb exists"
    )
