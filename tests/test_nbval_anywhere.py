"""`pytest --nbval --nbval-current-env PATH` works from any working directory.

The project's addopts name the sanitize file by a relative path; the root
conftest.py reads it relative to the configuration when it is not found from
the working directory.  Each test runs pytest in a fresh temporary directory:
on a course notebook, and on a copy of one solution notebook in a folder of
"submissions" outside the course (the command of README.md and instructors.md).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "solutions" / "rnn-forward.ipynb"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def _pytest(args, cwd):
    env = dict(os.environ)
    # the kernel imports this checkout's bptt, as in the course's own runs
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def _assert_passed(proc):
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "FileNotFoundError" not in proc.stdout
    assert " passed" in proc.stdout.splitlines()[-1], proc.stdout[-500:]


def test_course_notebook_from_another_directory(tmp_path):
    proc = _pytest(["--nbval", "--nbval-current-env", str(NOTEBOOK)], cwd=tmp_path)
    _assert_passed(proc)


def test_folder_of_submissions_from_another_directory(tmp_path):
    submissions, elsewhere = tmp_path / "submissions", tmp_path / "elsewhere"
    submissions.mkdir()
    elsewhere.mkdir()
    shutil.copy(NOTEBOOK, submissions / "student-1.ipynb")
    args = [
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(SANITIZE),
        str(submissions),
    ]
    _assert_passed(_pytest(args, cwd=elsewhere))


def test_a_changed_output_still_fails(tmp_path):
    # the sanitize file masks only error digits: a wrong stored output is still caught
    nb = nbformat.read(NOTEBOOK, as_version=4)
    stream = next(
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("name") == "stdout"
    )
    assert "all checks passed" in stream.text
    stream.text = stream.text.replace("all checks passed", "all checks failed")
    nbformat.write(nb, tmp_path / "wrong.ipynb")
    args = [
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(SANITIZE),
        str(tmp_path / "wrong.ipynb"),
    ]
    proc = _pytest(args, cwd=tmp_path)
    assert proc.returncode == 1 and "failed" in proc.stdout.splitlines()[-1], (
        proc.stdout[-2000:]
    )
