"""Grade one notebook: read it, run it in the sandbox, judge what came back.

Everything here is trusted code: it never executes the student's code, it
only reads the files the sandboxed runner wrote (wire files, validated on
load) and judges them with ``bptt.checks.CHECKS[name].judge``.
"""

import dataclasses
import os
import shutil
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import assignments, notebook, sandbox

STATUSES = ("passed", "failed", "error", "timeout", "not_graded")
REFERENCE = "uses the course's reference implementation"
MAX_WIRE = 64 * 2**20


@dataclass
class Options:
    timeout: float = 60  # per cell (and per call of a graded function), seconds
    deadline: float = 300  # per notebook, seconds of wall clock
    assignment: str = None
    solutions: Path = assignments.SOLUTIONS
    sandboxed: bool = True
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    fonts: Path = (
        None  # matplotlib's font list to start each sandbox with (sandbox.font_cache)
    )


@dataclass
class Row:
    function: str
    status: str
    points: float
    max_points: float
    message: str = ""
    hint: str = ""


@dataclass
class Result:
    notebook: str
    assignment: str = ""
    source: str = ""
    rows: list = field(default_factory=list)
    first_error: str = ""
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    timing: dict = field(
        default_factory=dict
    )  # where the time went (seconds), for the benchmark

    @property
    def points(self):
        return sum(r.points for r in self.rows)

    @property
    def max_points(self):
        return sum(r.max_points for r in self.rows)


def checks():
    from bptt.checks import CHECKS

    return CHECKS


_CASES = threading.Lock()


def cases_of(name):
    """The check's seeded cases, computed once per batch (some import torch) and shared by the threads."""
    with _CASES:
        return checks()[name].cases()


def grade_notebook(path, options=None):
    """The Result of grading notebook ``path``; never raises for a bad submission."""
    options = options or Options()
    result = Result(str(path))
    try:
        sub = notebook.read(path)
    except notebook.Unreadable as exc:
        return _not_graded(result, options, f"cannot read the notebook ({exc})", path)
    try:
        assignment = assignments.resolve(
            path, sub.metadata, options.assignment, options.solutions
        )
    except assignments.AssignmentError as exc:
        return _not_graded(result, options, str(exc), path)
    result.assignment, result.source, result.notes = (
        assignment.name,
        assignment.source,
        list(assignment.notes),
    )
    flagged = notebook.reference_use(
        sub.cells, list(assignment.points), assignment.references()
    )
    graded = [n for n in assignment.points if n in checks()]
    box = Path(tempfile.mkdtemp(prefix="bptt-grade-"))
    try:
        observed, run, outcome = _run_in_sandbox(sub, assignment, graded, box, options)
    finally:
        shutil.rmtree(box, ignore_errors=True)
    result.seconds = outcome.seconds
    started = time.monotonic()
    result.rows = judge_all(assignment, observed, flagged, outcome, options)
    result.timing = _timing(observed, run, outcome, time.monotonic() - started)
    result.first_error = first_error(run, outcome, options)
    result.notes += _definition_notes(observed, result.rows)
    if observed is None and not outcome.killed and outcome.log:
        result.notes.append(f"the sandboxed runner said: {outcome.log}")
    return result


def _timing(observed, run, outcome, judge):
    """Seconds per stage, as the runner measured them (untrusted, but only for the benchmark)."""
    out = {"sandbox": outcome.seconds, "judge": judge}
    inner = observed.get("timing") if isinstance(observed, dict) else None
    for key in ("imports", "definitions", "observe"):
        value = inner.get(key) if isinstance(inner, dict) else None
        if isinstance(value, float):
            out[key] = value
    for key, name in (("seconds", "run"), ("cpu", "cpu")):
        if isinstance(run, dict) and isinstance(run.get(key), float):
            out[name] = run[key]
    return out


def _not_graded(result, options, why, path):
    try:
        name = (
            options.assignment
            or assignments.resolve(path, {}, None, options.solutions).name
        )
        points = assignments.graded_points(name, options.solutions)
    except assignments.AssignmentError:
        name, points = "", {"-": 0.0}
    result.assignment = name
    result.rows = [Row(f, "not_graded", 0.0, p, why) for f, p in points.items()]
    return result


