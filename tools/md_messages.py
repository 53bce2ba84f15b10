"""Messages of a Markdown cell, and the cell translated from a catalog.

The book's catalogs (locales/) are extracted by Sphinx: one message per paragraph,
heading, list item or table cell, its source text with line breaks as spaces.
The student notebooks are not built by Sphinx, so this module finds the same
units in a Markdown cell with MyST's own parser (markdown-it, token line maps)
and puts each unit's translation in its place, keeping list markers, heading
hashes, quote marks and table pipes.
"""

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin


def parser():
    """MyST's Markdown parser as the catalogs see it: CommonMark, tables, $math$."""
    return MarkdownIt("commonmark").enable("table").use(dollarmath_plugin)


def _units(source):
    """[(first line, last line + 1, text)] of every translatable unit, in order."""
    units = []
    for token in parser().parse(source):
        if token.type == "inline" and token.map and token.content.strip():
            units.append((token.map[0], token.map[1], token.content))
    return units


def message(text):
    """A unit's text as Sphinx writes it in a catalog."""
    return text.replace("\n", " ").strip()


def messages(source):
    """The messages of a Markdown cell, in order."""
    return [message(text) for _, _, text in _units(source)]


def translate(source, translations):
    """``source`` with each unit whose message is in ``translations`` (a dict
    msgid -> msgstr) replaced by its translation; returns (text, [missing msgids])."""
    lines = source.split("\n")
    missing = []
    for first, end, text in reversed(_units(source)):
        msgid = message(text)
        if msgid not in translations:
            missing.append(msgid)
            continue
        parts = [p.strip() for p in text.split("\n")]
        head = lines[first].find(parts[0])
        if head < 0:
            missing.append(msgid)
            continue
        if len(parts) == 1:  # a heading, table cell or one-line paragraph
            line = lines[first]
            lines[first] = (
                line[:head] + translations[msgid] + line[head + len(parts[0]) :]
            )
            continue
        # A paragraph over several lines: the translation takes the first line
        # (after its prefix), the continuation lines go.
        lines[first] = lines[first][:head] + translations[msgid]
        for index in range(first + 1, end):
            if lines[index].strip():
                lines[index] = None
    return "\n".join(line for line in lines if line is not None), missing[::-1]
