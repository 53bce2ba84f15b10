"""The simple (Elman) RNN, forward and backward, in the deeplearning.ai C5W1 layout.

x is (n_x, m, T_x), states (n_a, m, T_x), one column per example. NNDL §6.2/§6.4 names:

    Waa ↔ U (recurrent),  Wax ↔ W (input),  ba ↔ b,  a⟨t⟩ ↔ h_t,
    Wax·x⟨t⟩ + Waa·a⟨t-1⟩ + ba ↔ z_t.

Backward functions take ∂L/∂a; `dtanh` is ∂L/∂z_t = Σ_{s≥t} δ_{s,t}.
"""

import numpy as np

from .activations import softmax_unchecked
from .shapes import float_array, require_integer, require_keys, require_ndim

RNN_KEYS = ("Wax", "Waa", "Wya", "ba", "by")
_LAYOUT = {
    "Wax": "(n_a, n_x)",
    "Waa": "(n_a, n_a)",
    "Wya": "(n_y, n_a)",
    "ba": "(n_a, 1)",
    "by": "(n_y, 1)",
}
SOURCE = "n_x from parameters['Wax'], n_a from parameters['Waa']"


def check_rnn_parameters(parameters, copy=True, name="parameters"):
    """Validate the parameter dict; return (p, n_a, n_x, n_y).

    p is a new dict (other keys kept) whose five arrays are float copies (copy=True), so a cache
    holding p is immune to later edits of the caller's arrays.
    """
    require_keys(parameters, RNN_KEYS, name)
    p = dict(parameters)
    n_a, n_x = require_ndim(
        f"{name}['Wax']", parameters["Wax"], 2, _LAYOUT["Wax"]
    ).shape
    n_y = require_ndim(f"{name}['Wya']", parameters["Wya"], 2, _LAYOUT["Wya"]).shape[0]
    shapes = {
        "Wax": (n_a, n_x),
        "Waa": (n_a, n_a),
        "Wya": (n_y, n_a),
        "ba": (n_a, 1),
        "by": (n_y, 1),
    }
    for k in RNN_KEYS:
        p[k] = float_array(
            f"{name}['{k}']", parameters[k], 2, _LAYOUT[k], shape=shapes[k], copy=copy
        )
    return p, n_a, n_x, n_y


def check_rnn_input(x, a0, parameters):
    """Validate rnn_forward's inputs; return (x, a0, p) as float copies (see check_rnn_parameters)."""
    p, n_a, n_x, _ = check_rnn_parameters(parameters)
    require_ndim("x", x, 3, "(n_x, m, T_x)")
    _, m, T_x = x.shape
    x = float_array(
        "x", x, 3, "(n_x, m, T_x)", shape=(n_x, m, T_x), source=SOURCE, copy=True
    )
    a0 = float_array("a0", a0, 2, "(n_a, m)", shape=(n_a, m), source=SOURCE, copy=True)
    return x, a0, p


def _check_step_cache(name, cache):
    """Validate one (a_next, a_prev, xt, parameters) cache; return it with n_a, m."""
    if not (isinstance(cache, tuple) and len(cache) == 4):
        raise ValueError(
            f"{name} must be the tuple (a_next, a_prev, xt, parameters) from rnn_cell_forward"
        )
    p, n_a, n_x, _ = check_rnn_parameters(
        cache[3], copy=False, name=f"{name}[3] (parameters)"
    )
    m = require_ndim(f"{name}[0] (a_next)", cache[0], 2, "(n_a, m)").shape[1]
    a_next = float_array(f"{name}[0] (a_next)", cache[0], 2, "(n_a, m)", shape=(n_a, m))
    a_prev = float_array(f"{name}[1] (a_prev)", cache[1], 2, "(n_a, m)", shape=(n_a, m))
    xt = float_array(f"{name}[2] (xt)", cache[2], 2, "(n_x, m)", shape=(n_x, m))
    return (a_next, a_prev, xt, p), n_a, m


def rnn_cell_forward(xt, a_prev, parameters):
    """One step of the simple RNN (NNDL §6.2 with f = tanh; deeplearning.ai C5W1 `rnn_cell_forward`).

    Args:
        xt: (n_x, m) input at step t.
        a_prev: (n_a, m) previous state.
        parameters: dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1).

    Returns:
        a_next (n_a, m) = tanh(Wax xt + Waa a_prev + ba); yt_pred (n_y, m) = softmax(Wya a_next + by);
        cache = (a_next, a_prev, xt, parameters) — copies. Integers become float64; float32 stays.

    Raises:
        ValueError: a shape, dtype, key or non-finite value that disagrees with the above (the message names it).
    """
    p, n_a, n_x, _ = check_rnn_parameters(parameters)
    require_ndim("xt", xt, 2, "(n_x, m)")
    m = xt.shape[1]
    xt = float_array("xt", xt, 2, "(n_x, m)", shape=(n_x, m), source=SOURCE, copy=True)
    a_prev = float_array(
        "a_prev", a_prev, 2, "(n_a, m)", shape=(n_a, m), source=SOURCE, copy=True
    )
    a_next, yt_pred, cache = _rnn_step(xt, a_prev, p)
    return a_next.copy(), yt_pred, cache


