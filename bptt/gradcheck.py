"""Gradient checking: central finite differences and a relative error.

These are the course's referees. Every backward pass in the book and in the
tests is compared against :func:`numerical_gradient`, in float64.
"""

import numpy as np


def numerical_gradient(f, x, upstream=None, h=1e-6):
    """Gradient of ``f`` at ``x`` by central differences, in float64.

    For a scalar-valued ``f`` this is dF/dx.  For an array-valued ``f`` pass
    ``upstream`` (same shape as ``f(x)``): the result is the gradient of the
    scalar ``sum(f(x) * upstream)``, i.e. the vector-Jacobian product that a
    backward pass computes.

    Args:
        f: callable taking one array of ``x``'s shape; must not keep or modify it.
        x: array of any shape; converted to float64 (``x`` itself is not modified).
        upstream: array of ``f(x)``'s shape, or None when ``f`` returns a scalar.
        h: step size; the truncation error of the central formula is O(h²).

    Returns:
        float64 array of ``x``'s shape.

    Raises:
        ValueError: if ``f`` returns a non-scalar and no ``upstream`` is given,
            or ``upstream`` does not have the shape of ``f(x)``.

    Source: the central difference (f(x + h) - f(x - h)) / 2h, applied
    coordinate by coordinate (course, "Checking gradients").
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)

    def scalar(value):
        value = np.asarray(value, dtype=np.float64)
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
    """Relative error ‖a − b‖ / (‖a‖ + ‖b‖) with Frobenius norms.

    Args:
        a, b: arrays of the same shape (or numbers).

    Returns:
        A float in [0, 1]; 0.0 when both are zero.  In float64 a correct
        backward pass gives about 1e-10 against central differences and about
        1e-15 against another exact implementation.

    Raises:
        ValueError: if the shapes differ (nothing is broadcast).
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / scale)


def assert_close(name, actual, expected, tol):
    """Assert ``relative_error(actual, expected) < tol`` and print one line.

    The printed line reads ``<name>: relative error 3.2e-11 < 1e-07 ok``; the
    notebooks use it after every derived equation so that a reader sees the
    size of the error and a broken derivation stops the notebook.

    Args:
        name: what is being compared, e.g. ``"dWax vs finite differences"``.
        actual, expected: arrays of the same shape.
        tol: the largest acceptable relative error.

    Returns None (so a notebook cell ending with it shows only the printed
    line); use :func:`relative_error` when the number itself is needed.

    Raises:
        AssertionError: if the error is not below ``tol``.
        ValueError: if the shapes differ.
    """
    err = relative_error(actual, expected)
    if not err < tol:
        raise AssertionError(f"{name}: relative error {err:.1e} is not below {tol:.0e}")
    print(f"{name}: relative error {err:.1e} < {tol:.0e} ok")
