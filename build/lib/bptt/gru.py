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
from .shapes import require_keys, require_ndim, require_shape

GATES = ("z", "r", "h")
GRU_KEYS = tuple(f"{k}{g}" for g in GATES for k in ("W", "U", "b")) + ("Wy", "by")
RESET_AFTER_KEY = "bhn"


def gru_keys(reset_after=False):
    """The parameter names: Wz, Uz, bz, Wr, Ur, br, Wh, Uh, bh, Wy, by (+ bhn if reset_after)."""
    return GRU_KEYS + ((RESET_AFTER_KEY,) if reset_after else ())


def _check_gru_parameters(parameters, reset_after):
    """Validate the parameter dict; return (n_a, n_x, n_y)."""
    require_keys(parameters, gru_keys(reset_after))
    if not reset_after and RESET_AFTER_KEY in parameters:
        raise ValueError("parameters has 'bhn' (the bias of torch's reset-after candidate) "
                         "but reset_after=False; pass reset_after=True or drop 'bhn'")
    Wz = require_ndim("parameters['Wz']", parameters["Wz"], 2, "(n_a, n_x)")
    n_a, n_x = Wz.shape
    Wy = require_ndim("parameters['Wy']", parameters["Wy"], 2, "(n_y, n_a)")
    n_y = Wy.shape[0]
    for g in GATES:
        require_shape(f"parameters['W{g}']", parameters[f"W{g}"], (n_a, n_x), "n_a, n_x from parameters['Wz']")
        require_shape(f"parameters['U{g}']", parameters[f"U{g}"], (n_a, n_a), "n_a from parameters['Wz']")
        require_shape(f"parameters['b{g}']", parameters[f"b{g}"], (n_a, 1))
    if reset_after:
        require_shape("parameters['bhn']", parameters["bhn"], (n_a, 1))
    require_shape("parameters['Wy']", Wy, (n_y, n_a))
    require_shape("parameters['by']", parameters["by"], (n_y, 1))
    return n_a, n_x, n_y


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
        ValueError: a missing key (all listed), bhn without reset_after, or a shape that disagrees with the above.
    """
    n_a, n_x, _ = _check_gru_parameters(parameters, reset_after)
    require_ndim("xt", xt, 2, "(n_x, m)")
    m = xt.shape[1]
    require_shape("xt", xt, (n_x, m), "n_a, n_x from parameters['Wz'] of shape (n_a, n_x)")
    require_shape("a_prev", a_prev, (n_a, m))
    return _cell_forward(xt, a_prev, parameters, reset_after)


def _cell_backward(da_next, cache, reset_after):
    """One unchecked GRU backward step (see gru_cell_backward)."""
    _, a_prev, zt, rt, a_tilde, xt, p = cache
    d = {
        "z": da_next * (a_prev - a_tilde) * zt * (1.0 - zt),  # ∂a⟨t⟩/∂zt = a_prev − a_tilde
        "h": da_next * (1.0 - zt) * (1.0 - a_tilde**2),  # through (1 − zt) ⊙ a_tilde and tanh
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
        ValueError: da_next's shape differs from a_next's, or the cache's parameters do not fit reset_after.
    """
    _check_gru_parameters(cache[6], reset_after)
    require_shape("da_next", da_next, cache[0].shape)
    return _cell_backward(da_next, cache, reset_after)


def gru_forward(x, a0, parameters, reset_after=False):
    """The GRU over a sequence (NNDL §6.6.2; deeplearning.ai `rnn_forward` layout).

    Args:
        x: (n_x, m, T_x).   a0: (n_a, m).   parameters, reset_after: as in gru_cell_forward.

    Returns:
        a (n_a, m, T_x), y_pred (n_y, m, T_x), caches = (list of T_x step caches, x); never views into a.

    Raises:
        ValueError: a shape or key that disagrees with the above.
    """
    n_a, n_x, n_y = _check_gru_parameters(parameters, reset_after)
    require_ndim("x", x, 3, "(n_x, m, T_x)")
    _, m, T_x = x.shape
    require_shape("x", x, (n_x, m, T_x), "n_a, n_x from parameters['Wz'] of shape (n_a, n_x)")
    require_shape("a0", a0, (n_a, m), "n_a, n_x from parameters['Wz'] of shape (n_a, n_x)")

    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    step_caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = _cell_forward(x[:, :, t], a_next, parameters, reset_after)
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
        ValueError: da not 3-D or not matching the caches, more steps than caches,
            or parameters that do not fit reset_after.
    """
    step_caches, x = caches
    require_ndim("da", da, 3, "(n_a, m, T_x)")
    n_a, m = step_caches[0][0].shape
    parameters = step_caches[0][6]
    _check_gru_parameters(parameters, reset_after)
    T = da.shape[2]
    require_shape("da", da, (n_a, m, T))
    if T > len(step_caches):
        raise ValueError(f"da has {T} steps but caches hold only {len(step_caches)}")

    dx = np.zeros((x.shape[0], m, T))
    grads = {f"d{k}": np.zeros(np.shape(parameters[k])) for k in gru_keys(reset_after) if k not in ("Wy", "by")}
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
    """
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


TORCH_ORDER = ("r", "z", "h")  # torch.nn.GRU stacks reset, update, new (our candidate h)


def to_torch_gru(parameters):
    """A one-layer float64 torch.nn.GRU computing gru_forward(..., reset_after=True).

    weight_ih_l0 = [Wr; Wz; Wh], weight_hh_l0 = [Ur; Uz; Uh], bias_ih_l0 = [br; bz; bh], bias_hh_l0 = [0; 0; bhn].

    Raises:
        ValueError: parameters not a valid reset-after dict.
    """
    import torch

    n_a, n_x, _ = _check_gru_parameters(parameters, True)
    gru = torch.nn.GRU(n_x, n_a, dtype=torch.float64)

    def stack(kind):  # [X_r; X_z; X_h] for X = W, U or b
        return torch.tensor(np.vstack([parameters[f"{kind}{g}"] for g in TORCH_ORDER]))

    with torch.no_grad():
        gru.weight_ih_l0.copy_(stack("W"))
        gru.weight_hh_l0.copy_(stack("U"))
        gru.bias_ih_l0.copy_(stack("b")[:, 0])
        gru.bias_hh_l0.zero_()
        gru.bias_hh_l0[2 * n_a:].copy_(torch.tensor(parameters["bhn"][:, 0]))
    return gru


def torch_gru_gradients(gru):
    """The .grad fields of a to_torch_gru module after backward(), in our names.

    Returns:
        dict with dWz … dbh, dbhn (NumPy, shapes of gru_cell_backward), and dbr_hh, dbz_hh
        (torch's second copies of the r and z bias gradients, equal to dbr, dbz).
    """
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
