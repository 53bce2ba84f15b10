"""The GRU, forward and backward, in NNDL §6.6.2's form and the deeplearning.ai layout.

x is (n_x, m, T_x), states (n_a, m, T_x). Input and recurrent weights are kept apart, as in NNDL:

    Wz, Uz, bz ↔ W_z, U_z, b_z,  zt ↔ z_t  (update gate),
    Wr, Ur, br ↔ W_r, U_r, b_r,  rt ↔ r_t  (reset gate),
    Wh, Uh, bh ↔ W_h, U_h, b_h,  a_tilde ↔ h̃_t (candidate state),
    a⟨t⟩ ↔ h_t,  Wy, by ↔ the output layer g(h_t).

h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t (NNDL, Cho et al. 2014, torch; deeplearning.ai's Γ_u is 1 − z_t).
reset_after=True is torch.nn.GRU's candidate tanh(W_h x_t + b_h + r_t ⊙ (U_h h_{t-1} + b_hn)), with
parameter bhn. Gate gradients dz, dr, dh are w.r.t. the pre-activations.
"""

import numpy as np

from .activations import sigmoid, softmax
from .shapes import (
    float_array,
    require_bool,
    require_integer,
    require_keys,
    require_ndim,
)

GATES = ("z", "r", "h")
GRU_KEYS = tuple(f"{k}{g}" for g in GATES for k in ("W", "U", "b")) + ("Wy", "by")
RESET_AFTER_KEY = "bhn"


def gru_keys(reset_after=False):
    """The parameter names: Wz, Uz, bz, Wr, Ur, br, Wh, Uh, bh, Wy, by (+ bhn if reset_after).

    Raises ValueError unless reset_after is a bool.
    """
    reset_after = require_bool("reset_after", reset_after)
    return GRU_KEYS + ((RESET_AFTER_KEY,) if reset_after else ())


def _check_gru_parameters(parameters, reset_after, name="parameters"):
    """Validate the parameter dict; return (p, n_a, n_x, n_y).

    p is ``parameters`` itself when every entry is float32/float64, else a new dict with the converted arrays.
    """
    reset_after = require_bool("reset_after", reset_after)
    require_keys(parameters, gru_keys(reset_after), name)
    if not reset_after and RESET_AFTER_KEY in parameters:
        raise ValueError(
            f"{name} has 'bhn' (the bias of torch's reset-after candidate) "
            "but reset_after=False; pass reset_after=True or drop 'bhn'"
        )
    n_a, n_x = require_ndim(f"{name}['Wz']", parameters["Wz"], 2, "(n_a, n_x)").shape
    n_y = require_ndim(f"{name}['Wy']", parameters["Wy"], 2, "(n_y, n_a)").shape[0]
    shapes = {
        "Wy": ((n_y, n_a), "(n_y, n_a)", ""),
        "by": ((n_y, 1), "(n_y, 1)", ""),
        "bhn": ((n_a, 1), "(n_a, 1)", ""),
    }
    for g in GATES:
        shapes |= {
            f"W{g}": ((n_a, n_x), "(n_a, n_x)", f"n_a, n_x from {name}['Wz']"),
            f"U{g}": ((n_a, n_a), "(n_a, n_a)", f"n_a from {name}['Wz']"),
            f"b{g}": ((n_a, 1), "(n_a, 1)", ""),
        }
    p = dict(parameters)
    for k in gru_keys(reset_after):
        shape, layout, source = shapes[k]
        p[k] = float_array(
            f"{name}['{k}']", parameters[k], 2, layout, shape=shape, source=source
        )
    if all(p[k] is parameters[k] for k in p):
        p = parameters  # nothing converted: the cache holds the caller's dict, as before
    return p, n_a, n_x, n_y


def _check_step_cache(name, cache, reset_after):
    """Validate one gru_cell_forward cache; return it (arrays as float) with n_a, m."""
    if not (isinstance(cache, tuple) and len(cache) == 7):
        raise ValueError(
            f"{name} must be the tuple (a_next, a_prev, zt, rt, a_tilde, xt, parameters) "
            f"from gru_cell_forward, got {type(cache).__name__}"
        )
    p, n_a, n_x, _ = _check_gru_parameters(
        cache[6], reset_after, f"{name}[6] (parameters)"
    )
    m = require_ndim(f"{name}[0] (a_next)", cache[0], 2, "(n_a, m)").shape[1]
    arrays = [
        float_array(f"{name}[{i}] ({label})", cache[i], 2, "(n_a, m)", shape=(n_a, m))
        for i, label in enumerate(("a_next", "a_prev", "zt", "rt", "a_tilde"))
    ]
    xt = float_array(f"{name}[5] (xt)", cache[5], 2, "(n_x, m)", shape=(n_x, m))
    return (*arrays, xt, p), n_a, m


