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
from .shapes import float_array, require_integer, require_keys, require_ndim


def rtrl_init(D, M, h0):
    """The RTRL state before step 1: h_0 and zero sensitivities (h_0 does not depend on θ).

    Raises:
        ValueError: D, M not integers ≥ 1, or h0 not a finite float array (D,) (integer and float16 converted).
    """
    D, M = require_integer("D", D, 1), require_integer("M", M, 1)
    h0 = float_array("h0", h0, 1, "(D,)", shape=(D,), source="D")
    return _init(D, M, h0)


def _init(D, M, h0):
    return {
        "h": np.array(h0, dtype=float),
        "P_U": np.zeros((D, D, D)),
        "P_W": np.zeros((D, D, M)),
        "P_b": np.zeros((D, D)),
    }


def rtrl_step(state, x_t, U, W, b, f="tanh"):
    """One RTRL step: the new state dict {h, P_U, P_W, P_b} for step t from the one for
    t-1.

    Args:
        state: from rtrl_init or rtrl_step.  x_t: (M,).  U (D, D), W (D, M), b (D,).  f:
            activation name.

    Raises:
        ValueError: a state without h (D,), P_U (D, D, D), P_W (D, D, M), P_b (D, D); an
            unknown activation;
            an array not a finite float ndarray of its shape (integer and float16 are
            converted).
    """
    activation(f)
    D, M = require_ndim("W", W, 2, "(D, M)").shape
    W = float_array("W", W, 2, "(D, M)")
    U = float_array("U", U, 2, "(D, D)", shape=(D, D), source="D from W")
    b = float_array("b", b, 1, "(D,)", shape=(D,), source="D from W")
    x_t = float_array("x_t", x_t, 1, "(M,)", shape=(M,), source="M from W")
    require_keys(state, ("h", "P_U", "P_W", "P_b"), "state")
    state = {
        k: float_array(
            f"state['{k}']",
            state[k],
            len(shape),
            str(shape),
            shape=shape,
            source="D, M from W",
        )
        for k, shape in (
            ("h", (D,)),
            ("P_U", (D, D, D)),
            ("P_W", (D, D, M)),
            ("P_b", (D, D)),
        )
    }
    return _step(state, x_t, U, W, b, f)


def _step(state, x_t, U, W, b, f):
    """One unchecked RTRL step (see rtrl_step)."""
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
    return {
        "h": fn(z),
        "P_U": d[:, None, None] * P_U,
        "P_W": d[:, None, None] * P_W,
        "P_b": d[:, None] * P_b,
    }


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
        ValueError: an unknown activation, or an array that is not an ndarray of the shape above, has a
            complex/bool/object/string dtype, an empty axis or NaN/inf (integer and float16 become float64).

    Source: NNDL §6.4.2 (实时循环学习); Williams & Zipser (1989).
    """
    activation(f)
    T, M = require_ndim("x", x, 2, "(T, M)").shape
    x = float_array("x", x, 2, "(T, M)")
    D = require_ndim("U", U, 2, "(D, D)").shape[0]
    U = float_array("U", U, 2, "(D, D)", shape=(D, D))
    W = float_array("W", W, 2, "(D, M)", shape=(D, M), source="D from U, M from x")
    b = float_array("b", b, 1, "(D,)", shape=(D,), source="D from U")
    h0 = float_array("h0", h0, 1, "(D,)", shape=(D,), source="D from U")
    dL_dh = float_array(
        "dL_dh", dL_dh, 2, "(T, D)", shape=(T, D), source="T from x, D from U"
    )
    state = _init(D, M, h0)
    dU, dW, db = np.zeros((D, D)), np.zeros((D, M)), np.zeros(D)
    for t in range(T):
        state = _step(state, x[t], U, W, b, f)
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

    Raises:
        ValueError: D, M, T not integers ≥ 1.
    """
    D, M, T = (
        require_integer("D", D, 1),
        require_integer("M", M, 1),
        require_integer("T", T, 1),
    )
    return {"rtrl": D**3 + D * D * M + D * D + D, "bptt": 2 * T * D + D}


def multiply_adds_per_step(D, M):
    """Multiply-adds of the matrix products in one time step of each algorithm.

    Returns:
        dict: "rtrl" = D²(D² + DM + D) for U times the sensitivities of U, W, b,
        plus D(D² + DM + D) for (∂h_t/∂θ)ᵀ ∂L_t/∂h_t;
        "bptt" = forward D² + DM, backward D² (Uᵀδ) + D² (δ h_{t-1}ᵀ) + 2DM (δ x_tᵀ, Wᵀδ).

    Raises:
        ValueError: D, M not integers ≥ 1.
    """
    D, M = require_integer("D", D, 1), require_integer("M", M, 1)
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

    Raises:
        ValueError: algorithm not "rtrl" or "bptt"; D, M, T, repeats not integers ≥ 1; seed not an integer ≥ 0;
            clock not a callable returning a number.
    """
    from .deep import srn_backward
    from .delta import srn_forward

    if not isinstance(algorithm, str) or algorithm not in ("rtrl", "bptt"):
        raise ValueError(f"algorithm must be 'rtrl' or 'bptt', got {algorithm!r}")
    D, M, T = (
        require_integer("D", D, 1),
        require_integer("M", M, 1),
        require_integer("T", T, 1),
    )
    repeats, seed = (
        require_integer("repeats", repeats, 1),
        require_integer("seed", seed, 0),
    )
    if not callable(clock):
        raise ValueError(
            f"clock must be a callable such as time.process_time, got {type(clock).__name__}"
        )
    tick = clock()
    if isinstance(tick, bool) or not isinstance(
        tick, (int, float, np.integer, np.floating)
    ):
        raise ValueError(
            f"clock must return seconds as a number, got {type(tick).__name__} {tick!r:.40}"
        )
    rng = np.random.default_rng(seed)
    x, h0 = rng.standard_normal((T, M)), np.zeros(D)
    U, W, b = (
        rng.standard_normal((D, D)) / np.sqrt(D),
        rng.standard_normal((D, M)),
        np.zeros(D),
    )
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
    """Least-squares slope of log(time) against log(size): the p of time ∝ size^p.

    Args:
        sizes, times: 1-D arrays, or lists/tuples of real numbers (measurements as collected; converted to float64).

    Raises:
        ValueError: sizes, times not 1-D finite float arrays of one length ≥ 2 with positive entries, or
            sizes all equal (integer and float16 are converted).
    """
    sizes, times = _measurements("sizes", sizes), _measurements("times", times)
    sizes = float_array("sizes", sizes, 1, "(n,)")
    times = float_array(
        "times", times, 1, "(n,)", shape=sizes.shape, source="n from sizes"
    )
    if sizes.size < 2 or np.all(sizes == sizes[0]):
        raise ValueError(f"sizes must hold at least two different sizes, got {sizes}")
    for name, v in (("sizes", sizes), ("times", times)):
        if np.any(v <= 0):
            raise ValueError(
                f"{name} must be positive (their logarithms are fitted), got {v}"
            )
    return float(np.polyfit(np.log(sizes), np.log(times), 1)[0])


def _measurements(name, values):
    """A list or tuple of real numbers as a float64 array; anything else as it is (float_array judges it)."""
    if isinstance(values, (list, tuple)):
        if not all(
            isinstance(v, (int, float, np.integer, np.floating))
            and not isinstance(v, (bool, np.bool_))
            for v in values
        ):
            raise ValueError(f"{name} must hold real numbers, got {values!r:.60}")
        return np.array(values, dtype=np.float64)
    return values
