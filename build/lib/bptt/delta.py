"""The simple RNN in NNDL's notation (one sequence, no batch axis) and its error terms δ_{t,k}.

    z_t = U h_{t-1} + W x_t + b,   h_t = f(z_t),            NNDL §6.2
    δ_{t,k} = ∂L_t/∂z_k (6.34),   δ_{t,k} = diag(f'(z_k)) Uᵀ δ_{t,k+1} (6.36)

Arrays are 0-based: row t of x/z is NNDL's step t+1, and h[t] is h_t (h[0] = h_0).
Code names elsewhere in the package: Waa = U, Wax = W, ba = b, a⟨t⟩ = h_t.
"""

import numpy as np

from .activations import activation
from .shapes import float_array, require_ndim


def srn_forward(x, h0, U, W, b, f="tanh"):
    """Forward pass z_t = U h_{t-1} + W x_t + b, h_t = f(z_t) over one sequence (NNDL §6.2).

    Args:
        x: (T, M) inputs x_1 … x_T.   h0: (D,) initial state.
        U: (D, D), W: (D, M), b: (D,).   f: "tanh", "sigmoid", "relu" or "identity".

    Returns:
        z (T, D), row t-1 is z_t; h (T + 1, D), states h_0 … h_T. float64.

    Raises:
        ValueError: a shape or dtype that disagrees with the above, NaN/inf, or an unknown activation.
    """
    fn, _, _ = activation(f)
    x = float_array("x", x, 2, "(T, M)")
    T, M = x.shape
    D = require_ndim("U", U, 2, "(D, D)").shape[0]
    U = float_array("U", U, 2, "(D, D)", shape=(D, D))
    W = float_array("W", W, 2, "(D, M)", shape=(D, M))
    b = float_array("b", b, 1, "(D,)", shape=(D,), source="D from U")
    h0 = float_array("h0", h0, 1, "(D,)", shape=(D,), source="D from U")

    z = np.zeros((T, D))
    h = np.zeros((T + 1, D))
    h[0] = h0
    for t in range(T):
        z[t] = U @ h[t] + W @ x[t] + b
        h[t + 1] = fn(z[t])
    return z, h


def error_terms(z, U, dL_dh, f="tanh"):
    """All error terms δ_{t,k} = ∂L_t/∂z_k by the recursion NNDL (6.34)–(6.36).

    Args:
        z: (T, D) net inputs from srn_forward.   U: (D, D).
        dL_dh: (T, D), row t is ∂L_t/∂h_t.   f: the forward pass's activation.

    Returns:
        delta (T, T, D): delta[t, k] = δ_{t+1,k+1} for k ≤ t, zero above the diagonal.

    Raises:
        ValueError: a shape or dtype that disagrees with the above, NaN/inf, or an unknown activation.
    """
    _, f_prime, _ = activation(f)
    z = float_array("z", z, 2, "(T, D)")
    T, D = z.shape
    U = float_array("U", U, 2, "(D, D)", shape=(D, D), source="D from z")
    dL_dh = float_array("dL_dh", dL_dh, 2, "(T, D)", shape=(T, D))

    delta = np.zeros((T, T, D))
    for t in range(T):
        delta[t, t] = f_prime(z[t]) * dL_dh[t]
        for k in range(t - 1, -1, -1):
            delta[t, k] = f_prime(z[k]) * (U.T @ delta[t, k + 1])
    return delta


def gradients_double_sum(delta, h, x):
    """dU, dW, db as the double sums over t and k ≤ t, NNDL (6.39)–(6.41).

    Args:
        delta: (T, T, D) from error_terms.   h: (T + 1, D) states h_0 … h_T.   x: (T, M).

    Returns:
        (dU (D, D), dW (D, M), db (D,)), float64.

    Raises:
        ValueError: a shape or dtype that disagrees with the above, or NaN/inf.
    """
    T, _, D = require_ndim("delta", delta, 3, "(T, T, D)").shape
    delta = float_array("delta", delta, 3, "(T, T, D)", shape=(T, T, D))
    h = float_array("h", h, 2, "(T + 1, D)", shape=(T + 1, D), source="T, D from delta")
    M = require_ndim("x", x, 2, "(T, M)").shape[1]
    x = float_array("x", x, 2, "(T, M)", shape=(T, M), source="T from delta")
    dU = np.zeros((delta.shape[2], delta.shape[2]))
    dW = np.zeros((delta.shape[2], x.shape[1]))
    db = np.zeros(delta.shape[2])
    for t in range(T):
        for k in range(t + 1):
            dU += np.outer(delta[t, k], h[k])  # h[k] is h_{k-1} in NNDL's 1-based steps
            dW += np.outer(delta[t, k], x[k])
            db += delta[t, k]
    return dU, dW, db
