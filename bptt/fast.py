"""The simple RNN's forward and BPTT with few, large matrix products.

Only h_{t-1} weight_hhᵀ (forward) and δ_t weight_hh (backward, NNDL (6.36)) depend on the
previous step; the input projections, dX and the weight gradients ((6.39)–(6.41)) are single
GEMMs over all T·m rows. Buffers are preallocated; states live in one (T+1, m, H) array, slot 0 = h0.

Entry points: rnn_layer_forward_fast / rnn_layer_backward_fast (torch.nn.RNN layout, as
bptt.operator) and rnn_forward_fast / rnn_backward_fast (deeplearning.ai layout of bptt.rnn,
hidden states only, no ŷ readout).
"""

import numpy as np

from .operator import (
    check_rnn_layer_grads,
    check_rnn_layer_input,
    check_rnn_layer_parameters,
    float_dtype,
)
from .shapes import float_array, require_keys, require_ndim


def rnn_layer_forward_fast(x, h0, params):
    """Forward of one torch.nn.RNN layer, all input projections in one GEMM; same numbers as operator.rnn_layer_forward.

    Args:
        x: (T, m, n_x), time-major.   h0: (1, m, H) or None for zeros.
        params: dict weight_ih (H, n_x), weight_hh (H, H), bias_ih (H,), bias_hh (H,).

    Returns:
        output (T, m, H), h_n (1, m, H) — copies; cache = (x2 (T·m, n_x), states (T+1, m, H), params) — copies.
        dtype: float32 if all inputs are float32, else float64.

    Raises:
        ValueError: as operator.check_rnn_layer_input.
    """
    x, h0, params, _ = check_rnn_layer_input(x, h0, params)
    states, cache = _forward_fast(x, h0, params)
    return states[1:].copy(), states[-1:].copy(), cache


def _forward_fast(x, h0, params):
    """rnn_layer_forward_fast on validated inputs (x, h0, params already copies).

    Returns (states (T+1, m, H), cache); states[1:] is the output.
    """
    T, m, n_x = x.shape
    H = params["weight_hh"].shape[0]
    dtype = x.dtype
    w_ih = params["weight_ih"]
    # a contiguous copy of weight_hhᵀ (H² numbers): OpenBLAS runs the thin per-step product
    # (m, H) × (H, H) a little faster on a plain row-major right factor than on a transposed view
    w_hh_t = np.ascontiguousarray(params["weight_hh"].T)
    bias = params["bias_ih"] + params["bias_hh"]

    x2 = np.ascontiguousarray(x).reshape(T * m, n_x)  # x is already the validated copy
    states = np.empty((T + 1, m, H), dtype=dtype)  # states[0] = h0, states[t] = h_t
    states[0] = h0[0]
    z = states[1:].reshape(T * m, H)  # a view: the pre-activations are built in place
    np.matmul(x2, w_ih.T, out=z)  # all T input projections in one GEMM
    tmp = np.empty((m, H), dtype=dtype)
    for t in range(
        1, T + 1
    ):  # the sequential part: one (m, H) × (H, H) product per step
        np.matmul(states[t - 1], w_hh_t, out=tmp)
        h = states[t]
        h += tmp
        h += bias  # here, while h is in cache, rather than in a pass over all T·m·H
        np.tanh(h, out=h)
    return states, (x2, states, params)


def rnn_layer_backward_fast(d_output, d_h_n, cache):
    """BPTT for one torch.nn.RNN layer: a loop of small products, then three GEMMs (NNDL (6.36), (6.39)–(6.41)).

    Args:
        d_output: (T, m, H).   d_h_n: (1, m, H) or None.   cache: from rnn_layer_forward_fast.

    Returns:
        dict with dx (T, m, n_x), dh0 (1, m, H), dweight_ih (H, n_x), dweight_hh (H, H), dbias_ih (H,), dbias_hh (H,).

    Raises:
        ValueError: a cache not from rnn_layer_forward_fast, or a shape or dtype that disagrees with the above.
    """
    _check_fast_cache(cache)
    T1, m, H = cache[1].shape
    d_output, d_h_n = check_rnn_layer_grads(d_output, d_h_n, T1 - 1, m, H)
    return _backward_fast(d_output, d_h_n, cache)


def _check_fast_cache(cache):
    """Validate the (x2, states, params) cache of rnn_layer_forward_fast."""
    if not (isinstance(cache, tuple) and len(cache) == 3):
        raise ValueError(
            "cache must be the tuple (x2, states, params) from rnn_layer_forward_fast"
        )
    x2, states, params = cache
    H, n_x = check_rnn_layer_parameters(params)
    T1, m = require_ndim("cache[1] (states)", states, 3, "(T+1, m, H)").shape[:2]
    if T1 < 2:
        raise ValueError(
            f"cache[1] (states) must hold h0 and at least one step, got shape {states.shape}"
        )
    float_array("cache[1] (states)", states, 3, "(T+1, m, H)", shape=(T1, m, H))
    float_array("cache[0] (x2)", x2, 2, "(T·m, n_x)", shape=((T1 - 1) * m, n_x))


