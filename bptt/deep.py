"""Deeper recurrent networks in NNDL notation (§6.7): stacked and bidirectional BPTT.

One sequence, rows are time steps (as in :mod:`bptt.delta`).  Layer l and
direction d (``"fwd"`` or ``"bwd"``) compute

    fwd:  h_t^(l) = f(U h_{t-1}^(l) + W h_t^(l-1) + b),
    bwd:  h_t^(l) = f(U h_{t+1}^(l) + W h_t^(l-1) + b),     h_t^(0) = x_t,

and a bidirectional layer outputs the concatenation [h_t^(l,fwd); h_t^(l,bwd)].
A backward-direction layer is a forward layer run on the reversed sequence, so
its error terms flow *forward* in time.  Parameters are a list over layers of
dicts ``{"fwd": {"U", "W", "b"}, "bwd": {...}}`` — the same numbers as
``torch.nn.RNN``'s ``weight_hh_l{l}[_reverse]``, ``weight_ih_l{l}[_reverse]`` and
``bias_ih + bias_hh`` (see :func:`deep_rnn_from_torch_state`).

The small models of the "other ways to deepen" experiment live in
:mod:`bptt.deepen`, the parameter draw and the torch conversion in
:mod:`bptt.deep_parameters`; this module re-exports them.
"""

import numpy as np

from .activations import activation
from .deep_parameters import (
    DIRECTIONS,
    deep_rnn_from_torch_state,
    random_deep_rnn_parameters,
)
from .deepen import DEEPEN_KINDS, deepen_input_gradients, deepen_parameters
from .shapes import (
    float_array,
    require_keys,
    require_ndim,
)


def srn_backward(z, h, x, U, W, dL_dh, f="tanh"):
    """One-pass BPTT of one simple-RNN layer, NNDL notation (no batch axis).

    δ_k = f'(z_k) ⊙ (∂L/∂h_k|_above + Uᵀ δ_{k+1}), δ_{T+1} = 0 (the one-pass form of the BPTT chapter).

    Args:
        z, h: from :func:`bptt.srn_forward`, shapes (T, D) and (T + 1, D).
        x: the layer's inputs, shape (T, M).  U (D, D), W (D, M): its weights.
        dL_dh: gradient reaching h_1 … h_T from outside the recurrence (the
            loss and the layer above), shape (T, D).

    Returns:
        dict with dU (D, D), dW (D, M), db (D,), dx (T, M), dh0 (D,), delta (T, D).

    Raises:
        ValueError: an unknown activation, or an array that is not an ndarray of the shape above, has a
            complex/bool/object/string dtype, an empty axis or NaN/inf (integer and float16 become float64).
    """
    activation(f)
    T, D = require_ndim("z", z, 2, "(T, D)").shape
    M = require_ndim("x", x, 2, "(T, M)").shape[1]
    z = float_array("z", z, 2, "(T, D)")
    h = float_array("h", h, 2, "(T + 1, D)", shape=(T + 1, D), source="T, D from z")
    x = float_array("x", x, 2, "(T, M)", shape=(T, M), source="T from z")
    U = float_array("U", U, 2, "(D, D)", shape=(D, D), source="D from z")
    W = float_array("W", W, 2, "(D, M)", shape=(D, M), source="D from z, M from x")
    dL_dh = float_array("dL_dh", dL_dh, 2, "(T, D)", shape=(T, D), source="T, D from z")
    return _srn_backward(z, h, x, U, W, dL_dh, f)


def _srn_forward(x, h0, U, W, b, f):
    """Unchecked srn_forward (bptt.delta): the same loop, for inputs validated at the door."""
    fn, _, _ = activation(f)
    T, D = x.shape[0], U.shape[0]
    z, h = np.zeros((T, D)), np.zeros((T + 1, D))
    h[0] = h0
    for t in range(T):
        z[t] = U @ h[t] + W @ x[t] + b
        h[t + 1] = fn(z[t])
    return z, h


def _srn_backward(z, h, x, U, W, dL_dh, f):
    """Unchecked srn_backward."""
    _, f_prime, _ = activation(f)
    T, D = z.shape
    delta = np.zeros((T, D))
    carry = np.zeros(D)  # Uᵀ δ_{k+1}
    for k in reversed(range(T)):
        delta[k] = f_prime(z[k]) * (dL_dh[k] + carry)
        carry = U.T @ delta[k]
    return {
        "dU": delta.T @ h[:-1],
        "dW": delta.T @ x,
        "db": delta.sum(axis=0),
        "dx": delta @ W,
        "dh0": carry,
        "delta": delta,
    }