def _cell_forward(xt, a_prev, p, reset_after):
    """One unchecked GRU step (see gru_cell_forward)."""
    zt = sigmoid(p["Wz"] @ xt + p["Uz"] @ a_prev + p["bz"])
    rt = sigmoid(p["Wr"] @ xt + p["Ur"] @ a_prev + p["br"])
    if reset_after:  # torch.nn.GRU: reset the product, not the state
        a_tilde = np.tanh(p["Wh"] @ xt + p["bh"] + rt * (p["Uh"] @ a_prev + p["bhn"]))
    else:  # NNDL: reset the state, then multiply
        a_tilde = np.tanh(p["Wh"] @ xt + p["Uh"] @ (rt * a_prev) + p["bh"])
    a_next = zt * a_prev + (1.0 - zt) * a_tilde
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, zt, rt, a_tilde, xt, p)


def gru_cell_forward(xt, a_prev, parameters, reset_after=False):
    """One GRU step (NNDL §6.6.2; torch.nn.GRU's candidate when reset_after=True).

    Args:
        xt: (n_x, m).   a_prev: (n_a, m).
        parameters: dict with Wz, Wr, Wh (n_a, n_x); Uz, Ur, Uh (n_a, n_a); bz, br, bh (n_a, 1);
            Wy (n_y, n_a); by (n_y, 1); and bhn (n_a, 1) exactly when reset_after.
        reset_after: bool.

    Returns:
        a_next (n_a, m), yt_pred (n_y, m), cache = (a_next, a_prev, zt, rt, a_tilde, xt, parameters).

    Raises:
        ValueError: a missing key (all listed), bhn without reset_after, reset_after not a bool, or an array that is
            not an ndarray of the shape above, has a complex/bool/object/string dtype, an empty axis or NaN/inf
            (integer and float16 arrays are converted to float64).
    """
    p, n_a, n_x, _ = _check_gru_parameters(parameters, reset_after)
    m = require_ndim("xt", xt, 2, "(n_x, m)").shape[1]
    source = "n_a, n_x from parameters['Wz'] of shape (n_a, n_x)"
    xt = float_array("xt", xt, 2, "(n_x, m)", shape=(n_x, m), source=source)
    a_prev = float_array("a_prev", a_prev, 2, "(n_a, m)", shape=(n_a, m))
    return _cell_forward(xt, a_prev, p, reset_after)


def _cell_backward(da_next, cache, reset_after):
    """One unchecked GRU backward step (see gru_cell_backward)."""
    _, a_prev, zt, rt, a_tilde, xt, p = cache
    d = {
        "z": da_next
        * (a_prev - a_tilde)
        * zt
        * (1.0 - zt),  # ∂a⟨t⟩/∂zt = a_prev − a_tilde
        "h": da_next
        * (1.0 - zt)
        * (1.0 - a_tilde**2),  # through (1 − zt) ⊙ a_tilde and tanh
    }
    if reset_after:
        hn = p["Uh"] @ a_prev + p["bhn"]
        d_hn = d["h"] * rt  # gradient of the reset product's argument Uh a_prev + bhn
        d["r"] = d["h"] * hn * rt * (1.0 - rt)
        da_prev = da_next * zt + p["Uh"].T @ d_hn
        grads = {"dUh": d_hn @ a_prev.T, "dbhn": np.sum(d_hn, axis=1, keepdims=True)}
    else:
        d_reset = p["Uh"].T @ d["h"]  # gradient of the reset state rt ⊙ a_prev
        d["r"] = d_reset * a_prev * rt * (1.0 - rt)
        da_prev = da_next * zt + d_reset * rt
        grads = {"dUh": d["h"] @ (rt * a_prev).T}
    da_prev = da_prev + p["Uz"].T @ d["z"] + p["Ur"].T @ d["r"]
    out = {"dxt": sum(p[f"W{g}"].T @ d[g] for g in GATES), "da_prev": da_prev}
    for g in GATES:
        out[f"dW{g}"] = d[g] @ xt.T
        if g != "h":
            out[f"dU{g}"] = d[g] @ a_prev.T
        out[f"db{g}"] = np.sum(d[g], axis=1, keepdims=True)
    return out | grads