def _backward_fast(d_output, d_h_n, cache):
    """rnn_layer_backward_fast on validated inputs."""
    x2, states, params = cache
    T1, m, H = states.shape
    T = T1 - 1
    n_x = x2.shape[1]
    dtype = states.dtype
    w_ih = np.asarray(params["weight_ih"], dtype=dtype)
    w_hh = np.asarray(params["weight_hh"], dtype=dtype)
    d_output = np.asarray(d_output, dtype=dtype)

    delta = np.empty((T, m, H), dtype=dtype)
    carry = (
        np.zeros((m, H), dtype=dtype)
        if d_h_n is None
        else np.array(d_h_n[0], dtype=dtype)
    )
    g = np.empty((m, H), dtype=dtype)
    for t in range(
        T - 1, -1, -1
    ):  # the sequential part; elementwise work on cache-hot (m, H) blocks
        h, d = states[t + 1], delta[t]
        np.multiply(h, h, out=d)
        np.subtract(1.0, d, out=d)  # tanh'(z_t) = 1 − h_t²
        np.add(d_output[t], carry, out=g)  # ∂L/∂h_t
        d *= g  # δ_t = ∂L/∂z_t
        np.matmul(d, w_hh, out=carry)  # (6.36): to h_{t-1}

    delta2 = delta.reshape(T * m, H)
    dx = np.matmul(delta2, w_ih).reshape(T, m, n_x)
    # (6.40): Σ_t as the inner dimension T·m.  Computed as (Xᵀ Δ)ᵀ: the same numbers, and
    # OpenBLAS is faster with the wide factor Δ on the right.
    d_w_ih = np.matmul(x2.T, delta2).T.copy()
    d_w_hh = np.matmul(delta2.T, states[:-1].reshape(T * m, H))  # (6.39)
    d_b = delta2.sum(axis=0)  # (6.41): one pass over Δ
    return {
        "dx": dx,
        "dh0": carry[None],
        "dweight_ih": d_w_ih,
        "dweight_hh": d_w_hh,
        "dbias_ih": d_b,
        "dbias_hh": d_b.copy(),
    }


def _layer_params(parameters):
    """The deeplearning.ai parameters, validated, as a torch-layout dict (bias_hh = 0)."""
    require_keys(parameters, ("Wax", "Waa", "ba"))
    Wax = require_ndim("parameters['Wax']", parameters["Wax"], 2, "(n_a, n_x)")
    n_a = Wax.shape[0]
    Wax = float_array("parameters['Wax']", Wax, 2, "(n_a, n_x)")
    Waa = float_array(
        "parameters['Waa']", parameters["Waa"], 2, "(n_a, n_a)", shape=(n_a, n_a)
    )
    ba = float_array(
        "parameters['ba']", parameters["ba"], 2, "(n_a, 1)", shape=(n_a, 1)
    )[:, 0]
    return {
        "weight_ih": Wax,
        "weight_hh": Waa,
        "bias_ih": ba,
        "bias_hh": np.zeros_like(ba),
    }


def rnn_forward_fast(x, a0, parameters):
    """Hidden states of bptt.rnn_forward, batched (deeplearning.ai C5W1 layout; Wax = weight_ih, Waa = weight_hh).

    Args:
        x: (n_x, m, T_x).   a0: (n_a, m).
        parameters: dict with Wax (n_a, n_x), Waa (n_a, n_a), ba (n_a, 1); Wya, by ignored.

    Returns:
        a (n_a, m, T_x), a transposed view of a new array; cache for rnn_backward_fast (copies).

    Raises:
        ValueError: a missing key, or a shape, dtype or non-finite value that disagrees with the above.
    """
    params = _layer_params(parameters)
    n_a, n_x = params["weight_ih"].shape
    require_ndim("x", x, 3, "(n_x, m, T_x)")
    _, m, T_x = x.shape
    x = float_array("x", x, 3, "(n_x, m, T_x)", shape=(n_x, m, T_x))
    a0 = float_array("a0", a0, 2, "(n_a, m)", shape=(n_a, m))
    dtype = float_dtype(x, *params.values())  # as the core: h0 does not set the dtype
    # transposed copies in the common dtype: the cache never shares memory with the caller
    x_t = np.array(np.transpose(x, (2, 1, 0)), dtype=dtype, order="C")
    h0 = np.array(a0.T[None], dtype=dtype)
    params = {k: np.array(v, dtype=dtype) for k, v in params.items()}
    states, cache = _forward_fast(x_t, h0, params)
    # copy, then transpose: a contiguous memcpy rather than a strided gather (a is a transposed view of its own array)
    return states[1:].copy().transpose(2, 1, 0), cache


def rnn_backward_fast(da, cache):
    """BPTT like bptt.rnn_backward, with this module's batched products.

    Args:
        da: (n_a, m, T_x), all steps of the forward.   cache: from rnn_forward_fast.

    Returns:
        dict with dx (n_x, m, T_x), da0 (n_a, m), dWax (n_a, n_x), dWaa (n_a, n_a), dba (n_a, 1).

    Raises:
        ValueError: a cache not from rnn_forward_fast, or da not a finite float (n_a, m, T_x) array.
    """
    _check_fast_cache(cache)
    T1, m, n_a = cache[1].shape
    require_ndim("da", da, 3, "(n_a, m, T_x)")
    da = float_array("da", da, 3, "(n_a, m, T_x)", shape=(n_a, m, T1 - 1))
    grads = _backward_fast(np.transpose(da, (2, 1, 0)), None, cache)
    return {
        "dx": grads["dx"].transpose(2, 1, 0),
        "da0": grads["dh0"][0].T,
        "dWax": grads["dweight_ih"],
        "dWaa": grads["dweight_hh"],
        "dba": grads["dbias_ih"][:, None],
    }
