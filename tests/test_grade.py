"""The grader: solutions score full marks, untouched exercises score 0 and fail first with
NotImplementedError, one planted mistake costs exactly one function, the assignment comes
from the instructor, and crashing, hanging or unreadable notebooks are reported without a
traceback.  (Hostile notebooks: test_grade_attacks.py.)"""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from bptt.grade import (
    Options,
    assignments,
    grade_batch,
    grade_notebook,
    notebook,
    report,
)
from bptt.grade.cli import _shadowing

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
needs_bwrap = pytest.mark.skipif(
    shutil.which("bwrap") is None,
    reason="bubblewrap is not installed (make test installs it)",
)


def _copies(tmp_path, paths):
    """One folder per student, as submissions come."""
    out = []
    for path in paths:
        (tmp_path / path.stem).mkdir()
        out.append(shutil.copy(path, tmp_path / path.stem / path.name))
    return out


@needs_bwrap
def test_solutions_score_full_marks(tmp_path):
    """The functions each solution defines pass the checks: one source of truth."""
    for result in grade_batch(
        _copies(tmp_path, SOLUTIONS), Options(timeout=120), jobs=2
    ):
        assert result.first_error == "", (result.notebook, result.first_error)
        assert result.rows and result.points == result.max_points, [
            (r.function, r.message) for r in result.rows
        ]


@needs_bwrap
def test_untouched_exercises_score_zero_and_fail_first_with_not_implemented(tmp_path):
    for result in grade_batch(
        _copies(tmp_path, EXERCISES), Options(timeout=120), jobs=2
    ):
        assert result.rows and result.points == 0, result.notebook
        assert all("not implemented yet" in r.message for r in result.rows), result.rows
        assert "raised NotImplementedError" in result.first_error, (
            result.first_error
        )  # not NameError


