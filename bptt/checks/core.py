"""The machinery every check shares: cases, verdicts, the judge's comparisons.

A check is **cases** (seeded inputs as plain data, plus reference values the
student never sees) and a **judge** (a function ``judge(case, observation)``
that raises :class:`Failure` with a message and a one-sentence hint).  The
self-check ``check_<name>(fn)`` observes ``fn`` on each case in the notebook
and judges at once; the grader observes in a sandbox and judges here.

The judge's tools live in :mod:`bptt.checks.comparisons` (outputs against
references) and :mod:`bptt.checks.structures` (tuples, dicts, caches, aliasing,
mutation); the statuses and Failure in :mod:`bptt.checks.failure`.  This module
re-exports them.
"""

from ..i18n import _
from . import causes
from .comparisons import (
    MATCH_TOL,
    Variants,
    as_array,
    case_label,
    close,
    verify,
    verify_and_referee,
)
from .failure import ERROR, FAILED, NOT_IMPLEMENTED, PASSED, Failure
from .observe import observe, reference_use
from .structures import (
    alias_pairs,
    entry_order,
    expect_dict,
    expect_tuple,
    forbid_mutation,
    mutated,
)


class Case:
    """One seeded input: ``args`` go to the student (copied), ``ref`` stays with the judge.

    ``label`` is text, or (message marked with N_, fields) translated when read:
    the cases are made once, the language may change after.
    """

    def __init__(self, label, args, **ref):
        self._label, self.args, self.ref = label, tuple(args), ref

    @property
    def label(self):
        if isinstance(self._label, tuple):
            message, fields = self._label
            return _(message).format(**fields)
        return self._label


class Verdict:
    """The outcome of a check: ``status`` is passed, failed, error or not_implemented."""

    def __init__(self, name, status=PASSED, message="", hint="", notes=()):
        self.name, self.status, self.message, self.hint, self.notes = (
            name,
            status,
            message,
            hint,
            list(notes),
        )

    @property
    def passed(self):
        return self.status == PASSED

    def text(self):
        if self.passed:
            head = _("{name}: all checks passed").format(name=self.name)
        else:
            head = _("{name}: {message}").format(
                name=self.name, message=self.message
            ) + ("\n" + _("HINT: {hint}").format(hint=self.hint) if self.hint else "")
        notes = [_("note: {note}").format(note=n) for n in self.notes]
        return "\n".join([head] + notes)

    def __repr__(self):
        return f"Verdict({self.name!r}, {self.status!r}, {self.message!r})"


