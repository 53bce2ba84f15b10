"""The Chinese edition is never out of sync with the English pages.

* the catalogs hold exactly the messages the pages have today (extracted afresh by
  Sphinx's gettext builder): none missing, none obsolete;
* every message is translated, none fuzzy, and each translation keeps its
  source's math, code, roles, links and bold/italic spans (tools/translations.py);
* a message that uses a glossary term in English uses the glossary's Chinese term;
* the checker itself catches each kind of broken translation.
"""

import re
import shutil
import tempfile
from pathlib import Path

import polib
import pytest

from tools import translations
from tools.make_exercises import generator_messages

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = translations.CATALOGS
PO_FILES = translations.catalogs()
UI_FILES = sorted(translations.UI.glob("*.po"))


@pytest.fixture(scope="module")
def extracted():
    """{catalog path relative to LC_MESSAGES: set of msgids} of the pages now."""
    out = Path(tempfile.mkdtemp(prefix="bptt-gettext-"))
    try:
        pot = translations.extract(out)
        result = {
            p.relative_to(pot).with_suffix(".po").as_posix(): {
                e.msgid for e in polib.pofile(str(p))
            }
            for p in pot.glob("**/*.pot")
        }
    finally:
        shutil.rmtree(out, ignore_errors=True)
    result["exercises.po"] = set(generator_messages())
    return result


def _msgids(path):
    return {e.msgid for e in polib.pofile(str(path)) if not e.obsolete}


def test_every_page_has_a_catalog(extracted):
    have = {p.relative_to(CATALOGS).as_posix() for p in PO_FILES}
    assert sorted(set(extracted) - have) == [], (
        "run: python -m tools.translations update"
    )
    assert sorted(have - set(extracted)) == [], "catalogs of pages that no longer exist"


@pytest.mark.parametrize("path", PO_FILES, ids=[p.stem for p in PO_FILES])
def test_catalog_holds_the_pages_messages(extracted, path):
    name = path.relative_to(CATALOGS).as_posix()
    have, want = _msgids(path), extracted.get(name, set())
    missing, obsolete = sorted(want - have), sorted(have - want)
    assert not missing, (
        f"{name}: {len(missing)} messages of the page are not in the catalog, e.g. "
        f"{missing[0][:100]!r}; run: python -m tools.translations update"
    )
    assert not obsolete, (
        f"{name}: {len(obsolete)} obsolete messages, e.g. {obsolete[0][:100]!r}"
    )


@pytest.mark.parametrize(
    "path", PO_FILES + UI_FILES, ids=[p.stem for p in PO_FILES + UI_FILES]
)
def test_every_message_translated_and_intact(path):
    found = translations.problems(path)
    assert not found, "\n".join(
        f"{problem}: {msgid[:100]!r}" for msgid, problem in found[:10]
    )


def _names(english):
    # Abbreviations (BPTT, LSTM ...) stay in Latin letters in Chinese text.
    return [name for name in english if not re.fullmatch(r"[A-Z]+", name)]


def _core(chinese):
    """The part of a Chinese term a sentence must use (长程依赖问题 -> 长程依赖)."""
    return re.sub(r"(问题|网络)$", "", chinese)


GLOSSARY = translations.glossary()
# NNDL's exercise statements in English, kept as they are on the Chinese pages.
QUOTED_ENGLISH = "**英文"


@pytest.mark.parametrize("english,chinese", GLOSSARY, ids=[c for _, c in GLOSSARY])
def test_catalogs_use_the_glossary_term(english, chinese):
    patterns = [re.compile(rf"\b{re.escape(n)}s?\b", re.I) for n in _names(english)]
    wrong = []
    for path in PO_FILES:
        if path.name == "glossary.po":
            continue
        for entry in polib.pofile(str(path)).translated_entries():
            if entry.msgstr.startswith(QUOTED_ENGLISH):
                continue
            text = " ".join(translations.prose_text(entry.msgid).split())
            if (
                any(p.search(text) for p in patterns)
                and _core(chinese) not in entry.msgstr
            ):
                wrong.append(f"{path.stem}: {entry.msgstr[:90]!r}")
    assert not wrong, (
        f"{english[0]} is {chinese} (glossary.md); not used in:\n"
        + "\n".join(wrong[:8])
    )


def test_glossary_keeps_the_english_names_as_targets():
    catalog = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGS / "glossary.po"))}
    for english, chinese in GLOSSARY:
        for name in [*english, chinese]:
            assert catalog.get(name) == name, f"glossary.po must keep {name!r} as it is"


BROKEN = [
    ("See {eq}`eq-a` for $x$.", "", "not translated"),
    ("See {eq}`eq-a` for $x$.", "见 {eq}`eq-b`，其中 $x$。", "roles changed"),
    ("See {eq}`eq-a` for $x$.", "见 {eq}`eq-a`，其中 $y$。", "math changed"),
    ("Call `f(x)` now.", "现在调用 `g(x)`。", "code changed"),
    ("Read [the docs](https://a.b/c).", "阅读[文档](https://a.b/d)。", "links changed"),
    ("A **gate (g)** controls it.", "**门（g）**控制它。", "bold/italic"),
    ("The forget gate decides.", "The forget gate decides.", "still English"),
    ("2. Gating", "2. 门控", "starts like a Markdown list"),
]


@pytest.mark.parametrize("msgid,msgstr,problem", BROKEN)
def test_the_checker_catches(msgid, msgstr, problem):
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
    found = translations.entry_problems(entry)
    assert any(problem in p for p in found), found


def test_the_checker_accepts_a_good_translation():
    entry = polib.POEntry(
        msgid="A **gate (g)** uses {term}`forget gate` and {eq}`eq-a`: $x$ in `f`.",
        msgstr="**门（g）** 使用{term}`遗忘门`与 {eq}`eq-a`：`f` 中的 $x$。",
    )
    assert translations.entry_problems(entry) == []


def test_fuzzy_and_obsolete_entries_fail():
    fuzzy = polib.POEntry(msgid="Hello world.", msgstr="你好，世界。", flags=["fuzzy"])
    obsolete = polib.POEntry(msgid="Gone.", msgstr="没了。", obsolete=True)
    assert "fuzzy" in translations.entry_problems(fuzzy)[0]
    assert "obsolete" in translations.entry_problems(obsolete)[0]