def _rnn_step(xt, a_prev, p):
    """rnn_cell_forward without validation or copies (the loops' step)."""
    a_next = np.tanh(p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"])
    yt_pred = softmax_unchecked(p["Wya"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, p)


def rnn_cell_backward(da_next, cache):
    """Backward pass of one RNN step (NNDL (6.36)–(6.41); deeplearning.ai C5W1 `rnn_cell_backward`).

    Args:
        da_next: (n_a, m) ∂L/∂a⟨t⟩.
        cache: (a_next, a_prev, xt, parameters) from rnn_cell_forward.

    Returns:
        dict with dxt (n_x, m), da_prev (n_a, m), dWax (n_a, n_x), dWaa (n_a, n_a), dba (n_a, 1).

    Raises:
        ValueError: a malformed cache, or da_next not a finite float array of a_next's shape.
    """
    cache, n_a, m = _check_step_cache("cache", cache)
    da_next = float_array("da_next", da_next, 2, "(n_a, m)", shape=(n_a, m))
    return _rnn_step_backward(da_next, cache)


def _rnn_step_backward(da_next, cache):
    """rnn_cell_backward without validation (the loop's step)."""
    a_next, a_prev, xt, parameters = cache
    dtanh = (
        1.0 - a_next**2
    ) * da_next  # tanh'(z) written with the output: 1 - tanh(z)²
    return {
        "dxt": parameters["Wax"].T @ dtanh,
        "da_prev": parameters["Waa"].T @ dtanh,
        "dWax": dtanh @ xt.T,
        "dWaa": dtanh @ a_prev.T,
        "dba": np.sum(dtanh, axis=1, keepdims=True),
    }


def rnn_forward(x, a0, parameters):
    """The simple RNN over a sequence (deeplearning.ai C5W1 `rnn_forward`); validates once, loops unchecked.

    Args:
        x: (n_x, m, T_x) inputs.   a0: (n_a, m) initial state.   parameters: as in rnn_cell_forward.

    Returns:
        a (n_a, m, T_x) states a⟨1⟩ … a⟨T_x⟩; y_pred (n_y, m, T_x); caches = (list of T_x step caches, x).
        a and y_pred are new arrays; the caches hold copies.

    Raises:
        ValueError: a shape, dtype, key or non-finite value that disagrees with the above, or T_x = 0.
    """
    x, a0, parameters = check_rnn_input(x, a0, parameters)
    return rnn_forward_unchecked(x, a0, parameters)


def rnn_forward_unchecked(x, a0, parameters):
    """rnn_forward on validated inputs."""
    _, m, T_x = x.shape
    n_a, n_y = parameters["Waa"].shape[0], parameters["Wya"].shape[0]
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    step_caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = _rnn_step(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        step_caches.append(cache)
    return a, y_pred, (step_caches, x)


def rnn_backward(da, caches):
    """BPTT for the simple RNN (NNDL §6.4.1; deeplearning.ai C5W1 `rnn_backward`).

    Step t receives da[:, :, t] plus da_prev from step t+1.

    Args:
        da: (n_a, m, T) ∂L/∂a⟨t⟩ from the layers above; the first T step caches are
            used.
        caches: (list of step caches, x) from rnn_forward.

    Returns:
        dict with dx (n_x, m, T), da0 (n_a, m), dWax (n_a, n_x), dWaa (n_a, n_a), dba
        (n_a, 1).

    Raises:
        ValueError: malformed caches, da not finite float (n_a, m, T), T = 0, or more
            steps than caches.
    """
    if not (
        isinstance(caches, tuple)
        and len(caches) == 2
        and isinstance(caches[0], list)
        and caches[0]
    ):
        raise ValueError(
            "caches must be the tuple (list of step caches, x) from rnn_forward, with at least one step"
        )
    # the first cache fully (shapes and parameters), the others by form: all come from
    # one rnn_forward
    first, n_a, m = _check_step_cache("caches[0][0]", caches[0][0])
    step_caches = [first] + caches[0][
        1:
    ]  # a new list: the caller's caches are not modified
    for t, c in enumerate(step_caches):
        if not (isinstance(c, tuple) and len(c) == 4 and np.shape(c[0]) == (n_a, m)):
            raise ValueError(
                f"caches[0][{t}] must be a step cache (a_next, a_prev, xt, parameters) with a_next of shape {(n_a, m)}"
            )
    require_ndim("da", da, 3, "(n_a, m, T_x)")
    T = da.shape[2]
    da = float_array("da", da, 3, "(n_a, m, T_x)", shape=(n_a, m, T))
    if T > len(step_caches):
        raise ValueError(f"da has {T} steps but caches hold only {len(step_caches)}")
    return rnn_backward_unchecked(da, step_caches)


def rnn_backward_unchecked(da, step_caches):
    """rnn_backward on validated inputs."""
    n_a, m, T = da.shape
    _, _, x1, parameters = step_caches[0]
    n_x = x1.shape[0]

    dx = np.zeros((n_x, m, T))
    dWax = np.zeros_like(parameters["Wax"], dtype=np.float64)
    dWaa = np.zeros_like(parameters["Waa"], dtype=np.float64)
    dba = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        grads = _rnn_step_backward(da[:, :, t] + da_prevt, step_caches[t])
        dx[:, :, t] = grads["dxt"]
        dWax += grads["dWax"]
        dWaa += grads["dWaa"]
        dba += grads["dba"]
        da_prevt = grads["da_prev"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def random_rnn_parameters(n_x, n_a, n_y, rng):
    """Seeded N(0, 1) parameters, Waa scaled by 0.5, drawn in the order Wax, Waa, Wya, ba, by.

    Args:
        n_x, n_a, n_y: sizes, integers ≥ 1.   rng: numpy.random.Generator.

    Returns:
        dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1), float64.

    Raises:
        ValueError: a size not an integer ≥ 1, or rng not a Generator.
    """
    n_x = require_integer("n_x", n_x, 1)
    n_a = require_integer("n_a", n_a, 1)
    n_y = require_integer("n_y", n_y, 1)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng).__name__}"
        )
    return {
        "Wax": rng.standard_normal((n_a, n_x)),
        "Waa": 0.5 * rng.standard_normal((n_a, n_a)),
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.standard_normal((n_a, 1)),
        "by": rng.standard_normal((n_y, 1)),
    }
