"""Sphinx extension: the Chinese edition from the same sources (``local_extensions``).

The English pages are the source; ``locales/zh_CN/LC_MESSAGES/**.po`` hold the
translations (``make translations`` extracts and merges them).  This extension
fills the gaps of the standard gettext workflow on this stack:

- display math is never a message (math is the same in both editions);
- sphinx-exercise titles (``:::{exercise} 6-2 (NNDL): ...``) become messages;
- ``_toc.yml`` part captions, inserted after Sphinx's translation pass, are
  translated from the root page's catalog;
- the Chinese edition gets 式 (n) equation references, its own title, and
  exercise boxes titled 习题 6-2（NNDL）：… as NNDL says (sphinx-exercise: 练习 (…));
- every page links to the same page in the other edition (header button and
  ``<link rel="alternate" hreflang>``);
- ``{glue:text}`` works in translated paragraphs (Sphinx parses a translation as
  a separate small document, which lacks the notebook's glue data).

The edition is chosen by the Sphinx setting ``language`` (``-D language=zh_CN``,
see tools/build_book.py); English is the default.
"""

import sys
from pathlib import Path

import polib
from docutils import nodes
from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.i18n import docname_to_domain

# language -> (subfolder of the English site, button label, html lang, page title)
EDITIONS = {
    "en": ("", "English", "en", None),
    "zh_CN": ("zh", "中文", "zh-CN", "手推 BPTT"),
}
# Words jieba should not split for the search index, besides the glossary's terms.
SEARCH_WORDS = [
    "反向传播",
    "循环神经网络",
    "神经网络",
    "门控机制",
    "内部状态",
    "净输入",
]


ROOT = Path(__file__).resolve().parent.parent
UI_CATALOGS = ROOT / "locales" / "ui"  # the themes' strings their zh catalogs lack


def is_zh(config):
    return (config.language or "en").startswith("zh")


class PrepareMessages(SphinxTransform):
    """Before Sphinx's Locale transform (priority 20) and the gettext builder."""

    default_priority = 15

    def apply(self, **kwargs):
        for math in self.document.findall(nodes.math_block):
            math["translatable"] = False
        for title in self.document.findall(nodes.subtitle):
            # sphinx-exercise builds its subtitle without source or rawsource,
            # which Sphinx needs to treat a node as a message.
            if title.source or not title.children:
                continue
            parent = title.parent
            while parent is not None and not parent.source:
                parent = parent.parent
            title.source = parent.source if parent is not None else self.env.docname
            title.line = parent.line if parent is not None else 0
            title.rawsource = title.astext()
            # The gettext builder reads the resolved doctree, where
            # sphinx-exercise has rebuilt the title; keep the message.
            self.document.setdefault("bptt_titles", []).append(
                (title.rawsource, title.source, title.line)
            )


def extract_exercise_titles(app, doctree, docname):
    """For the gettext builder: the exercise titles as messages of the page."""
    if app.builder.name != "gettext":
        return
    for text, source, line in doctree.get("bptt_titles", []):
        message = nodes.paragraph(text, text)
        message.source, message.line = source, line
        message.uid = ""  # the gettext catalog skips nodes without one
        doctree += message


class TranslateTocCaptions(SphinxTransform):
    """sphinx-external-toc inserts the part captions after the Locale transform."""

    default_priority = 900

    def apply(self, **kwargs):
        if not is_zh(self.config) or self.app.builder.name == "gettext":
            return
        toctrees = [
            t for t in self.document.findall(addnodes.toctree) if t.get("caption")
        ]
        if not toctrees:
            return
        dirs = [Path(self.env.srcdir, d) for d in self.config.locale_dirs]
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        catalog, found = init_locale(dirs, self.config.language, domain)
        if not found:
            return
        for toctree in toctrees:
            toctree["caption"] = catalog.gettext(toctree["caption"])


class ChineseExerciseTitles(SphinxPostTransform):
    """习题 6-2（NNDL）：… instead of sphinx-exercise's 练习 (6-2（NNDL）：…)."""

    default_priority = 30  # after sphinx-exercise resolves its titles (20)

    def run(self, **kwargs):
        if not is_zh(self.config):
            return
        from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

        for box in self.document.findall(
            lambda n: isinstance(n, (exercise_node, exercise_enumerable_node))
        ):
            title = box.children[0] if box.children else None
            if not isinstance(title, nodes.title) or len(title.children) < 3:
                continue
            ends = (str(title[0]), str(title[1]), str(title[-1]))
            if ends == ("练习", " (", ")"):
                title[0], title[1] = nodes.Text("习题"), nodes.Text(" ")
                title.remove(title[-1])


