"""Real-time recurrent learning (RTRL, NNDL §6.4.2) for the simple RNN, and its cost.

RTRL carries the sensitivities of the state with respect to every parameter
forward in time, alongside the state itself (NNDL notation, numerator layout):

    ∂h_t/∂u_ij = diag(f'(z_t)) (𝕀_i([h_{t-1}]_j) + U ∂h_{t-1}/∂u_ij),
    ∂L_t/∂u_ij = (∂h_t/∂u_ij)ᵀ ∂L_t/∂h_t,

and likewise for W (direct term 𝕀_i([x_t]_j)) and b (direct term e_i).  The
sensitivities of all D² entries of U form an array P_U of shape (D, D, D),
P_U[a, i, j] = ∂[h_t]_a/∂u_ij; the product U P_U costs O(D⁴) per step, and the
memory O(D³) does not grow with T.  BPTT (:func:`bptt.deep.srn_backward`) costs
O(D²) per step but stores the T states.
"""

import time

import numpy as np

from .activations import activation
from .shapes import require_ndim, require_shape


def rtrl_init(D, M, h0):
    """The RTRL state before step 1: h_0 and zero sensitivities (h_0 does not depend on θ)."""
    return {"h": np.array(h0, dtype=float), "P_U": np.zeros((D, D, D)), "P_W": np.zeros((D, D, M)),
            "P_b": np.zeros((D, D))}


def rtrl_step(state, x_t, U, W, b, f="tanh"):
    """One RTRL step (unchecked: the public entry point validates once).

    Returns the new state dict {h, P_U, P_W, P_b} for step t from the one for t-1.
    """
    fn, f_prime, _ = activation(f)
    h_prev = state["h"]
    z = U @ h_prev + W @ x_t + b
    D, M = W.shape
    d = f_prime(z)
    # U ∂h_{t-1}/∂θ for every θ at once: (D, D) @ (D, D·D) — the O(D⁴) product
    P_U = (U @ state["P_U"].reshape(D, D * D)).reshape(D, D, D)
    P_W = (U @ state["P_W"].reshape(D, D * M)).reshape(D, D, M)
    P_b = U @ state["P_b"]
    idx = np.arange(D)
    P_U[idx, idx, :] += h_prev  # direct term: ∂⁺[z_t]_a/∂u_ij = δ_ai [h_{t-1}]_j
    P_W[idx, idx, :] += x_t  # ∂⁺[z_t]_a/∂w_ij = δ_ai [x_t]_j
    P_b[idx, idx] += 1.0  # ∂⁺z_t/∂b = I
    return {"h": fn(z), "P_U": d[:, None, None] * P_U, "P_W": d[:, None, None] * P_W, "P_b": d[:, None] * P_b}


def rtrl_gradients(x, h0, U, W, b, dL_dh, f="tanh"):
    """∂L/∂U, ∂L/∂W, ∂L/∂b by RTRL, in one forward pass and no backward pass.

    Args:
        x: inputs, shape (T, M).  h0: (D,).  U (D, D), W (D, M), b (D,).
        dL_dh: ∂L_t/∂h_t for t = 1 … T, shape (T, D).  Row t is used at step t
            only, as an online learner would receive it.
        f: activation name.

    Returns:
        (dU, dW, db): the same numbers as BPTT's (6.39)–(6.41).

    Raises:
        ValueError: for mis-shaped inputs.

    Source: NNDL §6.4.2 (实时循环学习); Williams & Zipser (1989).
    """
    require_ndim("x", x, 2, "(T, M)")
    T, M = x.shape
    D = require_ndim("U", U, 2, "(D, D)").shape[0]
    require_shape("U", U, (D, D))
    require_shape("W", W, (D, M))
    require_shape("b", b, (D,))
    require_shape("h0", h0, (D,))
    require_shape("dL_dh", dL_dh, (T, D))
    activation(f)
    state = rtrl_init(D, M, h0)
    dU, dW, db = np.zeros((D, D)), np.zeros((D, M)), np.zeros(D)
    for t in range(T):
        state = rtrl_step(state, x[t], U, W, b, f)
        # ∂L_t/∂θ = (∂h_t/∂θ)ᵀ ∂L_t/∂h_t, summed into the running gradient
        dU += np.tensordot(dL_dh[t], state["P_U"], axes=1)
        dW += np.tensordot(dL_dh[t], state["P_W"], axes=1)
        db += dL_dh[t] @ state["P_b"]
    return dU, dW, db


def stored_floats(D, M, T):
    """Floats each algorithm keeps while learning one sequence (weights not counted).

    Returns:
        dict: "rtrl" = D³ + D²M + D² + D (sensitivities and the state; independent of T),
        "bptt" = 2TD + D (the T net inputs and the T + 1 states for the backward pass).
    """
    return {"rtrl": D**3 + D * D * M + D * D + D, "bptt": 2 * T * D + D}


def multiply_adds_per_step(D, M):
    """Multiply-adds of the matrix products in one time step of each algorithm.

    Returns:
        dict: "rtrl" = D²(D² + DM + D) for U times the sensitivities of U, W, b,
        plus D(D² + DM + D) for (∂h_t/∂θ)ᵀ ∂L_t/∂h_t;
        "bptt" = forward D² + DM, backward D² (Uᵀδ) + D² (δ h_{t-1}ᵀ) + 2DM (δ x_tᵀ, Wᵀδ).
    """
    n_params = D * D + D * M + D
    return {"rtrl": D * D * n_params + D * n_params, "bptt": 3 * D * D + 3 * D * M}


def time_per_step(algorithm, D, M=4, T=10, repeats=3, seed=0, clock=time.process_time):
    """Seconds per time step of one gradient computation, the minimum over ``repeats``.

    Args:
        algorithm: "rtrl" (rtrl_gradients) or "bptt" (srn_forward + srn_backward).
        D, M, T: state size, input size, sequence length.
        clock: time.process_time (default: CPU time of this process, steadier on
            a shared machine) or time.perf_counter (wall clock).

    Returns:
        float: seconds per step.
    """
    from .deep import srn_backward
    from .delta import srn_forward

    if algorithm not in ("rtrl", "bptt"):
        raise ValueError(f"algorithm must be 'rtrl' or 'bptt', got {algorithm!r}")
    rng = np.random.default_rng(seed)
    x, h0 = rng.standard_normal((T, M)), np.zeros(D)
    U, W, b = rng.standard_normal((D, D)) / np.sqrt(D), rng.standard_normal((D, M)), np.zeros(D)
    g = rng.standard_normal((T, D))
    best = np.inf
    for _ in range(repeats):
        start = clock()
        if algorithm == "rtrl":
            rtrl_gradients(x, h0, U, W, b, g)
        else:
            z, h = srn_forward(x, h0, U, W, b)
            srn_backward(z, h, x, U, W, g)
        best = min(best, clock() - start)
    return best / T


def fitted_exponent(sizes, times):
    """Least-squares slope of log(time) against log(size): the p of time ∝ size^p."""
    return float(np.polyfit(np.log(sizes), np.log(times), 1)[0])