def _check_params(params, M):
    """Validate the layer list for inputs of size M; return (a new list of float arrays, dirs, D)."""
    if not isinstance(params, list) or not params:
        raise ValueError(
            f"params must be a non-empty list of layers {{'fwd': {{...}}[, 'bwd': {{...}}]}}, "
            f"got {type(params).__name__} {params!r:.40}"
        )
    for l, layer in enumerate(params):
        if not isinstance(layer, dict):
            raise ValueError(
                f"params[{l}] must be a dict {{'fwd': {{'U', 'W', 'b'}}[, 'bwd': ...]}}, got {type(layer).__name__}"
            )
    dirs = tuple(params[0])
    if dirs not in (("fwd",), DIRECTIONS):
        raise ValueError(
            f"each layer of params must have directions ('fwd',) or ('fwd', 'bwd'), got {dirs}"
        )
    require_keys(params[0]["fwd"], ("U", "W", "b"), "params[0]['fwd']")
    D = require_ndim("params[0]['fwd']['U']", params[0]["fwd"]["U"], 2, "(D, D)").shape[
        0
    ]
    out, fan_in = [], M
    for l, layer in enumerate(params):
        if tuple(layer) != dirs:
            raise ValueError(
                f"params[{l}] has directions {tuple(layer)}, params[0] has {dirs}"
            )
        out.append({})
        for d in dirs:
            name = f"params[{l}]['{d}']"
            require_keys(layer[d], ("U", "W", "b"), name)
            src = "D from params[0]['fwd']['U']" + (
                ", M from x" if l == 0 else ", num_directions * D below"
            )
            out[l][d] = {
                "U": float_array(
                    f"{name}['U']", layer[d]["U"], 2, "(D, D)", shape=(D, D), source=src
                ),
                "W": float_array(
                    f"{name}['W']",
                    layer[d]["W"],
                    2,
                    "(D, fan_in)",
                    shape=(D, fan_in),
                    source=src,
                ),
                "b": float_array(
                    f"{name}['b']", layer[d]["b"], 1, "(D,)", shape=(D,), source=src
                ),
            }
        fan_in = D * len(dirs)
    return out, dirs, D


def _check_deep(x, params, h0, f):
    activation(f)
    T, M = require_ndim("x", x, 2, "(T, M)").shape
    x = float_array("x", x, 2, "(T, M)")
    params, dirs, D = _check_params(params, M)
    if h0 is not None:
        n = len(params) * len(dirs)
        h0 = float_array(
            "h0",
            h0,
            2,
            "(num_layers * num_directions, D)",
            shape=(n, D),
            source="(num_layers * num_directions, D), as torch's h_0",
        )
    return x, params, h0, dirs, D


def deep_rnn_forward(x, params, h0=None, f="tanh"):
    """Stacked (and optionally bidirectional) simple RNN over one sequence.

    Args:
        x: inputs, shape (T, M).
        params: list over layers of {"fwd": {"U", "W", "b"}[, "bwd": {...}]}.
        h0: initial states, shape (num_layers * num_directions, D), rows ordered
            as torch's ``h_0`` (layer 0 fwd, layer 0 bwd, layer 1 fwd, …); zeros if None.
        f: activation name.

    Returns:
        out: top-layer states, shape (T, num_directions * D) (torch's ``output``).
        h_n: final states, shape (num_layers * num_directions, D) (torch's ``h_n``;
            for a backward direction, its state after reading x_1).
        cache: read by :func:`deep_rnn_backward`.

    Raises:
        ValueError: params not a non-empty list of layers with the same directions and U, W, b of the shapes
            above; an unknown activation; or an array not an ndarray of its shape, of a complex/bool/object/string
            dtype, with an empty axis or NaN/inf (integer and float16 arrays become float64).
    """
    x, params, h0, dirs, D = _check_deep(x, params, h0, f)
    h0 = np.zeros((len(params) * len(dirs), D)) if h0 is None else h0
    layer_in, layers, h_n = x, [], []
    for l, layer in enumerate(params):
        runs = {}
        for j, d in enumerate(dirs):
            p = layer[d]
            seq = (
                layer_in if d == "fwd" else layer_in[::-1]
            )  # bwd: a forward pass over the reversed sequence
            z, h = _srn_forward(seq, h0[l * len(dirs) + j], p["U"], p["W"], p["b"], f)
            runs[d] = (seq, z, h)
            h_n.append(h[-1])
        layers.append((layer_in, runs))
        layer_in = np.hstack(
            [runs[d][2][1:] if d == "fwd" else runs[d][2][1:][::-1] for d in dirs]
        )
    return (
        layer_in,
        np.array(h_n),
        {"params": params, "dirs": dirs, "layers": layers, "f": f},
    )


