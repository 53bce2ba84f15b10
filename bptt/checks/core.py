"""The machinery every check shares: cases, verdicts, the judge's comparisons.

A check is **cases** (seeded inputs as plain data, plus reference values the
student never sees) and a **judge** (a function ``judge(case, observation)``
that raises :class:`Failure` with a message and a one-sentence hint).  The
self-check ``check_<name>(fn)`` observes ``fn`` on each case in the notebook
and judges at once; the grader observes in a sandbox and judges here.
"""

import numpy as np

from . import causes
from .observe import observe, reference_use
from .wire import Opaque

MATCH_TOL = (
    1e-8  # a wrong output "is" a known mistake when it agrees with it this closely
)
PASSED, FAILED, ERROR, NOT_IMPLEMENTED = "passed", "failed", "error", "not_implemented"


class Case:
    """One seeded input: ``args`` go to the student (copied), ``ref`` stays with the judge."""

    def __init__(self, label, args, **ref):
        self.label, self.args, self.ref = label, tuple(args), ref


class Failure(Exception):
    """Raised by a judge: what is wrong, and one sentence saying what to change."""

    def __init__(self, message, hint, status=FAILED):
        super().__init__(message)
        self.message, self.hint, self.status = message, hint, status


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
            head = f"{self.name}: all checks passed"
        else:
            head = f"{self.name}: {self.message}" + (
                f"\nHINT: {self.hint}" if self.hint else ""
            )
        return "\n".join([head] + [f"note: {n}" for n in self.notes])

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
                f"the result could not be judged ({type(exc).__name__}: {exc}) {case.label}",
                "return the values and types the docstring describes.",
            ), []

    def judge(self, observations, deps=None):
        """Judge a list of observations, one per case, in order (as the grader does)."""
        cases = self.cases()
        if not isinstance(observations, list) or len(observations) != len(cases):
            return Verdict(
                self.name,
                ERROR,
                "the observations do not match the cases",
                "grade again",
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
                    self.name, ERROR, "the observation is malformed", "grade again"
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
                f"expected a function, got {type(fn).__name__}",
                f"pass the function itself: check_{self.name}({self.name})",
            )
        used = reference_use(fn, self.reference_names)
        if used:
            return Verdict(
                self.name,
                FAILED,
                f"uses the course's reference implementation ({used})",
                "write the function yourself: the package's version is what your code is compared with.",
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
                f"{verdict.message} — and the {dep} it calls is itself wrong",
                f"fix {dep} first (its check says: {dv.message}); then run this check again.",
            )
    return verdict


# ------------------------------------------------------------ comparisons ---


def case_label(**dims):
    return "(" + ", ".join(f"{k}={v}" for k, v in dims.items()) + ")"


def close(a, b, tol=MATCH_TOL):
    """True when a and b have one shape, the same non-finite entries, and relative error <= tol."""
    from ..gradcheck import relative_error

    if isinstance(a, Opaque) or isinstance(b, Opaque):
        return False
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape:
        return False
    fa, fb = np.isfinite(a), np.isfinite(b)
    if not (np.array_equal(fa, fb) and np.array_equal(a[~fa], b[~fb], equal_nan=True)):
        return False
    with np.errstate(all="ignore"):
        return relative_error(np.where(fa, a, 0.0), np.where(fb, b, 0.0)) <= tol


def _worst(actual, expected):
    diff = np.abs(actual - expected)
    diff = np.where(np.isnan(diff), np.inf, diff)
    idx = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    where = "[" + ", ".join(map(str, idx)) + "]" if idx else ""
    return where, float(actual[idx]), float(expected[idx])


class Variants:
    """Outputs of typical mistakes, computed lazily: [(hint, thunk returning {key: array})]."""

    def __init__(self, variants=()):
        self._variants = list(variants)
        self._cache = {}

    def match(self, key, actual):
        for i, (hint, thunk) in enumerate(self._variants):
            if i not in self._cache:
                try:
                    with np.errstate(all="ignore"):
                        self._cache[i] = thunk()
                except Exception:
                    self._cache[i] = {}
            out = self._cache[i]
            if key in out and close(actual, out[key]):
                return hint
        return None


def as_array(value, what):
    """``value`` as a float array, or Failure naming ``what``."""
    if value is None:
        raise Failure(f"{what} is None", causes.NONE_HINT, NOT_IMPLEMENTED)
    if isinstance(value, Opaque):
        raise Failure(
            f"{what} is a {value.type}, not a NumPy array",
            "return NumPy arrays (np.ndarray).",
        )
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Failure(
            f"{what} is not a numeric array", "return NumPy arrays of numbers."
        ) from None
    if arr.dtype == object:
        raise Failure(
            f"{what} is not a numeric array", "return NumPy arrays of numbers."
        )
    return arr


