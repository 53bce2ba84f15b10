"""Grade one notebook: read it, run it in the sandbox, judge what came back.

Everything here is trusted code: it never executes the student's code, it
only reads the files the sandboxed runner wrote (wire files, validated on
load) and judges them with ``bptt.checks.CHECKS[name].judge``.
"""

import dataclasses
import os
import shutil
import tempfile
import time
from pathlib import Path

from ..i18n import _
from . import assignments, notebook, sandbox
from .judging import cases_of, checks, definition_notes, first_error, judge_all
from .observations import MAX_WIRE, file_tail, load_wire, read_observations
from .results import REFERENCE, STATUSES, Options, Result, Row


def grade_notebook(path, options=None):
    """The Result of grading notebook ``path``; never raises for a bad submission."""
    options = options or Options()
    result = Result(str(path))
    try:
        sub = notebook.read(path)
    except notebook.Unreadable as exc:
        return _not_graded(
            result, options, _("cannot read the notebook ({exc})").format(exc=exc), path
        )
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
    result.notes += definition_notes(observed, result.rows)
    if observed is None and not outcome.killed and outcome.log:
        result.notes.append(
            _("the sandboxed runner said: {log}").format(log=outcome.log)
        )
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
    outcome.log = file_tail(box / "runner.log")
    return (
        read_observations(box / "observations.bin", graded),
        load_wire(box / "out" / "run.npz"),
        outcome,
    )


__all__ = [
    "MAX_WIRE",
    "Options",
    "REFERENCE",
    "Result",
    "Row",
    "STATUSES",
    "cases_of",
    "checks",
    "definition_notes",
    "file_tail",
    "first_error",
    "grade_notebook",
    "judge_all",
    "load_wire",
    "read_observations",
]
