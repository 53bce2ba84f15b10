"""The package's own catalog: the self-checks' and the grader's messages.

    python -m tools.python_catalog update   # bptt/**.py -> bptt/locale/zh_CN/LC_MESSAGES/bptt.po
    python -m tools.python_catalog check    # what is missing, untranslated, fuzzy or broken

``update`` extracts every ``_("…")`` and ``N_("…")`` call from ``bptt/`` with
babel's extractor and merges the messages into the catalog with polib: the
translations of messages still in the code are kept, new messages come with an
empty msgstr, messages no longer in the code are dropped (git keeps them).  Each entry
names the files that use it (no line numbers: editing code does not touch the catalog).
``problems`` is what tests/test_i18n.py asserts is empty.
"""

import string
import sys
from pathlib import Path

import polib
from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bptt"
CATALOG = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "bptt.po"
KEYWORDS = {"_": None, "N_": None}
HEADER = {
    "Project-Id-Version": "bptt",
    "Language": "zh_CN",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


def extract(package=PACKAGE):
    """{msgid: [(file, line), ...]} of the marked messages under ``package``, in order of appearance."""
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(package), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append((f"bptt/{filename}", lineno))
    return found


def update(catalog=CATALOG, package=PACKAGE):
    """Merge the code's messages into ``catalog``; return (added, dropped) counts."""
    messages = extract(package)
    old = polib.pofile(str(catalog)) if Path(catalog).exists() else polib.POFile()
    kept = {e.msgid: e for e in old if not e.obsolete}
    po = polib.POFile(
        wrapwidth=0
    )  # unwrapped, as locales/: a changed sentence is one line
    po.metadata = {**HEADER, **{k: v for k, v in old.metadata.items() if k in HEADER}}
    for msgid, places in messages.items():
        entry = kept.get(msgid) or polib.POEntry(msgid=msgid, msgstr="")
        entry.occurrences = sorted({(path, "") for path, _line in places})  # no churn
        entry.previous_msgid = None
        po.append(entry)
    Path(catalog).parent.mkdir(parents=True, exist_ok=True)
    po.save(str(catalog))
    added = len([m for m in messages if m not in kept])
    return added, len([m for m in kept if m not in messages])


def fields(text):
    """The set of named placeholders ``{name}`` of a format string (None when it does not parse)."""
    try:
        return {
            f.split(".")[0].split("[")[0]
            for _, f, _, _ in string.Formatter().parse(text)
            if f is not None
        }
    except ValueError:
        return None


def problems(catalog=CATALOG, package=PACKAGE):
    """Lines naming each missing, untranslated, fuzzy, obsolete or misformatted entry."""
    out = []
    po = polib.pofile(str(catalog)) if Path(catalog).exists() else polib.POFile()
    entries = {e.msgid: e for e in po if not e.obsolete}
    for msgid, places in extract(package).items():
        if msgid not in entries:
            out.append(
                f"missing from the catalog ({places[0][0]}:{places[0][1]}): {msgid!r}"
            )
    for e in po:
        if e.obsolete:
            out.append(f"obsolete: {e.msgid!r}")
        elif "fuzzy" in e.flags:
            out.append(f"fuzzy: {e.msgid!r}")
        elif not e.msgstr.strip():
            out.append(f"untranslated: {e.msgid!r}")
        else:
            want, got = fields(e.msgid), fields(e.msgstr)
            if got is None or want != got:
                shown = "unparseable" if got is None else sorted(got)
                out.append(
                    f"placeholders differ ({sorted(want or ())} vs {shown}): {e.msgid!r}"
                )
    code = set(extract(package))
    out += [f"not in the code any more: {m!r}" for m in entries if m not in code]
    return out


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args == ["update"]:
        added, dropped = update()
        print(f"{CATALOG.relative_to(ROOT)}: {added} new, {dropped} dropped")
        return 0
    if args == ["check"]:
        found = problems()
        print("\n".join(found) or f"{CATALOG.relative_to(ROOT)}: complete")
        return 1 if found else 0
    print(
        __doc__.strip().splitlines()[0]
        + "\nusage: python -m tools.python_catalog update|check"
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
