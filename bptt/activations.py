"""Element-wise nonlinearities shared by the RNN and LSTM cells."""

import numbers

import numpy as np

from .shapes import real_dtype, require_finite


def _as_real(name, x, *, finite):
    """An ndarray or a real scalar as a floating array (integers become float64); lists refused."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (np.ndarray, numbers.Real)):
        raise ValueError(
            f"{name} must be a NumPy array or a real number, got {type(x).__name__}"
        )
    x = np.asarray(x)
    x = x.astype(real_dtype(name, x), copy=False)
    if finite:
        require_finite(name, x)
    return x


def sigmoid(x):
    """Logistic sigmoid 1 / (1 + exp(-x)) as 0.5 (1 + tanh(x/2)), which never overflows (deeplearning.ai C5W1).

    Args:
        x: ndarray of any shape or a real number; integers become float64.

    Returns:
        Array of x's shape and float dtype, values in [0, 1] (±inf → 0, 1; NaN → NaN).

    Raises:
        ValueError: a list or other non-array, or a bool, complex or object dtype.
    """
    return sigmoid_unchecked(_as_real("x", x, finite=False))


def sigmoid_unchecked(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def softmax(x):
    """Softmax over axis 0, the class axis (deeplearning.ai C5W1 `softmax`).

    Args:
        x: (n_y, ...) array, one column per example.

    Returns:
        Array of x's shape; each column non-negative, summing to 1.

    Raises:
        ValueError: not an ndarray with ≥ 1 axis, an empty axis, a bool/complex/object dtype, or NaN/inf.
    """
    if not isinstance(x, np.ndarray) or x.ndim == 0:
        raise ValueError(
            f"x must be an array of shape (n_y, ...), got {type(x).__name__} of shape {np.shape(x)}"
        )
    if 0 in x.shape:
        raise ValueError(
            f"x must have no empty axis: layout (n_y, ...), got shape {x.shape}"
        )
    return softmax_unchecked(_as_real("x", x, finite=True))


def softmax_unchecked(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _relu(z):
    return np.maximum(z, 0.0)


# name -> (f, f', γ_f = sup |f'|).  γ_f is the bound on ‖diag(f'(z))‖ used by
# Pascanu, Mikolov & Bengio (2013): 1 for tanh, ReLU and identity, 1/4 for the
# logistic sigmoid.
ACTIVATIONS = {
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2, 1.0),
    "sigmoid": (
        sigmoid_unchecked,
        lambda z: sigmoid_unchecked(z) * (1.0 - sigmoid_unchecked(z)),
        0.25,
    ),
    "relu": (_relu, lambda z: (z > 0).astype(float), 1.0),
    "identity": (
        lambda z: np.array(z, dtype=float),
        lambda z: np.ones_like(z, dtype=float),
        1.0,
    ),
}


def activation(name):
    """Return (f, f_prime, gamma_f) for ``name`` in ``ACTIVATIONS``.

    Raises:
        ValueError: for an unknown name or a non-string (the message lists the known ones).
    """
    if not isinstance(name, str):
        raise ValueError(
            f"activation name must be a string, one of {sorted(ACTIVATIONS)}; got {type(name).__name__}"
        )
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}"
        ) from None
