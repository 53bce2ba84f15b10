"""The LSTM in NNDL's own notation (§6.6.1), with BPTT for every parameter.

One sequence, no batch axis, rows are time steps (as in :mod:`bptt.delta`):

    i_t = σ(W_i x_t + U_i h_{t-1} + b_i),  f_t = σ(W_f x_t + U_f h_{t-1} + b_f),
    o_t = σ(W_o x_t + U_o h_{t-1} + b_o),  c̃_t = tanh(W_c x_t + U_c h_{t-1} + b_c),
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t,       h_t = o_t ⊙ tanh(c_t).

Parameters are a dict with keys ``W_i, U_i, b_i, …`` for the gates i, f, o
and the candidate c.  The deeplearning.ai matrices of :mod:`bptt.lstm` are the
blocks ``Wf = [U_f | W_f]`` (recurrent block first); :func:`lstm_nndl_to_dlai`
does that packing, :func:`lstm_nndl_torch_weights` the one of ``torch.nn.LSTM``.
Arrays are 0-based: row ``t`` of ``x`` and of the gates is NNDL's step t+1,
and ``h[0]``, ``c[0]`` are h_0, c_0.
"""

import numpy as np

from .activations import sigmoid
from .shapes import (
    float_array,
    require_integer,
    require_keys,
    require_ndim,
    require_real,
)

NNDL_GATES = ("i", "f", "o", "c")  # c is the candidate c̃
NNDL_LSTM_KEYS = tuple(f"{k}_{g}" for g in NNDL_GATES for k in ("W", "U", "b"))


def _check(params, copy=False):
    """Validate the parameter dict; return (p, D, M), p a new dict of float arrays (copies if ``copy``)."""
    require_keys(params, NNDL_LSTM_KEYS, "params")
    D, M = require_ndim("params['W_i']", params["W_i"], 2, "(D, M)").shape
    p = dict(params)
    for g in NNDL_GATES:
        for k, shape, layout in (
            ("W", (D, M), "(D, M)"),
            ("U", (D, D), "(D, D)"),
            ("b", (D,), "(D,)"),
        ):
            p[f"{k}_{g}"] = float_array(
                f"params['{k}_{g}']",
                params[f"{k}_{g}"],
                len(shape),
                layout,
                shape=shape,
                source="D, M from params['W_i']",
                copy=copy,
            )
    return p, D, M


def _check_cache(cache, D, M):
    """Validate a lstm_nndl_forward cache against the parameters' D, M; return (cache, T)."""
    keys = ("x", "h", "c", "i", "f", "o", "cc")
    require_keys(cache, keys, "cache")
    T = require_ndim("cache['i']", cache["i"], 2, "(T, D)").shape[0]
    out = dict(cache)
    shapes = {"x": (T, M), "h": (T + 1, D), "c": (T + 1, D)} | {
        g: (T, D) for g in ("i", "f", "o", "cc")
    }
    for k in keys:
        out[k] = float_array(
            f"cache['{k}']",
            cache[k],
            2,
            str(shapes[k]),
            shape=shapes[k],
            source="T from cache['i'], D, M from params",
        )
    return out, T


def random_lstm_nndl_parameters(D, M, seed=0, b_f=0.0, scale=1.0):
    """Gate weights N(0, scale²/(D + M)), biases 0 except b_f; a dict of float64 arrays.

    Raises:
        ValueError: D, M not integers ≥ 1, seed not an integer ≥ 0, b_f not a finite real, scale not > 0.
    """
    D, M = require_integer("D", D, 1), require_integer("M", M, 1)
    seed = require_integer("seed", seed, 0)
    b_f = require_real("b_f", b_f)
    scale = require_real("scale", scale, low=0, low_open=True)
    rng = np.random.default_rng(seed)
    s = scale / np.sqrt(D + M)
    p = {}
    for g in NNDL_GATES:
        p[f"W_{g}"] = s * rng.standard_normal((D, M))
        p[f"U_{g}"] = s * rng.standard_normal((D, D))
        p[f"b_{g}"] = np.zeros(D)
    p["b_f"] = np.full(D, float(b_f))
    return p