class Check:
    """``cases()`` + ``judge(case, observation)``; calling it on a function is the self-check."""

    def __init__(
        self,
        name,
        make_cases,
        judge_case,
        depends=(),
        crash_hint=None,
        adapter=None,
        references=(),
    ):
        self.name, self.depends, self.crash_hint = name, tuple(depends), crash_hint
        self._make_cases, self._judge_case, self._cases = make_cases, judge_case, None
        self._adapter = adapter
        self.reference_names = frozenset({name, f"{name}_fast"}) | frozenset(references)

    def callable_for(self, obj):
        """What to observe for the student's ``obj``: obj itself, or (for a class) a trusted driver of it."""
        if self._adapter is None:
            return obj
        return lambda *args: self._adapter(obj, *args)

    def cases(self):
        if self._cases is None:
            self._cases = self._make_cases()
        return self._cases

    def judge_one(self, case, obs):
        """The verdict on one observation (None when it passes); notes go to ``notes``."""
        try:
            causes.judge_error(self, case, obs)
            notes = []
            self._judge_case(case, obs, notes)
            return None, notes
        except Failure as f:
            return Verdict(self.name, f.status, f.message, f.hint), []
        except (
            Exception
        ) as exc:  # a judge must never crash on what a submission returned
            return Verdict(
                self.name,
                ERROR,
                _("the result could not be judged ({error}) {case}").format(
                    error=f"{type(exc).__name__}: {exc}", case=case.label
                ),
                _("return the values and types the docstring describes."),
            ), []

    def judge(self, observations, deps=None):
        """Judge a list of observations, one per case, in order (as the grader does)."""
        cases = self.cases()
        if not isinstance(observations, list) or len(observations) != len(cases):
            return Verdict(
                self.name,
                ERROR,
                _("the observations do not match the cases"),
                _("grade again"),
            )
        notes = []
        for case, obs in zip(cases, observations):
            if not isinstance(obs, dict) or not {
                "output",
                "error",
                "args_after",
                "aliases",
            } <= set(obs):
                return Verdict(
                    self.name,
                    ERROR,
                    _("the observation is malformed"),
                    _("grade again"),
                )
            verdict, more = self.judge_one(case, obs)
            if verdict is not None:
                return _blame_dependency(verdict, deps)
            notes += [n for n in more if n not in notes]
        return Verdict(self.name, notes=notes)

    def run(self, fn):
        """Observe and judge ``fn`` in this process, stopping at the first failing case."""
        if not callable(fn):
            return Verdict(
                self.name,
                ERROR,
                _("expected a function, got {type}").format(type=type(fn).__name__),
                _("pass the function itself: check_{name}({name})").format(
                    name=self.name
                ),
            )
        used = reference_use(fn, self.reference_names)
        if used:
            return Verdict(
                self.name,
                FAILED,
                _("uses the course's reference implementation ({what})").format(
                    what=used
                ),
                _(
                    "write the function yourself: the package's version is what your code "
                    "is compared with."
                ),
            )
        notes, target = [], self.callable_for(fn)
        for case in self.cases():
            verdict, more = self.judge_one(case, observe(target, case.args))
            if verdict is not None:
                return _blame_dependency(verdict, _own_dependencies(self, fn, verdict))
            notes += [n for n in more if n not in notes]
        return Verdict(self.name, notes=notes)

    def __call__(self, fn):
        """The self-check: print one line, or raise AssertionError / NotImplementedError."""
        verdict = self.run(fn)
        if verdict.status == NOT_IMPLEMENTED:
            raise NotImplementedError(verdict.text())
        if not verdict.passed:
            raise AssertionError(verdict.text())
        print(verdict.text())


def _own_dependencies(check, fn, verdict):
    """Verdicts on the student's own versions of the functions ``fn`` calls (notebook globals)."""
    from . import CHECKS

    if verdict.status != FAILED or not check.depends:
        return None
    names = getattr(getattr(fn, "__code__", None), "co_names", ())
    scope = getattr(fn, "__globals__", {})
    out = {}
    for dep in check.depends:
        other = scope.get(dep) if dep in names else None
        if callable(other) and not str(getattr(other, "__module__", "")).startswith(
            "bptt"
        ):
            out[dep] = CHECKS[dep].run(other)
    return out


def _blame_dependency(verdict, deps):
    """A wrong result from a function that calls a wrong function of the student's: say that first."""
    for dep, dv in (deps or {}).items():
        if verdict.status == FAILED and dv is not None and not dv.passed:
            return Verdict(
                verdict.name,
                FAILED,
                _("{message} — and the {dep} it calls is itself wrong").format(
                    message=verdict.message, dep=dep
                ),
                _(
                    "fix {dep} first (its check says: {says}); then run this check again."
                ).format(dep=dep, says=dv.message),
            )
    return verdict


__all__ = [
    "Case",
    "Check",
    "ERROR",
    "FAILED",
    "Failure",
    "MATCH_TOL",
    "NOT_IMPLEMENTED",
    "PASSED",
    "Variants",
    "Verdict",
    "alias_pairs",
    "as_array",
    "case_label",
    "close",
    "entry_order",
    "expect_dict",
    "expect_tuple",
    "forbid_mutation",
    "mutated",
    "verify",
    "verify_and_referee",
]
