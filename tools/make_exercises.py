"""Make the student notebooks exercises/X.ipynb from the authored solutions/X.ipynb.

The markers are nbgrader's, the tool is not (nbgrader brings a server and a
database; we need thirty lines):

* In a code cell, every region between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` becomes ``# YOUR CODE HERE`` followed by
  ``raise NotImplementedError()`` at the indentation of the BEGIN marker.
* In a Markdown cell, every region between ``<!-- BEGIN SOLUTION -->`` and
  ``<!-- END SOLUTION -->`` becomes ``YOUR ANSWER HERE``.
* Outputs, execution counts and execution timestamps are cleared in every code cell.
* The notebook is for Jupyter, not the site: MyST target lines such as
  ``(sol-bptt-6-1)=`` are dropped, the title "# Worked solution …" becomes
  "# Exercise …", cells tagged ``solution-only`` (notes on the worked solution)
  are dropped, and the instructions to students (tools/exercise_intro.md, one
  copy for every exercise) follow the title cell.
* The Chinese notebooks exercises/zh/X.ipynb come from the same solutions: each
  Markdown unit is replaced by its translation in the page's catalog
  (locales/zh_CN/LC_MESSAGES/solutions/X.po, tools/md_messages.py), the
  generator's own text comes from locales/zh_CN/LC_MESSAGES/exercises.po, code is
  identical, and a first code cell asks the self-checks for Chinese messages.

Usage::

    python -m tools.make_exercises           # regenerate exercises/ from solutions/
    python -m tools.make_exercises --check   # exit 1 if exercises/ is out of date
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat
import polib

from tools.clean_notebooks import strip_volatile
from tools.colab_cell import TAG as COLAB
from tools.md_messages import messages, translate

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
CATALOGS = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"
ZH = "zh"  # exercises/zh/

CODE_BEGIN, CODE_END = "### BEGIN SOLUTION", "### END SOLUTION"
MD_BEGIN, MD_END = "<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->"
CODE_STUB = "{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError()"
MD_STUB = "YOUR ANSWER HERE"
SOLUTION_ONLY = "solution-only"
MYST_TARGET = re.compile(
    r"^\([\w.:-]+\)=[ \t]*\n?", re.M
)  # "(label)=" on a line of its own
SOLUTION_TITLE, EXERCISE_TITLE = "# Worked solution", "# Exercise"
INTRO = (
    (Path(__file__).with_name("exercise_intro.md")).read_text(encoding="utf-8").strip()
)
ZH_TITLES = ("# 参考解答", "# 习题")  # how the catalogs translate the two titles
ZH_SETUP = 'import bptt\n\nbptt.set_language("zh_CN")  # 自检提示使用中文'


def generator_messages():
    """The generator's own text, translated in locales/.../exercises.po."""
    return [*messages(INTRO), MD_STUB]


def catalog(path):
    """{msgid: msgstr} of the translated, non-fuzzy entries of a .po file."""
    if not path.exists():
        return {}
    entries = polib.pofile(str(path)).translated_entries()
    return {e.msgid: e.msgstr for e in entries}


def _strip(source, begin, end, stub_for_indent):
    """Replace each begin…end region of ``source``; raise ValueError on unbalanced markers."""
    out, inside, indent = [], False, ""
    for line in source.split("\n"):
        marker = line.strip()
        if marker == begin:
            if inside:
                raise ValueError(f"nested {begin!r}")
            inside, indent = True, line[: len(line) - len(line.lstrip())]
        elif marker == end:
            if not inside:
                raise ValueError(f"{end!r} without {begin!r}")
            inside = False
            out.append(stub_for_indent(indent))
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{begin!r} without {end!r}")
    return "\n".join(out)


def _student_title(source, titles=(SOLUTION_TITLE, EXERCISE_TITLE)):
    """Drop MyST targets and turn the "# Worked solution …" title into "# Exercise …"."""
    source = MYST_TARGET.sub("", source)
    solution, exercise = titles
    if source.startswith(solution):
        source = exercise + source[len(solution) :]
    return source