def gru_cell_backward(da_next, cache, reset_after=False):
    """Backward pass of one GRU step (NNDL exercise 6-5; derivation in the GRU chapter).

    Args:
        da_next: (n_a, m) ∂L/∂a⟨t⟩.   cache: from gru_cell_forward.   reset_after: as there.

    Returns:
        dict with dxt (n_x, m), da_prev (n_a, m), dWz, dWr, dWh (n_a, n_x), dUz, dUr, dUh (n_a, n_a),
        dbz, dbr, dbh (n_a, 1), and dbhn (n_a, 1) when reset_after.

    Raises:
        ValueError: a malformed cache, the cache's parameters do not fit reset_after, or da_next not a finite
            float array of a_next's shape (integer and float16 are converted).
    """
    cache, n_a, m = _check_step_cache("cache", cache, reset_after)
    da_next = float_array("da_next", da_next, 2, "(n_a, m)", shape=(n_a, m))
    return _cell_backward(da_next, cache, reset_after)


def gru_forward(x, a0, parameters, reset_after=False):
    """The GRU over a sequence (NNDL §6.6.2; deeplearning.ai `rnn_forward` layout).

    Args:
        x: (n_x, m, T_x).   a0: (n_a, m).   parameters, reset_after: as in gru_cell_forward.

    Returns:
        a (n_a, m, T_x), y_pred (n_y, m, T_x), caches = (list of T_x step caches, x); never views into a.

    Raises:
        ValueError: as gru_cell_forward, for x and a0 in place of xt and a_prev.
    """
    parameters, n_a, n_x, n_y = _check_gru_parameters(parameters, reset_after)
    _, m, T_x = require_ndim("x", x, 3, "(n_x, m, T_x)").shape
    source = "n_a, n_x from parameters['Wz'] of shape (n_a, n_x)"
    x = float_array("x", x, 3, "(n_x, m, T_x)", shape=(n_x, m, T_x), source=source)
    a0 = float_array("a0", a0, 2, "(n_a, m)", shape=(n_a, m), source=source)

    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    step_caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = _cell_forward(
            x[:, :, t], a_next, parameters, reset_after
        )
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        step_caches.append(cache)
    return a, y_pred, (step_caches, x)


def gru_backward(da, caches, reset_after=False):
    """BPTT for the GRU (NNDL §6.4.1 applied to §6.6.2).

    Args:
        da: (n_a, m, T) ∂L/∂a⟨t⟩; the first T step caches are used.
        caches: from gru_forward.   reset_after: as there.

    Returns:
        dict with dx (n_x, m, T), da0 (n_a, m) and the parameter gradients of gru_cell_backward.

    Raises:
        ValueError: malformed caches, parameters that do not fit reset_after, da not a finite float array
            (n_a, m, T) (integer and float16 are converted), or more steps than caches.
    """
    if not (
        isinstance(caches, tuple)
        and len(caches) == 2
        and isinstance(caches[0], list)
        and caches[0]
    ):
        raise ValueError(
            "caches must be the tuple (list of step caches, x) from gru_forward, with at least one step"
        )
    step_caches, n_a, m = [], None, None
    for t, c in enumerate(caches[0]):
        c, n_a_t, m_t = _check_step_cache(f"caches[0][{t}]", c, reset_after)
        if t and (n_a_t, m_t) != (n_a, m):
            raise ValueError(
                f"caches[0][{t}] has a_next of shape {(n_a_t, m_t)}, caches[0][0] {(n_a, m)}"
            )
        step_caches.append(c)
        n_a, m = n_a_t, m_t
    parameters = step_caches[0][6]
    n_x = parameters["Wz"].shape[1]
    T = require_ndim("da", da, 3, "(n_a, m, T)").shape[2]
    da = float_array("da", da, 3, "(n_a, m, T)", shape=(n_a, m, T))
    if T > len(step_caches):
        raise ValueError(f"da has {T} steps but caches hold only {len(step_caches)}")

    dx = np.zeros((n_x, m, T))
    grads = {
        f"d{k}": np.zeros(np.shape(parameters[k]))
        for k in gru_keys(reset_after)
        if k not in ("Wy", "by")
    }
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T)):
        step = _cell_backward(da[:, :, t] + da_prevt, step_caches[t], reset_after)
        dx[:, :, t] = step["dxt"]
        for key in grads:
            grads[key] += step[key]
        da_prevt = step["da_prev"]
    return {"dx": dx, "da0": da_prevt} | grads


