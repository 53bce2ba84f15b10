"""The grader: solutions score full marks, untouched exercises score 0 and fail first with
NotImplementedError, one planted mistake costs exactly one function, and crashing, hanging
or incomplete notebooks are reported without a traceback from the grader."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from bptt.grade import format_report, grade_notebook

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
NEEDS = {"lstm.ipynb": "bptt.lstm", "adam.ipynb": "bptt.optim", "residual-6-3.ipynb": "bptt.optim"}


def _skip_unmerged(path):
    module = NEEDS.get(path.name)
    if module and importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} not merged yet")


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_untouched_exercise_scores_zero_and_fails_first_with_not_implemented(path):
    _skip_unmerged(path)
    report = grade_notebook(path, timeout=120)
    assert report["functions"] and not any(passed for _, passed, _ in report["functions"])
    assert all("not implemented yet" in message for _, _, message in report["functions"])
    _, ename, _ = report["first_error"]
    assert ename == "NotImplementedError", report  # not NameError / ImportError


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_solution_scores_full_marks(path):
    """The functions the solution notebook defines pass the checks against the package: one source of truth."""
    _skip_unmerged(path)
    report = grade_notebook(path, timeout=120)
    assert report["problem"] is None, report
    assert report["functions"] and all(passed for _, passed, _ in report["functions"]), report


def test_one_planted_mistake_loses_exactly_that_function(tmp_path):
    nb = nbformat.read(ROOT / "solutions" / "bptt-6-1.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.source.startswith("def rnn_backward("))
    assert "da[:, :, t] + da_prevt" in cell.source
    cell.source = cell.source.replace("da[:, :, t] + da_prevt", "da[:, :, t]")
    path = tmp_path / "student.ipynb"
    nbformat.write(nb, path)
    report = grade_notebook(path, timeout=120)
    result = {name: (passed, message) for name, passed, message in report["functions"]}
    assert result["rnn_cell_backward"][0] is True
    assert result["rnn_backward"][0] is False
    assert "not added back" in result["rnn_backward"][1]
    table = format_report(report).splitlines()
    fail = next(i for i, line in enumerate(table) if "rnn_backward" in line and "FAIL" in line)
    assert "HINT: the gradient from step t+1 is not added back" in table[fail + 1]
    assert table[fail + 1].rstrip().endswith("da[:, :, t] + da_prevt.")  # the hint in full, not cut
    assert table[-1].strip() == "1/2"


def _notebook(tmp_path, cells, graded):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["bptt"] = {"graded": graded}
    path = tmp_path / "student.ipynb"
    nbformat.write(nb, path)
    return path


def test_crash_hang_and_deleted_function_are_reported(tmp_path):
    path = _notebook(
        tmp_path,
        [
            "1 / 0",  # crashes
            "while True:\n    pass",  # hangs: interrupted after the cell timeout
            "from bptt.rnn import rnn_cell_backward as _reference\n\n"
            "def rnn_cell_backward(da_next, cache):\n    return _reference(da_next, cache)",
            "def rnn_cell_forward(xt, a_prev, parameters):\n    while True:\n        pass",  # hangs inside the check
            # rnn_backward was deleted
        ],
        ["rnn_cell_forward", "rnn_cell_backward", "rnn_backward"],
    )
    report = grade_notebook(path, timeout=3)
    result = {name: (passed, message) for name, passed, message in report["functions"]}
    assert result["rnn_cell_backward"] == (True, "rnn_cell_backward: all checks passed")
    assert result["rnn_backward"][0] is False and "not defined" in result["rnn_backward"][1]
    assert result["rnn_cell_forward"][0] is False and "timed out" in result["rnn_cell_forward"][1]
    assert report["first_error"][1] == "ZeroDivisionError"


def test_a_hanging_cell_is_reported_as_timed_out(tmp_path):
    path = _notebook(tmp_path, ["while True:\n    pass"], ["rnn_backward"])
    report = grade_notebook(path, timeout=3)
    assert report["problem"].startswith("cell 0 timed out"), report["problem"]


def test_dead_kernel_and_unreadable_notebook_via_the_command_line(tmp_path):
    dead = _notebook(tmp_path, ["import os\nos._exit(1)"], ["rnn_backward"])
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ this is not json")
    run = subprocess.run(
        [sys.executable, "-m", "bptt.grade", "--timeout", "20", str(dead), str(broken)],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0
    assert "Traceback" not in run.stdout + run.stderr
    assert "cannot read the notebook" in run.stdout
    assert "rnn_backward  FAIL" in run.stdout and "not graded" in run.stdout
    assert run.stdout.strip().splitlines()[-1] == "score: 0/1"
    assert run.stdout.strip().splitlines()[-2] == f"NOT GRADED (1 of 2): {broken}"


def test_a_function_imported_from_the_package_earns_nothing(tmp_path):
    path = _notebook(tmp_path, ["from bptt import rnn_cell_forward"], ["rnn_cell_forward"])
    report = grade_notebook(path, timeout=20)
    assert report["functions"][0][1] is False and "imported from the bptt package" in report["functions"][0][2]
