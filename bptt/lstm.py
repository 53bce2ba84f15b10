"""The LSTM, forward and backward, in the deeplearning.ai C5W1 layout.

x is (n_x, m, T_x), hidden and cell states (n_a, m, T_x). Each gate acts on
concat = [a⟨t-1⟩; x⟨t⟩] (n_a + n_x rows, hidden state first). NNDL §6.6 names:

    Wf ↔ [U_f W_f] (recurrent block first),  bf ↔ b_f,  ft ↔ f_t (forget gate),
    Wi ↔ [U_i W_i],  bi ↔ b_i,  it ↔ i_t (input gate; deeplearning.ai's Γ_u),
    Wc ↔ [U_c W_c],  bc ↔ b_c,  cct ↔ c̃_t (candidate cell),
    Wo ↔ [U_o W_o],  bo ↔ b_o,  ot ↔ o_t (output gate),
    a⟨t⟩ ↔ h_t,  c⟨t⟩ ↔ c_t.

Gate gradients (dft, dit, dcct, dot) are w.r.t. the pre-activations.
"""

import numpy as np

from .activations import sigmoid_unchecked, softmax_unchecked
from .shapes import (
    float_array,
    require_integer,
    require_keys,
    require_ndim,
    require_real,
)

LSTM_KEYS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by")
GATES = ("f", "i", "c", "o")
SOURCE = "n_a, n_x from parameters['Wf'] of shape (n_a, n_a + n_x)"


def check_lstm_parameters(parameters, copy=True, name="parameters"):
    """Validate the parameter dict; return (p, n_a, n_x, n_y).

    p is a new dict (other keys kept) whose ten arrays are float copies (copy=True).
    """
    require_keys(parameters, LSTM_KEYS, name)
    Wf = require_ndim(f"{name}['Wf']", parameters["Wf"], 2, "(n_a, n_a + n_x)")
    n_a, n_concat = Wf.shape
    n_x = n_concat - n_a
    if n_a < 1 or n_x < 1:
        raise ValueError(
            f"{name}['Wf'] must have shape (n_a, n_a + n_x) with n_a, n_x >= 1, got {Wf.shape}"
        )
    n_y = require_ndim(f"{name}['Wy']", parameters["Wy"], 2, "(n_y, n_a)").shape[0]
    shapes = {"Wy": ((n_y, n_a), "(n_y, n_a)"), "by": ((n_y, 1), "(n_y, 1)")}
    for gate in GATES:
        shapes[f"W{gate}"] = ((n_a, n_a + n_x), "(n_a, n_a + n_x)")
        shapes[f"b{gate}"] = ((n_a, 1), "(n_a, 1)")
    p = dict(parameters)
    for k, (shape, layout) in shapes.items():
        p[k] = float_array(
            f"{name}['{k}']", parameters[k], 2, layout, shape=shape, copy=copy
        )
    return p, n_a, n_x, n_y


