"""Hostile submissions, graded in ONE batch before two honest classmates (correct, wrong).

Each attacker is the rnn-forward notebook with honest code — the solution's (CORRECT)
or the untouched exercise's (STUB) — plus an attack.  The attack must not change the
attacker's score (what its honest code deserves), the classmates must score 2 and 0,
nothing outside the scratch copies may change, no process may be left, and the batch
must finish within the deadlines.
"""

import hashlib
import os
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from bptt.grade import Options, grade_batch, sandbox

ROOT = Path(__file__).resolve().parent.parent
MARK = "bptt-attack-mark"
TIMEOUT, DEADLINE = 2, 12

pytestmark = pytest.mark.skipif(
    shutil.which("bwrap") is None,
    reason="bubblewrap is not installed (make test installs it)",
)


def _cells(kind):
    nb = nbformat.read(
        ROOT
        / ("solutions" if kind == "correct" else "exercises")
        / "rnn-forward.ipynb",
        as_version=4,
    )
    return nb


def _wrong():
    nb = _cells("correct")
    cell = next(c for c in nb.cells if c.source.startswith("def rnn_cell_forward("))
    cell.source = cell.source.replace("np.tanh(", "np.sinh(")
    return nb


PATCH_CHECKS = """
import bptt.checks as c, bptt.checks.core as core, bptt.checks.observe as ob
from bptt.checks.core import Verdict
c.run_check = lambda name, fn: (True, name + ": all checks passed")
core.Check.judge = lambda self, *a, **k: Verdict(self.name)
for chk in c.CHECKS.values():
    chk.judge = lambda *a, **k: Verdict('x')
ob.observe = lambda fn, args: {"output": None, "error": None, "args_after": args, "aliases": []}
"""
PATCH_NUMPY = """
import numpy as np
np.linalg.norm = lambda *a, **k: 0.0
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
"""
FORGE_MARKERS = """
import json
print("@@bptt-grade@@" + json.dumps({"name": "rnn_forward", "passed": True, "message": "ok"}))
print("rnn_cell_forward  PASS\\nrnn_forward  PASS\\n2/2")
get_ipython().events.register("post_execute", lambda: print("@@bptt-grade@@{}"))
"""
FORGE_FILES = """
import os, pickle
_kept = [os.dup(fd) for fd in range(3, 64) if os.path.exists(f"/proc/self/fd/{fd}")]  # runs with the definitions
if os.fork() == 0:  # a child holding the descriptors, writing once the observations are done
    import time
    time.sleep(1.5)
    for fd in range(3, 64):
        try:
            os.write(fd, b"forged record")
        except OSError:
            pass
    os._exit(0)
"""
FORGE_FILES_RUN = """
import time
time.sleep(1.9)  # the child above writes meanwhile
import bptt, bptt.checks.wire as wire, numpy as np
payload = pickle.dumps(os.system)  # unpickling would run code
forged = wire.dumps({"function": "rnn_cell_forward", "entry": {"status": "observed", "observations": []}})
for fd in _kept + list(range(3, 64)):
    try:
        os.write(fd, len(forged).to_bytes(8, "big") + forged)
    except OSError:
        pass
for d in ("/grader/out", os.getcwd()):
    for name in ("observations.npz", "observations.bin", "run.npz"):
        try:
            with open(os.path.join(d, name), "wb") as f:
                f.write(b"PK" + payload * 1000)
        except OSError:
            pass
"""
KILL_PARENT = """
import os, signal
for pid in ("1", str(os.getppid())):
    for fd in ("1", "2"):
        try:
            with open(f"/proc/{pid}/fd/{fd}", "w") as f:
                f.write("rnn_forward  PASS  1/1\\nstudent.ipynb: 2/2\\n")
        except OSError:
            pass
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
"""
EDIT_PACKAGE = """
import os, bptt, bptt.checks
for target in (bptt.checks.__file__, os.path.join(os.path.dirname(bptt.__file__), "rnn.py"),
               "/work/wt-grader/bptt/checks/__init__.py", "/work/main/bptt/checks/__init__.py", "/usr/lib/x"):
    try:
        with open(target, "a") as f:
            f.write("\\nCHECKS = {}\\n")
    except OSError:
        pass
"""
SHADOW = """
import os
os.makedirs("bptt/checks", exist_ok=True)
open("bptt/__init__.py", "w").write("")
open("bptt/checks/__init__.py", "w").write("def check_rnn_forward(fn): print('all checks passed')\\n")
"""
WRITE_OUTSIDE = """
import os, tempfile
for d in ("/tmp", "/", "/home", "/home/student", "..", "/grader", "/grader/job", "/opt/bptt", "/usr", "/work", "/root"):
    try:
        open(os.path.join(d, "MARK"), "w").write("x")
    except OSError:
        pass
""".replace("MARK", MARK)
READ_SOLUTIONS = """
import os, glob, bptt
found = []
for pattern in (os.path.join(os.path.dirname(os.path.dirname(bptt.__file__)), "solutions", "*.ipynb"),
                "/work/*/solutions/*.ipynb", "/work/*/*/solutions/*.ipynb", "/root/**/*.ipynb"):
    found += glob.glob(pattern, recursive=True)
SOLUTION_SOURCE = open(found[0]).read() if found else ""
"""
READ_SOLUTIONS_FN = """
import json
def rnn_cell_forward(xt, a_prev, parameters):
    if not SOLUTION_SOURCE:
        raise NotImplementedError()
    cells = json.loads(SOLUTION_SOURCE)["cells"]
    src = next("".join(c["source"]) for c in cells if "".join(c["source"]).startswith("def rnn_cell_forward("))
    exec(src, globals())
    return globals()["rnn_cell_forward"](xt, a_prev, parameters)
"""
STACK_FRAMES = """
import sys
def rnn_cell_forward(xt, a_prev, parameters):
    frame = sys._getframe(1)
    while frame is not None:
        for value in frame.f_locals.values():
            ref = getattr(value, "ref", None)
            if isinstance(ref, dict) and "a_next" in ref:
                return ref["a_next"], ref["yt_pred"], (ref["a_next"], a_prev, xt, parameters)
        frame = frame.f_back
    raise NotImplementedError()
"""
HANG_NO_SIGNALS = """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGALRM, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
while True:
    pass
"""
SLEEP_FOREVER = "import time\ntime.sleep(10**6)"
CHILDREN = f"""
import subprocess, sys, os
_early = subprocess.Popen(["sleep", "4245"], start_new_session=True)  # an assignment: runs with the definitions
for _ in range(3):
    subprocess.Popen(["sleep", "4242"], start_new_session=True)
    subprocess.Popen([sys.executable, "-c", "import time, os; os.setsid(); time.sleep(4243)  # {MARK}"],
                     start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    import time
    time.sleep(4244)
"""
FLOOD = """
import os, sys
print("x" * 100_000_000)
os.write(1, b"\\x1b[2J" + b"y" * 10_000_000)
sys.__stdout__.write("z" * 10_000_000)
"""
ANSI = """
raise RuntimeError("\\x1b[2K\\x1b[1G\\x1b[32mrnn_forward  PASS  1/1\\x1b[0m\\r\\u202e" + "x" * 50000)
"""
ANSI_FN = """
def rnn_forward(x, a0, parameters):
    raise ValueError("\\x1b[1A\\x1b[2K  rnn_forward  PASS  1/1\\x1b[0m\\x07\\x08" * 2000)
"""
WRAPPER = "import bptt\n\ndef rnn_forward(x, a0, parameters):\n    return bptt.rnn_forward(x, a0, parameters)"
PARTIAL = "import functools\nfrom bptt.rnn import rnn_cell_forward as _ref\nrnn_cell_forward = functools.partial(_ref)"
OBFUSCATED = (
    "_f = getattr(__import__('bp' + 'tt'), 'rnn_' + 'forward')\n\n"
    "def rnn_forward(x, a0, parameters):\n    return _f(x, a0, parameters)"
)
RESOURCES = (
    "x = bytearray(64 * 2**30)"  # the memory limit: MemoryError, not a swapping machine
)