def translate_notebook(nb, translations):
    """A copy of ``nb`` with its Markdown cells translated; raises ValueError
    naming the first message without a translation."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = MYST_TARGET.sub("", cell.source)
            cell.source, missing = translate(source, translations)
            if missing:
                raise ValueError(f"no Chinese for {missing[0][:80]!r}")
    return nb


def make_exercise(nb, language="en", name=None):
    """Return the student version of the solution notebook ``nb`` (a new NotebookNode).

    ``language="zh"``: the Chinese notebook, from the catalog of solutions/``name``.
    """
    intro, stub, titles = INTRO, MD_STUB, (SOLUTION_TITLE, EXERCISE_TITLE)
    if language == ZH:
        own = catalog(CATALOGS / "exercises.po")
        nb = translate_notebook(nb, catalog(CATALOGS / "solutions" / f"{name}.po"))
        intro, missing = translate(INTRO, own)
        if missing or MD_STUB not in own:
            raise ValueError("exercises.po lacks the generator's messages")
        stub, titles = own[MD_STUB], ZH_TITLES
    nb = nbformat.from_dict(nb)  # deep copy
    nb.cells = [c for c in nb.cells if SOLUTION_ONLY not in c.metadata.get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = _strip(
                cell.source, CODE_BEGIN, CODE_END, lambda i: CODE_STUB.format(indent=i)
            )
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = _strip(cell.source, MD_BEGIN, MD_END, lambda i: i + stub)
            cell.source = MYST_TARGET.sub("", cell.source)
    strip_volatile(nb)
    first_md = next(
        (i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"), None
    )
    if first_md is not None:
        title = nb.cells[first_md]
        title.source = _student_title(title.source, titles)
        how = nbformat.v4.new_markdown_cell(intro)
        how.id = f"{title.get('id', 'intro')}-how"[
            :64
        ]  # stable: no diff on regeneration
        nb.cells.insert(first_md + 1, how)
        if language == ZH:  # after the Colab install cell, which installs bptt
            setup = nbformat.v4.new_code_cell(ZH_SETUP)
            setup.id = f"{title.get('id', 'intro')}-lang"[:64]
            tagged = [
                i for i, c in enumerate(nb.cells) if COLAB in c.metadata.get("tags", [])
            ]
            nb.cells.insert(tagged[0] + 1 if tagged else first_md + 2, setup)
    return nb


def expected_exercises(solutions=SOLUTIONS):
    """{path relative to exercises/: notebook text} that exercises/ must hold."""
    result = {}
    for path in sorted(solutions.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        result[path.name] = nbformat.writes(make_exercise(nb)) + "\n"
        chinese = make_exercise(nb, ZH, path.stem)
        result[f"{ZH}/{path.name}"] = nbformat.writes(chinese) + "\n"
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if exercises/ is out of date"
    )
    args = parser.parse_args(argv)
    try:
        expected = expected_exercises()
    except ValueError as error:
        print(f"the Chinese exercises cannot be made: {error}", file=sys.stderr)
        print("translate it: python -m tools.translations check", file=sys.stderr)
        return 1
    actual = {
        p.relative_to(EXERCISES).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(EXERCISES.glob("**/*.ipynb"))
        if ".ipynb_checkpoints" not in p.parts
    }
    stale = sorted(n for n in expected if actual.get(n) != expected[n])
    extra = sorted(set(actual) - set(expected))
    if args.check:
        for name in stale:
            print(f"exercises/{name} is out of date", file=sys.stderr)
        for name in extra:
            print(f"exercises/{name} has no solutions/{name}", file=sys.stderr)
        if stale or extra:
            print("run: python -m tools.make_exercises", file=sys.stderr)
            return 1
        print(f"exercises/ is up to date ({len(expected)} notebooks)")
        return 0
    (EXERCISES / ZH).mkdir(parents=True, exist_ok=True)
    for name in stale:
        (EXERCISES / name).write_text(expected[name], encoding="utf-8")
        print(f"wrote exercises/{name}")
    for name in extra:
        (EXERCISES / name).unlink()
        print(f"removed exercises/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