def deep_rnn_backward(dout, cache, dh_n=None):
    """BPTT through layers and both directions.

    Per layer, from the top down: split ∂L/∂h_t^(l) into its direction blocks;
    run :func:`srn_backward` on each (the bwd block on the reversed sequence,
    so its δ flows from t = 1 to T); the layer below receives
    ∂L/∂h_t^(l-1) = Σ_d W^(l,d)ᵀ δ_t^(l,d).

    Args:
        dout: ∂L/∂out, shape (T, num_directions * D).
        cache: from deep_rnn_forward.
        dh_n: optional ∂L/∂h_n, shape (num_layers * num_directions, D).

    Returns:
        (grads, dx, dh0): grads mirrors params with dU, dW, db and delta, the
        error terms δ_t = ∂L/∂z_t of that layer and direction (T, D), rows in
        time order t = 1 … T for both directions; dx (T, M);
        dh0 (num_layers * num_directions, D).

    Raises:
        ValueError: a cache that is not deep_rnn_forward's dict; dout, dh_n not finite
            float arrays of the
            shapes above (integer and float16 are converted).
    """
    params, dirs, f, T = _check_deep_cache(cache)
    D = params[0]["fwd"]["U"].shape[0]
    cache = dict(cache, params=params)
    dout = float_array(
        "dout",
        dout,
        2,
        "(T, num_directions * D)",
        shape=(T, len(dirs) * D),
        source="T, D from cache",
    )
    if dh_n is not None:
        dh_n = float_array(
            "dh_n",
            dh_n,
            2,
            "(num_layers * num_directions, D)",
            shape=(len(params) * len(dirs), D),
            source="from cache['params']",
        )
    dh0 = np.zeros((len(params) * len(dirs), D))
    grads = [None] * len(params)
    for l in reversed(range(len(params))):
        layer_in, runs = cache["layers"][l]
        grads[l], d_in = {}, np.zeros_like(layer_in)
        for j, d in enumerate(dirs):
            seq, z, h = runs[d]
            block = dout[:, j * D : (j + 1) * D]
            block = block if d == "fwd" else block[::-1]  # into the order the run saw
            if dh_n is not None:
                block = block.copy()
                block[-1] += dh_n[l * len(dirs) + j]
            g = _srn_backward(z, h, seq, params[l][d]["U"], params[l][d]["W"], block, f)
            grads[l][d] = {
                "dU": g["dU"],
                "dW": g["dW"],
                "db": g["db"],
                "delta": g["delta"] if d == "fwd" else g["delta"][::-1],
            }
            d_in += g["dx"] if d == "fwd" else g["dx"][::-1]
            dh0[l * len(dirs) + j] = g["dh0"]
        dout = d_in
    return grads, dout, dh0


def _check_deep_cache(cache):
    """Validate a deep_rnn_forward cache; return (params, dirs, f, T)."""
    require_keys(cache, ("params", "dirs", "layers", "f"), "cache")
    layers = cache["layers"]
    if (
        not isinstance(layers, list)
        or not layers
        or not all(isinstance(e, tuple) and len(e) == 2 for e in layers)
    ):
        raise ValueError(
            "cache['layers'] must be the list of (layer input, runs) pairs from deep_rnn_forward"
        )
    T, M = require_ndim("cache['layers'][0][0]", layers[0][0], 2, "(T, M)").shape
    params, dirs, D = _check_params(cache["params"], M)
    activation(cache["f"])
    if cache["dirs"] != dirs or len(layers) != len(params):
        raise ValueError(
            f"cache['dirs'] {cache['dirs']!r} or cache['layers'] ({len(layers)} layers) disagree with cache['params']"
        )
    for l, (layer_in, runs) in enumerate(layers):
        fan_in = M if l == 0 else D * len(dirs)
        float_array(
            f"cache['layers'][{l}][0]", layer_in, 2, "(T, fan_in)", shape=(T, fan_in)
        )
        if not isinstance(runs, dict) or tuple(runs) != dirs:
            raise ValueError(
                f"cache['layers'][{l}][1] must be a dict with the directions {dirs}"
            )
        for d in dirs:
            if not (isinstance(runs[d], tuple) and len(runs[d]) == 3):
                raise ValueError(
                    f"cache['layers'][{l}][1]['{d}'] must be the tuple (inputs, z, h)"
                )
            for k, (arr, shape) in enumerate(
                zip(runs[d], ((T, fan_in), (T, D), (T + 1, D)))
            ):
                float_array(
                    f"cache['layers'][{l}][1]['{d}'][{k}]",
                    arr,
                    2,
                    str(shape),
                    shape=shape,
                )
    return params, dirs, cache["f"], T


__all__ = [
    "DEEPEN_KINDS",
    "DIRECTIONS",
    "deep_rnn_backward",
    "deep_rnn_forward",
    "deep_rnn_from_torch_state",
    "deepen_input_gradients",
    "deepen_parameters",
    "random_deep_rnn_parameters",
    "srn_backward",
]