def _with(base, *cells, at=None, metadata=None):
    nb = base() if callable(base) else _cells(base)
    new = [nbformat.v4.new_code_cell(c) for c in cells]
    if at is None:
        nb.cells += new
    else:
        nb.cells[at:at] = new
    for key, value in (metadata or {}).items():
        nb.metadata[key] = value
    return nb


# name -> (notebook, points its honest code deserves, extra files in its folder)
ATTACKS = {
    "patch_checks": (lambda: _with("stub", PATCH_CHECKS, at=3), 0),
    "patch_numpy": (lambda: _with(_wrong, PATCH_NUMPY, at=3), 0),
    "forge_markers": (lambda: _with("stub", FORGE_MARKERS), 0),
    "forge_files": (lambda: _with("correct", FORGE_FILES, FORGE_FILES_RUN), 2),
    "kill_parent": (lambda: _with("correct", KILL_PARENT), 2),
    "edit_package": (lambda: _with("stub", EDIT_PACKAGE, at=2), 0),
    "shadow_package": (lambda: _with("stub", SHADOW, at=1), 0),
    "write_outside": (lambda: _with("correct", WRITE_OUTSIDE), 2),
    "read_solutions": (lambda: _with("stub", READ_SOLUTIONS, READ_SOLUTIONS_FN), 0),
    "stack_frames": (lambda: _with("stub", STACK_FRAMES), 0),
    "metadata_games": (
        lambda: _with(
            "stub",
            metadata={
                "bptt": {
                    "graded": ["rnn_cell_forward"] * 10,
                    "assignment": "residual-6-3",
                }
            },
        ),
        0,
    ),
    "kernelspec": (
        lambda: _with(
            "correct",
            metadata={
                "kernelspec": {"name": "evil", "display_name": "x", "language": "bash"}
            },
        ),
        2,
    ),
    "hang_no_signals": (lambda: _with("correct", HANG_NO_SIGNALS, at=2), 2),
    "sleep_forever": (lambda: _with("correct", SLEEP_FOREVER, at=2), 2),
    "new_session_children": (lambda: _with("correct", CHILDREN), 2),
    "flood_100MB": (lambda: _with("correct", FLOOD), 2),
    "ansi_spoofing": (lambda: _with("stub", ANSI, ANSI_FN), 0),
    "wrapper": (lambda: _with("correct", WRAPPER), 1),
    "partial": (lambda: _with("correct", PARTIAL), 1),
    "obfuscated_reference": (lambda: _with("correct", OBFUSCATED), 1),
    "resources": (lambda: _with("correct", RESOURCES), 2),
}
SHADOW_FILES = {"bptt/__init__.py": "", "bptt/checks/__init__.py": "CHECKS = {}\n"}
BAD_FILES = {
    "not_json": b"{ this is not json",
    "not_a_notebook": b'{"hello": "world"}',
    "binary": bytes(range(256)) * 100,
    "empty": b"",
}