def lstm_nndl_forward(x, h0, c0, params):
    """Run the LSTM of NNDL §6.6.1 over one sequence.

    Args:
        x: inputs x_1 … x_T, shape (T, M), float64.
        h0, c0: initial hidden and cell states, shape (D,).
        params: dict with W_• (D, M), U_• (D, D), b_• (D,) for • in i, f, o, c.

    Returns:
        cache: dict with x, i, f, o, cc (the gates and c̃_t, shape (T, D)),
        h and c (states 0 … T, shape (T + 1, D)); read by lstm_nndl_backward.

    Raises:
        ValueError: a missing parameter, or an array that is not an ndarray of the shape above, has a
            complex/bool/object/string dtype, an empty axis or NaN/inf (integer and float16 become float64).
    """
    p, D, M = _check(params)
    return _forward(_inputs(x, h0, c0, D, M), p)


def _inputs(x, h0, c0, D, M):
    """Validated (x, h0, c0) as float arrays (x copied: the cache keeps it)."""
    T = require_ndim("x", x, 2, "(T, M)").shape[0]
    x = float_array(
        "x", x, 2, "(T, M)", shape=(T, M), source="M from params['W_i']", copy=True
    )
    h0 = float_array("h0", h0, 1, "(D,)", shape=(D,), source="D from params['W_i']")
    c0 = float_array("c0", c0, 1, "(D,)", shape=(D,), source="D from params['W_i']")
    return x, h0, c0


def _forward(inputs, p):
    """The unchecked forward pass (see lstm_nndl_forward)."""
    x, h0, c0 = inputs
    T, D = x.shape[0], p["U_i"].shape[0]
    cache = {"x": x, "h": np.zeros((T + 1, D)), "c": np.zeros((T + 1, D))}
    cache |= {g: np.zeros((T, D)) for g in ("i", "f", "o", "cc")}
    cache["h"][0], cache["c"][0] = h0, c0
    for t in range(T):
        h_prev = cache["h"][t]
        net = {
            g: p[f"W_{g}"] @ x[t] + p[f"U_{g}"] @ h_prev + p[f"b_{g}"]
            for g in NNDL_GATES
        }
        i, f, o, cc = (
            sigmoid(net["i"]),
            sigmoid(net["f"]),
            sigmoid(net["o"]),
            np.tanh(net["c"]),
        )
        cache["c"][t + 1] = f * cache["c"][t] + i * cc
        cache["h"][t + 1] = o * np.tanh(cache["c"][t + 1])
        cache["i"][t], cache["f"][t], cache["o"][t], cache["cc"][t] = i, f, o, cc
    return cache


def lstm_nndl_backward(dL_dh, cache, params):
    """BPTT for the LSTM in NNDL notation: one reversed pass.

    With δ_{•,t} the gradient of L w.r.t. the pre-activation of gate • at step t,
    δ_{h,t} = ∂L_t/∂h_t + Σ_• U_•ᵀ δ_{•,t+1} and
    δ_{c,t} = δ_{h,t} ⊙ o_t ⊙ (1 − tanh² c_t) + δ_{c,t+1} ⊙ f_{t+1}:
    δ_{o,t} = δ_{h,t} ⊙ tanh(c_t) ⊙ o_t(1 − o_t),   δ_{i,t} = δ_{c,t} ⊙ c̃_t ⊙ i_t(1 −
    i_t),
    δ_{f,t} = δ_{c,t} ⊙ c_{t-1} ⊙ f_t(1 − f_t),     δ_{c̃,t} = δ_{c,t} ⊙ i_t ⊙ (1 −
    c̃_t²),
    ∂L/∂W_• = Σ_t δ_{•,t} x_tᵀ,  ∂L/∂U_• = Σ_t δ_{•,t} h_{t-1}ᵀ,  ∂L/∂b_• = Σ_t δ_{•,t}.

    Args:
        dL_dh: ∂L_t/∂h_t for t = 1 … T (the loss's own gradient), shape (T, D).
        cache: from lstm_nndl_forward.
        params: the parameters of the forward pass.

    Returns:
        dict with dW_•, dU_•, db_• (shapes of the parameters), dx (T, M),
        dh0, dc0 (D,), and dL_dc (T, D): the total ∂L/∂c_t for t = 1 … T.

    Raises:
        ValueError: bad params (as lstm_nndl_forward), a cache that is not a dict of the
            forward's arrays for
            these params, or dL_dh not a finite float array (T, D) (integer and float16
            are converted).

    Source: NNDL §6.6.1 and exercise 6-4; the same equations as
    :func:`bptt.lstm.lstm_cell_backward`, in NNDL's symbols.
    """
    params, D, M = _check(params)
    cache, T = _check_cache(cache, D, M)
    dL_dh = float_array(
        "dL_dh", dL_dh, 2, "(T, D)", shape=(T, D), source="T, D from cache['i']"
    )
    return _backward(dL_dh, cache, params)