def random_gru_parameters(n_x, n_a, n_y, rng, reset_after=False):
    """Seeded Gaussian parameters: W• ~ N(0, 1/n_x), U• ~ N(0, 1/n_a), b• ~ 0.5·N(0, 1), Wy, by ~ N(0, 1).

    Drawn in that order (• = z, r, h), then bhn ~ 0.5·N(0, 1) if reset_after.

    Returns:
        dict with the keys of gru_keys(reset_after), float64.

    Raises:
        ValueError: a size not an integer ≥ 1, rng not a numpy.random.Generator, reset_after not a bool.
    """
    n_x, n_a, n_y = (
        require_integer(k, v, 1) for k, v in (("n_x", n_x), ("n_a", n_a), ("n_y", n_y))
    )
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng).__name__}"
        )
    reset_after = require_bool("reset_after", reset_after)
    p = {}
    for g in GATES:
        p[f"W{g}"] = rng.standard_normal((n_a, n_x)) / np.sqrt(n_x)
        p[f"U{g}"] = rng.standard_normal((n_a, n_a)) / np.sqrt(n_a)
        p[f"b{g}"] = 0.5 * rng.standard_normal((n_a, 1))
    p["Wy"] = rng.standard_normal((n_y, n_a))
    p["by"] = rng.standard_normal((n_y, 1))
    if reset_after:
        p["bhn"] = 0.5 * rng.standard_normal((n_a, 1))
    return p


TORCH_ORDER = (
    "r",
    "z",
    "h",
)  # torch.nn.GRU stacks reset, update, new (our candidate h)


def to_torch_gru(parameters):
    """A one-layer float64 torch.nn.GRU computing gru_forward(..., reset_after=True).

    weight_ih_l0 = [Wr; Wz; Wh], weight_hh_l0 = [Ur; Uz; Uh], bias_ih_l0 = [br; bz; bh], bias_hh_l0 = [0; 0; bhn].

    Raises:
        ValueError: parameters not a valid reset-after dict.
    """
    import torch

    parameters, n_a, n_x, _ = _check_gru_parameters(parameters, True)
    gru = torch.nn.GRU(n_x, n_a, dtype=torch.float64)

    def stack(kind):  # [X_r; X_z; X_h] for X = W, U or b
        return torch.tensor(np.vstack([parameters[f"{kind}{g}"] for g in TORCH_ORDER]))

    with torch.no_grad():
        gru.weight_ih_l0.copy_(stack("W"))
        gru.weight_hh_l0.copy_(stack("U"))
        gru.bias_ih_l0.copy_(stack("b")[:, 0])
        gru.bias_hh_l0.zero_()
        gru.bias_hh_l0[2 * n_a :].copy_(torch.tensor(parameters["bhn"][:, 0]))
    return gru


def torch_gru_gradients(gru):
    """The .grad fields of a to_torch_gru module after backward(), in our names.

    Returns:
        dict with dWz … dbh, dbhn (NumPy, shapes of gru_cell_backward), and dbr_hh, dbz_hh
        (torch's second copies of the r and z bias gradients, equal to dbr, dbz).

    Raises:
        ValueError: gru not a one-layer unidirectional torch.nn.GRU, or backward() not yet run.
    """
    import torch

    if not isinstance(gru, torch.nn.GRU) or gru.num_layers != 1 or gru.bidirectional:
        raise ValueError(
            f"gru must be a one-layer, one-direction torch.nn.GRU (from to_torch_gru), got {gru!r:.80}"
        )
    if any(
        w.grad is None
        for w in (gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0)
    ):
        raise ValueError(
            "gru has no .grad yet: call backward() on a loss of its output first"
        )
    n_a = gru.hidden_size
    out = {}
    for k, g in enumerate(TORCH_ORDER):
        rows = slice(k * n_a, (k + 1) * n_a)
        out[f"dW{g}"] = gru.weight_ih_l0.grad[rows].numpy()
        out[f"dU{g}"] = gru.weight_hh_l0.grad[rows].numpy()
        out[f"db{g}"] = gru.bias_ih_l0.grad[rows].numpy()[:, None]
        out[f"db{g}_hh"] = gru.bias_hh_l0.grad[rows].numpy()[:, None]
    out["dbhn"] = out.pop("dbh_hh")
    return out
