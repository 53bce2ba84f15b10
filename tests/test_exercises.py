"""exercises/ is exactly what tools.make_exercises makes from solutions/, and the generator's rules."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from bptt.checks import CHECKS
from tools import make_exercises
from tools.make_exercises import expected_exercises, make_exercise

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


def test_exercises_are_in_sync_with_solutions():
    expected = expected_exercises()
    actual = {
        p.relative_to(ROOT / "exercises").as_posix(): p.read_text(encoding="utf-8")
        for p in (ROOT / "exercises").glob("**/*.ipynb")
    }
    assert sorted(actual) == sorted(expected), "run: python -m tools.make_exercises"
    for name in expected:
        assert actual[name] == expected[name], (
            f"exercises/{name} is stale: run python -m tools.make_exercises"
        )


def test_check_mode_reports_a_stale_exercise(tmp_path, monkeypatch, capsys):
    sol, exe = tmp_path / "solutions", tmp_path / "exercises"
    sol.mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION"
            )
        ]
    )
    nbformat.write(nb, sol / "a.ipynb")
    monkeypatch.setattr(make_exercises, "SOLUTIONS", sol)
    monkeypatch.setattr(make_exercises, "EXERCISES", exe)
    monkeypatch.setattr(
        make_exercises, "expected_exercises", lambda: expected_exercises(sol)
    )
    assert make_exercises.main(["--check"]) == 1
    assert make_exercises.main([]) == 0
    assert make_exercises.main(["--check"]) == 0
    (exe / "a.ipynb").write_text(
        (exe / "a.ipynb").read_text().replace("YOUR CODE HERE", "edited by hand")
    )
    assert make_exercises.main(["--check"]) == 1
    assert "exercises/a.ipynb is out of date" in capsys.readouterr().err


def test_code_regions_become_stubs_at_their_indentation_and_outputs_are_cleared():
    src = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    y = x + 1\n    ### END SOLUTION\n    return y"
    cell = nbformat.v4.new_code_cell(src)
    cell.outputs = [nbformat.v4.new_output("stream", text="2\n")]
    cell.execution_count = 3
    md = nbformat.v4.new_markdown_cell(
        "Q?\n\n<!-- BEGIN SOLUTION -->\nsecret\n<!-- END SOLUTION -->\nafter"
    )
    out = make_exercise(nbformat.v4.new_notebook(cells=[cell, md]))
    assert (
        out.cells[0].source
        == "def f(x):\n    y = 1\n    # YOUR CODE HERE\n    raise NotImplementedError()\n    return y"
    )
    assert out.cells[0].outputs == [] and out.cells[0].execution_count is None
    assert out.cells[1].source == "Q?\n\nYOUR ANSWER HERE\nafter"
    assert cell.outputs, "the solution notebook itself is not modified"


@pytest.mark.parametrize(
    "source",
    [
        "### BEGIN SOLUTION\nx",
        "x\n### END SOLUTION",
        "### BEGIN SOLUTION\n### BEGIN SOLUTION",
    ],
)
def test_unbalanced_markers_are_an_error(source):
    with pytest.raises(ValueError):
        make_exercise(
            nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        )


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_solution_notebook_conventions(path):
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    graded = nb.metadata["bptt"]["graded"]
    # every graded function is defined in the notebook and checked right after its cell
    assert graded and set(graded) <= set(CHECKS)
    for name in graded:
        i = next(
            i
            for i, s in enumerate(code)
            if re.search(rf"^(def {name}\(|class {name}\b)", s, re.M)
        )
        assert code[i + 1].strip() == f"check_{name}({name})", name
        assert "### BEGIN SOLUTION" in code[i]
        # the notebook must not import the function it asks for
        assert not any(
            re.search(rf"^from bptt[\w.]* import .*\b{name}\b", s, re.M) for s in code
        ), name
    # the first code cell installs the package when missing and is skipped by nbval
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "except ImportError" in first.source
    assert {"remove-cell", "nbval-skip"} <= set(first.metadata.get("tags", []))
    # a labelled H1 title that says it is a worked solution, and a goal (in English;
    # the Chinese edition translates it, locales/zh_CN/LC_MESSAGES/solutions/)
    assert re.match(r"\(sol-[\w-]+\)=\n# Worked solution[ :]", nb.cells[0].source)
    # instructions to students live only in the generated exercise (tools/exercise_intro.md)
    assert not any(
        "YOUR CODE HERE" in c.source for c in nb.cells if c.cell_type == "markdown"
    )
    assert "**Goal.**" in nb.cells[0].source
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_pytest_from_the_root_does_not_collect_exercises():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    assert "solutions/adam.ipynb" in out or "solutions/" in out
    assert "exercises/" not in out


EDITIONS = [("", "# Exercise"), ("zh/", "# 习题")]
BOTH = [(path, folder, title) for path in SOLUTIONS for folder, title in EDITIONS]
BOTH_IDS = [f"{folder}{path.name}" for path, folder, _ in BOTH]


@pytest.mark.parametrize("path,folder,title", BOTH, ids=BOTH_IDS)
def test_exercise_hides_every_solution_and_keeps_the_checks(path, folder, title):
    solution = nbformat.read(path, as_version=4)
    exercise = nbformat.read(ROOT / "exercises" / folder / path.name, as_version=4)
    text = "\n".join(c.source for c in exercise.cells)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert all(not c.get("outputs") for c in exercise.cells if c.cell_type == "code")
    assert exercise.metadata["bptt"]["graded"] == solution.metadata["bptt"]["graded"]
    for name in solution.metadata["bptt"]["graded"]:
        assert f"check_{name}({name})" in text


@pytest.mark.parametrize("path,folder,title", BOTH, ids=BOTH_IDS)
def test_exercise_is_a_clean_jupyter_notebook(path, folder, title):
    exercise = nbformat.read(ROOT / "exercises" / folder / path.name, as_version=4)
    markdown = "\n".join(c.source for c in exercise.cells if c.cell_type == "markdown")
    # no site-only markup: MyST targets, roles or directives would show as literal text in Jupyter
    assert not re.search(r"^\([\w.:-]+\)=", markdown, re.M), (
        "MyST label in the exercise"
    )
    assert (
        not re.search(r"\{[a-z:-]+\}`", markdown)
        and "```{" not in markdown
        and ":::" not in markdown
    )
    assert exercise.cells[0].source.startswith(title), exercise.cells[0].source[:80]
    assert "# YOUR CODE HERE" in exercise.cells[1].source, (
        "the instructions follow the title"
    )
    assert not any(
        "solution-only" in c.metadata.get("tags", []) for c in exercise.cells
    )
    assert all(
        "execution" not in c.metadata and "ExecuteTime" not in c.metadata
        for c in exercise.cells
    )


def test_generator_drops_site_markup_and_timestamps():
    title = nbformat.v4.new_markdown_cell("(sol-x)=\n# Worked solution 9-9: x\n\nGoal.")
    note = nbformat.v4.new_markdown_cell("worked solution only")
    note.metadata["tags"] = ["solution-only"]
    code = nbformat.v4.new_code_cell("x = 1")
    code.metadata["execution"] = {"iopub.execute_input": "2026-11-30T05:02:47.971239Z"}
    out = make_exercise(nbformat.v4.new_notebook(cells=[title, note, code]))
    assert out.cells[0].source == "# Exercise 9-9: x\n\nGoal."
    assert "YOUR CODE HERE" in out.cells[1].source
    assert [c.source for c in out.cells[2:]] == [
        "x = 1"
    ] and "execution" not in out.cells[2].metadata


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_chinese_exercise_is_the_english_one_translated(path):
    english = nbformat.read(ROOT / "exercises" / path.name, as_version=4)
    chinese = nbformat.read(ROOT / "exercises" / "zh" / path.name, as_version=4)
    code = [c.source for c in english.cells if c.cell_type == "code"]
    zh_code = [c.source for c in chinese.cells if c.cell_type == "code"]
    assert make_exercises.ZH_SETUP in zh_code, "a code cell asks for Chinese messages"
    zh_code.remove(make_exercises.ZH_SETUP)
    assert zh_code == code, "the code of both editions is identical"
    assert chinese.metadata["bptt"] == english.metadata["bptt"]
    for cell in chinese.cells:
        if cell.cell_type == "markdown":
            assert re.search(r"[\u4e00-\u9fff]", cell.source), cell.source[:80]


def test_translation_keeps_markdown_prefixes():
    from tools.md_messages import messages, translate

    source = "# Title\n\n- item one\n  continues\n\n| a | b |\n|---|---|\n| x | y |"
    assert messages(source) == ["Title", "item one continues", "a", "b", "x", "y"]
    table = {
        "Title": "标题",
        "item one continues": "第一项",
        "a": "甲",
        "b": "乙",
        "x": "x",
    }
    text, missing = translate(source, table)
    assert text == "# 标题\n\n- 第一项\n\n| 甲 | 乙 |\n|---|---|\n| x | y |"
    assert missing == ["y"]