def glue_in_translations():
    """Let myst-nb's glue roles and directives find the notebook of a translation.

    myst-nb keeps a notebook's renderer (and its glue data) on the document only
    while it parses the notebook; Sphinx parses the translated paragraphs later,
    as separate small documents, during the same read.
    """
    from myst_nb.core.render import NbElementRenderer
    from myst_nb.ext.glue import directives, roles, utils

    if getattr(NbElementRenderer, "_bptt_kept", False):
        return
    original, original_init = utils.retrieve_glue_data, NbElementRenderer.__init__
    kept = []

    def keep_renderer(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        kept[:] = [self]

    def retrieve_glue_data(document, key):
        env = getattr(document.settings, "env", None)
        if "nb_renderer" in document or not kept or env is None:
            return original(document, key)
        if kept[0].renderer.document.get("source") != str(env.doc2path(env.docname)):
            return original(document, key)
        document["nb_renderer"] = kept[0]
        try:
            return original(document, key)
        finally:  # the small document must stay picklable
            del document["nb_renderer"]

    roles.retrieve_glue_data = directives.retrieve_glue_data = retrieve_glue_data
    NbElementRenderer.__init__ = keep_renderer
    NbElementRenderer._bptt_kept = True


def configure(app, config):
    if not is_zh(config):
        return
    glue_in_translations()
    config.math_eqref_format = "式 ({number})"
    config.html_title = EDITIONS["zh_CN"][3]
    config.html_search_options = {"dict": str(search_dictionary(app.doctreedir))}
    options = dict(config.html_theme_options or {})
    options["search_bar_text"] = "搜索本书……"  # Jupyter Book sets the English one
    config.html_theme_options = options
    # The themes' strings their Chinese catalogs lack (locales/ui/; Sphinx's own
    # and pydata's "sphinx" domain is read from locale_dirs, which lists it too).
    # Sphinx compiles only its own domain's .po before it loads catalogs.
    po = UI_CATALOGS / "zh_CN" / "LC_MESSAGES" / "booktheme.po"
    polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))
    app.add_message_catalog("booktheme", str(UI_CATALOGS))


def search_dictionary(folder):
    """A jieba user dictionary: the glossary's Chinese terms stay whole words."""
    if str(ROOT) not in sys.path:  # Sphinx imports this file from tools/
        sys.path.insert(0, str(ROOT))
    from tools.translations import glossary

    words = [chinese for _, chinese in glossary()] + SEARCH_WORDS
    path = Path(folder) / "jieba-words.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{w} 100000 n\n" for w in words), encoding="utf-8")
    return path


def other_edition(language, pagename):
    """(label, hreflang, relative url) of this page in the other edition."""
    up = "../" * pagename.count("/")
    if (language or "en").startswith("zh"):
        _, label, lang, _ = EDITIONS["en"]
        return label, lang, f"{up}../{pagename}.html"
    folder, label, lang, _ = EDITIONS["zh_CN"]
    return label, lang, f"{up}{folder}/{pagename}.html"


def add_switcher(app, pagename, templatename, context, doctree):
    label, lang, url = other_edition(app.config.language, pagename)
    context["bptt_other_edition"] = {"label": label, "lang": lang, "url": url}
    context["metatags"] = (
        context.get("metatags", "")
        + f'\n<link rel="alternate" hreflang="{lang}" href="{url}">'
    )


def add_switcher_to_header(app, config):
    options = dict(config.html_theme_options or {})
    end = options.get("article_header_end") or ["article-header-buttons.html"]
    if isinstance(end, str):
        end = [s.strip() for s in end.split(",") if s.strip()]
    if "language-switcher.html" not in end:
        options["article_header_end"] = ["language-switcher.html", *end]
    config.html_theme_options = options
    templates = str(Path(__file__).with_name("templates"))
    if templates not in config.templates_path:
        config.templates_path = [*config.templates_path, templates]


def setup(app):
    app.add_transform(PrepareMessages)
    app.add_transform(TranslateTocCaptions)
    app.add_post_transform(ChineseExerciseTitles)
    app.connect("config-inited", configure)
    app.connect("config-inited", add_switcher_to_header)
    app.connect("html-page-context", add_switcher)
    app.connect("doctree-resolved", extract_exercise_titles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
