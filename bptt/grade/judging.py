"""Judging the observed outputs in the trusted process: each graded function's
check, in dependency order, with its points, and the first error of the run.
"""

import threading

from ..i18n import _
from .results import Row


def checks():
    from bptt.checks import CHECKS

    return CHECKS


_CASES = threading.Lock()


def cases_of(name):
    """The check's seeded cases, computed once per batch (some import torch) and shared by the threads."""
    with _CASES:
        return checks()[name].cases()


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
                _("no check for {name} in this version of bptt").format(name=name),
            )
            continue
        if name in flagged:
            rows[name] = Row(
                name,
                "failed",
                0.0,
                points,
                _("uses the course's reference implementation ({what})").format(
                    what=flagged[name]
                ),
                _(
                    "write {name} yourself; the course's functions are there to compare "
                    "with, not to call"
                ).format(name=name),
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
                _(
                    "not checked: the observations were tampered with (the notebook's code "
                    "wrote to the grader's data)"
                ),
            ), None
        if outcome.killed:
            return Row(
                name,
                "timeout",
                0.0,
                points,
                _(
                    "not checked: the notebook ran past the deadline of {deadline:g} s and "
                    "was stopped"
                ).format(deadline=options.deadline),
            ), None
        return Row(
            name,
            "error",
            0.0,
            points,
            _(
                "not checked: the notebook's process ended first (exit status "
                "{returncode}; e.g. os._exit, a crash or the memory limit)"
            ).format(returncode=outcome.returncode),
        ), None
    status, detail = entry.get("status"), str(entry.get("detail", ""))[:300]
    if status == "missing":
        return Row(
            name,
            "failed",
            0.0,
            points,
            _("not defined: the notebook does not define {name}").format(name=name),
        ), None
    if status == "not_callable":
        return Row(
            name,
            "failed",
            0.0,
            points,
            _("{name} is a {detail}, not a function").format(name=name, detail=detail),
        ), None
    if status == "reference":
        return Row(
            name,
            "failed",
            0.0,
            points,
            _("uses the course's reference implementation ({what})").format(
                what=detail
            ),
            _("write {name} yourself").format(name=name),
        ), None
    if status == "timeout":
        return Row(
            name,
            "timeout",
            0.0,
            points,
            _("a call of {name} ran longer than {timeout:g} s").format(
                name=name, timeout=options.timeout
            ),
        ), None
    if status != "observed":
        return Row(
            name,
            "error",
            0.0,
            points,
            _("the check of {name} stopped ({detail})").format(
                name=name, detail=detail or status
            ),
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
            _("the observations could not be judged ({type})").format(
                type=type(exc).__name__
            ),
        ), None
    status = (
        verdict.status if verdict.status in ("passed", "failed", "error") else "failed"
    )
    message = _("all checks passed") if verdict.passed else str(verdict.message)
    notes = [_("note: {note}").format(note=n) for n in getattr(verdict, "notes", [])]
    hint = " ".join([str(verdict.hint or "")] + notes).strip()
    return Row(
        name, status, points if verdict.passed else 0.0, points, message, hint
    ), verdict


def first_error(run, outcome, options):
    """The report's first-error line, from the runner's record of the full run."""
    cells = run.get("cells") if isinstance(run, dict) else None
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, list) or len(cell) != 4:
            continue
        number, status, ename, evalue = cell
        if status == "timeout":
            return _(
                "cell {number} timed out: it ran longer than {timeout:g} s"
            ).format(number=number, timeout=options.timeout)
        if status == "error":
            first = str(evalue).strip().splitlines()[0] if str(evalue).strip() else ""
            if first:
                return _("cell {number} raised {ename}: {first}").format(
                    number=number, ename=ename, first=first
                )
            return _("cell {number} raised {ename}").format(number=number, ename=ename)
    running = run.get("running") if isinstance(run, dict) else None
    if outcome.killed:
        if isinstance(running, int):
            return _(
                "the notebook was stopped at the deadline of {deadline:g} s while cell "
                "{cell} was running"
            ).format(deadline=options.deadline, cell=running)
        return _("the notebook was stopped at the deadline of {deadline:g} s").format(
            deadline=options.deadline
        )
    if running is not None or run is None:
        if isinstance(running, int):
            return _(
                "the notebook's process ended in cell {cell} (exit status {returncode})"
            ).format(cell=running, returncode=outcome.returncode)
        return _("the notebook's process ended (exit status {returncode})").format(
            returncode=outcome.returncode
        )
    return ""


def definition_notes(observed, rows):
    """Why a function is missing: the definitions that failed to load (at most three)."""
    undefined = [
        r
        for r in rows
        if r.message
        == _("not defined: the notebook does not define {name}").format(name=r.function)
    ]
    if not undefined or not isinstance(observed, dict):
        return []
    problems = observed.get("definitions")
    out = []
    for item in problems if isinstance(problems, list) else []:
        if isinstance(item, list) and len(item) == 3:
            out.append(
                _(
                    "cell {cell}, line {line} failed while loading the definitions: "
                    "{error}"
                ).format(cell=item[0], line=item[1], error=item[2])
            )
    return out[:3]
