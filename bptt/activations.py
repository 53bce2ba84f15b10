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