def _run_in_sandbox(sub, assignment, graded, box, options):
    """Write the job, run the runner under the deadline, read back (observations, run record, outcome)."""
    from bptt.checks import wire

    sandbox.prepare_box(box, sub.path, fonts=options.fonts)
    job = {
        "cells": [[n, src] for n, src in sub.cells],
        "graded": graded,
        "cases": {
            name: [tuple(case.args) for case in cases_of(name)] for name in graded
        },
        "references": assignment.references(),
        "timeout": float(options.timeout),
    }
    wire.save(box / "job" / "job.npz", job)
    # the observations go to a file outside the sandbox, through a descriptor the runner closes after them
    fd = os.open(box / "observations.bin", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    limits = dataclasses.replace(
        options.limits, cpu=int(options.deadline) + 5
    )  # CPU never ends it before the deadline
    try:
        if options.sandboxed:
            argv, env = (
                sandbox.bwrap_argv(box, limits, sandbox.runner_command(fd)),
                None,
            )
        else:
            argv, env = (
                sandbox.unsandboxed_argv(box, limits, fd),
                sandbox.unsandboxed_env(box),
            )
        outcome = sandbox.run(
            argv,
            options.deadline,
            box / "runner.log",
            cwd=box / "home" / "work",
            env=env,
            pass_fds=(fd,),
        )
    finally:
        os.close(fd)
    outcome.log = _tail(box / "runner.log")
    return (
        read_observations(box / "observations.bin", graded),
        _load(box / "out" / "run.npz"),
        outcome,
    )


def _tail(path, size=2000):
    """The last line of the runner's log: bwrap's or the runner's own error (students' output is not there)."""
    try:
        with open(path, "rb") as log:
            log.seek(max(0, log.seek(0, 2) - size))
            lines = log.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1] if lines else ""


def read_observations(path, graded):
    """{"functions": {name: entry}, "definitions", "timing"} from the runner's records, or None.

    The records must be exactly one per graded function, in order, then one last record;
    anything else (a record too many, a forged one out of order, a truncated one) means
    the observations cannot be trusted, and only the complete prefix is kept.
    """
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_WIRE else b""
    except OSError:
        return None
    out, offset = {"functions": {}}, 0
    for expected in [*graded, None]:
        record = _record_at(data, offset)
        if record is None:
            return out if out["functions"] else None
        obj, offset = record
        if (
            expected is not None
            and isinstance(obj, dict)
            and obj.get("function") == expected
        ):
            out["functions"][expected] = obj.get("entry")
        elif expected is None and isinstance(obj, dict) and "function" not in obj:
            out["definitions"], out["timing"] = (
                obj.get("definitions"),
                obj.get("timing"),
            )
        else:
            return {"functions": {}, "tampered": True}
    return out if offset == len(data) else {"functions": {}, "tampered": True}


def _record_at(data, offset):
    """(object, next offset) of the length-prefixed wire record at ``offset``, or None."""
    from bptt.checks import wire

    if offset + 8 > len(data):
        return None
    size = int.from_bytes(data[offset : offset + 8], "big")
    chunk = data[offset + 8 : offset + 8 + size]
    if len(chunk) != size or not _plain_zip(chunk):
        return None
    try:
        return wire.load(chunk, max_bytes=MAX_WIRE), offset + 8 + size
    except wire.WireError:
        return None


def _plain_zip(chunk):
    """np.savez stores its members; a deflated member could be a zip bomb."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(chunk)) as archive:
            return all(
                m.compress_type == zipfile.ZIP_STORED and m.file_size <= MAX_WIRE
                for m in archive.infolist()
            )
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _load(path):
    """A wire file the sandbox wrote, or None; checked as a plain, stored zip before numpy reads it."""
    from bptt.checks import wire

    if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_WIRE:
        return None  # a link, a FIFO that would block us, an oversized file
    try:
        with zipfile.ZipFile(
            path
        ) as archive:  # np.savez stores; a deflated member could be a zip bomb
            members = archive.infolist()
        if any(
            m.compress_type != zipfile.ZIP_STORED or m.file_size > MAX_WIRE
            for m in members
        ):
            return None
        data = wire.load(str(path), max_bytes=MAX_WIRE)
    except (wire.WireError, zipfile.BadZipFile, OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# ------------------------------------------------------------------ judging ---


def judge_all(assignment, observed, flagged, outcome, options):
    """One Row per graded function, in the instructor's order; dependencies judged first."""
    functions = observed.get("functions") if isinstance(observed, dict) else None
    functions = functions if isinstance(functions, dict) else {}
    verdicts, rows = {}, {}
    for name in _dependency_order(list(assignment.points)):
        points = assignment.points[name]
        if name not in checks():
            rows[name] = Row(
                name,
                "not_graded",
                0.0,
                points,
                f"no check for {name} in this version of bptt",
            )
            continue
        if name in flagged:
            rows[name] = Row(
                name,
                "failed",
                0.0,
                points,
                f"{REFERENCE} ({flagged[name]})",
                f"write {name} yourself; the course's functions are there to compare with, not to call",
            )
            continue
        tampered = isinstance(observed, dict) and observed.get("tampered", False)
        rows[name], verdicts[name] = _judge_one(
            name, functions.get(name), verdicts, outcome, options, points, tampered
        )
    return [rows[n] for n in assignment.points]


