"""``python -m bptt.grade``: grade a batch of notebooks, print the reports, write the gradebooks."""

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bptt

from . import assignments, report, sandbox
from .grading import Options, Result, Row, grade_notebook

LAST_RESULTS = []  # the last batch main() graded (for the benchmark)
UNSANDBOXED = "SANDBOX OFF (--no-sandbox): the students' code ran with your rights, outside any sandbox"


def parser():
    p = argparse.ArgumentParser(
        prog="python -m bptt.grade",
        description=(
            "Grade exercise notebooks: each runs in a bubblewrap sandbox, the checks are judged outside it."
        ),
    )
    p.add_argument("notebooks", nargs="+", help="the submissions (.ipynb)")
    p.add_argument(
        "--assignment",
        metavar="NAME",
        help="the assignment (a notebook stem in solutions/, e.g. "
        "rnn-forward); default: from each file name, else from its metadata bptt.assignment",
    )
    p.add_argument(
        "--solutions",
        metavar="DIR",
        type=Path,
        default=assignments.SOLUTIONS,
        help="the instructor's solutions folder, where bptt.graded is read (default: %(default)s)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=60,
        metavar="S",
        help="seconds per cell (default 60)",
    )
    p.add_argument(
        "--deadline",
        type=float,
        default=300,
        metavar="S",
        help="seconds per notebook, wall clock; then the sandbox is killed (default 300)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="notebooks graded at once (default: the number of cores)",
    )
    p.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help="write the gradebook: one row per notebook and function",
    )
    p.add_argument(
        "--gradescope",
        type=Path,
        metavar="FILE",
        help="write Gradescope's results.json",
    )
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run the students' code without bubblewrap, with your rights (trusted code only)",
    )
    return p


def grade_batch(paths, options, jobs=1):
    """Results in the order of ``paths``, graded ``jobs`` at a time."""
    if options.fonts is None:
        options.fonts = sandbox.font_cache()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda p: _grade_safely(p, options), paths))


def _grade_safely(path, options):
    try:
        return grade_notebook(path, options)
    except (
        Exception
    ) as exc:  # a bug of ours: one notebook's rows say so, the batch goes on
        return Result(
            str(path),
            rows=[
                Row(
                    "-",
                    "error",
                    0.0,
                    0.0,
                    f"grading failed ({type(exc).__name__}: {exc})",
                )
            ],
        )


def _shadowing(paths):
    """The bptt in use, when it lies inside a submission's folder (a planted package would run here)."""
    package = Path(bptt.__file__).resolve().parent
    for path in paths:
        folder = Path(path).resolve().parent
        if folder == package.parent or folder in package.parents:
            return package
    return None


def main(argv=None):
    args = parser().parse_args(argv)
    known = assignments.known(args.solutions)
    if args.assignment and args.assignment not in known:
        print(
            f"unknown assignment {args.assignment!r}; known: {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    planted = _shadowing(args.notebooks)
    if planted:
        print(
            f"refusing to grade: the bptt package in use ({planted}) is inside a submissions folder; "
            "run the grader from another folder (or with python -P)",
            file=sys.stderr,
        )
        return 2
    options = Options(
        timeout=args.timeout,
        deadline=args.deadline,
        assignment=args.assignment,
        solutions=args.solutions,
        sandboxed=not args.no_sandbox,
    )
    if options.sandboxed:
        try:
            with tempfile.TemporaryDirectory(prefix="bptt-probe-") as box:
                sandbox.prepare_box(box)
                sandbox.probe(box, options.limits)
        except sandbox.SandboxUnavailable as exc:
            print(
                f"refusing to run students' code: {exc}.\nTo grade without a sandbox (your rights, "
                "only for code you trust), add --no-sandbox.",
                file=sys.stderr,
            )
            return 3
    else:
        print(UNSANDBOXED)
    start = time.monotonic()
    results = grade_batch(args.notebooks, options, args.jobs)
    LAST_RESULTS[:] = results
    for result in results:
        print(report.table(result), flush=True)
    _footer(results, time.monotonic() - start, options)
    if args.csv:
        report.write_csv(args.csv, results)
    if args.gradescope:
        report.write_gradescope(args.gradescope, results, options.sandboxed)
    return 0


def _footer(results, seconds, options):
    skipped = [
        report.clean(r.notebook, 200)
        for r in results
        if all(row.status == "not_graded" for row in r.rows)
    ]
    if skipped:
        print(f"NOT GRADED ({len(skipped)} of {len(results)}): {', '.join(skipped)}")
    print(
        f"graded {len(results)} notebook{'s' * (len(results) != 1)} in {seconds:.1f} s"
    )
    if not options.sandboxed:
        print(UNSANDBOXED)
