"""The judge's comparisons: an output against its reference, within a tolerance,
with the hint of the planted mistake it matches.
"""

import numpy as np

from ..i18n import N_, _
from . import causes
from .failure import NOT_IMPLEMENTED, Failure
from .wire import Opaque

MATCH_TOL = (
    1e-8  # a wrong output "is" a known mistake when it agrees with it this closely
)


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
        raise Failure(
            _("{what} is None").format(what=what), causes.NONE_HINT, NOT_IMPLEMENTED
        )
    if isinstance(value, Opaque):
        raise Failure(
            _("{what} is a {type}, not a NumPy array").format(
                what=what, type=value.type
            ),
            _("return NumPy arrays (np.ndarray)."),
        )
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Failure(
            _("{what} is not a numeric array").format(what=what),
            _("return NumPy arrays of numbers."),
        ) from None
    if arr.dtype == object:
        raise Failure(
            _("{what} is not a numeric array").format(what=what),
            _("return NumPy arrays of numbers."),
        )
    return arr


def verify(actual, expected, label, tol, hints, variants=(), patterns=None):
    """Compare dict ``actual`` with dict ``expected`` key by key; raise Failure with a diagnosis."""
    variants = variants if isinstance(variants, Variants) else Variants(variants)
    for key, exp in expected.items():
        if key not in actual:
            raise Failure(
                _("output {key!r} is missing {case}").format(key=key, case=label),
                _("return all of {keys}.").format(keys=list(expected)),
            )
        act = as_array(actual[key], _("output {key!r}").format(key=key))
        exp = np.asarray(exp, dtype=float)
        if act.shape != exp.shape:
            if act.shape == exp.shape[:1] and exp.ndim == 2 and exp.shape[1] == 1:
                hint = _(
                    "a bias gradient is a column (n, 1): sum with axis=1, keepdims=True."
                )
            elif act.shape == exp.shape[::-1] and act.ndim == 2:
                hint = _(
                    "the result is transposed: check which factor of the product carries .T."
                )
            else:
                hint = variants.match(key, act) or hints.get(key, causes.SHAPE_HINT)
            raise Failure(
                _(
                    "output {key!r} has shape {shape}, expected {expected} {case}"
                ).format(key=key, shape=act.shape, expected=exp.shape, case=label),
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
                hint = _(
                    "{key} has NaN entries where numbers belong: a value was never computed (e.g. a "
                    "template line `... = None` written into an array) or an operation is invalid."
                ).format(key=key)
            if hint is None:
                hint = hints.get(
                    key, N_("compare your formula for this output with the derivation.")
                )
            where, got, want = _worst(act, exp)
            raise Failure(
                _(
                    "output {key!r} is wrong {case}: relative error {error:.1e} (tolerance "
                    "{tol:.0e}); largest difference at {key}{where}: got {got:.6g}, expected "
                    "{want:.6g}"
                ).format(
                    key=key,
                    case=label,
                    error=err,
                    tol=tol,
                    where=where,
                    got=got,
                    want=want,
                ),
                hint,
            )


def verify_and_referee(actual, expected, fd, label, hints, variants=(), patterns=None):
    """``verify`` against the exact reference (1e-10), then, when the case has
    one, against central finite differences (1e-7)."""
    verify(actual, expected, label, 1e-10, hints, variants, patterns)
    if fd is not None:
        referee = _("{case} against finite differences").format(case=label)
        verify(actual, fd, referee, 1e-7, hints)