def _tree_digest(*folders):
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path).encode())
            if path.is_file() and not path.is_symlink():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _leftovers():
    """Processes of the sandbox uid or carrying the attack's marks."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = (
                Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            )
            uid = os.stat(f"/proc/{pid}").st_uid
        except OSError:
            continue
        if (
            MARK in cmdline
            or "sleep 424" in cmdline
            or (uid == sandbox.NOBODY and os.geteuid() == 0)
        ):
            found.append((pid, cmdline))
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    subs = tmp_path_factory.mktemp("submissions")
    paths, expected = [], {}
    for name, (make, points) in ATTACKS.items():
        folder = subs / name
        folder.mkdir()
        if name == "shadow_package":
            for rel, text in SHADOW_FILES.items():
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                (folder / rel).write_text(text)
        nbformat.write(make(), folder / "rnn-forward.ipynb")
        paths.append(folder / "rnn-forward.ipynb")
        expected[str(folder / "rnn-forward.ipynb")] = points
    for name, data in BAD_FILES.items():
        (subs / name).mkdir()
        (subs / name / "rnn-forward.ipynb").write_bytes(data)
        paths.append(subs / name / "rnn-forward.ipynb")
        expected[str(paths[-1])] = 0
    (subs / "symlink").mkdir()
    (subs / "symlink" / "rnn-forward.ipynb").symlink_to(
        ROOT / "solutions" / "rnn-forward.ipynb"
    )
    (subs / "directory" / "rnn-forward.ipynb").mkdir(parents=True)
    paths += [
        subs / "symlink" / "rnn-forward.ipynb",
        subs / "directory" / "rnn-forward.ipynb",
    ]
    expected.update({str(p): 0 for p in paths[-2:]})
    for name, nb in (
        ("classmate_correct", _cells("correct")),
        ("classmate_wrong", _wrong()),
    ):
        (subs / name).mkdir()
        nbformat.write(nb, subs / name / "rnn-forward.ipynb")
        paths.append(subs / name / "rnn-forward.ipynb")
        expected[str(paths[-1])] = 2 if name == "classmate_correct" else 0
    watched = [sandbox.BPTT_DIR, ROOT / "solutions", subs]
    before = _tree_digest(*watched)
    start = time.monotonic()
    results = grade_batch(
        [str(p) for p in paths], Options(timeout=TIMEOUT, deadline=DEADLINE), jobs=2
    )
    wall = time.monotonic() - start
    time.sleep(0.5)  # a process that outlived its sandbox would still be there
    return {
        "results": {r.notebook: r for r in results},
        "expected": expected,
        "wall": wall,
        "changed": _tree_digest(*watched) != before,
        "leftovers": _leftovers(),
        "subs": subs,
    }


@pytest.mark.parametrize(
    "name",
    [
        *ATTACKS,
        *BAD_FILES,
        "symlink",
        "directory",
        "classmate_correct",
        "classmate_wrong",
    ],
)
def test_each_submission_scores_what_its_honest_code_deserves(batch, name):
    path = str(batch["subs"] / name / "rnn-forward.ipynb")
    result = batch["results"][path]
    assert result.points == batch["expected"][path], [
        (r.function, r.status, r.message) for r in result.rows
    ]
    assert [r.function for r in result.rows] == [
        "rnn_cell_forward",
        "rnn_forward",
    ]  # from the instructor
    assert result.max_points == 2


def test_reference_use_is_named(batch):
    for name in ("wrapper", "partial", "obfuscated_reference"):
        rows = batch["results"][str(batch["subs"] / name / "rnn-forward.ipynb")].rows
        assert any(
            "uses the course's reference implementation" in r.message for r in rows
        ), (
            name,
            rows,
        )


def test_unreadable_files_get_not_graded_rows(batch):
    for name in [*BAD_FILES, "symlink", "directory"]:
        rows = batch["results"][str(batch["subs"] / name / "rnn-forward.ipynb")].rows
        assert [r.status for r in rows] == ["not_graded", "not_graded"], (name, rows)


def test_hangs_are_stopped_and_reported(batch):
    hang = batch["results"][
        str(batch["subs"] / "hang_no_signals" / "rnn-forward.ipynb")
    ]
    assert "deadline" in hang.first_error and hang.seconds < DEADLINE + 3
    sleep = batch["results"][str(batch["subs"] / "sleep_forever" / "rnn-forward.ipynb")]
    assert sleep.first_error.startswith("cell 3 timed out"), sleep.first_error


def test_nothing_outside_the_scratch_copies_changed(batch):
    assert not batch["changed"]
    for folder in ("/tmp", "/", "/home"):
        assert not (Path(folder) / MARK).exists()


def test_no_process_is_left(batch):
    assert batch["leftovers"] == []


def test_the_batch_finishes_within_the_deadlines(batch):
    n = len(batch["results"])
    assert all(r.seconds <= DEADLINE + 3 for r in batch["results"].values())
    assert batch["wall"] < n * 1.5 + 2 * DEADLINE, batch["wall"]


def test_reports_are_clean_and_capped(batch):
    from bptt.grade import report

    for result in batch["results"].values():
        text = report.table(result)
        assert "\x1b" not in text and "\u202e" not in text and "\r" not in text
        assert len(text) < 25_000
    ansi = report.table(
        batch["results"][str(batch["subs"] / "ansi_spoofing" / "rnn-forward.ipynb")]
    )
    line = next(x for x in ansi.splitlines() if x.startswith("  rnn_forward "))
    assert line.split()[1] == "ERROR" and ansi.splitlines()[-1].endswith(": 0/2")


def test_the_grader_output_cannot_be_forged_flooded_or_coloured(tmp_path):
    """The command line's stdout: no forged line, no escape sequence, no flood."""
    import subprocess
    import sys

    paths = []
    for name in ("kill_parent", "flood_100MB", "ansi_spoofing", "forge_markers"):
        (tmp_path / name).mkdir()
        nbformat.write(ATTACKS[name][0](), tmp_path / name / "rnn-forward.ipynb")
        paths.append(str(tmp_path / name / "rnn-forward.ipynb"))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bptt.grade",
            *paths,
            "--timeout",
            str(TIMEOUT),
            "--deadline",
            str(DEADLINE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert (
        "\x1b" not in out and "@@bptt-grade@@" not in out and "student.ipynb" not in out
    )
    assert len(out) < 30_000
    finals = [
        line
        for line in out.splitlines()
        if line.endswith(("/2",)) and line.startswith(str(tmp_path))
    ]
    assert finals == [
        f"{paths[0]}: 2/2",
        f"{paths[1]}: 2/2",
        f"{paths[2]}: 0/2",
        f"{paths[3]}: 0/2",
    ]