def _backward(dL_dh, cache, params):
    """The unchecked backward pass (see lstm_nndl_backward)."""
    T, D = cache["i"].shape
    x, h, c = cache["x"], cache["h"], cache["c"]
    grads = {
        f"d{k}_{g}": np.zeros_like(params[f"{k}_{g}"])
        for g in NNDL_GATES
        for k in ("W", "U", "b")
    }
    dx, dL_dc = np.zeros_like(x), np.zeros((T, D))
    dh_next, dc_next = (
        np.zeros(D),
        np.zeros(D),
    )  # U_•ᵀ δ_{•,t+1} summed, and δ_{c,t+1} ⊙ f_{t+1}
    for t in reversed(range(T)):
        i, f, o, cc = cache["i"][t], cache["f"][t], cache["o"][t], cache["cc"][t]
        tanh_c = np.tanh(c[t + 1])
        dh = dL_dh[t] + dh_next  # δ_{h,t}
        dc = dh * o * (1.0 - tanh_c**2) + dc_next  # δ_{c,t}: via h_t and via c_{t+1}
        delta = {
            "o": dh * tanh_c * o * (1.0 - o),
            "i": dc * cc * i * (1.0 - i),
            "f": dc * c[t] * f * (1.0 - f),
            "c": dc * i * (1.0 - cc**2),
        }
        for g in NNDL_GATES:
            grads[f"dW_{g}"] += np.outer(delta[g], x[t])
            grads[f"dU_{g}"] += np.outer(
                delta[g], h[t]
            )  # h[t] is h_{t-1} in 1-based steps
            grads[f"db_{g}"] += delta[g]
        dx[t] = sum(params[f"W_{g}"].T @ delta[g] for g in NNDL_GATES)
        dh_next = sum(params[f"U_{g}"].T @ delta[g] for g in NNDL_GATES)
        dc_next = dc * f
        dL_dc[t] = dc
    return grads | {"dx": dx, "dh0": dh_next, "dc0": dc_next, "dL_dc": dL_dc}


def lstm_state_jacobians(cache, params):
    """Per-step Jacobians of the LSTM state, numerator layout.

    Returns:
        dict of arrays of shape (T, D, D), entry t for the step t-1 → t (1-based):
        cc: ∂c_t/∂c_{t-1} with h_{t-1} held fixed, = diag(f_t) (the direct path);
        ch: ∂c_t/∂h_{t-1} = diag(c_{t-1} σ'_f) U_f + diag(c̃_t σ'_i) U_i + diag(i_t tanh'_c) U_c;
        hc: ∂h_t/∂c_{t-1} = diag(o_t (1 − tanh² c_t)) diag(f_t);
        hh: ∂h_t/∂h_{t-1} = diag(tanh(c_t) σ'_o) U_o + diag(o_t (1 − tanh² c_t)) ch.
        The state s_t = (c_t, h_t) has the block Jacobian [[cc, ch], [hc, hh]].

    Raises:
        ValueError: bad params or cache (as lstm_nndl_backward).
    """
    params, D, M = _check(params)
    cache, T = _check_cache(cache, D, M)
    c = cache["c"]
    J = {k: np.zeros((T, D, D)) for k in ("cc", "ch", "hc", "hh")}
    for t in range(T):
        i, f, o, cc = cache["i"][t], cache["f"][t], cache["o"][t], cache["cc"][t]
        tanh_c = np.tanh(c[t + 1])
        J["cc"][t] = np.diag(f)
        J["ch"][t] = (
            (c[t] * f * (1 - f))[:, None] * params["U_f"]
            + (cc * i * (1 - i))[:, None] * params["U_i"]
            + (i * (1 - cc**2))[:, None] * params["U_c"]
        )
        J["hc"][t] = np.diag(o * (1 - tanh_c**2) * f)
        J["hh"][t] = (tanh_c * o * (1 - o))[:, None] * params["U_o"] + (
            o * (1 - tanh_c**2)
        )[:, None] * J["ch"][t]
    return J


