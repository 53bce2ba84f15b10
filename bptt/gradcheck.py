"""Gradient checking: central finite differences and a relative error.

These are the course's referees. Every backward pass in the book and in the
tests is compared against :func:`numerical_gradient`, in float64.
"""

import numbers

import numpy as np

from .shapes import real_dtype, require_real


def _real_array(name, value):
    """An ndarray, real number or array-like object (e.g. a torch tensor) as a float64 array.

    Lists and tuples are refused (as everywhere in the package); bool,
    complex, object and string dtypes are refused; integers are converted.
    """
    if (
        isinstance(value, (bool, np.bool_))
        or not (
            isinstance(value, (np.ndarray, numbers.Real)) or hasattr(value, "__array__")
        )
        or isinstance(value, (list, tuple, str, dict))
    ):
        raise ValueError(
            f"{name} must be a NumPy array (or a real number, or a tensor), got {type(value).__name__}"
        )
    array = np.asarray(value)
    real_dtype(name, array)
    return np.array(array, dtype=np.float64)


def numerical_gradient(f, x, upstream=None, h=1e-6):
    """Gradient of f at x by central differences (f(x + h) − f(x − h)) / 2h, per coordinate, in float64.

    With upstream, the gradient of sum(f(x) * upstream): the vector-Jacobian product of a backward pass.

    Args:
        f: callable on one array of x's shape; must not keep or modify it.
        x: real array (not modified).   upstream: array of f(x)'s shape, or None for scalar f.   h: step > 0.

    Returns:
        float64 array of x's shape.

    Raises:
        ValueError: a bad f, x, upstream or h, or f returning a non-real value or the wrong shape.
    """
    if not callable(f):
        raise ValueError(
            f"f must be a callable taking one array, got {type(f).__name__}"
        )
    x = _real_array("x", x)
    if not np.isfinite(x).all():
        raise ValueError(
            "x must be finite: a difference quotient at NaN or inf has no meaning"
        )
    if x.size == 0:
        raise ValueError(
            f"x must have at least one entry to differentiate by, got shape {x.shape}"
        )
    if upstream is not None:
        upstream = _real_array("upstream", upstream)
    h = require_real("h", h, low=0.0, low_open=True)
    grad = np.zeros_like(x)

    def scalar(value):
        try:
            value = _real_array("f(x)", value)
        except ValueError as error:
            raise ValueError(f"f must return a real number or array: {error}") from None
        if upstream is None:
            if value.size != 1:
                raise ValueError(
                    f"f returned shape {value.shape}; pass upstream= of that shape "
                    "for an array-valued f"
                )
            return float(value.reshape(()))
        if value.shape != np.shape(upstream):
            raise ValueError(
                f"upstream has shape {np.shape(upstream)}, expected f(x).shape = {value.shape}"
            )
        return float(np.sum(value * upstream))

    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        plus = scalar(f(x.copy()))
        x[i] = saved - h
        minus = scalar(f(x.copy()))
        x[i] = saved
        grad[i] = (plus - minus) / (2 * h)
    return grad


def relative_error(a, b):
    """Relative error ‖a − b‖ / (‖a‖ + ‖b‖), Frobenius norms, scaled exactly by a power of two (no overflow).

    Args:
        a, b: real arrays (or numbers) of the same shape; nothing is broadcast.

    Returns:
        float in [0, 1]; 0.0 when both are zero or empty; NaN when an entry is NaN or inf.

    Raises:
        ValueError: a list or other non-array, a bool/complex/object dtype, or different shapes.
    """
    return _relative_error(a, b, ("a", "b"))


def _relative_error(a, b, names):
    """relative_error with the arguments' names for the messages."""
    a = _real_array(names[0], a)
    b = _real_array(names[1], b)
    if a.shape != b.shape:
        raise ValueError(
            f"shapes differ: {names[0]} has shape {a.shape}, {names[1]} has shape {b.shape}"
        )
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return float("nan")
    largest = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0))
    if largest == 0.0:
        return 0.0
    e = np.frexp(largest)[1]  # largest = f·2^e with f in [0.5, 1)
    a, b = np.ldexp(a, -e), np.ldexp(b, -e)
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


def assert_close(name, actual, expected, tol):
    """Assert relative_error(actual, expected) < tol and print "<name>: relative error 3.2e-11 < 1e-07 ok".

    Args:
        name: str.   actual, expected: arrays of the same shape.   tol: > 0.

    Returns:
        None.

    Raises:
        AssertionError: the error is not below tol (or is NaN).
        ValueError: name not a str, a bad tol, or arrays refused by relative_error.
    """
    if not isinstance(name, str):
        raise ValueError(
            f"name must be a str describing the comparison, got {type(name).__name__}"
        )
    tol = require_real("tol", tol, low=0.0, low_open=True)
    err = _relative_error(actual, expected, ("actual", "expected"))
    if not err < tol:
        raise AssertionError(f"{name}: relative error {err:.1e} is not below {tol:.0e}")
    print(f"{name}: relative error {err:.1e} < {tol:.0e} ok")