def _dependency_order(names):
    order, pending = [], list(names)
    while pending:
        for name in pending:
            deps = getattr(checks().get(name), "depends", ())
            if not any(d in pending and d != name for d in deps):
                order.append(name)
                pending.remove(name)
                break
        else:  # a cycle: keep the given order
            order += pending
            break
    return order


def _judge_one(name, entry, verdicts, outcome, options, points, tampered=False):
    """(Row, Verdict or None) for one graded function from its entry in observations.npz."""
    if not isinstance(entry, dict):
        if tampered:
            return Row(
                name,
                "error",
                0.0,
                points,
                "not checked: the observations were tampered with "
                "(the notebook's code wrote to the grader's data)",
            ), None
        if outcome.killed:
            return Row(
                name,
                "timeout",
                0.0,
                points,
                f"not checked: the notebook ran past the deadline of "
                f"{options.deadline:g} s and was stopped",
            ), None
        return Row(
            name,
            "error",
            0.0,
            points,
            f"not checked: the notebook's process ended first "
            f"(exit status {outcome.returncode}; e.g. os._exit, a crash or the memory limit)",
        ), None
    status, detail = entry.get("status"), str(entry.get("detail", ""))[:300]
    if status == "missing":
        return Row(
            name,
            "failed",
            0.0,
            points,
            f"not defined: the notebook does not define {name}",
        ), None
    if status == "not_callable":
        return Row(
            name, "failed", 0.0, points, f"{name} is a {detail}, not a function"
        ), None
    if status == "reference":
        return Row(
            name,
            "failed",
            0.0,
            points,
            f"{REFERENCE} ({detail})",
            f"write {name} yourself",
        ), None
    if status == "timeout":
        return Row(
            name,
            "timeout",
            0.0,
            points,
            f"a call of {name} ran longer than {options.timeout:g} s",
        ), None
    if status != "observed":
        return Row(
            name,
            "error",
            0.0,
            points,
            f"the check of {name} stopped ({detail or status})",
        ), None
    deps = {
        d: verdicts[d]
        for d in getattr(checks()[name], "depends", ())
        if verdicts.get(d) is not None
    }
    try:
        cases_of(name)
        verdict = checks()[name].judge(entry.get("observations"), deps=deps or None)
    except (
        Exception
    ) as exc:  # malformed data from the sandbox must not crash the grader
        return Row(
            name,
            "error",
            0.0,
            points,
            f"the observations could not be judged ({type(exc).__name__})",
        ), None
    status = (
        verdict.status if verdict.status in ("passed", "failed", "error") else "failed"
    )
    message = "all checks passed" if verdict.passed else str(verdict.message)
    notes = [f"note: {n}" for n in getattr(verdict, "notes", [])]
    hint = " ".join([str(verdict.hint or "")] + notes).strip()
    return Row(
        name, status, points if verdict.passed else 0.0, points, message, hint
    ), verdict


# ------------------------------------------------------------------ the run ---


def first_error(run, outcome, options):
    """The report's first-error line, from the runner's record of the full run."""
    cells = run.get("cells") if isinstance(run, dict) else None
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, list) or len(cell) != 4:
            continue
        number, status, ename, evalue = cell
        if status == "timeout":
            return f"cell {number} timed out: it ran longer than {options.timeout:g} s"
        if status == "error":
            first = str(evalue).strip().splitlines()[0] if str(evalue).strip() else ""
            return f"cell {number} raised {ename}" + (f": {first}" if first else "")
    running = run.get("running") if isinstance(run, dict) else None
    if outcome.killed:
        where = f" while cell {running} was running" if isinstance(running, int) else ""
        return (
            f"the notebook was stopped at the deadline of {options.deadline:g} s{where}"
        )
    if running is not None or run is None:
        where = f" in cell {running}" if isinstance(running, int) else ""
        return f"the notebook's process ended{where} (exit status {outcome.returncode})"
    return ""


def _definition_notes(observed, rows):
    """Why a function is missing: the definitions that failed to load (at most three)."""
    if not any(r.message.startswith("not defined") for r in rows) or not isinstance(
        observed, dict
    ):
        return []
    problems = observed.get("definitions")
    out = []
    for item in problems if isinstance(problems, list) else []:
        if isinstance(item, list) and len(item) == 3:
            out.append(
                f"cell {item[0]}, line {item[1]} failed while loading the definitions: {item[2]}"
            )
    return out[:3]