@needs_bwrap
def test_one_planted_mistake_loses_exactly_that_function(tmp_path):
    nb = nbformat.read(ROOT / "solutions" / "bptt-6-1.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.source.startswith("def rnn_backward("))
    assert "da[:, :, t] + da_prevt" in cell.source
    cell.source = cell.source.replace("da[:, :, t] + da_prevt", "da[:, :, t]")
    nbformat.write(nb, tmp_path / "bptt-6-1.ipynb")
    result = grade_notebook(tmp_path / "bptt-6-1.ipynb")
    rows = {r.function: r for r in result.rows}
    assert (
        rows["rnn_cell_backward"].status == "passed"
        and rows["rnn_backward"].status == "failed"
    )
    table = report.table(result).splitlines()
    fail = next(
        i
        for i, line in enumerate(table)
        if line.startswith("  rnn_backward ") and "FAIL" in line
    )
    assert (
        table[fail + 1].strip().startswith("HINT: ") and len(table[fail + 1]) > 40
    )  # the hint in full
    assert table[-1] == f"{tmp_path / 'bptt-6-1.ipynb'}: 1/2"


def _notebook(path, cells, metadata=None):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata.update(metadata or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@needs_bwrap
def test_crash_hang_reference_and_deleted_function_are_reported(tmp_path):
    path = _notebook(
        tmp_path / "bptt-6-1.ipynb",
        [
            "1 / 0",  # cell 1 crashes
            "while True:\n    pass",  # cell 2 hangs: stopped after the cell timeout
            (
                "from bptt.rnn import rnn_cell_backward as _reference\n\n"
                "def rnn_cell_backward(da_next, cache):\n    return _reference(da_next, cache)"
            ),
            # rnn_backward was deleted
        ],
    )
    result = grade_notebook(path, Options(timeout=2, deadline=30))
    rows = {r.function: r for r in result.rows}
    assert rows["rnn_cell_backward"].status == "failed"
    assert (
        "uses the course's reference implementation"
        in rows["rnn_cell_backward"].message
    )
    assert (
        rows["rnn_backward"].status == "failed"
        and "not defined" in rows["rnn_backward"].message
    )
    assert result.first_error == "cell 1 raised ZeroDivisionError: division by zero"


@needs_bwrap
def test_a_hanging_graded_function_times_out_and_a_hanging_cell_is_named(tmp_path):
    path = _notebook(
        tmp_path / "rnn-forward.ipynb",
        [
            "import time\ntime.sleep(100)",
            "def rnn_cell_forward(xt, a_prev, parameters):\n    while True:\n        pass",
        ],
    )
    result = grade_notebook(path, Options(timeout=2, deadline=30))
    assert (
        result.rows[0].status == "timeout"
        and "longer than 2 s" in result.rows[0].message
    )
    assert result.first_error.startswith("cell 1 timed out")


def test_the_assignment_table_matches_the_solutions():
    for path in SOLUTIONS:
        meta = json.loads(path.read_text())["metadata"]["bptt"]["graded"]
        assert assignments.TABLE[path.stem] == meta, path.name
    assert sorted(assignments.TABLE) == assignments.known()


def test_the_assignment_comes_from_the_instructor(tmp_path):
    claims = {"bptt": {"graded": ["rnn_forward"] * 10, "assignment": "rnn-forward"}}
    by_name = assignments.resolve(tmp_path / "alice_bptt-6-1.ipynb", claims)
    assert (by_name.name, by_name.source) == ("bptt-6-1", "the file name")
    assert (
        list(by_name.points) == ["rnn_cell_backward", "rnn_backward"] and by_name.notes
    )  # the claim is noted
    by_meta = assignments.resolve(tmp_path / "alice.ipynb", claims)
    assert by_meta.points == {
        "rnn_cell_forward": 1.0,
        "rnn_forward": 1.0,
    }  # never ten times one function
    assert by_meta.source == "the notebook's metadata bptt.assignment"
    explicit = assignments.resolve(
        tmp_path / "alice_bptt-6-1.ipynb", claims, explicit="lstm"
    )
    assert explicit.source == "--assignment" and len(explicit.points) == 4
    with pytest.raises(assignments.AssignmentError, match="--assignment"):
        assignments.resolve(
            tmp_path / "alice.ipynb", {"bptt": {"assignment": "made-up"}}
        )


def test_points_come_from_the_solution_metadata(tmp_path):
    _notebook(
        tmp_path / "rnn-forward.ipynb",
        [],
        {"bptt": {"graded": {"rnn_cell_forward": 2, "rnn_forward": 3}}},
    )
    got = assignments.resolve(
        tmp_path / "x.ipynb", {}, explicit="rnn-forward", solutions=tmp_path
    )
    assert (
        got.points == {"rnn_cell_forward": 2.0, "rnn_forward": 3.0}
        and got.max_points == 5
    )


REFS = ["rnn_cell_forward", "rnn_forward", "rnn_forward_fast"]
GRADED = ["rnn_cell_forward", "rnn_forward"]


@pytest.mark.parametrize(
    "cells, flagged",
    [
        (
            [
                "import bptt\nfrom bptt import softmax",
                "def rnn_cell_forward(x, a, p):\n    return softmax(x)",
                "def rnn_forward(x, a, p):\n    return rnn_cell_forward(x, a, p)",
            ],
            [],
        ),
        (["from bptt import rnn_forward, rnn_cell_forward"], GRADED),
        (["from bptt.rnn import rnn_forward as rf\nrnn_forward = rf"], ["rnn_forward"]),
        (
            [
                "import bptt",
                "def rnn_forward(*a):\n    return bptt.rnn.rnn_forward(*a)",
            ],
            ["rnn_forward"],
        ),
        (
            [
                "import functools, bptt as b",
                "rnn_forward = functools.partial(b.rnn_forward)",
            ],
            ["rnn_forward"],
        ),
        (
            [
                "from bptt import rnn_forward as _r",
                "def helper(*a):\n    return _r(*a)",
                "def rnn_forward(*a):\n    return helper(*a)",
            ],
            ["rnn_forward"],
        ),
        (
            [
                "def rnn_forward(*a):\n    from bptt import rnn_forward as r\n    return r(*a)"
            ],
            ["rnn_forward"],
        ),
        (
            [
                "import bptt\ndef rnn_forward(*a):\n    return getattr(bptt, 'rnn_forward')(*a)"
            ],
            ["rnn_forward"],
        ),
        (
            [
                "from bptt import rnn_cell_forward",
                "def rnn_cell_forward(x):\n    return x",
                "def rnn_forward(x):\n    return rnn_cell_forward(x)",
            ],
            [],
        ),  # redefined: the student's own is graded
        (
            [
                "%time x = 1\nimport bptt",
                "def rnn_forward(x):\n    return bptt.rnn_forward_fast(x)",
            ],
            ["rnn_forward"],
        ),
    ],
)
def test_reference_use_is_found_in_the_code(cells, flagged):
    assert sorted(
        notebook.reference_use(list(enumerate(cells, 1)), GRADED, REFS)
    ) == sorted(flagged)


def test_reports_strip_control_characters_and_cap_feedback():
    assert report.clean("\x1b[32mPASS\x1b[0m\r\x07\u202eok\x1b]0;title\x07") == "PASSok"
    from bptt.grade.grading import Result, Row

    result = Result(
        "x.ipynb",
        "rnn-forward",
        "the file name",
        [Row(f"f{i}", "failed", 0, 1, "y" * 5000, "z" * 5000) for i in range(50)],
    )
    text = report.table(result)
    assert len(text) < 21_000 and text.splitlines()[-1] == "x.ipynb: 0/50"


def test_the_csv_cannot_carry_a_formula(tmp_path):
    from bptt.grade.grading import Result, Row

    report.write_csv(
        tmp_path / "g.csv",
        [Result("=HYPERLINK(1)", "rnn-forward", rows=[Row("f", "error", 0, 1, "-1")])],
    )
    with open(tmp_path / "g.csv", newline="") as f:
        row = list(csv.reader(f))[1]
    assert row[0] == "'=HYPERLINK(1)" and row[-1] == "'-1"


def test_a_planted_bptt_next_to_the_submissions_is_refused():
    import bptt

    package = Path(bptt.__file__).resolve().parent
    assert _shadowing([package.parent / "student.ipynb"]) == package
    assert _shadowing([package.parent / "submissions" / "student.ipynb"]) is None


def _cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "bptt.grade", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT.parent,
        check=False,
    )


@needs_bwrap
def test_the_command_line_writes_the_gradebooks(tmp_path):
    dead = _notebook(tmp_path / "bob" / "rnn-forward.ipynb", ["import os\nos._exit(1)"])
    broken = tmp_path / "carol" / "rnn-forward.ipynb"
    broken.parent.mkdir()
    broken.write_text("{ this is not json")
    good = _copies(tmp_path, [ROOT / "solutions" / "rnn-forward.ipynb"])[0]
    run = _cli(
        good,
        dead,
        broken,
        "--timeout",
        "20",
        "--csv",
        tmp_path / "g.csv",
        "--gradescope",
        tmp_path / "r.json",
    )
    assert run.returncode == 0 and "Traceback" not in run.stdout + run.stderr
    lines = run.stdout.strip().splitlines()
    assert (
        f"{good}: 2/2" in lines
        and f"{dead}: 0/2" in lines
        and f"{broken}: 0/2" in lines
    )
    assert f"NOT GRADED (1 of 3): {broken}" in lines and not any(
        line.startswith("score") for line in lines
    )
    with open(tmp_path / "g.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "notebook",
        "assignment",
        "function",
        "status",
        "points",
        "max_points",
        "message",
    ]
    assert [
        (r["function"], r["status"], r["points"])
        for r in rows
        if r["notebook"] == str(broken)
    ] == [("rnn_cell_forward", "not_graded", "0"), ("rnn_forward", "not_graded", "0")]
    assert {r["status"] for r in rows if r["notebook"] == str(dead)} == {
        "failed"
    }  # nothing defined before os._exit
    scope = json.loads((tmp_path / "r.json").read_text())
    assert scope["score"] == 2 and len(scope["tests"]) == 6
    assert {"name", "score", "max_score", "output"} <= set(scope["tests"][0])


def test_without_bubblewrap_the_grader_refuses_and_names_the_way_out(tmp_path):
    path = _notebook(tmp_path / "rnn-forward.ipynb", ["x = 1"])
    run = _cli(path, env={**os.environ, "PATH": str(tmp_path)})  # no bwrap on this PATH
    assert (
        run.returncode == 3
        and "bubblewrap" in run.stderr
        and "--no-sandbox" in run.stderr
    )
    assert run.stdout == ""


def test_no_sandbox_is_printed_on_the_report(tmp_path):
    path = _copies(tmp_path, [ROOT / "solutions" / "rnn-forward.ipynb"])[0]
    run = _cli(path, "--no-sandbox")
    lines = run.stdout.strip().splitlines()
    assert (
        run.returncode == 0
        and lines[0].startswith("SANDBOX OFF")
        and lines[-1].startswith("SANDBOX OFF")
    )
    assert f"{path}: 2/2" in lines


def test_a_package_that_does_not_import_in_the_sandbox_is_not_blamed_on_bwrap(
    monkeypatch,
):
    from bptt.grade import sandbox

    monkeypatch.setattr(sandbox.shutil, "which", lambda name: "/usr/bin/bwrap")
    broken = [sys.executable, "-c", "import bptt_no_such_module"]
    monkeypatch.setattr(sandbox, "bwrap_argv", lambda box, limits, argv: broken)
    with pytest.raises(sandbox.SandboxUnavailable) as error:
        sandbox.probe(None, None)
    message = str(error.value)
    assert "does not import" in message and "bptt_no_such_module" in message
    assert "namespaces" not in message
