"""Element-wise nonlinearities shared by the RNN and LSTM cells."""

import numpy as np


def sigmoid(x):
    """Logistic sigmoid 1 / (1 + exp(-x)), element-wise.

    Args:
        x: array of any shape, float.

    Returns:
        Array of the same shape and dtype, values in (0, 1).

    Source: the logistic function σ of NNDL ch. 4; deeplearning.ai C5W1 ``sigmoid``.
    Written as 0.5 * (1 + tanh(x / 2)), which is the same function but never
    overflows in ``exp`` for large negative x.
    """
    x = np.asarray(x)
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def softmax(x):
    """Softmax over axis 0 (the class axis in the course's column layout).

    Args:
        x: array of shape (n_y, ...) — one column per example.

    Returns:
        Array of the same shape; every column is non-negative and sums to 1.

    Source: deeplearning.ai C5W1 ``softmax``. The column maximum is subtracted
    first; softmax is invariant to that shift and it keeps ``exp`` finite.
    """
    x = np.asarray(x)
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _relu(z):
    return np.maximum(z, 0.0)


# name -> (f, f', γ_f = sup |f'|).  γ_f is the bound on ‖diag(f'(z))‖ used by
# Pascanu, Mikolov & Bengio (2013): 1 for tanh, ReLU and identity, 1/4 for the
# logistic sigmoid.
ACTIVATIONS = {
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2, 1.0),
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1.0 - sigmoid(z)), 0.25),
    "relu": (_relu, lambda z: (z > 0).astype(float), 1.0),
    "identity": (lambda z: np.array(z, dtype=float), lambda z: np.ones_like(z, dtype=float), 1.0),
}


def activation(name):
    """Return (f, f_prime, gamma_f) for ``name`` in ``ACTIVATIONS``.

    Raises:
        ValueError: for an unknown name (the message lists the known ones).
    """
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}") from None
