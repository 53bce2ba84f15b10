"""``python -m bptt.grade``: grade a batch of notebooks, print the reports, write the gradebooks."""

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bptt

from .. import i18n
from ..i18n import N_, _
from . import assignments, report, sandbox
from .grading import Options, Result, Row, grade_notebook

LAST_RESULTS = []  # the last batch main() graded (for the benchmark)
UNSANDBOXED = N_(
    "SANDBOX OFF (--no-sandbox): the students' code ran with your rights, "
    "outside any sandbox"
)


class _Help(argparse.HelpFormatter):
    """argparse's own words ("usage: ") in the current language."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix or _("usage: "))


def parser():
    """The command line; its help is in the current language (set --lang before building it)."""
    p = argparse.ArgumentParser(
        prog="python -m bptt.grade",
        description=(
            _(
                "Grade exercise notebooks: each runs in a bubblewrap sandbox, the checks "
                "are judged outside it."
            )
        ),
        formatter_class=_Help,
        add_help=False,
    )
    p._positionals.title = _("positional arguments")
    p._optionals.title = _("options")
    p.add_argument(
        "-h", "--help", action="help", help=_("show this help message and exit")
    )
    p.add_argument("notebooks", nargs="+", help=_("the submissions (.ipynb)"))
    p.add_argument(
        "--assignment",
        metavar="NAME",
        help=_(
            "the assignment (a notebook stem in solutions/, e.g. rnn-forward); "
            "default: from each file name, else from its metadata bptt.assignment"
        ),
    )
    p.add_argument(
        "--solutions",
        metavar="DIR",
        type=Path,
        default=assignments.SOLUTIONS,
        help=_(
            "the instructor's solutions folder, where bptt.graded is read (default: "
            "%(default)s)"
        ),
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=60,
        metavar="S",
        help=_("seconds per cell (default 60)"),
    )
    p.add_argument(
        "--deadline",
        type=float,
        default=300,
        metavar="S",
        help=_(
            "seconds per notebook, wall clock; then the sandbox is killed (default 300)"
        ),
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help=_("notebooks graded at once (default: the number of cores)"),
    )
    p.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help=_("write the gradebook: one row per notebook and function"),
    )
    p.add_argument(
        "--gradescope",
        type=Path,
        metavar="FILE",
        help=_("write Gradescope's results.json"),
    )
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help=_(
            "run the students' code without bubblewrap, with your rights (trusted "
            "code only)"
        ),
    )
    p.add_argument(
        "--lang",
        choices=i18n.ACCEPTED,
        metavar="LANG",
        help=_(
            "the language of the reports and messages: en or zh_CN (also zh, zh-CN); "
            "default: the environment variable BPTT_LANG, else English"
        ),
    )
    return p


def _language(argv):
    """Apply --lang before the parser is built, so that --help is in that language too."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _rest = pre.parse_known_args(argv)
    if known.lang is not None:
        try:
            i18n.set_language(known.lang)
        except ValueError:
            pass  # the full parser names the accepted values
    return known.lang


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
                    _("grading failed ({error})").format(
                        error=f"{type(exc).__name__}: {exc}"
                    ),
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
    """Grade; the language is --lang's for this run (then the previous one again)."""
    before = i18n._chosen
    try:
        if _language(sys.argv[1:] if argv is None else argv) is None:
            i18n.language()  # a BPTT_LANG that names no language: say so, no traceback
        return _main(parser().parse_args(argv))
    except ValueError as exc:
        if "BPTT_LANG" not in str(exc):
            raise
        print(exc, file=sys.stderr)
        return 2
    finally:
        i18n._chosen = before


def _main(args):
    known = assignments.known(args.solutions)
    if args.assignment and args.assignment not in known:
        print(
            _("unknown assignment {name!r}; known: {known}").format(
                name=args.assignment, known=", ".join(known)
            ),
            file=sys.stderr,
        )
        return 2
    planted = _shadowing(args.notebooks)
    if planted:
        print(
            _(
                "refusing to grade: the bptt package in use ({planted}) is inside a "
                "submissions folder; run the grader from another folder (or with python "
                "-P)"
            ).format(planted=planted),
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
                _(
                    "refusing to run students' code: {exc}.\nTo grade without a sandbox (your "
                    "rights, only for code you trust), add --no-sandbox."
                ).format(exc=exc),
                file=sys.stderr,
            )
            return 3
    else:
        print(_(UNSANDBOXED))
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
        print(
            _("NOT GRADED ({n} of {total}): {names}").format(
                n=len(skipped), total=len(results), names=", ".join(skipped)
            )
        )
    print(
        (
            _("graded {n} notebook in {seconds:.1f} s")
            if len(results) == 1
            else _("graded {n} notebooks in {seconds:.1f} s")
        ).format(n=len(results), seconds=seconds)
    )
    if not options.sandboxed:
        print(_(UNSANDBOXED))
