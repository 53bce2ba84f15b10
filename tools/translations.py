"""The Chinese edition's catalogs: extract, merge, check.

    python -m tools.translations update         # pages -> locales/zh_CN/**.po (sphinx-intl)
    python -m tools.translations check [PO ...]  # what is missing, fuzzy or broken

``update`` extracts every page's messages (gettext builder, notebooks not executed:
outputs are never messages), merges them into ``locales/zh_CN/LC_MESSAGES`` with
sphinx-intl, drops obsolete entries (git keeps them) and fills in the messages that
have nothing to translate (math, code, names).  Changed English paragraphs come
back *fuzzy*: translate them again and remove the flag.

``check`` is what tests/test_translations.py asserts: every message translated,
none fuzzy or obsolete, and each translation keeps its source's math, code,
links and cross-references.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
CATALOGS = LOCALES / "zh_CN" / "LC_MESSAGES"

MATH = re.compile(r"\$\$.*?\$\$|\$[^$]+\$", re.S)
CODE = re.compile(r"``.+?``|`[^`]+`")
ROLE = re.compile(
    r"(?<![A-Za-z0-9_}`])\{([\w:-]+)\}(`+)(.*?)\2", re.S
)  # not inside code
LINK = re.compile(r"\]\(([^)\s]+)\)")
URL = re.compile(r"https?://\S+")
# Role contents that are shown as they are, whatever the language.
KEEP_CONTENT = {
    "eq",
    "cite",
    "cite:p",
    "cite:t",
    "math",
    "glue:text",
    "glue",
    "glue:md",
}
# Names that stay in Latin letters in Chinese text.
NAMES = set(
    """BPTT RTRL RNN RNNs LSTM LSTMs GRU GRUs NNDL PyTorch NumPy Adam d2l tanh softmax
    sigmoid deeplearning ai Colab Binder JupyterLab Jupyter VS Code Gradescope CSV
    MathJax Vega Vega-Lite CPU GPU BLAS float64 float32 TBPTT DT-RNN DO-RNN KJV nbval
    pytest bubblewrap ReLU SGD et al""".split()
)
# A heading "2. Gating" would come back as a list when its translation is parsed.
BLOCK_START = re.compile(r"^(\d+[.)]|[-+*>#]|=+)\s")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


def roles(text):
    """The cross-references and roles a message must keep: (role, target)."""
    found = []
    for name, _, content in ROLE.findall(text):
        target = re.search(r"<([^<>]+)>\s*$", content)
        if name == "term":
            found.append((name, ""))  # the shown term may be the Chinese one
        elif name in KEEP_CONTENT or not target:
            found.append((name, content.strip()))
        else:
            found.append((name, target.group(1).strip()))
    return sorted(found)


def signature(text):
    """What a translation must keep unchanged: math, code, roles, link targets."""
    without_roles = ROLE.sub(" ", text)
    return (
        sorted(MATH.findall(CODE.sub(" ", without_roles))),
        sorted(CODE.findall(MATH.sub(" ", without_roles))),
        roles(text),
        sorted(LINK.findall(text)),
    )


def emphasis(text):
    """How many strong and emphasis spans CommonMark finds (MyST's parser).

    ``**粗体（x）**中文`` is not bold: a closing ``**`` after punctuation must be
    followed by a space or punctuation, so Chinese text often needs a space there.
    """
    from tools.md_messages import parser

    tokens = parser().parse(text)
    inline = [t for block in tokens for t in (block.children or [])]
    return sorted(t.type for t in inline if t.type in ("strong_open", "em_open"))


def prose_text(text):
    """A message without its math, code, roles and link targets."""
    text = URL.sub(" ", LINK.sub("] ", ROLE.sub(" ", text)))
    return CODE.sub(" ", MATH.sub(" ", text))


def prose(text):
    """The English words of a message outside math, code, roles, links and names."""
    return [w for w in WORD.findall(prose_text(text)) if w not in NAMES and len(w) > 1]


def glossary():
    """The glossary's entries: [(English names, Chinese name)], from glossary.md."""
    text = (ROOT / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    entries, names, in_definition = [], [], False
    for line in block.splitlines()[1:]:
        if line and not line[0].isspace():
            if in_definition:
                entries.append(names)
                names, in_definition = [], False
            names.append(line.strip())
        elif line.strip():
            in_definition = True
    entries.append(names)
    return [(names[:-1], names[-1]) for names in entries]


def kept_as_is(path):
    """Messages shown unchanged in Chinese: the glossary's English term names
    (each one is a {term} target on both sites)."""
    if Path(path).name != "glossary.po":
        return set()
    return {name for english, _ in glossary() for name in english}


def prefill(catalog, keep=()):
    """Translate every message without prose as itself; return how many."""
    filled = 0
    for entry in catalog:
        as_is = entry.msgid in keep or not prose(entry.msgid)
        if not entry.msgstr and not entry.obsolete and as_is:
            entry.msgstr = entry.msgid
            filled += 1
    return filled


def entry_problems(entry, keep=()):
    if entry.obsolete:
        return ["obsolete (no page has this message any more)"]
    if not entry.msgstr:
        return ["not translated"]
    found = []
    if "fuzzy" in entry.flags:
        found.append("fuzzy (the English changed; check the translation)")
    if signature(entry.msgid) != signature(entry.msgstr):
        source, target = signature(entry.msgid), signature(entry.msgstr)
        for name, a, b in zip(("math", "code", "roles", "links"), source, target):
            if a != b:
                lost = [x for x in a if x not in b]
                added = [x for x in b if x not in a]
                found.append(f"{name} changed: lost {lost}, added {added}")
    if emphasis(entry.msgid) != emphasis(entry.msgstr):
        found.append(
            f"bold/italic spans {emphasis(entry.msgid)} became {emphasis(entry.msgstr)}"
            " (a closing ** after punctuation needs a space after it)"
        )
    if BLOCK_START.match(entry.msgstr):
        found.append(
            "starts like a Markdown list or heading: escape it, e.g. 2\\. 标题"
        )
    english = prose(entry.msgid)
    if english and prose(entry.msgstr) == english and entry.msgid not in keep:
        found.append("still English")
    return found


def problems(path):
    """[(msgid, problem)] of one catalog."""
    catalog, keep = polib.pofile(str(path)), kept_as_is(path)
    return [
        (entry.msgid, problem)
        for entry in catalog
        for problem in entry_problems(entry, keep)
    ]


UI = LOCALES / "ui" / "zh_CN" / "LC_MESSAGES"  # the themes' missing strings


def catalogs():
    """The pages' catalogs (and exercises.po), not the themes' (UI)."""
    return sorted(CATALOGS.glob("**/*.po"))


def extract(out):
    """Run the gettext builder over the pages; return the folder of .pot files."""
    from tools.build_book import gettext

    if gettext(out, execute=False):
        raise SystemExit("message extraction failed")
    return Path(out) / "_build" / "gettext"


def merge(path, msgids):
    """Make the catalog ``path`` hold exactly ``msgids``, keeping translations."""
    catalog = (
        polib.pofile(str(path), wrapwidth=0)
        if path.exists()
        else polib.POFile(wrapwidth=0)
    )
    catalog.metadata = catalog.metadata or {
        "Project-Id-Version": "BPTT by hand",
        "Language": "zh_CN",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
    }
    known = {entry.msgid for entry in catalog}
    for entry in [e for e in catalog if e.msgid not in msgids]:
        catalog.remove(entry)
    for msgid in msgids:
        if msgid not in known:
            catalog.append(polib.POEntry(msgid=msgid, msgstr=""))
            known.add(msgid)
    catalog.save(str(path))


def update():
    with tempfile.TemporaryDirectory() as out:
        pot = extract(out)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx_intl",
                "update",
                "-p",
                str(pot),
                "-l",
                "zh_CN",
                "-d",
                str(LOCALES),
                "-w",
                "0",
            ],
            check=True,
        )
        stale = [
            path.relative_to(CATALOGS).with_suffix("")
            for path in catalogs()
            if path.name != "exercises.po"
            and not (pot / path.relative_to(CATALOGS).with_suffix(".pot")).exists()
        ]
    from tools.make_exercises import generator_messages

    # The student notebooks' own text (tools/make_exercises.py), not a page.
    merge(CATALOGS / "exercises.po", generator_messages())
    for path in catalogs():
        catalog = polib.pofile(str(path), wrapwidth=0)
        for entry in [e for e in catalog if e.obsolete]:
            catalog.remove(entry)
        filled = prefill(catalog, kept_as_is(path))
        catalog.metadata["Project-Id-Version"] = "BPTT by hand"
        catalog.save()
        if filled:
            print(
                f"{path.relative_to(ROOT)}: {filled} messages without prose filled in"
            )
    for name in stale:
        print(f"no page {name} any more: delete {CATALOGS.relative_to(ROOT) / name}.po")


def check(paths):
    count = 0
    for path in paths or [*catalogs(), *sorted(UI.glob("*.po"))]:
        for msgid, problem in problems(path):
            count += 1
            print(f"{Path(path).relative_to(ROOT)}: {problem}: {msgid[:100]!r}")
    print(f"{count} problems")
    return 1 if count else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update")
    checking = sub.add_parser("check")
    checking.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.command == "update":
        return update()
    return check([p.resolve() for p in args.paths])


if __name__ == "__main__":
    sys.exit(main())