def _check_step_cache(name, cache):
    """Validate one lstm_cell_forward cache; return it (parameters checked) with n_a, m."""
    if not (isinstance(cache, tuple) and len(cache) == 10):
        raise ValueError(
            f"{name} must be the 10-tuple (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, "
            f"xt, parameters) from lstm_cell_forward"
        )
    p, n_a, n_x, _ = check_lstm_parameters(
        cache[9], copy=False, name=f"{name}[9] (parameters)"
    )
    m = require_ndim(f"{name}[0] (a_next)", cache[0], 2, "(n_a, m)").shape[1]
    labels = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot")
    arrays = [
        float_array(f"{name}[{j}] ({label})", cache[j], 2, "(n_a, m)", shape=(n_a, m))
        for j, label in enumerate(labels)
    ]
    xt = float_array(f"{name}[8] (xt)", cache[8], 2, "(n_x, m)", shape=(n_x, m))
    return (*arrays, xt, p), n_a, m


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One LSTM step (NNDL §6.6; deeplearning.ai C5W1 `lstm_cell_forward`).

    Args:
        xt: (n_x, m) input.   a_prev, c_prev: (n_a, m) previous hidden and cell states.
        parameters: dict with Wf, Wi, Wc, Wo (n_a, n_a + n_x); bf, bi, bc, bo (n_a, 1); Wy (n_y, n_a); by (n_y, 1).

    Returns:
        a_next (n_a, m), c_next (n_a, m), yt_pred (n_y, m) = softmax(Wy a_next + by);
        cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) — copies.

    Raises:
        ValueError: a shape, dtype, key or non-finite value that disagrees with the above (the message names it).
    """
    p, n_a, n_x, _ = check_lstm_parameters(parameters)
    require_ndim("xt", xt, 2, "(n_x, m)")
    m = xt.shape[1]
    xt = float_array("xt", xt, 2, "(n_x, m)", shape=(n_x, m), source=SOURCE, copy=True)
    a_prev = float_array("a_prev", a_prev, 2, "(n_a, m)", shape=(n_a, m), copy=True)
    c_prev = float_array("c_prev", c_prev, 2, "(n_a, m)", shape=(n_a, m), copy=True)
    a_next, c_next, yt_pred, cache = _lstm_step(xt, a_prev, c_prev, p)
    return a_next.copy(), c_next.copy(), yt_pred, cache


def _lstm_step(xt, a_prev, c_prev, p):
    """lstm_cell_forward without validation or copies (the loop's step)."""
    concat = np.concatenate([a_prev, xt], axis=0)  # hidden state first
    ft = sigmoid_unchecked(p["Wf"] @ concat + p["bf"])
    it = sigmoid_unchecked(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid_unchecked(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax_unchecked(p["Wy"] @ a_next + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)
    return a_next, c_next, yt_pred, cache


def lstm_cell_backward(da_next, dc_next, cache):
    """Backward pass of one LSTM step (deeplearning.ai C5W1 `lstm_cell_backward`, with the total cell gradient dc).

    Args:
        da_next: (n_a, m) ∂L/∂a⟨t⟩.   dc_next: (n_a, m) ∂L/∂c⟨t⟩ from step t+1.
        cache: the tuple from lstm_cell_forward.

    Returns:
        dict with dxt (n_x, m), da_prev (n_a, m), dc_prev (n_a, m),
        dWf, dWi, dWc, dWo (n_a, n_a + n_x), dbf, dbi, dbc, dbo (n_a, 1).

    Raises:
        ValueError: a malformed cache, or da_next / dc_next not finite float arrays of a_next's shape.
    """
    cache, n_a, m = _check_step_cache("cache", cache)
    da_next = float_array("da_next", da_next, 2, "(n_a, m)", shape=(n_a, m))
    dc_next = float_array("dc_next", dc_next, 2, "(n_a, m)", shape=(n_a, m))
    return _lstm_step_backward(da_next, dc_next, cache)


def _lstm_step_backward(da_next, dc_next, cache):
    """lstm_cell_backward without validation (the loop's step)."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]

    tanh_c = np.tanh(c_next)
    dc = dc_next + ot * (1.0 - tanh_c**2) * da_next  # total gradient reaching c⟨t⟩
    d = {
        "o": da_next * tanh_c * ot * (1.0 - ot),
        "c": dc * it * (1.0 - cct**2),
        "i": dc * cct * it * (1.0 - it),
        "f": dc * c_prev * ft * (1.0 - ft),
    }
    concat = np.concatenate([a_prev, xt], axis=0)
    dconcat = sum(parameters[f"W{g}"].T @ d[g] for g in GATES)
    grads = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for g in GATES:
        grads[f"dW{g}"] = d[g] @ concat.T
        grads[f"db{g}"] = np.sum(d[g], axis=1, keepdims=True)
    return grads


def lstm_forward(x, a0, parameters):
    """The LSTM over a sequence from c⟨0⟩ = 0 (deeplearning.ai C5W1 `lstm_forward`); validates once.

    Args:
        x: (n_x, m, T_x) inputs.   a0: (n_a, m).   parameters: as in lstm_cell_forward.

    Returns:
        a (n_a, m, T_x), y (n_y, m, T_x), c (n_a, m, T_x); caches = (list of T_x step caches, x).
        The caches hold copies, never views into a or c.

    Raises:
        ValueError: a shape, dtype, key or non-finite value that disagrees with the above, or T_x = 0.
    """
    parameters, n_a, n_x, n_y = check_lstm_parameters(parameters)
    require_ndim("x", x, 3, "(n_x, m, T_x)")
    _, m, T_x = x.shape
    x = float_array(
        "x", x, 3, "(n_x, m, T_x)", shape=(n_x, m, T_x), source=SOURCE, copy=True
    )
    a0 = float_array("a0", a0, 2, "(n_a, m)", shape=(n_a, m), source=SOURCE, copy=True)

    a = np.zeros((n_a, m, T_x))
    c = np.zeros((n_a, m, T_x))
    y = np.zeros((n_y, m, T_x))
    step_caches = []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x):
        # carry the cell's own arrays; a[:, :, t] would be a view into the output
        a_next, c_next, yt_pred, cache = _lstm_step(
            x[:, :, t], a_next, c_next, parameters
        )
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt_pred
        step_caches.append(cache)
    return a, y, c, (step_caches, x)


def lstm_backward(da, caches):
    """BPTT for the LSTM (deeplearning.ai C5W1 `lstm_backward`).

    Step t receives da[:, :, t] + da_prev and dc_prev from step t+1 (zero at the last step).

    Args:
        da: (n_a, m, T) ∂L/∂a⟨t⟩ from the layers above; the first T step caches are used.
        caches: (list of step caches, x) from lstm_forward.

    Returns:
        dict with dx (n_x, m, T), da0 (n_a, m), dWf, dWi, dWc, dWo (n_a, n_a + n_x), dbf, dbi, dbc, dbo (n_a, 1).

    Raises:
        ValueError: malformed caches, da not finite float (n_a, m, T), T = 0, or more steps than caches.
    """
    if not (
        isinstance(caches, tuple)
        and len(caches) == 2
        and isinstance(caches[0], list)
        and caches[0]
    ):
        raise ValueError(
            "caches must be the tuple (list of step caches, x) from lstm_forward, with at least one step"
        )
    # the first cache fully, the others by form: all come from one lstm_forward
    first, n_a, m = _check_step_cache("caches[0][0]", caches[0][0])
    step_caches = [first] + caches[0][
        1:
    ]  # a new list: the caller's caches are not modified
    for t, c in enumerate(step_caches):
        if not (isinstance(c, tuple) and len(c) == 10 and np.shape(c[0]) == (n_a, m)):
            raise ValueError(
                f"caches[0][{t}] must be a 10-tuple step cache with a_next of shape {(n_a, m)}"
            )
    require_ndim("da", da, 3, "(n_a, m, T_x)")
    T = da.shape[2]
    da = float_array("da", da, 3, "(n_a, m, T_x)", shape=(n_a, m, T))
    if T > len(step_caches):
        raise ValueError(f"da has {T} steps but caches hold only {len(step_caches)}")
    n_x = first[8].shape[0]
    parameters = first[9]

    dx = np.zeros((n_x, m, T))
    grads = {}
    for g in GATES:
        grads[f"dW{g}"] = np.zeros(parameters[f"W{g}"].shape)
        grads[f"db{g}"] = np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    dc_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        step = _lstm_step_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        dx[:, :, t] = step["dxt"]
        for key in grads:
            grads[key] += step[key]
        da_prevt, dc_prevt = step["da_prev"], step["dc_prev"]
    return {"dx": dx, "da0": da_prevt} | grads


def random_lstm_parameters(n_x, n_a, n_y, rng, scale=None):
    """Seeded N(0, 1) LSTM parameters, drawn in the order Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by.

    Args:
        n_x, n_a, n_y: sizes, integers ≥ 1.   rng: numpy.random.Generator.
        scale: factor of the gate weights W; None divides them by √(n_a + n_x).

    Returns:
        dict with W{f,i,c,o} (n_a, n_a + n_x), b{f,i,c,o} (n_a, 1), Wy (n_y, n_a),
        by (n_y, 1), float64.

    Raises:
        ValueError: a size not an integer ≥ 1, scale not a positive number, or rng
        not a Generator.
    """
    n_x = require_integer("n_x", n_x, 1)
    n_a = require_integer("n_a", n_a, 1)
    n_y = require_integer("n_y", n_y, 1)
    if scale is not None:
        scale = require_real("scale", scale, low=0, low_open=True)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng).__name__}"
        )
    parameters = {}
    for g in GATES:
        W = rng.standard_normal((n_a, n_a + n_x))
        parameters[f"W{g}"] = W / np.sqrt(n_a + n_x) if scale is None else scale * W
        parameters[f"b{g}"] = rng.standard_normal((n_a, 1))
    parameters["Wy"] = rng.standard_normal((n_y, n_a))
    parameters["by"] = rng.standard_normal((n_y, 1))
    return parameters