def verify(actual, expected, label, tol, hints, variants=(), patterns=None):
    """Compare dict ``actual`` with dict ``expected`` key by key; raise Failure with a diagnosis."""
    variants = variants if isinstance(variants, Variants) else Variants(variants)
    for key, exp in expected.items():
        if key not in actual:
            raise Failure(
                f"output {key!r} is missing {label}", f"return all of {list(expected)}."
            )
        act = as_array(actual[key], f"output {key!r}")
        exp = np.asarray(exp, dtype=float)
        if act.shape != exp.shape:
            if act.shape == exp.shape[:1] and exp.ndim == 2 and exp.shape[1] == 1:
                hint = "a bias gradient is a column (n, 1): sum with axis=1, keepdims=True."
            elif act.shape == exp.shape[::-1] and act.ndim == 2:
                hint = "the result is transposed: check which factor of the product carries .T."
            else:
                hint = variants.match(key, act) or hints.get(key, causes.SHAPE_HINT)
            raise Failure(
                f"output {key!r} has shape {act.shape}, expected {exp.shape} {label}",
                hint,
            )
        if not close(act, exp, tol):
            from ..gradcheck import relative_error

            with np.errstate(all="ignore"):
                err = (
                    relative_error(act, exp) if np.isfinite(act).all() else float("nan")
                )
            hint = variants.match(key, act)
            if hint is None and patterns is not None:
                hint = patterns(key, act, exp)
            if hint is None and np.isnan(act).any() and not np.isnan(exp).any():
                hint = (
                    f"{key} has NaN entries where numbers belong: a value was never computed (e.g. a template "
                    "line `... = None` written into an array) or an operation is invalid."
                )
            if hint is None:
                hint = hints.get(
                    key, "compare your formula for this output with the derivation."
                )
            where, got, want = _worst(act, exp)
            raise Failure(
                f"output {key!r} is wrong {label}: relative error {err:.1e} (tolerance {tol:.0e}); "
                f"largest difference at {key}{where}: got {got:.6g}, expected {want:.6g}",
                hint,
            )


# ---------------------------------------------------- return structures ---


def expect_tuple(output, names, label):
    """``output`` must be a tuple/list of len(names); return it as a tuple."""
    form = "(" + ", ".join(names) + ")"
    if output is None:
        raise Failure(
            f"returned None {label}",
            f"end the function with: return {', '.join(names)}",
            NOT_IMPLEMENTED,
        )
    if not isinstance(output, (tuple, list)):
        raise Failure(
            f"must return a tuple {form}, got one {_kind(output)} {label}",
            f"end with: return {', '.join(names)}",
        )
    if len(output) != len(names):
        raise Failure(
            f"must return {len(names)} values {form}, got {len(output)} {label}",
            f"end with: return {', '.join(names)}",
        )
    for name, value in zip(names, output):
        if value is None:
            raise Failure(
                f"{name} is still None {label}", causes.NONE_HINT, NOT_IMPLEMENTED
            )
    return tuple(output)


def expect_dict(output, keys, label, what="the result"):
    """``output`` must be a dict with exactly ``keys`` (extra keys are reported, missing listed)."""
    if output is None:
        raise Failure(
            f"returned None {label}",
            f"return a dict with keys {list(keys)}.",
            NOT_IMPLEMENTED,
        )
    if not isinstance(output, dict):
        raise Failure(
            f"{what} must be a dict, got {_kind(output)} {label}",
            f"return a dict with keys {list(keys)}.",
        )
    missing = [k for k in keys if k not in output]
    if missing:
        extra = sorted(set(output) - set(keys))
        more = f"; it has {extra} instead" if extra else ""
        raise Failure(
            f"{what} has no key {', '.join(map(repr, missing))}{more} {label}",
            f"the keys are exactly {list(keys)}.",
        )
    for k in keys:
        if output[k] is None:
            raise Failure(
                f"{what}[{k!r}] is still None {label}",
                causes.NONE_HINT,
                NOT_IMPLEMENTED,
            )
    return output


def _kind(value):
    return (
        "None"
        if value is None
        else (value.type if isinstance(value, Opaque) else type(value).__name__)
    )


def entry_order(actual, expected, labels, tol=1e-10):
    """Where each expected entry sits in ``actual`` (a tuple): a message, or None when in order."""
    wrong = [
        j
        for j, want in enumerate(expected)
        if j >= len(actual) or not close(actual[j], want, tol)
    ]
    if not wrong:
        return None
    j = wrong[0]
    found = [
        labels[k]
        for k, want in enumerate(expected)
        if j < len(actual) and close(actual[j], want, tol)
    ]
    holds = f"holds {found[0]}" if found else "holds none of them"
    return f"entry {j} {holds}, expected {labels[j]}"


def alias_pairs(obs):
    return [tuple(tuple(p) for p in pair) for pair in obs.get("aliases", [])]


def mutated(before, after, path="arg"):
    """Paths of arrays in ``before`` (args as given) that ``after`` (args after the call) changed."""
    out = []
    if isinstance(before, np.ndarray):
        same = (
            isinstance(after, np.ndarray)
            and after.shape == before.shape
            and np.array_equal(after, before, equal_nan=True)
        )
        return [] if same else [path]
    if isinstance(before, (tuple, list)):
        if not isinstance(after, (tuple, list)) or len(after) != len(before):
            return [path]
        for i, (b, a) in enumerate(zip(before, after)):
            out += mutated(b, a, f"{path}[{i}]")
    elif isinstance(before, dict):
        if not isinstance(after, dict):
            return [path]
        for k, b in before.items():
            out += mutated(b, after.get(k), f"{path}[{k!r}]")
    return out


def forbid_mutation(case, obs, names):
    """Failure when the function wrote into one of its arguments (the caller's arrays would change)."""
    after = obs["args_after"] if isinstance(obs["args_after"], (tuple, list)) else ()
    for i, (name, before) in enumerate(zip(names, case.args)):
        paths = mutated(before, after[i] if i < len(after) else None, name)
        if paths:
            raise Failure(
                f"your function changed its argument {paths[0]} {case.label}",
                "leave the arguments unchanged: an in-place operation (+=, *=, [...] =) on an argument or on an array "
                "taken from it (x = cache[0]; x *= …) writes into the caller's data; compute a new array instead.",
            )