def cell_gradient_reach(params, x, g, h0=None, c0=None):
    """How far back a last-step loss L = g·h_T reaches along the cell.

    Args:
        params: NNDL-notation parameters.  x: inputs, shape (T, M).
        g: the loss vector, shape (D,).  h0, c0: initial states (zeros if None).

    Returns:
        (total, direct), two arrays of shape (T,): total[k-1] = ‖∂L/∂c_k‖ (all
        paths, by BPTT) and direct[k-1] = ‖(Π_{j=k+1}^{T} diag(f_j)) ∂L/∂c_T‖
        (the cell path alone), for k = 1 … T.

    Raises:
        ValueError: bad params, x, h0, c0 (as lstm_nndl_forward) or g not a finite float array (D,).
    """
    params, D, M = _check(params)
    h0 = np.zeros(D) if h0 is None else h0
    c0 = np.zeros(D) if c0 is None else c0
    x, h0, c0 = _inputs(x, h0, c0, D, M)
    g = float_array("g", g, 1, "(D,)", shape=(D,), source="D from params['W_i']")
    cache = _forward((x, h0, c0), params)
    T = x.shape[0]
    dL_dh = np.zeros((T, D))
    dL_dh[-1] = g
    dL_dc = _backward(dL_dh, cache, params)["dL_dc"]
    direct = np.zeros((T, D))
    direct[-1] = dL_dc[-1]
    for k in range(T - 2, -1, -1):
        direct[k] = cache["f"][k + 1] * direct[k + 1]
    return np.linalg.norm(dL_dc, axis=1), np.linalg.norm(direct, axis=1)


def lstm_nndl_to_dlai(params, Wy=None, by=None):
    """The deeplearning.ai parameter dict of :mod:`bptt.lstm`: W• = [U_• | W_•], b• as a column.

    Wy, by default to a zero read-out with one output (the read-out is not part
    of NNDL's cell).  The candidate's key is ``c`` in both notations.

    Raises:
        ValueError: bad params (as lstm_nndl_forward); Wy not a finite float (n_y, D), by not (n_y, 1).
    """
    params, D, _ = _check(params)
    if Wy is not None:
        n_y = require_ndim("Wy", Wy, 2, "(n_y, D)").shape[0]
        Wy = float_array(
            "Wy", Wy, 2, "(n_y, D)", shape=(n_y, D), source="D from params['W_i']"
        )
    n_y = 1 if Wy is None else Wy.shape[0]
    if by is not None:
        by = float_array(
            "by", by, 2, "(n_y, 1)", shape=(n_y, 1), source="n_y from Wy (1 without Wy)"
        )
    out = {}
    for g in NNDL_GATES:
        out[f"W{g}"] = np.hstack([params[f"U_{g}"], params[f"W_{g}"]])
        out[f"b{g}"] = params[f"b_{g}"][:, None].copy()
    out["Wy"] = np.zeros((1, D)) if Wy is None else Wy
    out["by"] = np.zeros((out["Wy"].shape[0], 1)) if by is None else by
    return out


def lstm_nndl_torch_weights(params):
    """(weight_ih, weight_hh, bias) in ``torch.nn.LSTM``'s gate order i, f, g (= c̃), o.

    weight_ih = [W_i; W_f; W_c; W_o] (4D, M), weight_hh = [U_i; U_f; U_c; U_o] (4D, D),
    bias = [b_i; b_f; b_c; b_o] (4D,) for ``bias_ih`` (with ``bias_hh`` = 0).

    Raises:
        ValueError: bad params (as lstm_nndl_forward).
    """
    params, _, _ = _check(params)
    order = ("i", "f", "c", "o")
    return (
        np.vstack([params[f"W_{g}"] for g in order]),
        np.vstack([params[f"U_{g}"] for g in order]),
        np.concatenate([params[f"b_{g}"] for g in order]),
    )
