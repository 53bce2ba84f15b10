"""The simple RNN in NNDL's own notation, and its error terms δ_{t,k}.

This module is the executable form of NNDL §6.4.1 for a single sequence
(no batch axis), used by the chapters that derive BPTT:

    z_t = U h_{t-1} + W x_t + b,   h_t = f(z_t),   t = 1 … T,
    δ_{t,k} = ∂L_t/∂z_k  (6.34),   δ_{t,t} = f'(z_t) ⊙ ∂L_t/∂h_t,
    δ_{t,k} = diag(f'(z_k)) Uᵀ δ_{t,k+1}  (6.36).

Arrays are 0-based: row ``t`` of ``x``/``z`` is NNDL's step t+1, and
``h[0]`` is h_0, so ``h[t]`` is h_t.  The code names of the package's
deeplearning.ai layout are Waa = U, Wax = W, ba = b, a⟨t⟩ = h_t.
"""

import numpy as np

from .activations import activation
from .shapes import float_array, require_ndim


def srn_forward(x, h0, U, W, b, f="tanh"):
    """Run z_t = U h_{t-1} + W x_t + b, h_t = f(z_t) over one sequence.

    Args:
        x: inputs x_1 … x_T, shape (T, M), float64.
        h0: initial state h_0, shape (D,).
        U: recurrent weights, shape (D, D).  W: input weights, shape (D, M).
        b: bias, shape (D,).
        f: activation name: "tanh", "sigmoid", "relu" or "identity".

    Returns:
        z: net inputs, shape (T, D) (row t-1 is z_t).
        h: states h_0 … h_T, shape (T + 1, D).

    Raises:
        ValueError: for mis-shaped inputs, an unknown activation, or the
            array rules of :mod:`bptt.shapes` broken (non-arrays, bool or
            complex dtypes, empty axes, NaN/inf; integers become float64).

    Source: NNDL §6.2 (simple recurrent network).
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
    """All error terms δ_{t,k} = ∂L_t/∂z_k, by the recursion (6.36).

    Args:
        z: net inputs from :func:`srn_forward`, shape (T, D).
        U: recurrent weights, shape (D, D).
        dL_dh: ∂L_t/∂h_t for every t (the gradient of the step-t loss with
            respect to its own state), shape (T, D).
        f: the activation used in the forward pass.

    Returns:
        delta: shape (T, T, D); ``delta[t, k]`` is δ_{t+1,k+1} for k ≤ t and
        zero above the diagonal (a loss cannot depend on later states).

    Raises:
        ValueError: for mis-shaped inputs, an unknown activation, or the
            array rules of :mod:`bptt.shapes` broken.

    Source: NNDL (6.34)–(6.36), with the start δ_{t,t} = f'(z_t) ⊙ ∂L_t/∂h_t.
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
    """∂L/∂U, ∂L/∂W, ∂L/∂b as the double sums over (t, k ≤ t).

    Args:
        delta: error terms from :func:`error_terms`, shape (T, T, D).
        h: states h_0 … h_T, shape (T + 1, D).
        x: inputs, shape (T, M).

    Returns:
        (dU (D, D), dW (D, M), db (D,)).

    Raises:
        ValueError: delta not (T, T, D), h not (T + 1, D), x not (T, M), or
            the array rules of :mod:`bptt.shapes` broken.

    Source: NNDL (6.39) ∂L/∂U = Σ_t Σ_{k≤t} δ_{t,k} h_{k-1}ᵀ,
    (6.40) ∂L/∂W = Σ_t Σ_{k≤t} δ_{t,k} x_kᵀ, (6.41) ∂L/∂b = Σ_t Σ_{k≤t} δ_{t,k}.
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
